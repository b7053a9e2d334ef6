#pragma once

#include "fake_objects.h"
#include "fake_selectors.h"
#include "fake_table.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <deque>
#include <memory>

class DemoServer;
class FakeExecService;
struct FakeResource;
struct HttpRequest;
class HttpResponder;
class QTimer;

/// A fake Kubernetes API server inside the demo server, good enough for the real kubectl (get,
/// get -w, logs -f, logs --previous, custom resources) and for our own tests as their cluster.
/// Mounted by DemoServer on the prefixes /api, /apis, /version and /openapi (404).
///
/// Auth: every request needs `Authorization: Bearer <token()>` (a random 32-byte hex token made per
/// run), else 401 with a Status body. writeKubeconfig() writes a kubeconfig holding it (mode 0600).
///
/// Content: namespaces default and shop; node demo-node; deployment web (3 replicas, app=web) with
/// its replicaset web-<hash> and pods web-<hash>-<5>; statefulset db with pod db-0 (containers main
/// and metrics, init container init-schema); pod checkout-<hash>-<5> in shop; services; Events;
/// widgets (demo.livedash.io/v1). Logs: web JSON lines 5/s, checkout JSON 20/s, db-0 main text
/// 2/s, metrics text 1/s; every line has a kubelet timestamp with nanoseconds, and several share
/// one second (some even one exact timestamp). A pod "bench" in namespace "bench" has a
/// 1,000,000-line log (generated on demand, with or without follow) and a watch of pods in
/// namespace "bench" streams BenchWatchEvents MODIFIED events and ends (both with backpressure).
///
/// Life (LifePeriods): the deployment replaces a pod every replacePodMs (old one Terminating →
/// DELETED, new one Pending → ContainerCreating → Running), a container restarts every
/// restartContainerMs (restartCount+1, lastState.terminated, its previous log kept).
///
/// API: get/list/watch of every resource in FakeDiscovery::resources(), namespaced and across
/// namespaces; labelSelector/fieldSelector; limit/continue (HTTP 410 for a continue token older than
/// the history); resourceVersion is one global counter; watch from R replays the bounded history
/// after R or sends an in-stream ERROR 410 when R is older; BOOKMARKs with allowWatchBookmarks;
/// timeoutSeconds; sendInitialEvents streaming lists; Table output (also per watch event);
/// pods/{name}/log with follow, container, timestamps, tailLines, sinceSeconds, sinceTime (second
/// precision), previous, limitBytes. Only GET is served (others: 405).
///
/// exec, attach and portforward (pods/{name}/exec|attach|portforward) over WebSocket on the same
/// port, plain and TLS: exec runs a real local shell in a pty (as the current user, behind the
/// token and loopback), attach reaches a per-container process that prints, port-forward reaches
/// a small service on the pod's port 8080; see fake_exec_service.h. The bearer token may also come
/// as the subprotocol base64url.bearer.authorization.k8s.io.<token> on those upgrades.
///
/// Started lazily: the content is made and the timers start on the first Kubernetes request or
/// the first call that needs the state (resourceVersion(), podNames(), the pod controls,
/// setLifePeriods()), so a DemoServer that never serves Kubernetes pays nothing for it.
///
/// Single-threaded, child of its DemoServer; all timers are its or its responders' children.
class FakeCluster : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultHistoryLimit = 5000;
    static constexpr int MaxLogLinesPerContainer = 20'000;
    static constexpr int BenchLogLines = 1'000'000;
    static constexpr int BenchWatchEvents = 50'000;
    static constexpr int MaxEvents = 300;

    /// How fast the cluster lives; setLifePeriods() applies a new set at once.
    struct LifePeriods
    {
        int replacePodMs = 20'000;       ///< 0 = never
        int restartContainerMs = 45'000; ///< 0 = never
        int transitionMs = 1'000;        ///< Terminating → DELETED, Pending → ContainerCreating → Running
        int bookmarkMs = 5'000;          ///< BOOKMARK period on watches that allow them
    };

    /// Installs the prefix routes on `server` and becomes its child. The content and the life and
    /// log timers start lazily (see above; setLifePeriods / setLogRates slow or stop them).
    explicit FakeCluster(DemoServer *server);
    ~FakeCluster() override;

    /// The bearer token (for tests and the kubeconfig; never log it).
    QByteArray token() const { return m_token; }
    /// http://127.0.0.1:<demo server HTTP port>, or https://127.0.0.1:<HTTPS port> once
    /// setCertificateAuthority() was given the serving certificate and the server listens on TLS.
    QString serverUrl() const;
    /// The PEM certificate that verifies the demo server's TLS certificate (its own, when
    /// self-signed). With it, and DemoServer::listenTls() done, the kubeconfig points at HTTPS and
    /// carries it as certificate-authority-data. Needed for kubectl: client-go never sends
    /// credentials to an http:// server (kubernetes/kubectl#744), so over plain HTTP kubectl only
    /// works with setAuthRequired(false).
    void setCertificateAuthority(const QByteArray &pem) { m_caPem = pem; }
    /// Whether requests need the bearer token (default true).
    void setAuthRequired(bool required) { m_authRequired = required; }
    /// A kubeconfig with context "livedash-demo" (cluster server serverUrl(), this token, namespace default).
    QString kubeconfigYaml() const;
    /// Writes kubeconfigYaml() to `path` (empty: livedash-demo-<port>.kubeconfig in the user's
    /// runtime directory, XDG_RUNTIME_DIR, or the temp directory when there is none),
    /// creating it with mode 0600 before any byte is written. Returns the absolute path, or an
    /// empty string and `error` set.
    QString writeKubeconfig(const QString &path, QString *error = nullptr) const;
    /// The current global resourceVersion.
    qint64 resourceVersion() const;

    // ---- controls for tests ----
    /// Aborts every open watch and log stream mid-body.
    void cutStreams();
    /// When enabled, every stream opened from now on is aborted after a random 0.2..3 s (seeded).
    void cutStreamsRandomly(bool enabled, quint32 seed = 1);
    /// Forgets the watch history: a watch from any older resourceVersion gets ERROR 410, a continue
    /// token from before gets HTTP 410.
    void compactHistory();
    /// Like an API server restart: drops every connection (streams and pending), keeps the state.
    void restart();
    /// Accept requests but never answer (no head, no body) while set.
    void setSilent(bool silent);
    /// Restarts the life timers with these periods (0 = off).
    void setLifePeriods(const LifePeriods &periods);
    /// The periods in force.
    LifePeriods lifePeriods() const { return m_periods; }
    /// Multiplies every container's log rate (0 = no generated lines; 1 = the defaults).
    void setLogRates(double factor);
    /// Sets one container's generated rate in lines per second.
    bool setLogRate(const QString &pod, const QString &container, double linesPerSecond, const QString &ns = QString());
    /// Adds a Running pod with those containers (Text logs at 0 lines/s). False when it exists.
    bool addPod(const QString &name, const QStringList &containers = {QStringLiteral("main")},
                const QMap<QString, QString> &labels = {}, const QString &ns = QStringLiteral("default"));
    /// Deletes a pod at once (DELETED event; its follows end). Empty ns: any namespace.
    bool deletePod(const QString &name, const QString &ns = QString());
    /// Restarts one container now: restartCount+1, lastState.terminated, current log becomes previous.
    bool restartContainer(const QString &pod, const QString &container, const QString &ns = QString());
    /// Appends lines (without "\n") to a container's log, all stamped `epochNs`; follows get them.
    bool appendLogLines(const QString &pod, const QString &container, const QList<QByteArray> &lines,
                        qint64 epochNs, const QString &ns = QString());
    /// Names of the pods in `ns` (empty: all), sorted.
    QStringList podNames(const QString &ns = QString()) const;
    /// Watches and log streams currently open.
    int openStreams() const;
    /// Exec/attach subprotocols the server accepts, in its preference order (default: v5, v4,
    /// v4.base64, channel.k8s.io, base64.channel.k8s.io, none). {"v4.channel.k8s.io"} makes an
    /// API server from before v5 (protocols.md E1).
    void setExecProtocols(const QStringList &protocols);
    /// exec, attach and port-forward WebSockets open (or being upgraded).
    int openExecSessions() const;
    /// Drops every exec/attach/port-forward TCP connection without a close frame (restart() does too).
    void dropExecSessions();

Q_SIGNALS:
    /// A pod was added, changed or deleted (type ADDED/MODIFIED/DELETED).
    void podChanged(const QString &type, const QString &ns, const QString &name);

private:
    struct LogLine
    {
        qint64 ns = 0;     ///< epoch nanoseconds
        QByteArray text;   ///< without "\n"
    };
    struct ContainerLog
    {
        std::deque<LogLine> current;
        std::deque<LogLine> previous;
        bool hasPrevious = false;
        quint64 seq = 0;    ///< generated lines so far
        double due = 0;     ///< fractional lines owed by the generator
        qint64 lastNs = 0;
    };
    struct Change
    {
        qint64 rv = 0;
        QString resource;
        QByteArray type;
        QJsonObject object;
    };
    struct Watch
    {
        QPointer<HttpResponder> responder;
        QString resource;
        QString ns;
        FakeSelector selector;
        bool table = false;
        FakeTable::IncludeObject include = FakeTable::IncludeObject::Metadata;
    };
    struct Follow
    {
        QPointer<HttpResponder> responder;
        QString podKey;
        QString container;
        bool timestamps = false;
        qint64 bytesLeft = -1;   ///< limitBytes budget, -1 = unlimited
    };
    struct Target; // a parsed API path (fake_cluster.cpp)

    // fake_cluster.cpp: routing, auth, controls
    /// Seeds the content and starts the timers once. Const because the accessors call it: the
    /// lazily made content is not part of the observable state (it always exists when looked at).
    void ensureStarted() const;
    void handle(const HttpRequest &request, HttpResponder *responder);
    void trackStream(HttpResponder *responder);
    void sendJson(HttpResponder *responder, int status, const QJsonObject &object);
    void sendStatus(HttpResponder *responder, int code, const QString &reason, const QString &message);

    // fake_state.cpp: the object store, the history, the initial content
    void seed();
    void publish(const QString &resource, QByteArray type, QJsonObject object);
    void publishPod(const FakePod &pod, const QByteArray &type);
    void recordEvent(const FakePod &pod, const QString &type, const QString &reason, const QString &message,
                     qint64 timeMs = 0);
    void updateWorkloads();
    FakePod *findPod(const QString &name, const QString &ns);
    QString storeKey(const QJsonObject &object) const;
    QString newPodSuffix();

    // fake_watch.cpp: get, list, watch
    void serveResource(const HttpRequest &request, HttpResponder *responder, const FakeResource &resource,
                       const QString &ns, const QString &name);
    void serveList(const HttpRequest &request, HttpResponder *responder, const FakeResource &resource,
                   const QString &ns, const FakeSelector &selector);
    void serveWatch(const HttpRequest &request, HttpResponder *responder, const FakeResource &resource,
                    const QString &ns, const FakeSelector &selector);
    void serveBenchWatch(HttpResponder *responder);
    QList<QJsonObject> matching(const QString &resource, const QString &ns, const FakeSelector &selector) const;
    QByteArray watchEvent(const Watch &watch, const QByteArray &type, const QJsonObject &object) const;
    void notifyWatches(const Change &change);

    // fake_logs.cpp: pods/{name}/log and the generators
    void serveLog(const HttpRequest &request, HttpResponder *responder, const QString &ns, const QString &name);
    void serveBenchLog(HttpResponder *responder, bool timestamps);
    void generateLogs();
    void backfillLogs(const FakePod &pod, qint64 fromMs, qint64 toMs);
    void appendLine(const FakePod &pod, const FakeContainer &container, ContainerLog &log, LogLine line);
    QByteArray generatedLine(const FakePod &pod, const FakeContainer &container, quint64 seq) const;
    void endFollows(const QString &podKey, const QString &container = QString());
    QByteArray formatLine(const LogLine &line, bool timestamps) const;

    // fake_life.cpp: pod replacement and container restarts
    void replaceOnePod();
    void restartOneContainer();
    void doRestart(FakePod &pod, FakeContainer &container);
    void startPod(const QString &key);
    FakePod makeWebPod(bool running);

    DemoServer *m_server = nullptr;
    FakeExecService *m_exec = nullptr;
    QByteArray m_token;
    qint64 m_rv = 0;
    qint64 m_compactedRv = 0;    ///< watches from an RV below this get 410
    int m_historyLimit = DefaultHistoryLimit;
    std::deque<Change> m_history;
    QHash<QString, QMap<QString, QJsonObject>> m_store; ///< resource → "ns/name" → object
    QMap<QString, FakePod> m_pods;                      ///< "ns/name" → pod
    QHash<QString, ContainerLog> m_logs;                ///< "ns/pod/container" → log
    QList<std::shared_ptr<Watch>> m_watches;
    QList<std::shared_ptr<Follow>> m_follows;
    QList<QPointer<HttpResponder>> m_streams;           ///< every open stream (cutStreams)
    QList<QPointer<HttpResponder>> m_silenced;          ///< requests held by setSilent
    LifePeriods m_periods;
    double m_logFactor = 1.0;
    bool m_silent = false;
    bool m_started = false;
    bool m_authRequired = true;
    QByteArray m_caPem;
    bool m_randomCuts = false;
    QRandomGenerator m_cutRandom;
    QRandomGenerator m_random{0x4C44u};
    QString m_webRs = QStringLiteral("web-5d8f7c9b6d");
    qint64 m_startMs = 0;
    int m_ipCounter = 10;
    int m_eventCounter = 0;
    int m_restartTurn = 0;
    qint64 m_lastGenerateMs = 0;
    std::deque<QString> m_eventKeys;                    ///< store keys of Events, oldest first
    QTimer *m_logTimer = nullptr;
    QTimer *m_replaceTimer = nullptr;
    QTimer *m_restartTimer = nullptr;
};
