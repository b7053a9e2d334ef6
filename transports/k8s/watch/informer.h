#pragma once

#include "api_resource.h"
#include "k8s_error.h"
#include "list_watch_machine.h"
#include "table_decoder.h"
#include "watch_decoder.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

class K8sClient;
class QNetworkReply;
class QTimer;

/// What an Informer watches besides the resource and namespace. Plain value type.
struct InformerOptions
{
    QString labelSelector;  ///< e.g. "app=web,tier!=db" (empty: all)
    QString fieldSelector;  ///< e.g. "metadata.name=foo" (empty: all)
    /// Ask for server-side Tables (kubectl-get columns): every object then carries the row's cells
    /// (WatchObject::cells) and columnsChanged() gives the columns. A server that answers 406 or a
    /// plain list gets the NAME and AGE columns instead (cells: name, creationTimestamp).
    bool table = false;
    /// Table mode only: ask every row to carry the whole object (`includeObject=Object`) rather
    /// than the server's default (metadata only), so views can read e.g. a pod's containers.
    /// WatchObject::object is then the row's JSON ({"cells":[...],"object":{...}}).
    bool includeObject = false;
    /// Try a streaming list (WATCH sendInitialEvents=true) first; falls back to LIST+WATCH.
    bool streamingList = false;
    int pageSize = 500;     ///< LIST limit; pages are followed with `continue`
};

/// Keeps a live copy of one resource collection, the way client-go's informer does: LIST (in
/// pages) then WATCH, re-watching and relisting by the rules of ListWatchMachine (which it
/// drives: the machine decides, the Informer does the I/O and the timers). Requests go through
/// the K8sClient (credentials, TLS, stream connection pool).
///
/// Signals: changes() carries one batch per network read or per complete list, never empty;
/// synced(count) once per list (or at the streaming list's end marker); stateChanged() on every
/// state change; errorOccurred() for each failure (the informer keeps retrying: errors are
/// reports, not the end). 401: credentialRejected() on the client, then one retry of the same
/// request.
///
/// Threading: lives on the K8sClient's thread; everything happens there. Not copyable.
class Informer : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Listing, Watching, Waiting, Failed };
    Q_ENUM(State)

    /// `namespaceName` empty: all namespaces (or the cluster-scoped collection).
    Informer(K8sClient *client, const ApiResource &resource, const QString &namespaceName,
             InformerOptions options = {}, QObject *parent = nullptr);
    ~Informer() override;
    Q_DISABLE_COPY_MOVE(Informer)

    /// Starts (or restarts after stop()) listing and watching. Keeps the store across restarts.
    void start();
    /// Aborts any request and timer. Idempotent; no signal follows except stateChanged(Idle).
    void stop();

    State state() const { return m_state; }
    /// The current store (unordered).
    QList<WatchObject> objects() const;
    /// Table mode: the columns (kubectl's, or NAME/AGE after a fallback). Empty otherwise.
    QList<TableColumn> columns() const { return m_columns; }
    QByteArray resourceVersion() const { return m_machine.resourceVersion(); }
    const ListWatchMachine &machine() const { return m_machine; }

    static constexpr const char *TableAccept = "application/json;as=Table;g=meta.k8s.io;v=v1";

Q_SIGNALS:
    void changes(const QList<WatchChange> &batch);
    void synced(int objectCount);
    void stateChanged(Informer::State state);
    void errorOccurred(const K8sError &error);
    void columnsChanged(const QList<TableColumn> &columns);

private:
    void perform(const WatchAction &action);
    void apply(WatchStep step);
    void setState(State state);
    void requestList(const QByteArray &resourceVersion, const QByteArray &continueToken);
    void handleListFinished(QNetworkReply *reply);
    void requestWatch(const WatchAction &action);
    void handleWatchMetaData();
    void handleWatchReadyRead();
    void handleWatchFinished();
    void dropReply();
    bool retryAfterUnauthorized(const K8sError &error);
    void useFallbackColumns();
    void decorate(WatchObject &object) const;
    std::vector<WatchEvent> tableEvents(std::vector<WatchEvent> events);
    qint64 nowMs() const { return m_clock.elapsed(); }
    QByteArray accept() const;

    QPointer<K8sClient> m_client;
    ApiResource m_resource;
    QString m_namespace;
    InformerOptions m_options;
    ListWatchMachine m_machine;
    WatchDecoder m_decoder;
    State m_state = State::Idle;
    QElapsedTimer m_clock;
    QTimer *m_timer = nullptr;
    std::optional<WatchAction> m_pending;  ///< what m_timer starts
    std::optional<WatchAction> m_current;  ///< the request in flight (for a 401 retry)
    QPointer<QNetworkReply> m_reply;
    quint64 m_generation = 0;              ///< bumped per request; stale callbacks compare it
    bool m_authRetried = false;
    bool m_tableActive = false;            ///< asking for Tables (table option, no fallback yet)
    QList<TableColumn> m_columns;
    // LIST paging
    std::vector<WatchObject> m_listItems;
    QByteArray m_listResourceVersion;      ///< the RV the LIST asked for
    QByteArray m_listResultVersion;        ///< the RV the first page answered
    // WATCH
    bool m_watchOpen = false;              ///< 200 received
    qint64 m_watchStartMs = 0;
    qint64 m_watchEvents = 0;
    QByteArray m_errorBody;                ///< body of a refused WATCH
};
