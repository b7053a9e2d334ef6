#pragma once

// Test-only helpers for the fake cluster's exec/attach/port-forward WebSockets: a minimal
// channel client on QWebSocket (deliberately not the product's client in transports/k8s/exec),
// a raw-socket upgrade request to see non-101 answers, and a count of this process's children.

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <utility>

namespace ExecTest {

struct Frame
{
    quint8 channel = 0;
    QByteArray payload;
};

/// "a=b&c=d" with every value percent-encoded (commands may contain '&', ';', spaces).
inline QByteArray query(const QList<std::pair<QByteArray, QString>> &items)
{
    QByteArray out;
    for (const auto &[key, value] : items) {
        if (!out.isEmpty())
            out += '&';
        out += key + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

/// exec/attach/portforward query for a command (argv), the usual flags.
inline QByteArray execQuery(const QStringList &argv, bool tty, bool stdinOpen = true, bool stderrOpen = true,
                            const QString &container = QString())
{
    QList<std::pair<QByteArray, QString>> items;
    for (const QString &arg : argv)
        items.append({"command", arg});
    if (!container.isEmpty())
        items.append({"container", container});
    items.append({"stdin", stdinOpen ? QStringLiteral("true") : QStringLiteral("false")});
    items.append({"stdout", QStringLiteral("true")});
    items.append({"stderr", stderrOpen && !tty ? QStringLiteral("true") : QStringLiteral("false")});
    items.append({"tty", tty ? QStringLiteral("true") : QStringLiteral("false")});
    return query(items);
}

class Client
{
public:
    /// Opens `url` (ws:// or wss://) with the token and the offered subprotocols.
    Client(const QUrl &url, const QByteArray &token, const QStringList &protocols, const QSslConfiguration *tls = nullptr)
    {
        if (tls)
            m_socket.setSslConfiguration(*tls);
        QObject::connect(&m_socket, &QWebSocket::connected, &m_socket, [this] {
            m_connected = true;
            if (m_onConnected)
                m_onConnected();
        });
        QObject::connect(&m_socket, &QWebSocket::disconnected, &m_socket, [this] { m_disconnected = true; });
        QObject::connect(&m_socket, &QWebSocket::binaryMessageReceived, &m_socket, [this](const QByteArray &message) {
            if (!message.isEmpty())
                m_frames.append({quint8(message.at(0)), message.mid(1)});
        });
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket, [this](const QString &text) {
            const QByteArray message = text.toLatin1();
            if (!message.isEmpty())
                m_frames.append({quint8(message.at(0) - '0'), QByteArray::fromBase64(message.mid(1))});
        });
        QNetworkRequest request(url);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        QWebSocketHandshakeOptions options;
        options.setSubprotocols(protocols);
        m_socket.open(request, options);
    }

    /// Runs `f` as soon as the socket is connected (before any message is read).
    void onConnected(std::function<void()> f) { m_onConnected = std::move(f); }
    bool waitConnected(int ms = 5000)
    {
        QElapsedTimer t;
        t.start();
        while (!m_connected && !m_disconnected && t.elapsed() < ms)
            QTest::qWait(5);
        return m_connected;
    }
    bool waitDisconnected(int ms = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (!m_disconnected && t.elapsed() < ms)
            QTest::qWait(5);
        return m_disconnected;
    }
    /// Waits until channel `channel` has received bytes containing `needle`.
    bool waitFor(quint8 channel, const QByteArray &needle, int ms = 5000)
    {
        QElapsedTimer t;
        t.start();
        while (!data(channel).contains(needle) && t.elapsed() < ms)
            QTest::qWait(5);
        return data(channel).contains(needle);
    }
    void send(quint8 channel, const QByteArray &payload)
    {
        m_socket.sendBinaryMessage(QByteArray(1, char(channel)) + payload);
    }
    void sendText(quint8 channel, const QByteArray &payload)
    {
        m_socket.sendTextMessage(QString::fromLatin1(char('0' + channel) + payload.toBase64()));
    }
    void resize(int columns, int rows)
    {
        send(4, "{\"Width\":" + QByteArray::number(columns) + ",\"Height\":" + QByteArray::number(rows) + '}');
    }
    QByteArray data(quint8 channel) const
    {
        QByteArray out;
        for (const Frame &f : m_frames) {
            if (f.channel == channel)
                out += f.payload;
        }
        return out;
    }
    const QList<Frame> &frames() const { return m_frames; }
    QWebSocket &socket() { return m_socket; }
    QString subprotocol() const { return m_socket.subprotocol(); }
    int closeCode() const { return int(m_socket.closeCode()); }

private:
    QWebSocket m_socket;
    QList<Frame> m_frames;
    std::function<void()> m_onConnected;
    bool m_connected = false;
    bool m_disconnected = false;
};

struct RawResponse
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

/// Sends an upgrade request on a plain socket and reads the answer (head, and a Content-Length
/// body). The server runs on this thread: wait with the event loop running, never blocking.
inline RawResponse rawUpgrade(quint16 port, const QByteArray &target, const QByteArray &token, const QByteArray &protocols,
                              const QByteArray &method = "GET", const QByteArray &upgrade = "websocket")
{
    QTcpSocket socket;
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: " + upgrade
        + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    if (!protocols.isEmpty())
        request += "Sec-WebSocket-Protocol: " + protocols + "\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    request += "\r\n";
    QByteArray all;
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] { socket.write(request); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { all += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    RawResponse out;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 5000) {
        QTest::qWait(5);
        const qsizetype end = all.indexOf("\r\n\r\n");
        if (end < 0)
            continue;
        out.head = all.left(end);
        out.status = all.mid(9, 3).toInt();
        qsizetype length = 0;
        for (const QByteArray &line : out.head.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        out.body = all.mid(end + 4);
        if (out.status == 101 || out.body.size() >= length)
            break;
    }
    return out;
}

/// Processes whose parent is this one (running or zombie), from /proc.
inline int childProcesses()
{
    const QByteArray me = QByteArray::number(QCoreApplication::applicationPid());
    int n = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        entry.toInt(&ok);
        if (!ok)
            continue;
        QFile file(QStringLiteral("/proc/") + entry + QStringLiteral("/stat"));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = file.readAll();
        const qsizetype close = stat.lastIndexOf(')');
        const QList<QByteArray> fields = stat.mid(close + 2).split(' '); // state ppid ...
        if (fields.value(1) == me)
            ++n;
    }
    return n;
}

} // namespace ExecTest
