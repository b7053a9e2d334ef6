#pragma once

#include "transport.h"

#include <QAbstractSocket>
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
/// - request = QNetworkRequest(url) + `User-Agent: livedash/<version>` + config.headers;
///   config.subprotocols are offered through QWebSocketHandshakeOptions and the negotiated one is
///   reported by protocolInfo() ("WebSocket (livedash.v1)").
/// - The handshake must complete within config.connectTimeoutMs, else the attempt is retried.
/// - Incoming messages larger than config.maxLineBytes make Qt close the connection with 1009;
///   that is reported as an Error event and a terminal error.
/// - Keepalive: a ping every config.pingIntervalMs (0 disables); when no pong has arrived by the
///   time the next ping is due, the connection is dropped ("no pong within N s") and re-opened.
///   Messages and pongs feed the liveness watch (idle timeout, stall detection).
/// - send() emits the message as a Sent event (type "text"/"binary") in arrival order, so the
///   log shows both directions.
///
/// What stops and what reconnects (the rule, also in the README):
/// - Handshake answered with a status other than 101: 5xx, 429 and 408 mean "not now" and are
///   retried with backoff (growing to the cap, since nothing opened); every other status (2xx,
///   3xx, 4xx) cannot heal by retrying and is terminal ("WebSocket handshake rejected: HTTP 404
///   Not Found").
/// - Server close 1000 → Closed without failure (stopReason() "closed by server: 1000 ...").
/// - 1002, 1003, 1007, 1008, 1009, 1010 → terminal error (the peer rejected what we are or send).
/// - 4000–4099 → terminal: LiveDash's convention for "do not reconnect" (an application code
///   range a server can use to say the session is over). So is every code the user listed in
///   config.finalCloseCodes.
/// - Any other code (1001, 1006 = TCP dropped without a close frame, 1011–1014, 3000–4999) →
///   errorOccurred(retryable) and a reconnect with the shared backoff (backoff.h): a server
///   that accepts and closes at once is retried with growing delays, never in a tight loop.
/// - TLS (wss://): verified unless config.insecureTls; a certificate or handshake error is
///   terminal (errorOccurred(Tls, retryable=false) naming the problem, then Closed).
/// Close reasons and every other peer text are escaped (Printable) before they are shown.
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
    /// Sends one text (UTF-8) or binary message; false unless Open.
    bool send(const QByteArray &payload, bool binary) override;
    bool isDuplex() const override { return true; }

    /// Test hook: the random source used for backoff jitter.
    void setRandomSource(Backoff::RandomSource random) { backoff().setRandomSource(std::move(random)); }

    /// Close codes after which the source stops (see the class comment).
    static bool isFinalCloseCode(int code, const QList<int> &userFinal);

protected:
    void startConnection() override;
    void abortConnection() override;

private:
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
    QTimer m_pingTimer;
    QList<StreamEvent> m_pending;
    bool m_flushPosted = false;
    bool m_connected = false;      ///< the current socket completed its handshake
    bool m_closeFrameSeen = false; ///< a close handshake happened on the current socket
    bool m_awaitingPong = false;
    bool m_warnedInsecure = false;
    QString m_socketError;
    QString m_sslErrors;
};
