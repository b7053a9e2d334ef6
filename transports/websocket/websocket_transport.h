#pragma once

#include "backoff.h"
#include "transport.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>

class QWebSocket;

/// WebSocket source (ws:// and wss://) on QWebSocket: text messages become Data events of type
/// "text" (UTF-8), binary messages Data events of type "binary" (raw bytes).
///
/// Threading: lives on the thread that created it; all signals are emitted there. Messages that
/// QWebSocket hands out during one socket read are delivered as one eventsReceived batch (posted
/// to the event loop once per read).
///
/// Connection policy:
/// - request = QNetworkRequest(url) + config.headers; config.subprotocols are offered through
///   QWebSocketHandshakeOptions and the negotiated one is reported by protocolInfo()
///   ("WebSocket (livedash.v1)").
/// - Incoming messages larger than config.maxLineBytes make Qt close the connection with 1009;
///   that is reported as an Error event and a terminal error.
/// - Keepalive: a ping every config.pingIntervalMs (0 disables); when no pong has arrived by the
///   time the next ping is due, the connection is dropped ("no pong within N s") and re-opened.
/// - Server close: 1000 → Closed without failure (stopReason() "closed by server: 1000 ...");
///   1002, 1003, 1007, 1008, 1009, 1010 → terminal error; any other code (1001, 1006 = TCP
///   dropped without a close frame, 1011–1014, 3000–4999) → errorOccurred(retryable) and a
///   reconnect with the configured backoff. Messages always carry code and reason
///   ("closed by server: 4001 bye").
/// - Backoff: the attempt count restarts at 1 only after a healthy connection (at least one
///   message, or open for Backoff::HealthyConnectionMs), so a server that accepts and closes at
///   once (e.g. 1001) is retried with growing delays, never in a tight loop.
/// - TLS (wss://): verified unless config.insecureTls; a certificate or handshake error is
///   terminal (errorOccurred(Tls, retryable=false) naming the problem, then Closed).
/// - Handshake answered with HTTP 4xx → terminal HttpStatus error; refused connection, 5xx and
///   other network errors → reconnect. A Gap event opens the first batch after a re-open.
class WebSocketTransport : public Transport
{
    Q_OBJECT
public:
    explicit WebSocketTransport(QObject *parent = nullptr);
    ~WebSocketTransport() override;

    /// Called by the owner; emits stateChanged(Connecting) and starts the handshake.
    void open(const TransportConfig &config) override;
    /// Idempotent: aborts the socket with its signals disconnected first, stops timers, emits
    /// stateChanged(Closed) once; nothing else is emitted afterwards.
    void close() override;
    /// Reconnecting: connects at once. Open or Connecting: drops the socket and connects again.
    void reconnectNow() override;
    /// Sends one text (UTF-8) or binary message; false unless Open.
    bool send(const QByteArray &payload, bool binary) override;
    bool isDuplex() const override { return true; }

    /// Test hook: the random source used for backoff jitter.
    void setRandomSource(Backoff::RandomSource random) { m_backoff.setRandomSource(std::move(random)); }

private:
    void connectSocket();
    void teardownSocket();
    void handleConnected(quint64 generation);
    void handleSocketError(quint64 generation);
    void handleDisconnected(quint64 generation);
    void handleMessage(StreamEvent::Kind kind, const QByteArray &type, QByteArray payload);
    void handlePingTimer();
    void flushPending();
    void fail(const TransportError &error);
    void drop(const QString &reason);

    QWebSocket *m_socket = nullptr;
    quint64 m_generation = 0;
    QTimer m_retryTimer;
    QTimer m_pingTimer;
    Backoff m_backoff;
    QList<StreamEvent> m_pending;
    bool m_flushPosted = false;
    bool m_connected = false;      ///< the current socket completed its handshake
    bool m_closeFrameSeen = false; ///< a close handshake happened on the current socket
    bool m_awaitingPong = false;
    bool m_hadDrop = false;        ///< next Open starts with a Gap event
    bool m_everOpened = false;     ///< reached Open at least once since open()
    bool m_warnedInsecure = false;
    quint64 m_connectionEvents = 0; ///< messages received on the current socket since Open
    QElapsedTimer m_openClock;      ///< started when the current socket reached Open
    QString m_socketError;
    QString m_sslErrors;
    QString m_dropReason;
};
