#pragma once

#include "stream_event.h"
#include "transport_config.h"
#include "transport_error.h"

#include <QObject>

#include <functional>
#include <memory>

/// A source of StreamEvents: how bytes arrive (HTTP body, WebSocket messages) and how they are cut
/// into events. Lives on the thread that created it; all signals are emitted on that thread.
///
/// Lifecycle: Idle → open() → Connecting → Open ⇄ Reconnecting → Closed.
/// A terminal failure is errorOccurred(retryable=false) followed by Closed; a drop that will be
/// retried is errorOccurred(retryable=true) followed by Reconnecting and reconnectScheduled().
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
    /// at once (resuming where the protocol allows, e.g. SSE Last-Event-ID).
    virtual void reconnectNow() = 0;
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

    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(Transport::State state);
    /// Always a batch, in arrival order; never empty.
    void eventsReceived(const QList<StreamEvent> &events);
    void errorOccurred(const TransportError &error);
    /// A reconnect will be attempted in `delayMs`. `attempt` counts from 1 since open() or the
    /// last healthy connection (one that delivered an event or stayed open 5 s; see backoff.h).
    void reconnectScheduled(int delayMs, int attempt, const QString &reason);

protected:
    /// Subclasses call this at the start of open(): stores the config, resets failure state.
    void beginOpen(const TransportConfig &config);
    void setState(State state); ///< emits only on change
    /// A new event of this source; Data and Error events take the next sequence number.
    StreamEvent makeEvent(StreamEvent::Kind kind, QByteArray type, QByteArray id,
                          QByteArray payload, QString detail = {});
    /// Emits eventsReceived(batch) unless empty or closed; clears the batch.
    void deliver(QList<StreamEvent> &batch);
    /// Records the error (and the failed flag when not retryable) and emits errorOccurred.
    void reportError(const TransportError &error);
    void clearLastError() { m_lastError.reset(); }
    void markStopped(const QString &reason) { m_stopReason = reason; }
    void setNextRetryAt(qint64 epochMs) { m_nextRetryAtMs = epochMs; }
    void setProtocolInfo(const QString &info) { m_protocolInfo = info; }

private:
    State m_state = State::Idle;
    TransportConfig m_config;
    QString m_sourceId;
    quint64 m_seq = 0;
    bool m_failed = false;
    QString m_stopReason;
    std::optional<TransportError> m_lastError;
    qint64 m_nextRetryAtMs = 0;
    QString m_protocolInfo;
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

    /// "websocket" for ws/wss, "http" (media type decides) for http/https, empty otherwise.
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
