#include "cluster_browser.h"

#include "informer.h"
#include "informer_status.h"
#include "k8s_client.h"
#include "k8s_discovery.h"
#include "k8s_environment.h"
#include "printable.h"
#include "resource_change.h"
#include "resource_table_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QMetaMethod>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace {

ApiResource namespacesResource()
{
    ApiResource r;
    r.version = QStringLiteral("v1");
    r.plural = QStringLiteral("namespaces");
    r.singular = QStringLiteral("namespace");
    r.kind = QStringLiteral("Namespace");
    r.namespaced = false;
    r.verbs = {QStringLiteral("list"), QStringLiteral("watch")};
    return r;
}

bool isBrowsable(const ApiResource &r)
{
    return r.isValid() && !r.plural.contains(u'/') && r.can(QStringLiteral("list")) && r.can(QStringLiteral("watch"));
}

} // namespace

ClusterBrowser::ClusterBrowser(K8sEnvironment *environment, QWidget *parent)
    : QWidget(parent), m_environment(environment), m_model(new QStandardItemModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("clusterTree"));
    m_tree->setModel(m_model);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setExpandsOnDoubleClick(true);
    layout->addWidget(m_tree, 1);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->hide();
    layout->addWidget(m_status);

    connect(m_tree, &QTreeView::expanded, this, &ClusterBrowser::handleExpanded);
    connect(m_tree, &QTreeView::activated, this, &ClusterBrowser::handleActivated);
    populateContexts();
}

ClusterBrowser::~ClusterBrowser() = default;

const QStringList &ClusterBrowser::commonKinds()
{
    static const QStringList kinds = {
        QStringLiteral("pods"), QStringLiteral("deployments.apps"), QStringLiteral("statefulsets.apps"),
        QStringLiteral("daemonsets.apps"), QStringLiteral("replicasets.apps"), QStringLiteral("jobs.batch"),
        QStringLiteral("cronjobs.batch"), QStringLiteral("services"), QStringLiteral("configmaps"),
        QStringLiteral("events"), QStringLiteral("nodes"), QStringLiteral("namespaces"),
        QStringLiteral("persistentvolumeclaims"), QStringLiteral("persistentvolumes")};
    return kinds;
}

QStandardItem *ClusterBrowser::makeItem(const QString &text, NodeType type, const QString &context,
                                        const QString &namespaceName) const
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    item->setData(int(type), NodeTypeRole);
    item->setData(context, ContextRole);
    item->setData(namespaceName, NamespaceRole);
    return item;
}

void ClusterBrowser::setMessage(QStandardItem *parent, const QString &text)
{
    parent->removeRows(0, parent->rowCount());
    QStandardItem *message = makeItem(text, NodeType::Message, parent->data(ContextRole).toString());
    message->setSelectable(false);
    message->setForeground(QColor(120, 120, 120));
    parent->appendRow(message);
}

void ClusterBrowser::populateContexts()
{
    K8sError error;
    const Kubeconfig *config = m_environment ? m_environment->kubeconfig(&error) : nullptr;
    if (!config) {
        m_status->setText(tr("No kubeconfig: %1").arg(error.message));
        m_status->show();
        return;
    }
    const QString current = config->currentContext();
    for (const QString &name : config->contextNames()) {
        QStandardItem *item = makeItem(name == current ? tr("%1 (current)").arg(name) : name, NodeType::Context, name);
        if (name == current) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
        }
        setMessage(item, tr("loading\u2026"));
        m_model->appendRow(item);
    }
    if (config->contextNames().isEmpty()) {
        m_status->setText(tr("The kubeconfig names no context."));
        m_status->show();
    }
}

QStandardItem *ClusterBrowser::contextItem(const QString &context) const
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        QStandardItem *item = m_model->item(row);
        if (item->data(ContextRole).toString() == context)
            return item;
    }
    return nullptr;
}

void ClusterBrowser::expandContext(const QString &context)
{
    if (QStandardItem *item = contextItem(context)) {
        m_tree->expand(item->index());
        loadContext(item);
    }
}

void ClusterBrowser::handleExpanded(const QModelIndex &index)
{
    QStandardItem *item = m_model->itemFromIndex(index);
    if (!item)
        return;
    const auto type = NodeType(item->data(NodeTypeRole).toInt());
    if (type == NodeType::Context) {
        loadContext(item);
    } else if (type == NodeType::Namespace && item->rowCount() == 1
               && NodeType(item->child(0)->data(NodeTypeRole).toInt()) == NodeType::Message) {
        item->removeRows(0, 1);
        fillKinds(item, item->data(ContextRole).toString(), item->data(NamespaceRole).toString(), true);
    }
}

void ClusterBrowser::loadContext(QStandardItem *item)
{
    const QString context = item->data(ContextRole).toString();
    ContextState &state = m_contexts[context];
    if (state.loading || state.loaded)
        return;
    K8sError error;
    K8sClient *client = m_environment->client(context, &error);
    if (!client) {
        setMessage(item, tr("cannot use this context: %1").arg(error.message));
        return;
    }
    state.loading = true;
    K8sDiscovery *discovery = m_environment->discovery(client);
    discovery->whenReady(this, [this, context, client](const std::optional<K8sError> &failure) {
        ContextState &s = m_contexts[context];
        s.loading = false;
        QStandardItem *ctx = contextItem(context);
        if (!ctx)
            return;
        if (failure) {
            setMessage(ctx, tr("discovery failed: %1").arg(failure->message));
            return;
        }
        s.loaded = true;
        ctx->removeRows(0, ctx->rowCount());
        QStandardItem *all = makeItem(tr("All namespaces"), NodeType::AllNamespaces, context);
        fillKinds(all, context, QString(), true);
        ctx->appendRow(all);
        QStandardItem *cluster = makeItem(tr("Cluster"), NodeType::Cluster, context);
        fillKinds(cluster, context, QString(), false);
        ctx->appendRow(cluster);
        const auto ns = resourceOf(context, QStringLiteral("namespaces"));
        s.namespaces = new Informer(client, ns.value_or(namespacesResource()), QString(), {}, this);
        s.namespaces->setObjectName(QStringLiteral("namespaceInformer"));
        Informer *informer = s.namespaces;
        connect(informer, &Informer::changes, this,
                [this, context](const QList<WatchChange> &changes) { applyNamespaces(context, resourceBatchFrom(changes)); });
        connect(informer, &Informer::errorOccurred, this,
                [this, informer](const K8sError &watchError) { setNamespaceStatus(informer, watchError); });
        connect(informer, &Informer::synced, this, [this, informer] { setNamespaceStatus(informer, std::nullopt); });
        s.namespaces->start();
    });
}

void ClusterBrowser::setNamespaceStatus(const Informer *informer, const std::optional<K8sError> &error)
{
    const bool problem = informerStatusIsProblem(Informer::State::Failed, error);
    m_status->setText(problem ? tr("namespaces: %1").arg(informerStatusText(informer->state(), QString(), error)) : QString());
    m_status->setVisible(problem);
}

std::optional<ApiResource> ClusterBrowser::resourceOf(const QString &context, const QString &name) const
{
    K8sError error;
    K8sClient *client = m_environment->client(context, &error);
    if (!client)
        return std::nullopt;
    K8sDiscovery *discovery = m_environment->discovery(client);
    if (!discovery->isReady())
        return std::nullopt;
    for (const ApiResource &r : discovery->resources()) {
        if (r.qualifiedName() == name)
            return r;
    }
    QString message;
    return discovery->find(name, &message);
}

void ClusterBrowser::fillKinds(QStandardItem *parent, const QString &context, const QString &namespaceName, bool namespaced)
{
    K8sError error;
    K8sClient *client = m_environment->client(context, &error);
    if (!client)
        return;
    const QList<ApiResource> &resources = m_environment->discovery(client)->resources();
    QHash<QString, const ApiResource *> byName;
    for (const ApiResource &r : resources) {
        if (isBrowsable(r) && r.namespaced == namespaced && !byName.contains(r.qualifiedName()))
            byName.insert(r.qualifiedName(), &r);
    }
    auto kindItem = [&](const ApiResource &r) {
        QStandardItem *item = makeItem(r.plural, NodeType::Kind, context, namespaceName);
        item->setData(r.qualifiedName(), ResourceRole);
        item->setToolTip(r.kind + QStringLiteral(" (") + r.groupVersion() + u')');
        return item;
    };
    for (const QString &name : commonKinds()) {
        if (const ApiResource *r = byName.take(name))
            parent->appendRow(kindItem(*r));
    }
    QMap<QString, QList<const ApiResource *>> groups; // sorted by group
    for (const ApiResource *r : std::as_const(byName))
        groups[r->group.isEmpty() ? QStringLiteral("core") : r->group].append(r);
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        std::sort(it->begin(), it->end(), [](const ApiResource *a, const ApiResource *b) { return a->plural < b->plural; });
        QStandardItem *group = makeItem(it.key(), NodeType::Group, context, namespaceName);
        for (const ApiResource *r : std::as_const(*it))
            group->appendRow(kindItem(*r));
        parent->appendRow(group);
    }
}

void ClusterBrowser::applyNamespaces(const QString &context, const ResourceBatch &batch)
{
    QStandardItem *ctx = contextItem(context);
    if (!ctx)
        return;
    // Namespace items follow the two fixed entries, sorted by name.
    constexpr int FirstNamespaceRow = 2;
    QHash<QString, int> rowOf;
    for (int row = FirstNamespaceRow; row < ctx->rowCount(); ++row)
        rowOf.insert(ctx->child(row)->data(NamespaceRole).toString(), row);
    QSet<QString> listed;
    for (const ResourceChange &change : batch.changes) {
        const QString name = Printable::fromWire(change.object.name);
        if (change.type == ResourceChange::Type::Delete) {
            listed.remove(name);
            if (rowOf.contains(name)) {
                ctx->removeRow(rowOf.value(name));
                rowOf.clear();
                for (int row = FirstNamespaceRow; row < ctx->rowCount(); ++row)
                    rowOf.insert(ctx->child(row)->data(NamespaceRole).toString(), row);
            }
            continue;
        }
        listed.insert(name);
        if (rowOf.contains(name))
            continue;
        int row = FirstNamespaceRow;
        while (row < ctx->rowCount() && ctx->child(row)->data(NamespaceRole).toString() < name)
            ++row;
        QStandardItem *item = makeItem(name, NodeType::Namespace, context, name);
        setMessage(item, tr("loading\u2026"));
        ctx->insertRow(row, item);
        rowOf.clear();
        for (int r = FirstNamespaceRow; r < ctx->rowCount(); ++r)
            rowOf.insert(ctx->child(r)->data(NamespaceRole).toString(), r);
    }
    if (batch.replace) {
        for (int row = ctx->rowCount() - 1; row >= FirstNamespaceRow; --row) {
            if (!listed.contains(ctx->child(row)->data(NamespaceRole).toString()))
                ctx->removeRow(row);
        }
    }
}

void ClusterBrowser::handleActivated(const QModelIndex &index)
{
    QStandardItem *item = m_model->itemFromIndex(index);
    if (!item || NodeType(item->data(NodeTypeRole).toInt()) != NodeType::Kind)
        return;
    openTable(item->data(ContextRole).toString(), item->data(NamespaceRole).toString(), item->data(ResourceRole).toString());
}

bool ClusterBrowser::openTable(const QString &context, const QString &namespaceName, const QString &resourceName)
{
    const auto resource = resourceOf(context, resourceName);
    if (!resource)
        return false;
    K8sError error;
    K8sClient *client = m_environment->client(context, &error);
    if (!client)
        return false;
    const QString ns = resource->namespaced ? namespaceName : QString();
    Q_EMIT openResourceTable(context, ns, *resource);
    const QString key = context + u'|' + ns + u'|' + resource->qualifiedName();
    if (ResourceTableView *open = m_open.value(key)) {
        Q_EMIT resourceTableFocusRequested(open);
        return true;
    }
    if (!isSignalConnected(QMetaMethod::fromSignal(&ClusterBrowser::resourceTableOpened)))
        return true;
    auto *view = new ResourceTableView(client, context, ns, *resource);
    m_open.insert(key, view);
    Q_EMIT resourceTableOpened(view);
    return true;
}

void ClusterBrowser::adoptTable(ResourceTableView *view)
{
    if (!view)
        return;
    m_open.insert(view->contextName() + u'|' + view->namespaceName() + u'|' + view->resource().qualifiedName(), view);
}
