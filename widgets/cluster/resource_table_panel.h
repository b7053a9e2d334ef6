#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QString>
#include <QWidget>

class K8sEnvironment;
class ObjectDetailsView;
class QLabel;
class QVBoxLayout;
class ResourceTableView;

/// The workspace panel of one resource table (dashboard kind "k8s-resources"): a holder for a
/// ResourceTableView that it either adopts (a table the ClusterBrowser opened) or builds itself
/// from saved settings once the context's discovery is loaded (a dashboard being opened: the
/// kind is not known before discovery answers, so "loading…" or the error shows until then).
///
/// Settings: {"context": name, "namespace": name ("" = all namespaces), "resource": plural or
/// plural.group}. The table's signals are passed on.
class ResourceTablePanel : public QWidget
{
    Q_OBJECT
public:
    /// The kind name in dashboard files.
    static constexpr char Kind[] = "k8s-resources";

    /// Adopts `view` (reparented).
    explicit ResourceTablePanel(ResourceTableView *view, QWidget *parent = nullptr);
    /// Builds its table from `settings` through `environment` (which must outlive the panel).
    ResourceTablePanel(K8sEnvironment *environment, const QJsonObject &settings, QWidget *parent = nullptr);
    ~ResourceTablePanel() override;

    /// The settings a dashboard stores (see the class comment).
    QJsonObject settings() const;
    /// nullptr until the table exists.
    ResourceTableView *view() const { return m_view; }
    /// The message shown while there is no table ("loading…", the discovery error).
    QString message() const;

Q_SIGNALS:
    /// The table exists (at once for an adopted one: emitted by nothing then).
    void viewReady(ResourceTableView *view);
    /// ResourceTableView::followLogsRequested, passed on.
    void followLogsRequested(const QString &sourceUrl);
    /// ResourceTableView::terminalRequested and portForwardRequested, passed on.
    void terminalRequested(const QString &url);
    void portForwardRequested(const QString &context, const QString &namespaceName, const QString &resourcePlural,
                              const QString &name, const QByteArray &objectJson);
    /// ResourceTableView::detailsViewOpened, passed on.
    void detailsViewOpened(ObjectDetailsView *view);

private:
    void adopt(ResourceTableView *view);
    void build(K8sEnvironment *environment);

    QVBoxLayout *m_layout;
    QLabel *m_message = nullptr;
    QPointer<ResourceTableView> m_view;
    QString m_context;
    QString m_namespace;
    QString m_resource;
};
