#include "http_responder.h"

#include "demo_logging.h"

#include <QTcpSocket>
#include <QTimer>

HttpResponder::HttpResponder(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_lingerTimer(new QTimer(this))
{
    m_lingerTimer->setSingleShot(true);
    m_lingerTimer->setInterval(LingerMs);
    connect(m_lingerTimer, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->abort();
    });
    if (!m_socket) {
        m_disconnected = true;
        return;
    }
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpResponder::handleDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpResponder::bytesWritten);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcDemo) << "connection error:" << m_socket->errorString();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            handleDisconnected();
    });
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        m_disconnected = true;
}

HttpResponder::~HttpResponder() = default;

bool HttpResponder::isConnected() const
{
    return !m_disconnected && !m_finished && m_socket
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 HttpResponder::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void HttpResponder::writeHead(int status, const QList<QPair<QByteArray, QByteArray>> &headers,
                              Framing framing, qint64 contentLength)
{
    if (!isConnected() || m_headWritten)
        return;
    m_headWritten = true;
    m_framing = framing;
    m_bodyAllowed = !(status < 200 || status == 204 || status == 304);

    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &header : headers)
        head += header.first + ": " + header.second + "\r\n";
    if (m_bodyAllowed) {
        if (framing == Framing::Chunked)
            head += "Transfer-Encoding: chunked\r\n";
        else if (framing == Framing::ContentLength)
            head += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    }
    head += "Connection: close\r\n\r\n";
    queue(head);
}

void HttpResponder::write(const QByteArray &bytes)
{
    if (!isConnected() || bytes.isEmpty() || !m_bodyAllowed)
        return;
    if (!m_headWritten)
        writeHead(200);
    if (m_framing == Framing::Chunked)
        queue(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
    else
        queue(bytes);
}

void HttpResponder::writeRaw(const QByteArray &bytes)
{
    if (!isConnected() || bytes.isEmpty())
        return;
    queue(bytes);
}

void HttpResponder::end()
{
    if (!isConnected())
        return;
    if (!m_headWritten)
        writeHead(200, {}, Framing::ContentLength, 0);
    if (m_framing == Framing::Chunked && m_bodyAllowed)
        queue("0\r\n\r\n");
    if (!isConnected())
        return;
    m_finished = true;
    m_lingerTimer->start();
    m_socket->disconnectFromHost();
}

void HttpResponder::abort()
{
    if (!isConnected())
        return;
    m_finished = true;
    m_socket->flush();
    m_socket->abort();
    handleDisconnected();
}

void HttpResponder::respond(int status, const QByteArray &contentType, const QByteArray &body,
                            const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    QList<QPair<QByteArray, QByteArray>> headers = extraHeaders;
    if (!contentType.isEmpty())
        headers.prepend({"Content-Type", contentType});
    writeHead(status, headers, Framing::ContentLength, body.size());
    write(body);
    end();
}

void HttpResponder::queue(const QByteArray &bytes)
{
    m_socket->write(bytes);
    if (m_socket->bytesToWrite() > MaxPendingBytes) {
        qCWarning(lcDemo) << "client stopped reading; dropping the connection with"
                          << m_socket->bytesToWrite() << "bytes pending";
        abort();
    }
}

void HttpResponder::noteReceived(const QByteArray &bytes)
{
    if (!m_keptAll)
        return;
    if (m_received.size() + bytes.size() > MaxKeptBytes) {
        m_keptAll = false;
        m_received.clear();
        return;
    }
    m_received += bytes;
}

QTcpSocket *HttpResponder::takeSocket()
{
    if (!isConnected() || m_headWritten || !m_keptAll)
        return nullptr;
    QTcpSocket *socket = m_socket;
    // Every connection whose receiver or context is this responder: ours and HttpServer's
    // readyRead handler (it must not read the bytes we put back).
    socket->disconnect(this);
    m_socket = nullptr;
    m_finished = true;
    socket->setParent(nullptr);
    // ungetChar() pushes one byte to the front of the read buffer: the last byte first.
    for (qsizetype i = m_received.size() - 1; i >= 0; --i)
        socket->ungetChar(m_received.at(i));
    m_received.clear();
    handleDisconnected();
    return socket;
}

void HttpResponder::handleDisconnected()
{
    if (m_disconnected)
        return;
    m_disconnected = true;
    m_lingerTimer->stop();
    Q_EMIT disconnected();
    deleteLater();
}

QByteArray HttpResponder::reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}
