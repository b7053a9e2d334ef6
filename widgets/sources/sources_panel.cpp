#include "sources_panel.h"

#include "source_details.h"

#include "source_list_model.h"
#include "transport.h"

#include <QAction>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cctype>

Q_LOGGING_CATEGORY(lcSourcesPanel, "dash.widgets.sources", QtInfoMsg)

namespace {

const QColor WarningColour(183, 28, 28);

bool isHttpScheme(const QString &scheme)
{
    return scheme == QLatin1String("http") || scheme == QLatin1String("https");
}

bool isWsScheme(const QString &scheme)
{
    return scheme == QLatin1String("ws") || scheme == QLatin1String("wss");
}

} // namespace

namespace {

/// A column-specific elide mode (QTableView has one for the whole view).
class ElideDelegate : public QStyledItemDelegate
{
public:
    ElideDelegate(Qt::TextElideMode mode, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_mode(mode)
    {
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = m_mode;
    }

private:
    Qt::TextElideMode m_mode;
};

} // namespace

SourcesPanel::SourcesPanel(SourceListModel *model, const TransportRegistry *registry, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_registry(registry)
    , m_urlEdit(new QLineEdit(this))
    , m_transportBox(new QComboBox(this))
    , m_addButton(new QPushButton(tr("Add"), this))
    , m_optionsButton(new QToolButton(this))
    , m_optionsBox(new QWidget(this))
    , m_details(new SourceDetails(model, this))
    , m_headersEdit(new QPlainTextEdit(m_optionsBox))
    , m_bodyEdit(new QPlainTextEdit(m_optionsBox))
    , m_insecureBox(new QCheckBox(tr("Skip TLS verification (insecure)"), m_optionsBox))
    , m_errorLabel(new QLabel(this))
    , m_view(new QTableView(this))
    , m_reconnectAction(new QAction(tr("Reconnect"), this))
    , m_removeAction(new QAction(tr("Remove"), this))
    , m_sendEdit(new QLineEdit(this))
    , m_sendTextButton(new QPushButton(tr("Send text"), this))
    , m_sendBinaryButton(new QPushButton(tr("Send binary (hex)"), this))
{
    // Add bar.
    m_urlEdit->setPlaceholderText(tr("http://\u2026 or ws://\u2026 \u2014 Enter to add"));
    m_urlEdit->setClearButtonEnabled(true);
    m_transportBox->addItem(tr("auto"), QString());
    m_transportBox->setItemData(0, tr("ws:// and wss:// use WebSocket; for http(s):// the response "
                                      "Content-Type decides"), Qt::ToolTipRole);
    QStringList ids = {QStringLiteral("sse"), QStringLiteral("lines"), QStringLiteral("ndjson"),
                       QStringLiteral("websocket")};
    for (const QString &id : m_registry->ids())
        if (!ids.contains(id) && id != QLatin1String("http"))
            ids.append(id);
    for (const QString &id : std::as_const(ids)) {
        if (!m_registry->contains(id))
            continue;
        m_transportBox->addItem(id, id);
        m_transportBox->setItemData(m_transportBox->count() - 1, m_registry->description(id),
                                    Qt::ToolTipRole);
    }
    m_addButton->setDefault(false);
    m_optionsButton->setText(tr("Options"));
    m_optionsButton->setCheckable(true);
    m_optionsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_optionsButton->setArrowType(Qt::RightArrow);
    connect(m_optionsButton, &QToolButton::toggled, this, [this](bool open) {
        m_optionsButton->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_optionsBox->setVisible(open);
    });

    m_headersEdit->setPlaceholderText(tr("Authorization: Bearer \u2026\n(one \"Name: value\" per line)"));
    m_headersEdit->setTabChangesFocus(true);
    m_headersEdit->setFixedHeight(fontMetrics().lineSpacing() * 4);
    m_bodyEdit->setPlaceholderText(tr("POST this body instead of GET (empty: GET)"));
    m_bodyEdit->setTabChangesFocus(true);
    m_bodyEdit->setFixedHeight(fontMetrics().lineSpacing() * 4);
    QPalette warning = m_insecureBox->palette();
    warning.setColor(QPalette::WindowText, WarningColour);
    warning.setColor(QPalette::ButtonText, WarningColour);
    m_insecureBox->setPalette(warning);
    m_insecureBox->setToolTip(tr("The server's certificate is not checked: anyone on the path can "
                                 "read and change the stream"));
    auto *options = new QFormLayout(m_optionsBox);
    options->setContentsMargins(0, 0, 0, 0);
    options->addRow(tr("Request headers"), m_headersEdit);
    options->addRow(tr("POST body"), m_bodyEdit);
    options->addRow(QString(), m_insecureBox);
    m_optionsBox->setVisible(false);

    QPalette errorPalette = m_errorLabel->palette();
    errorPalette.setColor(QPalette::WindowText, WarningColour);
    m_errorLabel->setPalette(errorPalette);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setVisible(false);

    // Table.
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    QHeaderView *vertical = m_view->verticalHeader();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(fontMetrics().height() + 6);
    vertical->hide();
    QHeaderView *horizontal = m_view->horizontalHeader();
    horizontal->setSectionResizeMode(QHeaderView::Interactive);
    horizontal->setHighlightSections(false);
    // Everything a user scans for fits in a 500 px panel: the short columns are Fixed at the
    // width of their header or longest value, the source name (elided in the middle, full URL in
    // the tooltip) is narrow but resizable, the error takes the rest, and the transport comes
    // last, elided at the right ("sse · HTTP/…"; the tooltip and the details box show it whole).
    horizontal->setStretchLastSection(false);
    horizontal->moveSection(horizontal->visualIndex(SourceListModel::TransportColumn), SourceListModel::ColumnCount - 1);
    horizontal->setSectionResizeMode(SourceListModel::ErrorColumn, QHeaderView::Stretch);
    // Errors read from their start ("connection refused", "HTTP 404 …"); the details below show
    // them whole. Source names lose their start first: sources usually share the host, and the end
    // of the path tells them apart ("…/ndjson/logs", "…/lines/logs").
    m_view->setItemDelegateForColumn(SourceListModel::ErrorColumn, new ElideDelegate(Qt::ElideRight, m_view));
    m_view->setItemDelegateForColumn(SourceListModel::TransportColumn, new ElideDelegate(Qt::ElideRight, m_view));
    m_view->setItemDelegateForColumn(SourceListModel::NameColumn, new ElideDelegate(Qt::ElideLeft, m_view));
    constexpr int CellPadding = 8; // PM_HeaderMargin (4) on both sides; cells need less
    horizontal->setMinimumSectionSize(fontMetrics().horizontalAdvance(QStringLiteral("Retry")) + CellPadding);
    auto fit = [this, horizontal](int column, const QString &longest) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        const int text = std::max(fontMetrics().horizontalAdvance(longest), fontMetrics().horizontalAdvance(title));
        horizontal->setSectionResizeMode(column, QHeaderView::Fixed);
        horizontal->resizeSection(column, text + CellPadding);
    };
    fit(SourceListModel::StateColumn, QStringLiteral("\u25CF reconnecting")); // the dot is a decoration
    fit(SourceListModel::RateColumn, QStringLiteral("1234"));
    fit(SourceListModel::LastEventColumn, tr("%1 s ago").arg(9.9, 0, 'f', 1));
    fit(SourceListModel::RetryColumn, tr("in %1 s").arg(30.0, 0, 'f', 1));
    fit(SourceListModel::TransportColumn, QStringLiteral("websocket"));
    horizontal->resizeSection(SourceListModel::NameColumn, fontMetrics().horizontalAdvance(QStringLiteral("\u2026/ndjson/logs")) + CellPadding);

    m_reconnectAction->setToolTip(tr("Connect the selected sources again now"));
    m_removeAction->setToolTip(tr("Close and remove the selected sources"));
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_removeAction->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(m_reconnectAction);
    m_view->addAction(m_removeAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *reconnectButton = new QToolButton(this);
    reconnectButton->setDefaultAction(m_reconnectAction);
    auto *removeButton = new QToolButton(this);
    removeButton->setDefaultAction(m_removeAction);

    // Send bar.
    m_sendEdit->setPlaceholderText(tr("Message to the selected WebSocket source"));
    m_sendTextButton->setAutoDefault(false);
    m_sendBinaryButton->setAutoDefault(false);

    auto *addBar = new QHBoxLayout;
    addBar->addWidget(m_urlEdit, 1);
    addBar->addWidget(m_transportBox);
    addBar->addWidget(m_addButton);
    addBar->addWidget(m_optionsButton);
    auto *actionBar = new QHBoxLayout;
    actionBar->addWidget(reconnectButton);
    actionBar->addWidget(removeButton);
    actionBar->addStretch(1);
    auto *sendBar = new QHBoxLayout;
    sendBar->addWidget(m_sendEdit, 1);
    sendBar->addWidget(m_sendTextButton);
    sendBar->addWidget(m_sendBinaryButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(addBar);
    layout->addWidget(m_optionsBox);
    layout->addWidget(m_errorLabel);
    layout->addLayout(actionBar);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);
    layout->addLayout(sendBar);

    connect(m_urlEdit, &QLineEdit::returnPressed, this, &SourcesPanel::addFromInputs);
    connect(m_addButton, &QPushButton::clicked, this, &SourcesPanel::addFromInputs);
    connect(m_urlEdit, &QLineEdit::textEdited, this, [this] { showError(QString()); });
    connect(m_reconnectAction, &QAction::triggered, this, &SourcesPanel::reconnectSelected);
    connect(m_removeAction, &QAction::triggered, this, &SourcesPanel::removeSelected);
    connect(m_sendTextButton, &QPushButton::clicked, this, [this] { sendCurrent(false); });
    connect(m_sendBinaryButton, &QPushButton::clicked, this, [this] { sendCurrent(true); });
    connect(m_sendEdit, &QLineEdit::returnPressed, this, [this] { sendCurrent(false); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SourcesPanel::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &SourcesPanel::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SourcesPanel::updateActions);
    // The details box is only useful with a current source: take the first one that arrives.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first) {
        if (!m_view->selectionModel()->currentIndex().isValid())
            m_view->selectionModel()->setCurrentIndex(m_model->index(first, 0), QItemSelectionModel::NoUpdate);
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft) {
                if (topLeft.column() == SourceListModel::NameColumn)
                    updateActions(); // a row changed (state), not the ticker
            });
    setFocusProxy(m_urlEdit);
    updateActions();
}

SourcesPanel::~SourcesPanel() = default;

QString SourcesPanel::errorText() const
{
    return m_errorLabel->text();
}

void SourcesPanel::showError(const QString &message)
{
    m_errorLabel->setText(message);
    m_errorLabel->setVisible(!message.isEmpty());
}

bool SourcesPanel::buildConfig(TransportConfig *config, QString *error) const
{
    const QString text = m_urlEdit->text().trimmed();
    if (text.isEmpty()) {
        *error = tr("Enter a URL such as http://localhost:8080/events or ws://localhost:8080/ws");
        return false;
    }
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || !(isHttpScheme(scheme) || isWsScheme(scheme))) {
        *error = tr("\"%1\" is not an http://, https://, ws:// or wss:// URL").arg(text);
        return false;
    }
    const QString transport = m_transportBox->currentData().toString();
    if (transport == QLatin1String("websocket") && !isWsScheme(scheme)) {
        *error = tr("The websocket transport needs a ws:// or wss:// URL");
        return false;
    }
    if ((transport == QLatin1String("sse") || transport == QLatin1String("lines")
         || transport == QLatin1String("ndjson"))
        && !isHttpScheme(scheme)) {
        *error = tr("The %1 transport needs an http:// or https:// URL").arg(transport);
        return false;
    }

    TransportConfig out;
    out.url = url;
    out.transportId = transport;
    const QStringList lines = m_headersEdit->toPlainText().split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        const QString name = colon > 0 ? line.left(colon).trimmed() : QString();
        if (name.isEmpty() || name.contains(QLatin1Char(' '))) {
            *error = tr("Header line %1 must look like \"Name: value\"").arg(i + 1);
            return false;
        }
        out.headers.append({name.toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    const QString body = m_bodyEdit->toPlainText();
    if (!body.isEmpty())
        out.body = body.toUtf8();
    out.insecureTls = m_insecureBox->isChecked();
    *config = out;
    return true;
}

void SourcesPanel::addFromInputs()
{
    TransportConfig config;
    QString error;
    if (!buildConfig(&config, &error)) {
        showError(error);
        return;
    }
    const int row = m_model->addSource(config, &error);
    if (row < 0) {
        showError(error);
        return;
    }
    qCDebug(lcSourcesPanel) << "added" << config.effectiveSourceId();
    showError(QString());
    m_urlEdit->clear();
    m_view->selectRow(row);
    Q_EMIT sourceAdded(config.effectiveSourceId());
}

QList<int> SourcesPanel::selectedRows() const
{
    QList<int> rows;
    const QModelIndexList indexes = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : indexes)
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

int SourcesPanel::currentRow() const
{
    const QList<int> rows = selectedRows();
    return rows.size() == 1 ? rows.first() : -1;
}

void SourcesPanel::reconnectSelected()
{
    for (const int row : selectedRows())
        m_model->reconnectSource(row);
}

void SourcesPanel::removeSelected()
{
    const QList<int> rows = selectedRows();
    for (auto it = rows.crbegin(); it != rows.crend(); ++it)
        m_model->removeSource(*it);
    updateActions();
}

void SourcesPanel::sendCurrent(bool binary)
{
    Transport *transport = m_model->transportAt(currentRow());
    if (!transport || !transport->isDuplex())
        return;
    QByteArray payload;
    if (binary) {
        QByteArray hex = m_sendEdit->text().toLatin1();
        hex.replace(' ', QByteArray());
        const bool valid = hex.size() % 2 == 0
            && std::all_of(hex.cbegin(), hex.cend(), [](char c) { return std::isxdigit(uchar(c)); });
        if (!valid) {
            showError(tr("Binary messages are hex bytes, e.g. \"01 ff 7a\""));
            return;
        }
        payload = QByteArray::fromHex(hex);
    } else {
        payload = m_sendEdit->text().toUtf8();
    }
    if (!transport->send(payload, binary)) {
        showError(tr("Not sent: %1 is not open").arg(transport->sourceId()));
        return;
    }
    showError(QString());
    m_sendEdit->clear();
}

void SourcesPanel::updateActions()
{
    const int selected = currentRow();
    m_details->setRow(selected >= 0 ? selected : m_view->selectionModel()->currentIndex().row());
    const bool hasSelection = !selectedRows().isEmpty();
    m_reconnectAction->setEnabled(hasSelection);
    m_removeAction->setEnabled(hasSelection);
    const Transport *transport = m_model->transportAt(currentRow());
    const bool duplex = transport && transport->isDuplex();
    m_sendEdit->setEnabled(duplex);
    m_sendTextButton->setEnabled(duplex);
    m_sendBinaryButton->setEnabled(duplex);
}
