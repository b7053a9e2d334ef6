#include "websocket_terminal_backend.h"

#include "redaction.h"

#include "http/http_headers.h"
#include "text/printable.h"
#include "text/utf8.h"

#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QSslError>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

Q_LOGGING_CATEGORY(lcWsTerminal, "dash.transport.wsterminal")

namespace {

QString closeText(int code, const QString &reason)
{
    return reason.isEmpty() ? QString::number(code)
                            : QString::number(code) % QLatin1Char(' ') % Printable::escaped(reason);
}

/// Qt 6.4 reports a rejected handshake only as text: "... Unhandled http status code: 404 (Not Found)."
QString handshakeStatusText(const QString &errorString)
{
    static const QRegularExpression re(QStringLiteral("status code:?\\s*(\\d{3})(?:\\s*\\(([^)]*)\\))?"),
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = re.match(errorString);
    if (!match.hasMatch())
        return {};
    const QString phrase = match.captured(2).trimmed();
    return phrase.isEmpty() ? QStringLiteral("HTTP %1").arg(match.captured(1))
                            : QStringLiteral("HTTP %1 %2").arg(match.captured(1), phrase);
}

} // namespace

WebSocketTerminalBackend::WebSocketTerminalBackend(const TransportConfig &config,
                                                   const WebSocketTerminalOptions &options,
                                                   QObject *parent)
    : TerminalBackend(parent), m_config(config), m_options(options)
{
    m_connectTimer.setSingleShot(true);
    connect(&m_pingTimer, &QTimer::timeout, this, &WebSocketTerminalBackend::handlePingTimer);
    connect(&m_connectTimer, &QTimer::timeout, this, &WebSocketTerminalBackend::handleConnectTimeout);
}

WebSocketTerminalBackend::~WebSocketTerminalBackend()
{
    teardown();
}

QByteArray WebSocketTerminalBackend::translateEnter(const QByteArray &bytes, WebSocketTerminalOptions::Enter enter)
{
    if (enter == WebSocketTerminalOptions::Enter::Cr || !bytes.contains('\r'))
        return bytes;
    QByteArray out;
    out.reserve(bytes.size() + bytes.count('\r'));
    for (const char c : bytes) {
        if (c != '\r')
            out += c;
        else if (enter == WebSocketTerminalOptions::Enter::Lf)
            out += '\n';
        else
            out += "\r\n";
    }
    return out;
}

QByteArray WebSocketTerminalBackend::localEchoOf(const QByteArray &bytes)
{
    QByteArray out;
    out.reserve(bytes.size() + 8);
    for (const char c : bytes) {
        if (c == '\r')
            out += "\r\n";
        else if (c == '\x7f')
            out += "\b \b";
        else
            out += c;
    }
    return out;
}

bool WebSocketTerminalBackend::sendsText() const
{
    switch (m_options.frames) {
    case WebSocketTerminalOptions::Frames::Binary: return false;
    case WebSocketTerminalOptions::Frames::Text: return true;
    case WebSocketTerminalOptions::Frames::Auto: return m_lastReceivedText;
    }
    return false;
}

QString WebSocketTerminalBackend::title() const
{
    return redactedUrl(m_config.url);
}

QString WebSocketTerminalBackend::reconnectHint() const
{
    return QStringLiteral("reconnect opens a new connection");
}

void WebSocketTerminalBackend::open(int columns, int rows)
{
    Q_UNUSED(columns);
    Q_UNUSED(rows);
    if (state() == State::Connecting || state() == State::Open)
        return;
    teardown();
    m_connected = false;
    m_closeFrameSeen = false;
    m_awaitingPong = false;
    m_lastReceivedText = false;
    m_subprotocol.clear();
    m_socketError.clear();
    m_sslErrors.clear();
    setState(State::Connecting);

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    if (m_config.maxLineBytes > 0) {
        m_socket->setMaxAllowedIncomingMessageSize(quint64(m_config.maxLineBytes));
        m_socket->setMaxAllowedIncomingFrameSize(quint64(m_config.maxLineBytes));
    }
    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::connected, this, &WebSocketTerminalBackend::handleConnected);
    connect(socket, &QWebSocket::disconnected, this, &WebSocketTerminalBackend::handleDisconnected);
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            &WebSocketTerminalBackend::handleError);
    connect(socket, &QWebSocket::aboutToClose, this, [this] { m_closeFrameSeen = true; });
    connect(socket, &QWebSocket::pong, this, [this] { m_awaitingPong = false; });
    connect(socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (!m_socket)
            return;
        if (m_config.insecureTls) {
            // Only here does it stick: QSslSocket::connectToHostEncrypted() resets an earlier
            // ignoreSslErrors() (Qt 6.4), see WebSocketTransport.
            m_socket->ignoreSslErrors();
            return;
        }
        QStringList texts;
        for (const QSslError &error : errors)
            texts.append(error.errorString());
        m_sslErrors = texts.join(QStringLiteral("; "));
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        if (state() != State::Open)
            return;
        m_lastReceivedText = true;
        m_awaitingPong = false;
        Q_EMIT output(text.toUtf8(), Stream::Stdout);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        if (state() != State::Open)
            return;
        m_lastReceivedText = false;
        m_awaitingPong = false;
        Q_EMIT output(data, Stream::Stdout);
    });

    QNetworkRequest request(m_config.url);
    request.setRawHeader("User-Agent", QByteArrayLiteral("livedash/" LIVEDASH_VERSION));
    for (const auto &header : std::as_const(m_config.headers))
        request.setRawHeader(header.first, header.second);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(m_config.subprotocols);
    qCDebug(lcWsTerminal).noquote() << "connecting" << redactedUrl(m_config.url)
                                    << HttpHeaders::forLog(m_config.headers, m_config.secretHeaders);
    if (m_config.connectTimeoutMs > 0)
        m_connectTimer.start(m_config.connectTimeoutMs);
    socket->open(request, handshake);
}

void WebSocketTerminalBackend::write(const QByteArray &bytes)
{
    if (state() != State::Open || !m_socket || bytes.isEmpty())
        return;
    if (m_options.localEcho)
        Q_EMIT output(localEchoOf(bytes), Stream::Stdout);
    const QByteArray payload = translateEnter(bytes, m_options.enter);
    if (sendsText())
        m_socket->sendTextMessage(QString::fromUtf8(Utf8::sanitized(payload)));
    else
        m_socket->sendBinaryMessage(payload);
}

void WebSocketTerminalBackend::resize(int columns, int rows)
{
    Q_UNUSED(columns);
    Q_UNUSED(rows);
}

void WebSocketTerminalBackend::close()
{
    if (state() == State::Idle || state() == State::Finished)
        return;
    if (m_socket && m_connected) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        disconnect(socket, nullptr, this, nullptr);
        socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("closed by user"));
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(2000, socket, &QObject::deleteLater); // a server that never answers the close
    }
    finish(TerminalExit::Kind::Closed, QStringLiteral("closed"));
}

void WebSocketTerminalBackend::teardown()
{
    m_pingTimer.stop();
    m_connectTimer.stop();
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

void WebSocketTerminalBackend::finish(TerminalExit::Kind kind, const QString &message)
{
    teardown();
    if (state() == State::Finished)
        return;
    if (kind != TerminalExit::Kind::Closed)
        qCInfo(lcWsTerminal).noquote() << redactedUrl(m_config.url) << message;
    setState(State::Finished);
    Q_EMIT finished(TerminalExit{kind, std::nullopt, message});
}

void WebSocketTerminalBackend::handleConnected()
{
    if (!m_socket)
        return;
    m_connectTimer.stop();
    m_connected = true;
    m_subprotocol = m_socket->subprotocol();
    setState(State::Open);
    Q_EMIT opened();
    if (!m_subprotocol.isEmpty())
        Q_EMIT notice(QStringLiteral("subprotocol %1").arg(Printable::escaped(m_subprotocol)));
    if (m_config.pingIntervalMs > 0)
        m_pingTimer.start(m_config.pingIntervalMs);
}

void WebSocketTerminalBackend::handleError()
{
    if (!m_socket)
        return;
    m_socketError = Printable::escaped(m_socket->errorString());
    // A failed handshake may not be followed by disconnected(): decide once this signal unwound.
    QMetaObject::invokeMethod(this, [this, socket = QPointer<QWebSocket>(m_socket)] {
        if (socket && socket == m_socket)
            handleDisconnected();
    }, Qt::QueuedConnection);
}

void WebSocketTerminalBackend::handleDisconnected()
{
    if (!m_socket)
        return;
    if (!m_connected) {
        const bool tls = !m_sslErrors.isEmpty() || m_socket->error() == QAbstractSocket::SslHandshakeFailedError;
        if (tls) {
            finish(TerminalExit::Kind::Failed, QStringLiteral("TLS handshake failed: %1")
                                                   .arg(m_sslErrors.isEmpty() ? m_socketError : m_sslErrors));
            return;
        }
        const QString status = handshakeStatusText(m_socketError);
        if (!status.isEmpty()) {
            finish(TerminalExit::Kind::Failed,
                   QStringLiteral("WebSocket handshake rejected: %1 (expected 101 Switching Protocols)").arg(status));
            return;
        }
        if (m_socket->error() == QAbstractSocket::ConnectionRefusedError) {
            finish(TerminalExit::Kind::Failed, QStringLiteral("connection refused"));
            return;
        }
        finish(TerminalExit::Kind::Failed, m_socketError.isEmpty() ? QStringLiteral("connection failed") : m_socketError);
        return;
    }
    const int code = m_closeFrameSeen ? int(m_socket->closeCode()) : 1006;
    const QString reason = m_closeFrameSeen ? m_socket->closeReason() : QString();
    if (m_closeFrameSeen && (code == 1000 || code == 1001)) {
        finish(TerminalExit::Kind::Exited, QStringLiteral("closed by server: %1").arg(closeText(code, reason)));
        return;
    }
    if (m_closeFrameSeen) {
        finish(TerminalExit::Kind::Dropped, QStringLiteral("closed by server: %1").arg(closeText(code, reason)));
        return;
    }
    finish(TerminalExit::Kind::Dropped,
           QStringLiteral("connection lost (1006 abnormal closure)%1")
               .arg(m_socketError.isEmpty() ? QString() : QStringLiteral(": ") + m_socketError));
}

void WebSocketTerminalBackend::handlePingTimer()
{
    if (!m_socket || state() != State::Open) {
        m_pingTimer.stop();
        return;
    }
    if (m_awaitingPong) {
        finish(TerminalExit::Kind::Dropped, QStringLiteral("connection lost: no pong for %1 s")
                                                .arg(m_config.pingIntervalMs / 1000.0));
        return;
    }
    m_awaitingPong = true;
    m_socket->ping();
}

void WebSocketTerminalBackend::handleConnectTimeout()
{
    if (!m_socket || m_connected)
        return;
    finish(TerminalExit::Kind::Failed, QStringLiteral("WebSocket handshake did not complete within %1 s")
                                           .arg(m_config.connectTimeoutMs / 1000.0));
}
