#pragma once

#include "api_resource.h"
#include "k8s_error.h"
#include "resource_change.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class K8sClient;
class QNetworkReply;
class QTimer;
class WatchDecoder;

/// List-then-watch of one resource kind for a view, as ResourceBatches: the LIST (a Table when
/// asked, with the server's columns; `includeObject=Object` so rows carry the whole object) is one
/// batch with replace set; then every readyRead of the watch (also a Table per event) is one batch.
/// A 410 (in-stream ERROR or HTTP) relists; a clean end of the watch re-watches from the last
/// resourceVersion; other failures back off (1 s doubling to 30 s) and relist; 403 stops with the
/// server's message (RBAC does not change by retrying).
///
/// This is the view-side driver until the shared Informer (transports/k8s/watch/informer.h) lands;
/// it speaks the same protocol (protocols.md 2.3) in its simplest form (no paging, no streaming list).
///
/// Threading: GUI thread; all I/O is asynchronous through K8sClient (nothing blocks).
class ResourceFeed : public QObject
{
    Q_OBJECT
public:
    enum class State : quint8 { Idle, Listing, Watching, Relisting, Forbidden, Failed };
    Q_ENUM(State)

    struct Options
    {
        QString labelSelector;
        QString fieldSelector;
        bool table = true; ///< ask for server-side Table rendering (kubectl columns)
    };

    /// `client` must outlive the feed or be destroyed with it (it is held by QPointer).
    ResourceFeed(K8sClient *client, const ApiResource &resource, const QString &namespaceName,
                 const Options &options, QObject *parent = nullptr);
    ~ResourceFeed() override;

    /// Starts listing; returns at once. Idempotent.
    void start();
    /// Aborts any request; no batchReady after it returns.
    void stop();

    State state() const { return m_state; }
    /// The status text of the current state ("watching", the 403 message, the error).
    QString stateText() const { return m_stateText; }
    const ApiResource &resource() const { return m_resource; }
    QString namespaceName() const { return m_namespace; }

    /// The Accept header of Table requests (what kubectl sends).
    static QByteArray tableAccept();

Q_SIGNALS:
    /// One LIST (replace set) or one read of the watch; never empty unless it is a LIST.
    void batchReady(const ResourceBatch &batch);
    void stateChanged(ResourceFeed::State state, const QString &text);

private:
    void list();
    void watch();
    void handleListFinished(QNetworkReply *reply);
    void handleWatchData(QNetworkReply *reply);
    void handleWatchFinished(QNetworkReply *reply);
    void fail(const K8sError &error);
    void retryLater(const QString &text);
    void setState(State state, const QString &text);
    void appendTable(QByteArrayView json, ResourceChange::Type type, ResourceBatch &batch);

    QPointer<K8sClient> m_client;
    ApiResource m_resource;
    QString m_namespace;
    Options m_options;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<WatchDecoder> m_decoder;
    QTimer *m_retryTimer = nullptr;
    QByteArray m_resourceVersion;
    QByteArray m_watchBody; ///< what a refused watch sent (for its error)
    State m_state = State::Idle;
    QString m_stateText;
    int m_failures = 0;
    bool m_running = false;
    bool m_watchFailed = false;
};
