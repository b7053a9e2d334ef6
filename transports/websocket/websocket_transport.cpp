#include "websocket_transport.h"

#include "redaction.h"

#include "http/http_headers.h"
#include "text/utf8.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSslError>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

Q_LOGGING_CATEGORY(lcWebSocket, "dash.transport.websocket")

namespace {

/// Close codes after which reconnecting cannot help: the peer rejected what we are or send.
bool isTerminalCloseCode(int code)
{
    switch (code) {
    case 1002: case 1003: case 1007: case 1008: case 1009: case 1010:
        return true;
    default:
        return false;
    }
}

/// Codes QWebSocket itself sends when incoming data breaks the protocol or a limit.
bool isLocalProtocolCloseCode(int code)
{
    return code == 1002 || code == 1007 || code == 1009;
}

QString closeText(int code, const QString &reason)
{
    return reason.isEmpty() ? QString::number(code) : QString::number(code) % QLatin1Char(' ') % reason;
}

/// Qt 6.4 reports a rejected handshake only as text: "... Unhandled http status code: 404 (Not Found)."
/// Returns the status (0 when the text has none) and stores the reason phrase.
int handshakeStatus(const QString &errorString, QString *reasonPhrase)
{
    static const QRegularExpression re(QStringLiteral("status code:?\\s*(\\d{3})(?:\\s*\\(([^)]*)\\))?"),
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = re.match(errorString);
    if (!match.hasMatch())
        return 0;
    *reasonPhrase = match.captured(2).trimmed();
    return match.captured(1).toInt();
}

} // namespace

WebSocketTransport::WebSocketTransport(QObject *parent)
    : Transport(parent)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &WebSocketTransport::connectSocket);
    connect(&m_pingTimer, &QTimer::timeout, this, &WebSocketTransport::handlePingTimer);
}

WebSocketTransport::~WebSocketTransport()
{
    teardownSocket();
}

void WebSocketTransport::open(const TransportConfig &config)
{
    teardownSocket();
    m_retryTimer.stop();
    m_pingTimer.stop();
    m_pending.clear();
    beginOpen(config);
    m_backoff.setPolicy(config.backoff);
    m_backoff.reset();
    m_hadDrop = false;
    m_everOpened = false;
    m_dropReason.clear();
    setProtocolInfo(QString());
    setState(State::Connecting);
    if (config.insecureTls && !m_warnedInsecure) {
        m_warnedInsecure = true;
        qCWarning(lcWebSocket) << "TLS certificate verification is OFF for" << sourceId();
    }
    connectSocket();
}

void WebSocketTransport::close()
{
    m_retryTimer.stop();
    m_pingTimer.stop();
    teardownSocket();
    m_pending.clear();
    if (state() != State::Closed && state() != State::Idle)
        setState(State::Closed);
}

void WebSocketTransport::reconnectNow()
{
    if (state() == State::Reconnecting) {
        m_retryTimer.stop();
        connectSocket();
    } else if (state() == State::Open || state() == State::Connecting) {
        flushPending();
        if (state() == State::Open) {
            m_backoff.connectionEnded(m_connectionEvents, m_openClock.elapsed());
            m_hadDrop = true;
            m_dropReason = QStringLiteral("reconnect requested");
        }
        m_pingTimer.stop();
        teardownSocket();
        if (m_hadDrop)
            setState(State::Reconnecting);
        connectSocket();
    }
}

bool WebSocketTransport::send(const QByteArray &payload, bool binary)
{
    if (state() != State::Open || !m_socket)
        return false;
    if (binary)
        return m_socket->sendBinaryMessage(payload) == payload.size();
    const QString text = QString::fromUtf8(payload);
    return m_socket->sendTextMessage(text) == text.toUtf8().size();
}

void WebSocketTransport::connectSocket()
{
    teardownSocket();
    const TransportConfig &cfg = config();
    const quint64 generation = ++m_generation;
    m_connected = false;
    m_closeFrameSeen = false;
    m_awaitingPong = false;
    m_socketError.clear();
    m_sslErrors.clear();

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    if (cfg.maxLineBytes > 0) {
        m_socket->setMaxAllowedIncomingMessageSize(quint64(cfg.maxLineBytes));
        m_socket->setMaxAllowedIncomingFrameSize(quint64(cfg.maxLineBytes));
    }

    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::connected, this, [this, generation] { handleConnected(generation); });
    connect(socket, &QWebSocket::disconnected, this, [this, generation] { handleDisconnected(generation); });
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, [this, generation] { handleSocketError(generation); });
    connect(socket, &QWebSocket::aboutToClose, this, [this, generation] {
        if (generation == m_generation)
            m_closeFrameSeen = true;
    });
    connect(socket, &QWebSocket::pong, this, [this, generation] {
        if (generation == m_generation)
            m_awaitingPong = false;
    });
    connect(socket, &QWebSocket::sslErrors, this, [this, generation](const QList<QSslError> &errors) {
        if (generation != m_generation || !m_socket)
            return;
        if (config().insecureTls) {
            // Must happen here: an ignoreSslErrors() before open() does not survive, because
            // QSslSocket::connectToHostEncrypted() resets its ignore-all flag (Qt 6.4).
            m_socket->ignoreSslErrors();
            return;
        }
        QStringList texts;
        for (const QSslError &error : errors)
            texts.append(error.errorString());
        m_sslErrors = texts.join(QStringLiteral("; "));
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, generation](const QString &text) {
        if (generation == m_generation)
            handleMessage(StreamEvent::Kind::Data, QByteArrayLiteral("text"), Utf8::sanitized(text.toUtf8()));
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, generation](const QByteArray &data) {
        if (generation == m_generation)
            handleMessage(StreamEvent::Kind::Data, QByteArrayLiteral("binary"), data);
    });

    QNetworkRequest request(cfg.url);
    for (const auto &header : cfg.headers)
        request.setRawHeader(header.first, header.second);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(cfg.subprotocols);
    qCDebug(lcWebSocket).noquote() << "connecting" << redactedUrl(cfg.url)
                                   << HttpHeaders::forLog(cfg.headers);
    socket->open(request, options);
}

void WebSocketTransport::teardownSocket()
{
    if (!m_socket)
        return;
    ++m_generation;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

void WebSocketTransport::handleConnected(quint64 generation)
{
    if (generation != m_generation || !m_socket)
        return;
    m_connected = true;
    m_everOpened = true;
    m_connectionEvents = 0;
    m_openClock.start(); // the attempt count is reset only when this connection proves healthy
    clearLastError();
    const QString subprotocol = m_socket->subprotocol();
    setProtocolInfo(subprotocol.isEmpty() ? QStringLiteral("WebSocket")
                                          : QStringLiteral("WebSocket (%1)").arg(subprotocol));
    setState(State::Open);
    if (m_hadDrop) {
        m_hadDrop = false;
        m_pending.prepend(makeEvent(StreamEvent::Kind::Gap, QByteArrayLiteral("gap"), {}, {},
                                    QStringLiteral("reconnected after: %1").arg(m_dropReason)));
        flushPending();
    }
    if (config().pingIntervalMs > 0)
        m_pingTimer.start(config().pingIntervalMs);
}

void WebSocketTransport::handleSocketError(quint64 generation)
{
    if (generation != m_generation || !m_socket)
        return;
    m_socketError = m_socket->errorString();
    // A failed handshake or refused connection may not be followed by disconnected(); decide
    // once the current signal has unwound (whichever of the two arrives first wins).
    QMetaObject::invokeMethod(this, [this, generation] { handleDisconnected(generation); },
                              Qt::QueuedConnection);
}

void WebSocketTransport::handleDisconnected(quint64 generation)
{
    if (generation != m_generation || !m_socket)
        return;
    flushPending();
    const bool wasConnected = m_connected;
    const bool closeFrame = m_closeFrameSeen;
    const int code = closeFrame ? int(m_socket->closeCode()) : 1006;
    const QString reason = closeFrame ? m_socket->closeReason() : QString();
    const QAbstractSocket::SocketError socketError = m_socket->error();
    m_pingTimer.stop();
    teardownSocket();

    if (!wasConnected) {
        QString phrase;
        const int status = handshakeStatus(m_socketError, &phrase);
        const QString statusText = phrase.isEmpty() ? QStringLiteral("HTTP %1").arg(status)
                                                    : QStringLiteral("HTTP %1 %2").arg(status).arg(phrase);
        if (!m_sslErrors.isEmpty() || socketError == QAbstractSocket::SslHandshakeFailedError) {
            fail(TransportError{TransportError::Kind::Tls,
                                QStringLiteral("TLS handshake failed: %1")
                                    .arg(m_sslErrors.isEmpty() ? m_socketError : m_sslErrors),
                                false, 0});
            return;
        }
        if (status >= 400 && status < 500) {
            fail(TransportError{TransportError::Kind::HttpStatus,
                                QStringLiteral("WebSocket handshake rejected: ") + statusText,
                                false, status});
            return;
        }
        QString message = m_socketError.isEmpty() ? QStringLiteral("connection failed") : m_socketError;
        if (socketError == QAbstractSocket::ConnectionRefusedError && status == 0)
            message = QStringLiteral("connection refused");
        drop(status ? QStringLiteral("WebSocket handshake failed: ") + statusText : message);
        return;
    }

    if (closeFrame && code == 1000) {
        markStopped(QStringLiteral("closed by server: %1").arg(closeText(code, reason)));
        setState(State::Closed);
        return;
    }
    if (closeFrame && isTerminalCloseCode(code)) {
        if (code == 1009) {
            QList<StreamEvent> batch{makeEvent(
                StreamEvent::Kind::Error, QByteArrayLiteral("error"), {}, {},
                QStringLiteral("message larger than the %1-byte limit; connection closed with 1009")
                    .arg(config().maxLineBytes))};
            deliver(batch);
        }
        const QString text = isLocalProtocolCloseCode(code)
            ? QStringLiteral("connection closed: %1").arg(closeText(code, reason))
            : QStringLiteral("closed by server: %1").arg(closeText(code, reason));
        fail(TransportError{code == 1009 ? TransportError::Kind::TooLarge
                                         : TransportError::Kind::Protocol,
                            text, false, 0});
        return;
    }
    if (closeFrame)
        drop(QStringLiteral("closed by server: %1").arg(closeText(code, reason)));
    else
        drop(QStringLiteral("connection lost (1006 abnormal closure)%1")
                 .arg(m_socketError.isEmpty() ? QString() : QStringLiteral(": ") + m_socketError));
}

void WebSocketTransport::handleMessage(StreamEvent::Kind kind, const QByteArray &type,
                                       QByteArray payload)
{
    if (state() != State::Open)
        return;
    ++m_connectionEvents;
    m_pending.append(makeEvent(kind, type, {}, std::move(payload)));
    if (!m_flushPosted) {
        m_flushPosted = true;
        QMetaObject::invokeMethod(this, &WebSocketTransport::flushPending, Qt::QueuedConnection);
    }
}

void WebSocketTransport::flushPending()
{
    m_flushPosted = false;
    deliver(m_pending);
}

void WebSocketTransport::handlePingTimer()
{
    if (!m_socket || state() != State::Open) {
        m_pingTimer.stop();
        return;
    }
    if (m_awaitingPong) {
        flushPending();
        m_pingTimer.stop();
        teardownSocket();
        drop(QStringLiteral("no pong within %1 s").arg(config().pingIntervalMs / 1000.0));
        return;
    }
    m_awaitingPong = true;
    m_socket->ping();
}

void WebSocketTransport::fail(const TransportError &error)
{
    qCWarning(lcWebSocket).noquote() << sourceId() << error.message;
    m_retryTimer.stop();
    m_pingTimer.stop();
    teardownSocket();
    reportError(error);
    setState(State::Closed);
}

void WebSocketTransport::drop(const QString &reason)
{
    if (!config().reconnect) {
        fail(TransportError{TransportError::Kind::Network, reason, false, 0});
        return;
    }
    qCInfo(lcWebSocket).noquote() << sourceId() << reason;
    if (m_connected) // the socket that just ended had reached Open
        m_backoff.connectionEnded(m_connectionEvents, m_openClock.elapsed());
    m_hadDrop = m_everOpened;
    m_dropReason = reason;
    reportError(TransportError{TransportError::Kind::Network, reason, true, 0});
    if (state() == State::Closed)
        return; // closed from a slot connected to errorOccurred
    const int attempt = m_backoff.attempt() + 1;
    const int delay = m_backoff.next(std::nullopt);
    setState(State::Reconnecting);
    setNextRetryAt(QDateTime::currentMSecsSinceEpoch() + delay);
    Q_EMIT reconnectScheduled(delay, attempt, reason);
    if (state() == State::Reconnecting)
        m_retryTimer.start(delay);
}
