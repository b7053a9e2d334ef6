#pragma once

#include "api_resource.h"
#include "informer.h"
#include "k8s_error.h"

#include <QPointer>
#include <QString>
#include <QWidget>

#include <optional>

class K8sClient;
class ObjectDetailsView;
class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QTableView;
class QTimer;
class QToolButton;
class ResourceFilterProxy;
class ResourceTableModel;

/// A live `kubectl get` of one resource kind in one namespace (or all): a filter box, the table
/// with the server's columns (sortable; AGE ticking once a second), a count ("12 pods", "3 of 12
/// pods" when filtered) and a status line (listing / watching / relisting after 410 / forbidden
/// with the server's message / error). Its Informer (Table mode, includeObject=Object, so rows
/// carry the whole object) starts at once; nothing blocks.
///
/// Actions (toolbar and row context menu) emit k8s: source URLs (log_source_url.h) for a log pane:
/// pods get "Follow logs" (every container) and "Follow logs of <container>" per container;
/// workloads (deployment, statefulset, daemonset, replicaset, job) get "Follow logs of its pods";
/// services with a selector get "Follow logs of its pods" by selector; every row gets "Show
/// details", which emits a ready ObjectDetailsView. Pods also get "Shell" (and "Shell in <container>"
/// when there are several), "Attach to <container>" (terminalRequested with a k8s:exec / k8s:attach
/// URL, terminal_source_url.h) and "Port forward…"; services with a selector get "Port forward…"
/// too (portForwardRequested: the receiver asks for the ports and resolves a service to a pod).
class ResourceTableView : public QWidget
{
    Q_OBJECT
public:
    /// `client` is the context's client (K8sEnvironment::client); `contextName` goes into the URLs.
    ResourceTableView(K8sClient *client, const QString &contextName, const QString &namespaceName,
                      const ApiResource &resource, QWidget *parent = nullptr);
    ~ResourceTableView() override;

    QString contextName() const { return m_context; }
    QString namespaceName() const { return m_namespace; }
    const ApiResource &resource() const { return m_resource; }
    /// "pods · default · livedash-demo": a title for the pane that docks it.
    QString title() const;

    ResourceTableModel *model() const { return m_model; }
    ResourceFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    QString statusText() const;
    QString countText() const;

    /// The actions for the row at `proxyRow` (what the context menu shows), owned by `parent`.
    QList<QAction *> actionsForRow(int proxyRow, QObject *parent);
    /// Selects the row of `key` ("namespace/name"); false when there is none.
    bool selectKey(const QString &key);

Q_SIGNALS:
    /// Follow logs: `sourceUrl` is a k8s:logs URL (see the class comment).
    void followLogsRequested(const QString &sourceUrl);
    /// Shell / Attach: `url` is a k8s:exec or k8s:attach URL for a terminal tab.
    void terminalRequested(const QString &url);
    /// Port forward…: the pod or service (`resourcePlural` "pods" or "services") and its object.
    void portForwardRequested(const QString &context, const QString &namespaceName, const QString &resourcePlural,
                              const QString &name, const QByteArray &objectJson);
    /// "Show details": a new, parentless view; the receiver docks and owns it (it is deleted at
    /// once when nothing is connected).
    void detailsViewOpened(ObjectDetailsView *view);

private:
    QWidget *buildToolbar();
    QWidget *buildTable();
    void connectInformer();
    void updateStatus();
    void updateCount();
    void updateActions();
    void showContextMenu(const QPoint &pos);
    void openDetails(int proxyRow);
    void followSelected();
    void shellSelected();
    int currentProxyRow() const;

    QPointer<K8sClient> m_client;
    QString m_context;
    QString m_namespace;
    ApiResource m_resource;
    ResourceTableModel *m_model = nullptr;
    ResourceFilterProxy *m_proxy = nullptr;
    Informer *m_informer = nullptr;
    QList<TableColumn> m_columns;     ///< the Informer's latest columns
    std::optional<K8sError> m_lastError; ///< since the last sync
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_status = nullptr;
    QToolButton *m_followButton = nullptr;
    QToolButton *m_shellButton = nullptr;
    QToolButton *m_detailsButton = nullptr;
    QTimer *m_ageTimer = nullptr;
};
