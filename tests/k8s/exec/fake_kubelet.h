#pragma once

// Test-only stand-ins for the API server's exec/attach/port-forward WebSocket endpoints, on
// 127.0.0.1 with port 0.
//
// FakeKubelet: a QWebSocketServer that speaks v5/v4.channel.k8s.io (whichever of
// `protocols` the client offers first) and runs a scripted "command" from the request's
// command= items:
//   cat               echo stdin on stdout; v5 CLOSE → Success (under v4: runs until the client closes)
//   sh -c "exit N"    exit N (NonZeroExitCode)
//   stderr            "err" on stderr, then Success
//   stty size         waits for the first resize, answers "ROWS COLS\n"
//   big N             N bytes (a counting pattern) on stdout in 64 KiB messages, then Success
//   drop              "partial" on stdout, then the TCP connection is aborted (no status)
//   hang              nothing after the connected frame
//   fail              Failure "container is not running"
//   bash              Failure "executable file not found" when bashMissing, else like cat
//   sh                like cat
//   (attach)          like cat
// Port-forward (/portforward?ports=P): announces P on channels 0 and 1, then echoes every data
// message; when the port is in `refusedPorts` it sends an error text instead.
//
// RawK8sServer: a bare QTcpServer that completes the handshake with a chosen
// Sec-WebSocket-Protocol (or answers a status + body instead), can send raw frames, and then
// stays silent: it never answers pings.

#include <QCryptographicHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <QtEndian>

class FakeKubelet : public QObject
{
    Q_OBJECT
public:
    struct Session
    {
        QUrl url;                 ///< path and query of the request
        QByteArray authorization; ///< the Authorization header (if Qt passes it on)
        QString subprotocol;
        QList<QByteArray> received; ///< client messages, in order
        QPointer<QWebSocket> socket;
        bool resized = false;
    };

    explicit FakeKubelet(QObject *parent = nullptr)
        : QObject(parent)
        , m_server(QStringLiteral("fake-kubelet"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, &FakeKubelet::handleNewConnection);
    }

    bool listen(const QStringList &protocols = {QStringLiteral("v5.channel.k8s.io"), QStringLiteral("v4.channel.k8s.io")})
    {
        m_server.setSupportedSubprotocols(protocols);
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    void setProtocols(const QStringList &protocols) { m_server.setSupportedSubprotocols(protocols); }
    QUrl httpUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

    QList<Session> sessions;
    bool bashMissing = false;
    QList<quint16> refusedPorts;

    static QByteArray frame(int channel, const QByteArray &payload) { return char(channel) + payload; }

    static QByteArray statusSuccess() { return QByteArrayLiteral("{\"metadata\":{},\"status\":\"Success\"}"); }
    static QByteArray statusExit(int code)
    {
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: "
               "error executing command [sh -c exit " + QByteArray::number(code) + "], exit code " + QByteArray::number(code)
               + "\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
               + QByteArray::number(code) + "\"}]}}";
    }
    static QByteArray statusFailure(const QByteArray &message)
    {
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + message + "\",\"reason\":\"InternalError\"}";
    }

private:
    void handleNewConnection()
    {
        while (QWebSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            const int index = int(sessions.size());
            Session s;
            s.url = socket->requestUrl();
            s.authorization = socket->request().rawHeader("Authorization");
            s.subprotocol = socket->subprotocol();
            s.socket = socket;
            sessions.append(s);
            connect(socket, &QWebSocket::binaryMessageReceived, this,
                    [this, index](const QByteArray &m) { handleMessage(index, m); });
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            start(index);
        }
    }

    QStringList command(int index) const
    {
        return QUrlQuery(sessions[index].url).allQueryItemValues(QStringLiteral("command"), QUrl::FullyDecoded);
    }
    bool isPortForward(int index) const { return sessions[index].url.path().endsWith(u"/portforward"); }

    void send(int index, int channel, const QByteArray &payload)
    {
        if (QWebSocket *socket = sessions[index].socket)
            socket->sendBinaryMessage(frame(channel, payload));
    }
    void finishWith(int index, const QByteArray &status)
    {
        send(index, 3, status);
        if (QWebSocket *socket = sessions[index].socket)
            socket->close();
    }

    void start(int index)
    {
        if (isPortForward(index)) {
            const quint16 port = quint16(QUrlQuery(sessions[index].url).queryItemValue(QStringLiteral("ports")).toInt());
            QByteArray prefix(2, '\0');
            qToLittleEndian(port, prefix.data());
            send(index, 0, prefix);
            send(index, 1, prefix);
            if (refusedPorts.contains(port)) {
                send(index, 1, "an error occurred forwarding " + QByteArray::number(port)
                                   + " -> " + QByteArray::number(port) + ": connection refused");
                if (QWebSocket *socket = sessions[index].socket)
                    socket->close();
            }
            return;
        }
        const QStringList argv = command(index);
        const bool tty = QUrlQuery(sessions[index].url).queryItemValue(QStringLiteral("tty")) == u"true";
        if (argv.value(0) == u"bash" && bashMissing) {
            finishWith(index, statusFailure("failed to exec in container: exec: \\\"bash\\\": executable file not found in $PATH"));
            return;
        }
        send(index, 1, QByteArray()); // connected
        if (argv.value(0) == u"sh" && argv.value(1) == u"-c" && argv.value(2).startsWith(u"exit ")) {
            const int code = argv.value(2).mid(5).toInt();
            finishWith(index, code == 0 ? statusSuccess() : statusExit(code));
        } else if (argv.value(0) == u"stderr") {
            send(index, tty ? 1 : 2, "err");
            finishWith(index, statusSuccess());
        } else if (argv.value(0) == u"big") {
            const qint64 total = argv.value(1).toLongLong();
            QByteArray chunk(64 * 1024, Qt::Uninitialized);
            qint64 sent = 0;
            while (sent < total) {
                const qint64 n = std::min<qint64>(chunk.size(), total - sent);
                for (qint64 i = 0; i < n; ++i)
                    chunk[i] = char((sent + i) % 251);
                send(index, 1, chunk.left(n));
                sent += n;
            }
            finishWith(index, statusSuccess());
        } else if (argv.value(0) == u"drop") {
            send(index, 1, "partial");
            if (QWebSocket *socket = sessions[index].socket) {
                socket->flush();
                socket->abort();
            }
        } else if (argv.value(0) == u"fail") {
            finishWith(index, statusFailure("container is not running"));
        }
    }

    void handleMessage(int index, const QByteArray &message)
    {
        Session &s = sessions[index];
        s.received.append(message);
        if (isPortForward(index)) {
            if (message.startsWith('\0'))
                send(index, 0, message.mid(1));
            return;
        }
        const QStringList argv = command(index);
        if (message.startsWith('\x04')) {
            const bool first = !s.resized;
            s.resized = true;
            if (first && argv == QStringList{QStringLiteral("stty"), QStringLiteral("size")}) {
                const QByteArray json = message.mid(1);
                const int w = json.mid(json.indexOf("\"Width\":") + 8).split(',').value(0).toInt();
                const int h = json.mid(json.indexOf("\"Height\":") + 9).split('}').value(0).toInt();
                send(index, 1, QByteArray::number(h) + ' ' + QByteArray::number(w) + '\n');
                finishWith(index, statusSuccess());
            }
            return;
        }
        if (message == QByteArray("\xff\x00", 2)) {
            send(index, 1, "stdin closed\n");
            finishWith(index, statusSuccess());
            return;
        }
        if (message.startsWith('\0'))
            send(index, 1, message.mid(1)); // cat, sh, bash, attach
    }

    QWebSocketServer m_server;
};

class RawK8sServer : public QObject
{
    Q_OBJECT
public:
    explicit RawK8sServer(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { handleRead(socket); });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl httpUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

    /// Server frame (unmasked, FIN, binary).
    static QByteArray binaryFrame(const QByteArray &payload)
    {
        QByteArray f;
        f.append(char(0x82));
        if (payload.size() < 126) {
            f.append(char(payload.size()));
        } else {
            f.append(char(126));
            f.append(char((payload.size() >> 8) & 0xff));
            f.append(char(payload.size() & 0xff));
        }
        return f + payload;
    }

    QByteArray protocol = "v5.channel.k8s.io"; ///< echoed in Sec-WebSocket-Protocol (empty: none)
    QByteArray statusResponse;   ///< when set: sent instead of 101 (to every request)
    QByteArray afterUpgrade;     ///< raw frames sent right after the 101
    int upgrades = 0;
    int requests = 0;
    QList<QByteArray> requestHeads;
    QByteArray received;         ///< raw client bytes after the upgrade (pings included)

private:
    void handleRead(QTcpSocket *socket)
    {
        if (socket->property("upgraded").toBool()) {
            received += socket->readAll();
            return;
        }
        const QByteArray head = socket->peek(16384);
        if (!head.contains("\r\n\r\n"))
            return;
        socket->read(head.indexOf("\r\n\r\n") + 4);
        ++requests;
        requestHeads.append(head.left(head.indexOf("\r\n\r\n")));
        if (!statusResponse.isEmpty()) {
            socket->write(statusResponse);
            socket->disconnectFromHost();
            return;
        }
        QByteArray key;
        for (const QByteArray &line : head.split('\n'))
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        const QByteArray accept = QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                                           QCryptographicHash::Sha1).toBase64();
        QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: " + accept + "\r\n";
        if (!protocol.isEmpty())
            response += "Sec-WebSocket-Protocol: " + protocol + "\r\n";
        socket->write(response + "\r\n");
        socket->setProperty("upgraded", true);
        ++upgrades;
        if (!afterUpgrade.isEmpty())
            socket->write(afterUpgrade);
    }

    QTcpServer m_server;
};
