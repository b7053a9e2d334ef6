#pragma once

#include "terminal_backend.h"
#include "transport_config.h"

#include <QTimer>

class QWebSocket;

/// Send-side options of a plain WebSocket terminal (what users of websocketd, ttyd-like bridges
/// and serial bridges expect to choose).
struct WebSocketTerminalOptions
{
    enum class Frames { Auto, Binary, Text };
    enum class Enter { Cr, Lf, CrLf };
    /// Auto: binary frames until the server sends a text frame, then the frame type of the last
    /// message received (a text-only server gets text, a binary bridge gets binary).
    Frames frames = Frames::Auto;
    /// What a '\r' written by the terminal (the Enter key) is sent as.
    Enter enter = Enter::Cr;
    /// Show written bytes as output (CR → CRLF, DEL → "\b \b"), for servers that do not echo.
    bool localEcho = false;
};

/// A TerminalBackend on a plain ws:// or wss:// URL: raw bytes both ways, no channels, no size
/// protocol (resize() is a no-op: nothing tells such a server the size).
///
/// From TransportConfig it uses url, headers (sent as given; secrets never logged), subprotocols
/// (offered; the chosen one is in the opened() notice), insecureTls (handled in sslErrors, the
/// only place that works in Qt 6.4, as in WebSocketTransport), connectTimeoutMs (handshake
/// deadline), pingIntervalMs (keepalive; a ping without pong by the next ping = dead connection)
/// and maxLineBytes (largest message accepted; Qt closes with 1009 beyond it).
///
/// Signals: open() → opened() once the handshake completed (notice() names a negotiated
/// subprotocol) → output() per message received (text frames as their UTF-8, binary as is; and
/// the local echo) → finished() once:
/// - server close 1000/1001 → Exited (no exit code) "closed by server: 1000 bye";
/// - another close code, TCP loss (1006) or no pong → Dropped ("closed by server: 1011 ...",
///   "connection lost (1006 abnormal closure)", "connection lost: no pong for 30 s");
/// - handshake rejected (non-101), refused, timed out, TLS error → Failed with the reason;
/// - close() → Closed (a 1000 close frame is sent).
/// Peer texts (close reasons, errors) are escaped (Printable) before they are shown.
/// Single-threaded; the socket lives on the owner's thread. Reopening after finished() opens a
/// new connection.
class WebSocketTerminalBackend : public TerminalBackend
{
    Q_OBJECT
public:
    explicit WebSocketTerminalBackend(const TransportConfig &config,
                                      const WebSocketTerminalOptions &options = {},
                                      QObject *parent = nullptr);
    ~WebSocketTerminalBackend() override;

    void open(int columns, int rows) override;
    /// Translates '\r' per options.enter, echoes when options.localEcho, sends one message.
    void write(const QByteArray &bytes) override;
    void resize(int columns, int rows) override;
    void close() override;
    QString title() const override;
    QString reconnectHint() const override;

    const WebSocketTerminalOptions &options() const { return m_options; }
    void setOptions(const WebSocketTerminalOptions &options) { m_options = options; }
    /// Whether the next write() goes out as a text frame.
    bool sendsText() const;
    QString subprotocol() const { return m_subprotocol; }

    /// Pure helpers (tested on their own).
    static QByteArray translateEnter(const QByteArray &bytes, WebSocketTerminalOptions::Enter enter);
    static QByteArray localEchoOf(const QByteArray &bytes);

private:
    void teardown();
    void handleConnected();
    void handleError();
    void handleDisconnected();
    void handlePingTimer();
    void handleConnectTimeout();
    void finish(TerminalExit::Kind kind, const QString &message);

    TransportConfig m_config;
    WebSocketTerminalOptions m_options;
    QWebSocket *m_socket = nullptr;
    QTimer m_pingTimer;
    QTimer m_connectTimer;
    bool m_connected = false;
    bool m_closeFrameSeen = false;
    bool m_awaitingPong = false;
    bool m_lastReceivedText = false;
    QString m_subprotocol;
    QString m_socketError;
    QString m_sslErrors;
};
