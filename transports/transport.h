#pragma once

#include "backoff.h"
#include "liveness/heartbeat_monitor.h"
#include "liveness/liveness.h"
#include "stream_event.h"
#include "transport_config.h"
#include "transport_error.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <memory>

/// A source of StreamEvents: how bytes arrive (HTTP body, WebSocket messages) and how they are cut
/// into events. Lives on the thread that created it; all signals are emitted on that thread.
///
/// Lifecycle: Idle → open() → Connecting → Open ⇄ Reconnecting → Closed.
/// A terminal failure is errorOccurred(retryable=false) followed by Closed; a drop that will be
/// retried is errorOccurred(retryable=true) followed by Reconnecting and reconnectScheduled().
class QTimer;

class Transport : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Open, Reconnecting, Closed };
    Q_ENUM(State)

    explicit Transport(QObject *parent = nullptr);
    ~Transport() override;

    /// Called by the owner (GUI thread or headless runner) once; returns at once and emits
    /// stateChanged(Connecting). Calling it again restarts with the new configuration.
    virtual void open(const TransportConfig &config) = 0;
    /// Idempotent. Aborts any request, cancels timers; after it returns nothing more is emitted
    /// except stateChanged(Closed) (once).
    virtual void close() = 0;
    /// User action: skip a pending retry wait, or drop the current connection and connect again
    /// at once (resuming where the protocol allows, e.g. SSE Last-Event-ID). The attempt count
    /// starts again at 1, so a failure right after waits the short first delay, not the long one
    /// the old count had reached. No-op when Closed or Idle.
    void reconnectNow();
    /// Duplex transports only: send a text or binary message. False when unsupported or not open.
    virtual bool send(const QByteArray &payload, bool binary);
    virtual bool isDuplex() const { return false; }

    State state() const { return m_state; }
    const TransportConfig &config() const { return m_config; }
    QString sourceId() const { return m_sourceId; }
    /// True once the transport gave up because of an error (not when the user closed it, and
    /// not when the server asked it to stop, e.g. SSE 204).
    bool hasFailed() const { return m_failed; }
    /// Why the transport closed without failing (e.g. "HTTP 204 No Content: server asked to stop").
    QString stopReason() const { return m_stopReason; }
    /// The last error reported, retryable or not; empty after a successful open.
    const std::optional<TransportError> &lastError() const { return m_lastError; }
    /// Epoch ms when the pending reconnect fires; 0 when none is pending.
    qint64 nextRetryAtMs() const { return m_nextRetryAtMs; }
    /// Wire protocol actually in use ("HTTP/1.1", "HTTP/2", "WebSocket (v5.channel.k8s.io)").
    QString protocolInfo() const { return m_protocolInfo; }
    /// Total events delivered so far (Data + Error).
    quint64 eventCount() const { return m_seq; }
    /// The registry id that describes what is actually spoken: config().transportId, except that
    /// "http" (auto) reports "sse", "ndjson" or "lines" once a response has chosen.
    virtual QString effectiveTransportId() const;

    /// How alive the current connection looks (liveness.h). Valid in every state; `stalled` is
    /// only ever true while Open.
    Liveness liveness() const;
    /// "stalled for 45 s (usually every 15 s)" while stalled, else empty.
    QString stallText() const;

    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(Transport::State state);
    /// Always a batch, in arrival order; never empty.
    void eventsReceived(const QList<StreamEvent> &events);
    void errorOccurred(const TransportError &error);
    /// A reconnect will be attempted in `delayMs`. `attempt` counts from 1 since open(), the
    /// last healthy connection (one that stayed open Backoff::HealthyConnectionMs) or the last
    /// user reconnect.
    void reconnectScheduled(int delayMs, int attempt, const QString &reason);
    /// The open connection went silent for several of its usual intervals (stalled = true, text
    /// as stallText()), or data flows again (stalled = false, text "resumed after 47 s of
    /// silence"). Never emitted for a connection that is not Open.
    void stallChanged(bool stalled, const QString &text);
    /// Something the user should read that is neither an error nor a state change, e.g. a
    /// multi-stream source's per-stream news ("following default/web-1/main", "pod default/web-1
    /// deleted", "synced: 12 pods"). Headless prints it on stderr as "<source>: <text>".
    void notice(const QString &text);

protected:
    /// Subclasses call this at the start of open(): stores the config, resets failure state,
    /// the backoff and the liveness watch.
    void beginOpen(const TransportConfig &config);
    void setState(State state); ///< emits only on change
    /// A new event of this source; Data and Error events take the next sequence number.
    /// `receivedMs` 0 reads the clock; decoders pass one reading per network read.
    StreamEvent makeEvent(StreamEvent::Kind kind, QByteArray type, QByteArray id,
                          QByteArray payload, QString detail = {}, qint64 receivedMs = 0);
    /// The running sequence number, for decoders that stamp events themselves (BodyDecoder).
    quint64 *sequenceCounter() { return &m_seq; }
    /// `User-Agent` every transport sends: "livedash/<version>".
    static QByteArray userAgent();
    /// Emits eventsReceived(batch) unless empty or closed; clears the batch.
    void deliver(QList<StreamEvent> &batch);
    /// Records the error (and the failed flag when not retryable) and emits errorOccurred.
    void reportError(const TransportError &error);
    void clearLastError() { m_lastError.reset(); }
    void markStopped(const QString &reason);
    void setProtocolInfo(const QString &info) { m_protocolInfo = info; }
    /// For transports (and test doubles) that schedule retries themselves.
    void setNextRetryAt(qint64 epochMs) { m_nextRetryAtMs = epochMs; }

    // --- Reconnect policy, shared by every transport (backoff.h) --------------------------
    /// Starts one connection attempt (request, handshake). Called by the retry timer and by
    /// reconnectNow(); the subclass tears down what is left of the previous attempt first.
    virtual void startConnection() = 0;
    /// Drops the current connection at once without any signal (the subclass disconnects and
    /// aborts its reply or socket). Called before a timeout-driven reconnect.
    virtual void abortConnection() = 0;
    /// The current connection reached Open: starts the open clock, the heartbeat monitor and the
    /// idle watch, stops the connect timer. Call before setState(Open).
    void connectionOpened();
    /// The peer sent something (body bytes, a frame, a pong). Cheap; call on every read.
    void noteActivity();
    /// The connection ended (any reason): stops the idle watch, decides whether the connection
    /// was healthy (Backoff::isHealthyConnection) and resets the attempt count if so.
    void connectionEnded();
    /// After connectionEnded(): reports errorOccurred(Network, retryable), switches to
    /// Reconnecting and starts the retry timer with Backoff's delay (`serverRetryMs` is the SSE
    /// `retry:` value). With config.reconnect off this is a terminal failure instead.
    /// Returns false when the transport is closed meanwhile (from a slot) or failed.
    bool scheduleReconnect(const QString &reason, std::optional<qint64> serverRetryMs = std::nullopt);
    /// Stops the retry, connect and liveness timers (close(), fail()).
    void stopTimers();
    /// reconnectNow() bookkeeping: the user asked, so the next attempt is attempt 1 again.
    void resetBackoff() { m_backoff.reset(); }
    /// Starts the connect-and-headers timer (config.connectTimeoutMs); stopped by
    /// connectionOpened() or stopTimers(). On expiry: abortConnection() + scheduleReconnect().
    void startConnectTimer();
    void stopConnectTimer();
    /// Why the last connection ended ("server closed the stream"); what the next Gap tells.
    QString dropReason() const { return m_dropReason; }
    bool hadDrop() const { return m_hadDrop; }
    /// The first batch after a re-open starts with this Gap event (empty when there was no drop);
    /// consumes the drop. `resumeNote` is appended ("resumed from id 17").
    std::optional<StreamEvent> takeGapEvent(const QByteArray &id = {}, const QString &resumeNote = {});
    bool isReconnectAttempt() const { return m_isReconnect; }
    bool hasEverOpened() const { return m_everOpened; }
    Backoff &backoff() { return m_backoff; }

private:
    void handleLivenessTick();
    void handleConnectTimeout();
    void updateLivenessTimer();

    State m_state = State::Idle;
    TransportConfig m_config;
    QString m_sourceId;
    quint64 m_seq = 0;
    bool m_failed = false;
    QString m_stopReason;
    std::optional<TransportError> m_lastError;
    qint64 m_nextRetryAtMs = 0;
    QString m_protocolInfo;

    Backoff m_backoff;
    QTimer *m_retryTimer;
    QTimer *m_connectTimer;
    QTimer *m_livenessTimer;
    QElapsedTimer m_openClock;     ///< runs while a connection is open
    bool m_connectionOpen = false;
    bool m_everOpened = false;
    bool m_isReconnect = false;    ///< the next attempt is a reconnect
    bool m_hadDrop = false;        ///< the next Open starts with a Gap event
    QString m_dropReason;
    HeartbeatMonitor m_heartbeat;
    qint64 m_lastActivityMono = 0; ///< monotonic ms of the last activity
    qint64 m_lastActivityEpochMs = 0;
    bool m_stalled = false;
};

/// Maps a transport id ("sse", "lines", "ndjson", "http", "websocket") to a factory.
/// Built-ins are registered explicitly by registerBuiltinTransports(), called from app/ and tests.
class TransportRegistry
{
public:
    using Factory = std::function<std::unique_ptr<Transport>(QObject *parent)>;

    void add(const QString &id, const QString &description, Factory factory);
    bool contains(const QString &id) const;
    QStringList ids() const;
    QString description(const QString &id) const;
    /// nullptr for an unknown id.
    std::unique_ptr<Transport> create(const QString &id, QObject *parent = nullptr) const;

    /// "websocket" for ws/wss, "http" (media type decides) for http/https, "k8s" for k8s:, empty otherwise.
    static QString defaultIdForUrl(const QUrl &url);

private:
    struct Entry
    {
        QString id;
        QString description;
        Factory factory;
    };
    QList<Entry> m_entries;
};

/// Registers sse, lines, ndjson, http and websocket.
void registerBuiltinTransports(TransportRegistry &registry);
