#include "websocket_transport.h"

#include "redaction.h"

#include "http/http_headers.h"
#include "text/printable.h"
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
    return reason.isEmpty() ? QString::number(code)
                            : QString::number(code) % QLatin1Char(' ') % Printable::escaped(reason);
}

/// Handshake statuses that mean "not now" rather than "never".
bool isTransientHandshakeStatus(int status)
{
    return status >= 500 || status == 429 || status == 408;
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
    connect(&m_pingTimer, &QTimer::timeout, this, &WebSocketTransport::handlePingTimer);
}

WebSocketTransport::~WebSocketTransport()
{
    teardownSocket();
}

bool WebSocketTransport::isFinalCloseCode(int code, const QList<int> &userFinal)
{
    return (code >= 4000 && code <= 4099) || userFinal.contains(code);
}

void WebSocketTransport::open(const TransportConfig &config)
{
    teardownSocket();
    m_pingTimer.stop();
    m_pending.clear();
    beginOpen(config);
    setState(State::Connecting);
    if (config.insecureTls && config.url.scheme().compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0
        && !m_warnedInsecure) {
        m_warnedInsecure = true;
        qCWarning(lcWebSocket) << "TLS certificate verification is OFF for" << sourceId();
    }
    startConnection();
}

void WebSocketTransport::close()
{
    stopTimers();
    m_pingTimer.stop();
    teardownSocket();
    m_pending.clear();
    if (state() != State::Closed && state() != State::Idle)
        setState(State::Closed);
}

void WebSocketTransport::abortConnection()
{
    flushPending();
    m_pingTimer.stop();
    teardownSocket();
}

bool WebSocketTransport::send(const QByteArray &payload, bool binary)
{
    if (state() != State::Open || !m_socket)
        return false;
    bool ok = false;
    QByteArray sent = payload;
    if (binary) {
        ok = m_socket->sendBinaryMessage(payload) == payload.size();
    } else {
        const QString text = QString::fromUtf8(payload);
        sent = text.toUtf8();
        ok = m_socket->sendTextMessage(text) == sent.size();
    }
    if (ok) {
        // Listed with what arrived, in order: what is pending was received before this send.
        m_pending.append(makeEvent(StreamEvent::Kind::Sent, binary ? QByteArrayLiteral("binary")
                                                                   : QByteArrayLiteral("text"),
                                   {}, sent));
        flushPending();
    }
    return ok;
}

void WebSocketTransport::startConnection()
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
        if (generation == m_generation) {
            m_awaitingPong = false;
            noteActivity();
        }
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
    request.setRawHeader("User-Agent", userAgent());
    for (const auto &header : cfg.headers)
        request.setRawHeader(header.first, header.second);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(cfg.subprotocols);
    qCDebug(lcWebSocket).noquote() << "connecting" << redactedUrl(cfg.url)
                                   << HttpHeaders::forLog(cfg.headers, cfg.secretHeaders);
    startConnectTimer();
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
    connectionOpened();
    clearLastError();
    const QString subprotocol = m_socket->subprotocol();
    setProtocolInfo(subprotocol.isEmpty() ? QStringLiteral("WebSocket")
                                          : QStringLiteral("WebSocket (%1)").arg(subprotocol));
    setState(State::Open);
    if (state() != State::Open)
        return;
    if (std::optional<StreamEvent> gap = takeGapEvent()) {
        m_pending.prepend(*gap);
        flushPending();
    }
    if (config().pingIntervalMs > 0)
        m_pingTimer.start(config().pingIntervalMs);
}

void WebSocketTransport::handleSocketError(quint64 generation)
{
    if (generation != m_generation || !m_socket)
        return;
    m_socketError = Printable::escaped(m_socket->errorString());
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
        if (status != 0 && !isTransientHandshakeStatus(status)) {
            fail(TransportError{TransportError::Kind::HttpStatus,
                                QStringLiteral("WebSocket handshake rejected: %1 (expected 101 "
                                               "Switching Protocols)").arg(statusText),
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
    if (closeFrame && isFinalCloseCode(code, config().finalCloseCodes)) {
        fail(TransportError{TransportError::Kind::Protocol,
                            QStringLiteral("closed by server: %1 (a final close code: not reconnecting)")
                                .arg(closeText(code, reason)),
                            false, 0});
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
    noteActivity();
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
        abortConnection();
        drop(QStringLiteral("no pong within %1 s").arg(config().pingIntervalMs / 1000.0));
        return;
    }
    m_awaitingPong = true;
    m_socket->ping();
}

void WebSocketTransport::fail(const TransportError &error)
{
    qCWarning(lcWebSocket).noquote() << sourceId() << Printable::escaped(error.message);
    stopTimers();
    m_pingTimer.stop();
    teardownSocket();
    reportError(error);
    setState(State::Closed);
}

void WebSocketTransport::drop(const QString &reason)
{
    m_pingTimer.stop();
    scheduleReconnect(reason);
}
