#include "resource_table_view.h"

#include "informer_status.h"
#include "k8s_client.h"
#include "k8s_object_json.h"
#include "log_source_url.h"
#include "terminal_source_url.h"
#include "object_details_view.h"
#include "resource_change.h"
#include "resource_filter_proxy.h"
#include "resource_table_model.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMetaMethod>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

constexpr int AgeTickMs = 1000;

} // namespace

ResourceTableView::ResourceTableView(K8sClient *client, const QString &contextName, const QString &namespaceName,
                                     const ApiResource &resource, QWidget *parent)
    : QWidget(parent), m_client(client), m_context(contextName),
      m_namespace(resource.namespaced ? namespaceName : QString()), m_resource(resource),
      m_model(new ResourceTableModel(this)), m_proxy(new ResourceFilterProxy(this)),
      m_ageTimer(new QTimer(this))
{
    InformerOptions options;
    options.table = true;
    options.includeObject = true; // the pod menu lists container names from the object
    m_informer = new Informer(client, resource, m_namespace, options, this);
    m_model->setShowNamespace(resource.namespaced && m_namespace.isEmpty());
    m_proxy->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(buildToolbar());
    layout->addWidget(buildTable(), 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("resourceStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    connectInformer();
    // Ages are computed when painted: repainting the viewport once a second keeps them live at
    // the cost of the visible rows only (no dataChanged through the proxy).
    connect(m_ageTimer, &QTimer::timeout, m_table->viewport(), qOverload<>(&QWidget::update));
    m_ageTimer->start(AgeTickMs);
    updateCount();
    updateActions();
    m_informer->start();
}

ResourceTableView::~ResourceTableView() = default;

QString ResourceTableView::title() const
{
    QStringList parts = {m_resource.qualifiedName()};
    if (m_resource.namespaced)
        parts << (m_namespace.isEmpty() ? tr("all namespaces") : m_namespace);
    parts << m_context;
    return parts.join(QStringLiteral(" \u00b7 "));
}

QWidget *ResourceTableView::buildToolbar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit(bar);
    m_filter->setObjectName(QStringLiteral("resourceFilter"));
    m_filter->setPlaceholderText(tr("Filter %1\u2026").arg(m_resource.plural));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterText(text);
        updateCount();
    });
    row->addWidget(m_filter, 1);

    m_followButton = new QToolButton(bar);
    m_followButton->setText(tr("Follow logs"));
    m_followButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(m_followButton, &QToolButton::clicked, this, &ResourceTableView::followSelected);
    row->addWidget(m_followButton);
    m_shellButton = new QToolButton(bar);
    m_shellButton->setObjectName(QStringLiteral("shellButton"));
    m_shellButton->setText(tr("Shell"));
    m_shellButton->setToolTip(tr("Open a shell in the selected pod (bash, else sh); right-click for a container, "
                                 "Attach or Port forward…"));
    connect(m_shellButton, &QToolButton::clicked, this, &ResourceTableView::shellSelected);
    row->addWidget(m_shellButton);
    m_detailsButton = new QToolButton(bar);
    m_detailsButton->setText(tr("Details"));
    connect(m_detailsButton, &QToolButton::clicked, this, [this] { openDetails(currentProxyRow()); });
    row->addWidget(m_detailsButton);

    m_count = new QLabel(bar);
    m_count->setObjectName(QStringLiteral("resourceCount"));
    m_count->setMinimumWidth(m_count->fontMetrics().horizontalAdvance(QStringLiteral("00000 of 00000 pods")));
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    row->addWidget(m_count);
    return bar;
}

QWidget *ResourceTableView::buildTable()
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("resourceTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // arrival order until the user picks a column
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    QHeaderView *vertical = m_table->verticalHeader();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    vertical->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setDefaultSectionSize(m_table->fontMetrics().horizontalAdvance(QStringLiteral("CrashLoopBackOff")) + 16);
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // Column widths: once, when the columns arrive (never ResizeToContents on a growing table).
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        const int name = m_model->columnOf(QStringLiteral("NAME"));
        if (name >= 0)
            m_table->setColumnWidth(name, m_table->fontMetrics().horizontalAdvance(u'm') * 28);
    });
    connect(m_table, &QTableView::customContextMenuRequested, this, &ResourceTableView::showContextMenu);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) { openDetails(index.row()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ResourceTableView::updateActions);
    return m_table;
}

void ResourceTableView::connectInformer()
{
    connect(m_informer, &Informer::columnsChanged, this, [this](const QList<TableColumn> &columns) {
        m_columns = columns;
    });
    connect(m_informer, &Informer::changes, this, [this](const QList<WatchChange> &changes) {
        m_model->applyChanges(resourceBatchFrom(changes, m_columns));
        updateCount();
    });
    connect(m_informer, &Informer::synced, this, [this] {
        m_lastError.reset();
        // An empty list sends no changes: the columns still arrive.
        if (m_model->rowCount() == 0 && !m_columns.isEmpty())
            m_model->applyChanges(resourceBatchFrom({}, m_columns));
        updateStatus();
    });
    connect(m_informer, &Informer::errorOccurred, this, [this](const K8sError &error) {
        m_lastError = error;
        updateStatus();
    });
    connect(m_informer, &Informer::stateChanged, this, &ResourceTableView::updateStatus);
}

void ResourceTableView::updateStatus()
{
    const Informer::State state = m_informer->state();
    m_status->setText(informerStatusText(state, m_resource.plural, m_lastError));
    const bool problem = informerStatusIsProblem(state, m_lastError);
    m_status->setProperty("problem", problem);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b02020;") : QString());
}

QString ResourceTableView::statusText() const
{
    return m_status->text();
}

QString ResourceTableView::countText() const
{
    return m_count->text();
}

void ResourceTableView::updateCount()
{
    const int all = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    const QString noun = all == 1 && !m_resource.singular.isEmpty() ? m_resource.singular : m_resource.plural;
    m_count->setText(shown == all ? tr("%1 %2").arg(all).arg(noun) : tr("%1 of %2 %3").arg(shown).arg(all).arg(noun));
}

int ResourceTableView::currentProxyRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

bool ResourceTableView::selectKey(const QString &key)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(ResourceTableModel::KeyRole).toString() == key) {
            m_table->selectRow(row);
            return true;
        }
    }
    return false;
}

void ResourceTableView::updateActions()
{
    const int row = currentProxyRow();
    const bool pods = m_resource.plural == u"pods" && m_resource.group.isEmpty();
    const bool followable = pods || LogSourceUrl::isWorkload(m_resource.plural) || m_resource.plural == u"services";
    m_followButton->setVisible(followable);
    m_followButton->setEnabled(row >= 0);
    m_followButton->setText(pods ? tr("Follow logs") : tr("Follow logs of its pods"));
    m_shellButton->setVisible(pods);
    m_shellButton->setEnabled(row >= 0);
    m_detailsButton->setEnabled(row >= 0);
}

void ResourceTableView::shellSelected()
{
    const int row = currentProxyRow();
    if (row < 0 || row >= m_proxy->rowCount())
        return;
    const QModelIndex index = m_proxy->index(row, 0);
    Q_EMIT terminalRequested(TerminalSourceUrl::forShell(
        m_context, index.data(ResourceTableModel::NamespaceRole).toString(), index.data(ResourceTableModel::NameRole).toString(),
        K8sObjectJson::defaultContainer(index.data(ResourceTableModel::ObjectJsonRole).toByteArray())));
}

QList<QAction *> ResourceTableView::actionsForRow(int proxyRow, QObject *parent)
{
    QList<QAction *> actions;
    if (proxyRow < 0 || proxyRow >= m_proxy->rowCount())
        return actions;
    const QModelIndex index = m_proxy->index(proxyRow, 0);
    const QString ns = index.data(ResourceTableModel::NamespaceRole).toString();
    const QString name = index.data(ResourceTableModel::NameRole).toString();
    const QByteArray json = index.data(ResourceTableModel::ObjectJsonRole).toByteArray();
    auto add = [&](const QString &text, const QString &url) {
        auto *action = new QAction(text, parent);
        action->setData(url);
        connect(action, &QAction::triggered, this, [this, url] { Q_EMIT followLogsRequested(url); });
        actions << action;
    };
    auto addTerminal = [&](const QString &text, const QString &url) {
        auto *action = new QAction(text, parent);
        connect(action, &QAction::triggered, this, [this, url] { Q_EMIT terminalRequested(url); });
        actions << action;
    };
    auto addForward = [&] {
        auto *action = new QAction(tr("Port forward…"), parent);
        const QString plural = m_resource.plural;
        connect(action, &QAction::triggered, this,
                [this, ns, name, json, plural] { Q_EMIT portForwardRequested(m_context, ns, plural, name, json); });
        actions << action;
    };
    if (m_resource.plural == u"pods" && m_resource.group.isEmpty()) {
        add(tr("Follow logs"), LogSourceUrl::forPod(m_context, ns, name));
        const QStringList containers = K8sObjectJson::containerNames(json);
        for (const QString &container : containers)
            add(tr("Follow logs of %1").arg(container), LogSourceUrl::forPod(m_context, ns, name, container));
        // Like kubectl, a shell without a container goes to the default one (a multi-container pod
        // refuses an exec that names none).
        addTerminal(tr("Shell"), TerminalSourceUrl::forShell(m_context, ns, name, K8sObjectJson::defaultContainer(json)));
        if (containers.size() > 1) {
            for (const QString &container : containers)
                addTerminal(tr("Shell in %1").arg(container), TerminalSourceUrl::forShell(m_context, ns, name, container));
        }
        for (const QString &container : containers)
            addTerminal(tr("Attach to %1").arg(container), TerminalSourceUrl::forAttach(m_context, ns, name, container));
        addForward();
    } else if (LogSourceUrl::isWorkload(m_resource.plural)) {
        add(tr("Follow logs of its pods"), LogSourceUrl::forWorkload(m_context, ns, m_resource.plural, name));
    } else if (m_resource.plural == u"services" && m_resource.group.isEmpty()) {
        const QString selector = K8sObjectJson::selector(json);
        if (!selector.isEmpty()) {
            add(tr("Follow logs of its pods"), LogSourceUrl::forSelector(m_context, ns, selector));
            addForward();
        }
    }
    auto *details = new QAction(tr("Show details"), parent);
    connect(details, &QAction::triggered, this, [this, proxyRow] { openDetails(proxyRow); });
    actions << details;
    return actions;
}

void ResourceTableView::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    m_table->selectRow(index.row());
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addActions(actionsForRow(index.row(), menu));
    menu->popup(m_table->viewport()->mapToGlobal(pos));
}

void ResourceTableView::followSelected()
{
    const QList<QAction *> actions = actionsForRow(currentProxyRow(), this);
    // The first action is the whole-object follow when there is one.
    if (!actions.isEmpty() && actions.first()->data().isValid())
        actions.first()->trigger();
    qDeleteAll(actions);
}

void ResourceTableView::openDetails(int proxyRow)
{
    if (proxyRow < 0 || proxyRow >= m_proxy->rowCount() || !m_client)
        return;
    const QModelIndex index = m_proxy->index(proxyRow, 0);
    auto *view = new ObjectDetailsView(m_client, m_context, m_resource,
                                       index.data(ResourceTableModel::NamespaceRole).toString(),
                                       index.data(ResourceTableModel::NameRole).toString());
    if (!isSignalConnected(QMetaMethod::fromSignal(&ResourceTableView::detailsViewOpened))) {
        delete view;
        return;
    }
    Q_EMIT detailsViewOpened(view);
}
