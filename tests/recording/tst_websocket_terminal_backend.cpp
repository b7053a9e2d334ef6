// WebSocketTerminalBackend against an in-test QWebSocketServer echo on 127.0.0.1 (and a raw
// server for what QWebSocketServer will not do): binary/text echo, Enter translation, local
// echo, close codes, handshake failures, subprotocols and headers, keepalive.
#include "websocket_terminal_backend.h"

#include "../transports/raw_websocket_server.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

namespace {

/// Echoes every message with its frame type; records what arrived and the request.
class EchoServer : public QObject
{
    Q_OBJECT
public:
    EchoServer() : m_server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                client = socket;
                request = socket->request();
                connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &data) {
                    binary.append(data);
                    if (echo)
                        socket->sendBinaryMessage(data);
                });
                connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
                    texts.append(text);
                    if (echo)
                        socket->sendTextMessage(text);
                });
                connect(socket, &QWebSocket::disconnected, this, [this] { ++disconnects; });
                if (!greeting.isEmpty())
                    socket->sendTextMessage(greeting);
                Q_EMIT connected();
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/tty").arg(m_server.serverPort())); }
    void setSubprotocols(const QStringList &protocols) { m_server.setSupportedSubprotocols(protocols); }

    QWebSocket *client = nullptr;
    QNetworkRequest request;
    QList<QByteArray> binary;
    QStringList texts;
    QString greeting;
    bool echo = true;
    int disconnects = 0;

Q_SIGNALS:
    void connected();

private:
    QWebSocketServer m_server;
};

TransportConfig configFor(const QUrl &url)
{
    TransportConfig config;
    config.url = url;
    config.connectTimeoutMs = 5000;
    config.pingIntervalMs = 0;
    return config;
}

QByteArray joinedOutput(const QSignalSpy &spy)
{
    QByteArray all;
    for (const QList<QVariant> &args : spy)
        all += args.at(0).toByteArray();
    return all;
}

} // namespace

class TestWebSocketTerminalBackend : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void binaryEcho();
    void enterTranslation_data();
    void enterTranslation();
    void textServerGetsText();
    void forcedFrames();
    void localEcho();
    void localEchoHelper();
    void serverCloseCodes_data();
    void serverCloseCodes();
    void userClose();
    void droppedWithoutCloseFrame();
    void handshakeRejected();
    void connectionRefused();
    void subprotocolAndHeaders();
    void noPongDrops();
    void reopenAfterFinish();

private:
    EchoServer m_server;
};

void TestWebSocketTerminalBackend::initTestCase()
{
    QVERIFY(m_server.listen());
}

void TestWebSocketTerminalBackend::init()
{
    m_server.binary.clear();
    m_server.texts.clear();
    m_server.greeting.clear();
    m_server.echo = true;
    m_server.client = nullptr;
}

void TestWebSocketTerminalBackend::binaryEcho()
{
    WebSocketTerminalBackend backend(configFor(m_server.url()));
    QCOMPARE(backend.title(), m_server.url().toString());
    QCOMPARE(backend.reconnectHint(), QStringLiteral("reconnect opens a new connection"));
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    QSignalSpy output(&backend, &TerminalBackend::output);
    backend.open(80, 24);
    QCOMPARE(backend.state(), TerminalBackend::State::Connecting);
    QVERIFY(opened.wait(5000));
    QCOMPARE(backend.state(), TerminalBackend::State::Open);
    QVERIFY(!backend.sendsText());
    backend.write(QByteArray("hi\r\x00\xff", 5));
    QTRY_COMPARE(joinedOutput(output), QByteArray("hi\r\x00\xff", 5));
    QCOMPARE(m_server.binary, (QList<QByteArray>{QByteArray("hi\r\x00\xff", 5)}));
    QVERIFY(m_server.texts.isEmpty());
    QCOMPARE(output.at(0).at(1).value<TerminalBackend::Stream>(), TerminalBackend::Stream::Stdout);
}

void TestWebSocketTerminalBackend::enterTranslation_data()
{
    QTest::addColumn<int>("enter");
    QTest::addColumn<QByteArray>("sent");
    QTest::newRow("cr") << int(WebSocketTerminalOptions::Enter::Cr) << QByteArray("ls -l\r");
    QTest::newRow("lf") << int(WebSocketTerminalOptions::Enter::Lf) << QByteArray("ls -l\n");
    QTest::newRow("crlf") << int(WebSocketTerminalOptions::Enter::CrLf) << QByteArray("ls -l\r\n");
}

void TestWebSocketTerminalBackend::enterTranslation()
{
    QFETCH(int, enter);
    QFETCH(QByteArray, sent);
    WebSocketTerminalOptions options;
    options.enter = WebSocketTerminalOptions::Enter(enter);
    WebSocketTerminalBackend backend(configFor(m_server.url()), options);
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    backend.open(80, 24);
    QVERIFY(opened.wait(5000));
    backend.write("ls -l\r");
    QTRY_COMPARE(m_server.binary.size(), 1);
    QCOMPARE(m_server.binary.at(0), sent);
    QCOMPARE(WebSocketTerminalBackend::translateEnter("a\rb\r", WebSocketTerminalOptions::Enter(enter)),
             QByteArray("a" + sent.mid(5) + "b" + sent.mid(5)));
}

void TestWebSocketTerminalBackend::textServerGetsText()
{
    m_server.greeting = QStringLiteral("welcome \u00e9\r\n$ ");
    WebSocketTerminalBackend backend(configFor(m_server.url()));
    QSignalSpy output(&backend, &TerminalBackend::output);
    backend.open(80, 24);
    QVERIFY(output.wait(5000));
    QCOMPARE(output.at(0).at(0).toByteArray(), QByteArray("welcome \xC3\xA9\r\n$ "));
    QVERIFY(backend.sendsText()); // Auto follows the server
    backend.write("x\xC3\xA9");
    QTRY_COMPARE(m_server.texts.size(), 1);
    QCOMPARE(m_server.texts.at(0), QStringLiteral("x\u00e9"));
    QVERIFY(m_server.binary.isEmpty());
}

void TestWebSocketTerminalBackend::forcedFrames()
{
    for (const auto frames : {WebSocketTerminalOptions::Frames::Text, WebSocketTerminalOptions::Frames::Binary}) {
        init();
        if (frames == WebSocketTerminalOptions::Frames::Binary)
            m_server.greeting = QStringLiteral("text greeting");
        WebSocketTerminalOptions options;
        options.frames = frames;
        WebSocketTerminalBackend backend(configFor(m_server.url()), options);
        QSignalSpy opened(&backend, &TerminalBackend::opened);
        QSignalSpy output(&backend, &TerminalBackend::output);
        backend.open(80, 24);
        QVERIFY(opened.wait(5000));
        if (frames == WebSocketTerminalOptions::Frames::Binary)
            QTRY_COMPARE(output.size(), 1);
        backend.write("q");
        if (frames == WebSocketTerminalOptions::Frames::Text) {
            QTRY_COMPARE(m_server.texts, QStringList{QStringLiteral("q")});
            QVERIFY(m_server.binary.isEmpty());
        } else {
            QTRY_COMPARE(m_server.binary, QList<QByteArray>{"q"});
            QVERIFY(m_server.texts.isEmpty());
        }
    }
}

void TestWebSocketTerminalBackend::localEcho()
{
    m_server.echo = false;
    WebSocketTerminalOptions options;
    options.localEcho = true;
    options.enter = WebSocketTerminalOptions::Enter::Lf;
    WebSocketTerminalBackend backend(configFor(m_server.url()), options);
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    QSignalSpy output(&backend, &TerminalBackend::output);
    backend.open(80, 24);
    QVERIFY(opened.wait(5000));
    backend.write("ab\x7f\r");
    QCOMPARE(output.size(), 1); // echoed at once, before anything reaches the server
    QCOMPARE(output.at(0).at(0).toByteArray(), QByteArray("ab\b \b\r\n"));
    QTRY_COMPARE(m_server.binary, QList<QByteArray>{"ab\x7f\n"});
    QCOMPARE(output.size(), 1);
}

void TestWebSocketTerminalBackend::localEchoHelper()
{
    QCOMPARE(WebSocketTerminalBackend::localEchoOf("a\rb"), QByteArray("a\r\nb"));
    QCOMPARE(WebSocketTerminalBackend::localEchoOf("\x7f"), QByteArray("\b \b"));
    QCOMPARE(WebSocketTerminalBackend::localEchoOf("\x1b[A"), QByteArray("\x1b[A"));
}

void TestWebSocketTerminalBackend::serverCloseCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("1000") << 1000 << QStringLiteral("bye") << int(TerminalExit::Kind::Exited) << QStringLiteral("closed by server: 1000 bye");
    QTest::newRow("1001") << 1001 << QString() << int(TerminalExit::Kind::Exited) << QStringLiteral("closed by server: 1001");
    QTest::newRow("1011") << 1011 << QStringLiteral("oops") << int(TerminalExit::Kind::Dropped) << QStringLiteral("closed by server: 1011 oops");
    QTest::newRow("4001") << 4001 << QStringLiteral("session\x1b[2Jover") << int(TerminalExit::Kind::Dropped)
                          << QStringLiteral("closed by server: 4001 session\\x1b[2Jover");
}

void TestWebSocketTerminalBackend::serverCloseCodes()
{
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(int, kind);
    QFETCH(QString, message);
    WebSocketTerminalBackend backend(configFor(m_server.url()));
    QSignalSpy connected(&m_server, &EchoServer::connected);
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    QSignalSpy finished(&backend, &TerminalBackend::finished);
    backend.open(80, 24);
    QVERIFY(opened.wait(5000));
    QTRY_VERIFY(m_server.client);
    m_server.client->close(QWebSocketProtocol::CloseCode(code), reason);
    QVERIFY(finished.wait(5000));
    const TerminalExit exit = finished.at(0).at(0).value<TerminalExit>();
    QCOMPARE(int(exit.kind), kind);
    QCOMPARE(exit.message, message);
    QVERIFY(!exit.exitCode);
    QCOMPARE(backend.state(), TerminalBackend::State::Finished);
    QVERIFY(!finished.wait(200));
}

void TestWebSocketTerminalBackend::userClose()
{
    WebSocketTerminalBackend backend(configFor(m_server.url()));
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    QSignalSpy finished(&backend, &TerminalBackend::finished);
    backend.open(80, 24);
    QVERIFY(opened.wait(5000));
    QTRY_VERIFY(m_server.client);
    QWebSocket *serverSide = m_server.client;
    const int before = m_server.disconnects;
    backend.close();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<TerminalExit>().kind, TerminalExit::Kind::Closed);
    QTRY_COMPARE(m_server.disconnects, before + 1);
    QCOMPARE(serverSide->closeCode(), QWebSocketProtocol::CloseCodeNormal);
    backend.write("ignored");
    backend.close();
    QCOMPARE(finished.size(), 1);
}

void TestWebSocketTerminalBackend::droppedWithoutCloseFrame()
{
    RawWebSocketServer raw;
    QVERIFY(raw.listen());
    raw.dropAfterUpgrade = true;
    WebSocketTerminalBackend backend(configFor(raw.url()));
    QSignalSpy finished(&backend, &TerminalBackend::finished);
    backend.open(80, 24);
    QVERIFY(finished.wait(5000));
    const TerminalExit exit = finished.at(0).at(0).value<TerminalExit>();
    QCOMPARE(exit.kind, TerminalExit::Kind::Dropped);
    QVERIFY2(exit.message.startsWith(QStringLiteral("connection lost (1006 abnormal closure)")), qPrintable(exit.message));
}

void TestWebSocketTerminalBackend::handshakeRejected()
{
    RawWebSocketServer raw;
    QVERIFY(raw.listen());
    raw.handshake = RawWebSocketServer::Handshake::Status;
    raw.statusResponse = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    WebSocketTerminalBackend backend(configFor(raw.url()));
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    QSignalSpy finished(&backend, &TerminalBackend::finished);
    backend.open(80, 24);
    QVERIFY(finished.wait(5000));
    QCOMPARE(opened.size(), 0);
    const TerminalExit exit = finished.at(0).at(0).value<TerminalExit>();
    QCOMPARE(exit.kind, TerminalExit::Kind::Failed);
    QVERIFY2(exit.message.startsWith(QStringLiteral("WebSocket handshake rejected: HTTP 404")), qPrintable(exit.message));
}

void TestWebSocketTerminalBackend::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    WebSocketTerminalBackend backend(configFor(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port))));
    QSignalSpy finished(&backend, &TerminalBackend::finished);
    backend.open(80, 24);
    QVERIFY(finished.wait(5000));
    const TerminalExit exit = finished.at(0).at(0).value<TerminalExit>();
    QCOMPARE(exit.kind, TerminalExit::Kind::Failed);
    QCOMPARE(exit.message, QStringLiteral("connection refused"));
}

void TestWebSocketTerminalBackend::subprotocolAndHeaders()
{
    m_server.setSubprotocols({QStringLiteral("tty.v1")});
    TransportConfig config = configFor(m_server.url());
    config.subprotocols = {QStringLiteral("tty.v2"), QStringLiteral("tty.v1")};
    config.headers = {{"X-Serial-Port", "ttyUSB0"}};
    WebSocketTerminalBackend backend(config);
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    QSignalSpy notice(&backend, &TerminalBackend::notice);
    backend.open(80, 24);
    QVERIFY(opened.wait(5000));
    QCOMPARE(backend.subprotocol(), QStringLiteral("tty.v1"));
    QCOMPARE(notice.size(), 1);
    QCOMPARE(notice.at(0).at(0).toString(), QStringLiteral("subprotocol tty.v1"));
    QTRY_VERIFY(m_server.client);
    QCOMPARE(m_server.request.rawHeader("X-Serial-Port"), QByteArray("ttyUSB0"));
    QVERIFY(m_server.request.rawHeader("User-Agent").startsWith("livedash/"));
    m_server.setSubprotocols({});
}

void TestWebSocketTerminalBackend::noPongDrops()
{
    RawWebSocketServer raw; // completes the handshake, then swallows pings
    QVERIFY(raw.listen());
    TransportConfig config = configFor(raw.url());
    config.pingIntervalMs = 100;
    WebSocketTerminalBackend backend(config);
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    QSignalSpy finished(&backend, &TerminalBackend::finished);
    backend.open(80, 24);
    QVERIFY(opened.wait(5000));
    QVERIFY(finished.wait(5000));
    const TerminalExit exit = finished.at(0).at(0).value<TerminalExit>();
    QCOMPARE(exit.kind, TerminalExit::Kind::Dropped);
    QCOMPARE(exit.message, QStringLiteral("connection lost: no pong for 0.1 s"));
    QVERIFY(!raw.received.isEmpty()); // the ping went out
}

void TestWebSocketTerminalBackend::reopenAfterFinish()
{
    WebSocketTerminalBackend backend(configFor(m_server.url()));
    QSignalSpy opened(&backend, &TerminalBackend::opened);
    QSignalSpy finished(&backend, &TerminalBackend::finished);
    QSignalSpy output(&backend, &TerminalBackend::output);
    backend.open(80, 24);
    QVERIFY(opened.wait(5000));
    backend.close();
    QCOMPARE(finished.size(), 1);
    backend.open(80, 24); // a new connection
    QVERIFY(opened.wait(5000));
    QCOMPARE(opened.size(), 2);
    backend.write("again");
    QTRY_COMPARE(joinedOutput(output), QByteArray("again"));
}

QTEST_GUILESS_MAIN(TestWebSocketTerminalBackend)
#include "tst_websocket_terminal_backend.moc"
