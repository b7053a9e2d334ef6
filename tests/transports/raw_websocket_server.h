#pragma once

// A WebSocket "server" written on a bare QTcpServer (test code only): it completes the RFC 6455
// handshake itself and then does exactly what the test says, including things QWebSocketServer
// would never do (stay silent and swallow pings, drop TCP without a close frame, send masked or
// malformed frames, never answer the handshake at all). 127.0.0.1 only.

#include <QCryptographicHash>
#include <QHostAddress>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

class RawWebSocketServer : public QObject
{
    Q_OBJECT
public:
    enum class Handshake { Accept, Ignore, Status };

    explicit RawWebSocketServer(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                ++accepted;
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { handleRead(socket); });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }

    static QByteArray acceptFor(const QByteArray &key)
    {
        const QByteArray material = key + QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
        return QCryptographicHash::hash(material,
                                        QCryptographicHash::Sha1)
            .toBase64();
    }

    Handshake handshake = Handshake::Accept;
    QByteArray statusResponse;     ///< Handshake::Status: sent instead of 101
    QByteArray afterUpgrade;       ///< raw bytes sent right after the 101
    bool dropAfterUpgrade = false; ///< TCP FIN without a close frame
    int accepted = 0;              ///< TCP connections
    int connections = 0;           ///< completed handshakes
    QByteArray received;           ///< raw (masked) frames the client sent after the upgrade

private:
    void handleRead(QTcpSocket *socket)
    {
        if (socket->property("upgraded").toBool()) {
            received += socket->readAll(); // pings and messages are swallowed (and recorded)
            return;
        }
        const QByteArray request = socket->peek(8192);
        if (!request.contains("\r\n\r\n"))
            return;
        socket->readAll();
        if (handshake == Handshake::Ignore)
            return;
        if (handshake == Handshake::Status) {
            socket->write(statusResponse);
            socket->disconnectFromHost();
            return;
        }
        QByteArray key;
        for (const QByteArray &line : request.split('\n'))
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Accept: " + acceptFor(key) + "\r\n\r\n");
        socket->setProperty("upgraded", true);
        ++connections;
        if (!afterUpgrade.isEmpty())
            socket->write(afterUpgrade);
        if (dropAfterUpgrade) {
            socket->flush();
            socket->disconnectFromHost();
        }
    }

    QTcpServer m_server;
};
