// A dead connection is never shown as open: connect timeout, read-idle timeout and stall
// detection, for HTTP streams and WebSocket, against in-process servers that go silent.

#include "test_server.h"
#include "http/http_stream_transport.h"
#include "raw_websocket_server.h"
#include "sse/sse_transport.h"
#include "transport_test_support.h"
#include "websocket/websocket_transport.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace TestSupport;

namespace {

const QList<QPair<QByteArray, QByteArray>> SseHead{{"Content-Type", "text/event-stream"}};

/// Accepts TCP connections and never answers.
class BlackHole : public QObject
{
public:
    BlackHole()
    {
        connect(&server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                socket->setParent(this);
                ++accepted;
            }
        });
    }
    QTcpServer server;
    int accepted = 0;
};

/// SSE route: `beats` comments every `periodMs`, then silence for `silenceMs` (connection kept
/// open), then comments again every `periodMs` until the client goes away.
DemoServer::Handler heartbeats(int periodMs, int beats, int silenceMs)
{
    return [=](const HttpRequest &, HttpResponder *r) {
        r->writeHead(200, SseHead);
        auto *timer = new QTimer(r);
        auto sent = std::make_shared<int>(0);
        QObject::connect(timer, &QTimer::timeout, r, [=] {
            r->write(": beat\n\n");
            if (++*sent == beats) {
                timer->stop();
                QTimer::singleShot(silenceMs, r, [timer] { timer->start(); });
            }
        });
        timer->start(periodMs);
    };
}

} // namespace

class TestLiveness : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void httpConnectTimeout();
    void webSocketHandshakeTimeout();
    void idleTimeoutReconnectsWithLastEventId();
    void idleTimeoutOffByDefault();
    void stallDetectedAndResumed();
    void stallDetectionCanBeTurnedOff();
    void webSocketStall();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestLiveness::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY(m_server->listen());
}

void TestLiveness::cleanup()
{
    m_server.reset();
}

void TestLiveness::httpConnectTimeout()
{
    BlackHole hole;
    QVERIFY(hole.server.listen(QHostAddress::LocalHost, 0));
    SseTransport t;
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    TransportConfig config = fastConfig(QUrl(QStringLiteral("http://127.0.0.1:%1/sse").arg(hole.server.serverPort())));
    config.connectTimeoutMs = 300;
    t.open(config);
    QCOMPARE(t.state(), Transport::State::Connecting);
    QTRY_VERIFY(!scheduled.isEmpty());
    QCOMPARE(t.state(), Transport::State::Reconnecting);
    const TransportError error = errors(errorsSpy).first();
    QVERIFY(error.retryable);
    QCOMPARE(error.message, QStringLiteral("no response within 0.3 s (connect timeout)"));
    QTRY_VERIFY(hole.accepted >= 2); // and it tries again
    t.close();
}

void TestLiveness::webSocketHandshakeTimeout()
{
    RawWebSocketServer server;
    server.handshake = RawWebSocketServer::Handshake::Ignore;
    QVERIFY(server.listen());
    WebSocketTransport t;
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    TransportConfig config = fastConfig(server.url());
    config.connectTimeoutMs = 300;
    t.open(config);
    QTRY_COMPARE(t.state(), Transport::State::Reconnecting);
    QCOMPARE(errors(errorsSpy).first().message, QStringLiteral("no response within 0.3 s (connect timeout)"));
    t.close();
}

void TestLiveness::idleTimeoutReconnectsWithLastEventId()
{
    // One event with an id, then silence on an open connection.
    m_server->addRoute(QStringLiteral("/quiet"), [](const HttpRequest &, HttpResponder *r) {
        r->writeHead(200, SseHead);
        r->write("id: 41\ndata: last words\n\n");
    });
    SseTransport t;
    QSignalSpy batches(&t, &Transport::eventsReceived);
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    TransportConfig config = fastConfig(m_server->httpUrl(QStringLiteral("/quiet")));
    config.idleTimeoutMs = 400;
    t.open(config);
    QTRY_COMPARE(m_server->requests(QStringLiteral("/quiet")).size(), 2);
    QVERIFY2(scheduled.first().at(2).toString().startsWith(QLatin1String("no data for 0.")),
             qPrintable(scheduled.first().at(2).toString()));
    QVERIFY(scheduled.first().at(2).toString().endsWith(QLatin1String("(idle timeout)")));
    QCOMPARE(m_server->requests(QStringLiteral("/quiet")).at(1).header("last-event-id"), QByteArray("41"));
    QTRY_VERIFY(events(batches).size() >= 3);
    const StreamEvent gap = events(batches).at(1);
    QCOMPARE(gap.kind, StreamEvent::Kind::Gap);
    QVERIFY2(gap.detail.contains(QLatin1String("(idle timeout)")), qPrintable(gap.detail));
    QVERIFY2(gap.detail.endsWith(QLatin1String("resumed from id 41")), qPrintable(gap.detail));
    t.close();
}

void TestLiveness::idleTimeoutOffByDefault()
{
    QCOMPARE(TransportConfig().idleTimeoutMs, 0);
    QCOMPARE(TransportConfig().connectTimeoutMs, 30'000);
    m_server->addRoute(QStringLiteral("/quiet"), [](const HttpRequest &, HttpResponder *r) {
        r->writeHead(200, SseHead);
        r->write("data: x\n\n");
    });
    SseTransport t;
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/quiet"))));
    QTRY_COMPARE(t.state(), Transport::State::Open);
    QVERIFY(!scheduled.wait(1500)); // silence is normal on a live stream
    QCOMPARE(t.state(), Transport::State::Open);
    t.close();
}

void TestLiveness::stallDetectedAndResumed()
{
    // A heartbeat every 100 ms, eight times, then 4 s of silence: the learned interval is
    // about 100 ms, so the stall threshold is HeartbeatMonitor::MinStallMs (2 s).
    m_server->addRoute(QStringLiteral("/beats"), heartbeats(100, 8, 4000));
    SseTransport t;
    QSignalSpy stalls(&t, &Transport::stallChanged);
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/beats"))));
    QTRY_COMPARE(t.state(), Transport::State::Open);
    QTRY_COMPARE_WITH_TIMEOUT(stalls.size(), 1, 5000);
    QCOMPARE(stalls.at(0).at(0).toBool(), true);
    const QString text = stalls.at(0).at(1).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^stalled for [23]\\.\\d s \\(usually every 0\\.\\d s\\)$")).match(text).hasMatch(),
             qPrintable(text));
    QVERIFY(t.liveness().stalled);
    QVERIFY(t.liveness().usualIntervalMs >= 80 && t.liveness().usualIntervalMs <= 200);
    QCOMPARE(t.state(), Transport::State::Open); // stalled is not a state change: nothing timed out
    QVERIFY(!t.stallText().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(stalls.size(), 2, 8000);
    QCOMPARE(stalls.at(1).at(0).toBool(), false);
    // The server's own timer is coarse (Qt allows 5 %): about 4 s of silence.
    QVERIFY2(QRegularExpression(QStringLiteral("^resumed after [345]\\.\\d s of silence$"))
                 .match(stalls.at(1).at(1).toString()).hasMatch(),
             qPrintable(stalls.at(1).at(1).toString()));
    QVERIFY(!t.liveness().stalled);
    QVERIFY(t.stallText().isEmpty());
    QCOMPARE(scheduled.size(), 0);
    t.close();
}

void TestLiveness::stallDetectionCanBeTurnedOff()
{
    m_server->addRoute(QStringLiteral("/beats"), heartbeats(50, 8, 60'000));
    SseTransport t;
    QSignalSpy stalls(&t, &Transport::stallChanged);
    TransportConfig config = fastConfig(m_server->httpUrl(QStringLiteral("/beats")));
    config.detectStalls = false;
    t.open(config);
    QTRY_COMPARE(t.state(), Transport::State::Open);
    QVERIFY(!stalls.wait(3000));
    QVERIFY(!t.liveness().stalled);
    t.close();
}

void TestLiveness::webSocketStall()
{
    // The demo ticker sends a message every 200 ms; a server that stops sending (and never
    // answers pings) is reported stalled before the ping keepalive gives up.
    QWebSocketServer server(QStringLiteral("pauser"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QWebSocketServer::newConnection, this, [&server] {
        QWebSocket *socket = server.nextPendingConnection();
        socket->setParent(&server);
        auto *timer = new QTimer(socket);
        auto sent = std::make_shared<int>(0);
        connect(timer, &QTimer::timeout, socket, [socket, timer, sent] {
            socket->sendTextMessage(QStringLiteral("tick"));
            if (++*sent == 8)
                timer->stop();
        });
        timer->start(100);
    });
    WebSocketTransport t;
    QSignalSpy stalls(&t, &Transport::stallChanged);
    TransportConfig config = fastConfig(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort())));
    config.pingIntervalMs = 0;
    t.open(config);
    QTRY_COMPARE(t.state(), Transport::State::Open);
    QTRY_COMPARE_WITH_TIMEOUT(stalls.size(), 1, 6000);
    QVERIFY(stalls.at(0).at(0).toBool());
    QCOMPARE(t.state(), Transport::State::Open);
    t.close();
}

QTEST_GUILESS_MAIN(TestLiveness)
#include "tst_liveness.moc"
