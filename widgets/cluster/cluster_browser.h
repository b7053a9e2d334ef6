#pragma once

#include "api_resource.h"
#include "k8s_error.h"
#include "resource_change.h"

#include <QHash>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <optional>

class K8sEnvironment;
class QLabel;
class QModelIndex;
class QStandardItem;
class QStandardItemModel;
class QTreeView;
class Informer;
class ResourceTableView;

/// The cluster tree, Lens/k9s style:
///   context (kubeconfig; the current one bold, "(current)")
///     All namespaces → resource kinds
///     Cluster → cluster-scoped kinds (nodes, namespaces, ...)
///     <namespace> (listed live through a watch of namespaces) → resource kinds
/// Kinds come from the context's discovery (only what can be listed and watched): the common ones
/// first (pods, deployments, statefulsets, daemonsets, replicasets, jobs, services, events, ...),
/// then the rest grouped by API group (custom resources included). A context is loaded when it is
/// first expanded (discovery and the namespace watch are asynchronous: nothing blocks).
///
/// Activating a kind (double-click, Enter) opens its table: the browser creates a
/// ResourceTableView and emits resourceTableOpened(view) (the receiver docks and owns it); a table
/// already open for the same context, namespace and kind is emitted through
/// resourceTableFocusRequested(view) instead. openResourceTable() is emitted in both cases with
/// what was asked, for callers that build their own view.
class ClusterBrowser : public QWidget
{
    Q_OBJECT
public:
    /// Item roles of the tree's model.
    enum Role {
        NodeTypeRole = Qt::UserRole + 1, ///< int(NodeType)
        ContextRole,                     ///< QString
        NamespaceRole,                   ///< QString ("" = all namespaces / cluster-scoped)
        ResourceRole,                    ///< QString, ApiResource::qualifiedName() (kinds only)
    };
    enum class NodeType : quint8 { Context, AllNamespaces, Cluster, Namespace, Group, Kind, Message };

    explicit ClusterBrowser(K8sEnvironment *environment, QWidget *parent = nullptr);
    ~ClusterBrowser() override;

    QTreeView *tree() const { return m_tree; }
    QStandardItemModel *treeModel() const { return m_model; }
    /// The context item of `context`, or nullptr.
    QStandardItem *contextItem(const QString &context) const;
    /// Loads a context (discovery, namespaces) as expanding it does.
    void expandContext(const QString &context);
    /// Opens (or focuses) the table of `resourceName` (qualified or plural) in `namespaceName`.
    /// False when the context or the kind is unknown (discovery not loaded yet).
    bool openTable(const QString &context, const QString &namespaceName, const QString &resourceName);
    /// Registers a table built elsewhere (a dashboard's resource panel), so that activating its
    /// kind focuses it (resourceTableFocusRequested) instead of opening a second one.
    void adoptTable(ResourceTableView *view);
    /// The common kinds, in the order they are listed.
    static const QStringList &commonKinds();

Q_SIGNALS:
    void openResourceTable(const QString &context, const QString &namespaceName, const ApiResource &resource);
    /// A new, parentless table view; the receiver docks and owns it (deleted at once when nothing
    /// is connected).
    void resourceTableOpened(ResourceTableView *view);
    /// The table for that selection is already open: bring it to front.
    void resourceTableFocusRequested(ResourceTableView *view);

private:
    struct ContextState
    {
        bool loading = false;
        bool loaded = false;
        Informer *namespaces = nullptr;
    };

    void populateContexts();
    void handleExpanded(const QModelIndex &index);
    void handleActivated(const QModelIndex &index);
    void loadContext(QStandardItem *contextItem);
    void fillKinds(QStandardItem *parent, const QString &context, const QString &namespaceName, bool namespaced);
    void applyNamespaces(const QString &context, const ResourceBatch &batch);
    void setNamespaceStatus(const Informer *informer, const std::optional<K8sError> &error);
    QStandardItem *makeItem(const QString &text, NodeType type, const QString &context,
                            const QString &namespaceName = QString()) const;
    void setMessage(QStandardItem *parent, const QString &text);
    std::optional<ApiResource> resourceOf(const QString &context, const QString &name) const;

    K8sEnvironment *m_environment;
    QTreeView *m_tree = nullptr;
    QStandardItemModel *m_model = nullptr;
    QLabel *m_status = nullptr;
    QHash<QString, ContextState> m_contexts;
    QHash<QString, QPointer<ResourceTableView>> m_open; ///< "context|namespace|qualifiedName"
};
