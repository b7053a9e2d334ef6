#include "test_server.h"
#include "raw_websocket_server.h"
#include "transport_test_support.h"
#include "websocket/websocket_transport.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace TestSupport;

/// Completes WebSocket handshakes and then stays silent: never answers pings.
using SilentWebSocketServer = RawWebSocketServer;

class TestWebSocketTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void tickerTextEvents();
    void echoTextAndBinary();
    void headersAndSubprotocol();
    void closeCodes_data();
    void closeCodes();
    void closeStops();
    void handshakeRejected();
    void refusedReconnects();
    void tooBigMessage();
    void noPongDrops();
    void tcpDropIsAbnormal();
    void acceptThenCloseDoesNotHotLoop();
    void messageAloneDoesNotRestartBackoff();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestWebSocketTransport::initTestCase()
{
    qRegisterMetaType<StreamEvent>();
    qRegisterMetaType<QList<StreamEvent>>();
    qRegisterMetaType<TransportError>();
}

void TestWebSocketTransport::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
}

void TestWebSocketTransport::cleanup()
{
    m_server.reset();
}

void TestWebSocketTransport::tickerTextEvents()
{
    WebSocketTransport t;
    QSignalSpy batches(&t, &Transport::eventsReceived);
    QVERIFY(t.isDuplex());
    QVERIFY(!t.send("early", false)); // not open yet
    t.open(fastConfig(m_server->wsUrl(QStringLiteral("/ws/ticker"))));
    QCOMPARE(t.state(), Transport::State::Connecting);
    QTRY_COMPARE(t.state(), Transport::State::Open);
    QTRY_VERIFY(dataEvents(batches).size() >= 3);
    const QList<StreamEvent> got = dataEvents(batches);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(got.at(i).type, QByteArray("text"));
        QVERIFY(got.at(i).payload.startsWith("{\"symbol\""));
        QCOMPARE(got.at(i).seq, quint64(i + 1));
    }
    QCOMPARE(t.protocolInfo(), QStringLiteral("WebSocket"));
    t.close();
}

void TestWebSocketTransport::echoTextAndBinary()
{
    WebSocketTransport t;
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(fastConfig(m_server->wsUrl(QStringLiteral("/ws/echo"))));
    QTRY_COMPARE(t.state(), Transport::State::Open);
    const QByteArray binary("\x00\x01\xFF\xFE raw", 8);
    QVERIFY(t.send("h\xC3\xA9llo", false));
    QVERIFY(t.send(binary, true));
    QTRY_COMPARE(dataEvents(batches).size(), 2);
    const QList<StreamEvent> got = dataEvents(batches);
    QCOMPARE(got.at(0).type, QByteArray("text"));
    QCOMPARE(got.at(0).payload, QByteArray("h\xC3\xA9llo"));
    QCOMPARE(got.at(1).type, QByteArray("binary"));
    QCOMPARE(got.at(1).payload, binary);
    t.close();
    QVERIFY(!t.send("late", false));
}

void TestWebSocketTransport::headersAndSubprotocol()
{
    WebSocketTransport t;
    TransportConfig config = fastConfig(m_server->wsUrl(QStringLiteral("/ws/echo")));
    config.headers = {{"X-Custom", "42"}, {"Authorization", "Bearer secret"}};
    config.subprotocols = {QStringLiteral("livedash.v1"), QStringLiteral("chat")};
    t.open(config);
    QTRY_COMPARE(t.state(), Transport::State::Open);
    QCOMPARE(t.protocolInfo(), QStringLiteral("WebSocket (livedash.v1)"));
    const HttpRequest request = m_server->requests(QStringLiteral("/ws/echo")).first();
    QCOMPARE(request.header("x-custom"), QByteArray("42"));
    QCOMPARE(request.header("authorization"), QByteArray("Bearer secret"));
    QVERIFY2(request.header("sec-websocket-protocol").contains("livedash.v1"),
             request.header("sec-websocket-protocol").constData());
    t.close();
}

void TestWebSocketTransport::closeCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("outcome"); // reconnect, fail, stop
    QTest::newRow("4101 bye") << 4101 << QStringLiteral("bye") << QStringLiteral("reconnect");
    QTest::newRow("4001 final range") << 4001 << QStringLiteral("session over") << QStringLiteral("fail");
    QTest::newRow("1001 going away") << 1001 << QStringLiteral("going away") << QStringLiteral("reconnect");
    QTest::newRow("1011") << 1011 << QStringLiteral("oops") << QStringLiteral("reconnect");
    QTest::newRow("3000") << 3000 << QString() << QStringLiteral("reconnect");
    QTest::newRow("1000") << 1000 << QStringLiteral("done") << QStringLiteral("stop");
    QTest::newRow("1003") << 1003 << QStringLiteral("unsupported") << QStringLiteral("fail");
    QTest::newRow("1008") << 1008 << QStringLiteral("policy") << QStringLiteral("fail");
}

void TestWebSocketTransport::closeCodes()
{
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(QString, outcome);
    WebSocketTransport t;
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    const QString path = QStringLiteral("/ws/close?code=%1&reason=%2").arg(code).arg(reason);
    t.open(fastConfig(m_server->wsUrl(path)));
    const QString expected = reason.isEmpty()
        ? QStringLiteral("closed by server: %1").arg(code)
        : QStringLiteral("closed by server: %1 %2").arg(code).arg(reason);
    if (outcome == QLatin1String("reconnect")) {
        QTRY_VERIFY(m_server->requests(QStringLiteral("/ws/close")).size() >= 2);
        QVERIFY(errorsSpy.size() >= 1);
        const TransportError error = errors(errorsSpy).first();
        QCOMPARE(error.message, expected);
        QVERIFY(error.retryable);
        QCOMPARE(scheduled.first().at(2).toString(), expected);
        QTRY_VERIFY(!events(batches).isEmpty()); // Gap marker after the re-open
        QCOMPARE(events(batches).first().kind, StreamEvent::Kind::Gap);
        QCOMPARE(events(batches).first().detail, QStringLiteral("reconnected after: ") + expected);
        QVERIFY(!t.hasFailed());
    } else if (outcome == QLatin1String("stop")) {
        QTRY_COMPARE(t.state(), Transport::State::Closed);
        QVERIFY(!t.hasFailed());
        QCOMPARE(errorsSpy.size(), 0);
        QCOMPARE(t.stopReason(), expected);
    } else {
        QTRY_COMPARE(t.state(), Transport::State::Closed);
        QVERIFY(t.hasFailed());
        QCOMPARE(errorsSpy.size(), 1);
        QVERIFY2(errors(errorsSpy).first().message.startsWith(expected),
                 qPrintable(errors(errorsSpy).first().message));
        QVERIFY(!errors(errorsSpy).first().retryable);
        QCOMPARE(scheduled.size(), 0);
    }
    t.close();
}

void TestWebSocketTransport::closeStops()
{
    WebSocketTransport t;
    QSignalSpy batches(&t, &Transport::eventsReceived);
    QSignalSpy stateSpy(&t, &Transport::stateChanged);
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    t.open(fastConfig(m_server->wsUrl(QStringLiteral("/ws/ticker"))));
    QTRY_VERIFY(!batches.isEmpty());
    t.close();
    t.close();
    QCOMPARE(t.state(), Transport::State::Closed);
    const int count = batches.size();
    QVERIFY(!batches.wait(300)); // the ticker keeps sending; nothing reaches us
    QCOMPARE(batches.size(), count);
    QCOMPARE(errorsSpy.size(), 0);
    QCOMPARE(states(stateSpy).count(Transport::State::Closed), 1);
    QTRY_COMPARE(m_server->activeConnections(), 0);
}

void TestWebSocketTransport::handshakeRejected()
{
    // The HTTP port answers the upgrade request with 404.
    QUrl url = m_server->httpUrl(QStringLiteral("/no-such-socket"));
    url.setScheme(QStringLiteral("ws"));
    WebSocketTransport t;
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    t.open(fastConfig(url));
    QTRY_COMPARE(t.state(), Transport::State::Closed);
    QVERIFY(t.hasFailed());
    QCOMPARE(errorsSpy.size(), 1);
    const TransportError error = errors(errorsSpy).first();
    QCOMPARE(error.kind, TransportError::Kind::HttpStatus);
    QCOMPARE(error.httpStatus, 404);
    QCOMPARE(error.message, QStringLiteral("WebSocket handshake rejected: HTTP 404 Not Found "
                                           "(expected 101 Switching Protocols)"));
}

void TestWebSocketTransport::refusedReconnects()
{
    QUrl url(QStringLiteral("ws://127.0.0.1/"));
    url.setPort(closedPort());
    WebSocketTransport t;
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    t.open(fastConfig(url, 20, 1000));
    QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 4, 10000);
    t.close();
    // The floor (250 ms) wins over the policy's 20 ms, then doubling up to the 1 s cap.
    QCOMPARE(scheduled.at(0).at(0).toInt(), 250);
    QCOMPARE(scheduled.at(1).at(0).toInt(), 500);
    QCOMPARE(scheduled.at(2).at(0).toInt(), 1000);
    QCOMPARE(scheduled.at(3).at(0).toInt(), 1000);
    QCOMPARE(errors(errorsSpy).first().message, QStringLiteral("connection refused"));
    QVERIFY(!t.hasFailed());
}

void TestWebSocketTransport::tooBigMessage()
{
    WebSocketTransport t;
    QSignalSpy batches(&t, &Transport::eventsReceived);
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    TransportConfig config = fastConfig(m_server->wsUrl(QStringLiteral("/ws/echo")));
    config.maxLineBytes = 100;
    t.open(config);
    QTRY_COMPARE(t.state(), Transport::State::Open);
    QVERIFY(t.send(QByteArray(50, 'a'), false));
    QTRY_COMPARE(dataEvents(batches).size(), 1);
    QVERIFY(t.send(QByteArray(1000, 'b'), false));
    QTRY_COMPARE(t.state(), Transport::State::Closed);
    QVERIFY(t.hasFailed());
    const TransportError error = errors(errorsSpy).constLast();
    QCOMPARE(error.kind, TransportError::Kind::TooLarge);
    QVERIFY2(error.message.contains(QLatin1String("1009")), qPrintable(error.message));
    QCOMPARE(events(batches).constLast().kind, StreamEvent::Kind::Error);
}

void TestWebSocketTransport::noPongDrops()
{
    SilentWebSocketServer silent;
    QVERIFY(silent.listen());
    WebSocketTransport t;
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    TransportConfig config = fastConfig(silent.url(), 5000, 5000);
    config.pingIntervalMs = 100;
    t.open(config);
    QTRY_COMPARE(t.state(), Transport::State::Open);
    QTRY_COMPARE(t.state(), Transport::State::Reconnecting);
    QCOMPARE(errorsSpy.size(), 1);
    QCOMPARE(errors(errorsSpy).first().message, QStringLiteral("no pong within 0.1 s"));
    QVERIFY(errors(errorsSpy).first().retryable);
    t.close();
}

void TestWebSocketTransport::tcpDropIsAbnormal()
{
    SilentWebSocketServer dropping;
    dropping.dropAfterUpgrade = true;
    QVERIFY(dropping.listen());
    WebSocketTransport t;
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    t.open(fastConfig(dropping.url()));
    QTRY_VERIFY(dropping.connections >= 2);
    t.close();
    const TransportError error = errors(errorsSpy).first();
    QVERIFY2(error.message.startsWith(QLatin1String("connection lost (1006 abnormal closure)")),
             qPrintable(error.message));
    QVERIFY(error.retryable);
    QVERIFY(!t.hasFailed());
}

void TestWebSocketTransport::acceptThenCloseDoesNotHotLoop()
{
    // The server completes the handshake (Open) and closes with 1001 at once, every time.
    WebSocketTransport t;
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    QSignalSpy stateSpy(&t, &Transport::stateChanged);
    t.open(fastConfig(m_server->wsUrl(QStringLiteral("/ws/close?code=1001&reason=going%20away")), 50, 400));
    QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 5, 10000);
    t.close();
    QList<int> delays;
    for (int i = 0; i < scheduled.size(); ++i) {
        delays.append(scheduled.at(i).at(0).toInt());
        QCOMPARE(scheduled.at(i).at(1).toInt(), i + 1);
        QCOMPARE(scheduled.at(i).at(2).toString(), QStringLiteral("closed by server: 1001 going away"));
    }
    QCOMPARE(delays.mid(0, 5), (QList<int>{250, 400, 400, 400, 400}));
    QVERIFY(states(stateSpy).count(Transport::State::Open) >= 5); // Open alone does not reset
    QVERIFY(m_server->requests(QStringLiteral("/ws/close")).size() <= scheduled.size() + 1);
    QVERIFY(!t.hasFailed());
}

void TestWebSocketTransport::messageAloneDoesNotRestartBackoff()
{
    // Connections 1, 2, 4, 5, ... are accepted and closed with 1001 at once; connection 3 first
    // sends one message. A message does not make a connection healthy (only its lifetime does),
    // so the attempts keep counting.
    QWebSocketServer server(QStringLiteral("scripted"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    int accepted = 0;
    connect(&server, &QWebSocketServer::newConnection, this, [&server, &accepted] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            socket->setParent(&server);
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            if (++accepted == 3)
                socket->sendTextMessage(QStringLiteral("hello"));
            QTimer::singleShot(0, socket, [socket] {
                socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("bye"));
            });
        }
    });
    WebSocketTransport t;
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(fastConfig(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort())), 50, 400));
    QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 5, 10000);
    t.close();
    QList<QPair<int, int>> got; // (delay, attempt)
    for (const QList<QVariant> &args : scheduled)
        got.append({args.at(0).toInt(), args.at(1).toInt()});
    const QList<QPair<int, int>> expected{{250, 1}, {400, 2}, {400, 3}, {400, 4}, {400, 5}};
    QCOMPARE(got.mid(0, 5), expected);
    QCOMPARE(payloads(dataEvents(batches)), QByteArrayList{"hello"});
}

QTEST_GUILESS_MAIN(TestWebSocketTransport)
#include "tst_websocket_transport.moc"
