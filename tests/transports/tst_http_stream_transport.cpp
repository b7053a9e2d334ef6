#include "test_server.h"
#include "http/http_stream_transport.h"
#include "http/network_pool.h"
#include "transport_test_support.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace TestSupport;
using Mode = HttpStreamTransport::Mode;

class TestHttpStreamTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void registry();
    void modeForContentType_data();
    void modeForContentType();
    void linesOnce();
    void finalLineWithoutNewline();
    void ndjsonBadLine();
    void autoMode_data();
    void autoMode();
    void autoDecisionSticks();
    void status204Stops_data();
    void status204Stops();
    void status404Fails_data();
    void status404Fails();
    void invalidUtf8_data();
    void invalidUtf8();
    void hugeLine();
    void acceptHeaders_data();
    void acceptHeaders();
    void reconnectAfterEndWithGap();
    void emptyBodyDoesNotHotLoop_data();
    void emptyBodyDoesNotHotLoop();
    void networkPool();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestHttpStreamTransport::initTestCase()
{
    qRegisterMetaType<StreamEvent>();
    qRegisterMetaType<QList<StreamEvent>>();
    qRegisterMetaType<TransportError>();
}

void TestHttpStreamTransport::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
}

void TestHttpStreamTransport::cleanup()
{
    m_server.reset();
}

void TestHttpStreamTransport::registry()
{
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    QCOMPARE(registry.ids(), (QStringList{QStringLiteral("sse"), QStringLiteral("lines"),
                                          QStringLiteral("ndjson"), QStringLiteral("http"),
                                          QStringLiteral("websocket")}));
    for (const QString &id : registry.ids()) {
        QVERIFY(!registry.description(id).isEmpty());
        std::unique_ptr<Transport> transport = registry.create(id);
        QVERIFY(transport);
        QCOMPARE(transport->state(), Transport::State::Idle);
        QCOMPARE(transport->isDuplex(), id == QLatin1String("websocket"));
    }
    auto *http = qobject_cast<HttpStreamTransport *>(registry.create(QStringLiteral("http")).release());
    QVERIFY(http);
    QCOMPARE(http->mode(), Mode::Auto);
    delete http;
    auto *sse = qobject_cast<HttpStreamTransport *>(registry.create(QStringLiteral("sse")).release());
    QVERIFY(sse);
    QCOMPARE(sse->mode(), Mode::Sse);
    delete sse;
}

void TestHttpStreamTransport::modeForContentType_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<Mode>("mode");
    QTest::newRow("sse") << QByteArray("text/event-stream") << Mode::Sse;
    QTest::newRow("sse params") << QByteArray(" Text/Event-Stream ; charset=utf-8") << Mode::Sse;
    QTest::newRow("x-ndjson") << QByteArray("application/x-ndjson") << Mode::Ndjson;
    QTest::newRow("json-seq") << QByteArray("application/json-seq") << Mode::Ndjson;
    QTest::newRow("jsonl") << QByteArray("application/jsonl; charset=utf-8") << Mode::Ndjson;
    QTest::newRow("x-jsonlines") << QByteArray("application/x-jsonlines") << Mode::Ndjson;
    QTest::newRow("json") << QByteArray("application/json") << Mode::Lines;
    QTest::newRow("text") << QByteArray("text/plain") << Mode::Lines;
    QTest::newRow("none") << QByteArray() << Mode::Lines;
}

void TestHttpStreamTransport::modeForContentType()
{
    QFETCH(QByteArray, contentType);
    QFETCH(Mode, mode);
    QCOMPARE(HttpStreamTransport::modeForContentType(contentType), mode);
}

void TestHttpStreamTransport::linesOnce()
{
    HttpStreamTransport t(Mode::Lines);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/lines-once?lines=3"))));
    QTRY_VERIFY(dataEvents(batches).size() >= 3);
    const QList<StreamEvent> got = dataEvents(batches);
    QCOMPARE(payloads(got).mid(0, 3), (QByteArrayList{"line 1", "line 2", "line 3"}));
    QCOMPARE(got.first().type, QByteArray("line"));
    QCOMPARE(got.first().id, QByteArray());
    t.close();
}

void TestHttpStreamTransport::finalLineWithoutNewline()
{
    m_server->addRoute(QStringLiteral("/tail"), [](const HttpRequest &, HttpResponder *r) {
        r->writeHead(200, {{"Content-Type", "text/plain"}});
        r->write("first\r\nsecond\n");
        r->write("last without newline");
        r->end();
    });
    HttpStreamTransport t(Mode::Lines);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/tail")), 5000, 5000));
    QTRY_VERIFY(dataEvents(batches).size() >= 3);
    QCOMPARE(payloads(dataEvents(batches)).mid(0, 3),
             (QByteArrayList{"first", "second", "last without newline"}));
    // The clean end of the body is a drop: reconnect scheduled.
    QTRY_COMPARE(t.state(), Transport::State::Reconnecting);
    QCOMPARE(errors(errorsSpy).first().message, QStringLiteral("server closed the stream"));
    t.close();
}

void TestHttpStreamTransport::ndjsonBadLine()
{
    HttpStreamTransport t(Mode::Ndjson);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/ndjson-bad")), 5000, 5000));
    QTRY_VERIFY(events(batches).size() >= 6);
    t.close();
    const QList<StreamEvent> got = events(batches).mid(0, 6);
    for (int i : {0, 1, 2, 4, 5}) {
        QCOMPARE(got.at(i).kind, StreamEvent::Kind::Data);
        QCOMPARE(got.at(i).type, QByteArray("json"));
        QVERIFY(got.at(i).payload.startsWith('{'));
    }
    QCOMPARE(got.at(3).kind, StreamEvent::Kind::Error);
    QCOMPARE(got.at(3).type, QByteArray("error"));
    QCOMPARE(got.at(3).payload, QByteArray("{\"a\":1,,}"));
    QVERIFY2(got.at(3).detail.startsWith(QLatin1String("invalid JSON")), qPrintable(got.at(3).detail));
    QCOMPARE(got.at(3).seq, quint64(4)); // Error events take sequence numbers too
}

void TestHttpStreamTransport::autoMode_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QByteArray>("type");
    QTest::newRow("sse") << QStringLiteral("/sse/metrics?hz=100") << Mode::Sse << QByteArray("message");
    QTest::newRow("ndjson") << QStringLiteral("/ndjson/logs?hz=100") << Mode::Ndjson << QByteArray("json");
    QTest::newRow("lines") << QStringLiteral("/lines/logs?hz=100") << Mode::Lines << QByteArray("line");
}

void TestHttpStreamTransport::autoMode()
{
    QFETCH(QString, path);
    QFETCH(Mode, mode);
    QFETCH(QByteArray, type);
    HttpStreamTransport t(Mode::Auto);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    QCOMPARE(t.effectiveMode(), Mode::Auto);
    t.open(fastConfig(m_server->httpUrl(path)));
    QTRY_VERIFY(dataEvents(batches).size() >= 2);
    QCOMPARE(t.effectiveMode(), mode);
    QCOMPARE(dataEvents(batches).first().type, type);
    if (mode == Mode::Sse)
        QCOMPARE(dataEvents(batches).first().id, QByteArray("1"));
    t.close();
}

void TestHttpStreamTransport::autoDecisionSticks()
{
    auto count = std::make_shared<int>(0);
    m_server->addRoute(QStringLiteral("/flip"), [count](const HttpRequest &, HttpResponder *r) {
        if ((*count)++ == 0) {
            r->writeHead(200, {{"Content-Type", "text/event-stream"}});
            r->write("id: 7\ndata: x\n\n");
        } else {
            r->writeHead(200, {{"Content-Type", "text/plain"}});
            r->write("plain\n");
        }
        r->end();
    });
    HttpStreamTransport t(Mode::Auto);
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/flip"))));
    QTRY_COMPARE(t.state(), Transport::State::Closed);
    QCOMPARE(t.effectiveMode(), Mode::Sse);
    QCOMPARE(m_server->requests(QStringLiteral("/flip")).size(), 2);
    QCOMPARE(m_server->requests(QStringLiteral("/flip")).at(1).header("last-event-id"), QByteArray("7"));
    QCOMPARE(errors(errorsSpy).constLast().message, QStringLiteral("expected text/event-stream, got text/plain"));
}

void TestHttpStreamTransport::status204Stops_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::newRow("lines") << Mode::Lines;
    QTest::newRow("ndjson") << Mode::Ndjson;
    QTest::newRow("auto") << Mode::Auto;
}

void TestHttpStreamTransport::status204Stops()
{
    QFETCH(Mode, mode);
    HttpStreamTransport t(mode);
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    QSignalSpy requests(m_server.get(), &DemoServer::requestReceived);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/status?code=204"))));
    QTRY_COMPARE(t.state(), Transport::State::Closed);
    QVERIFY(!t.hasFailed());
    QCOMPARE(errorsSpy.size(), 0);
    QCOMPARE(t.stopReason(), QStringLiteral("HTTP 204 No Content: the server asked not to reconnect"));
    QVERIFY(!requests.wait(200));
    QCOMPARE(requests.size(), 1);
}

void TestHttpStreamTransport::status404Fails_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("lines 404") << Mode::Lines << 404 << QStringLiteral("HTTP 404 Not Found");
    QTest::newRow("ndjson 404") << Mode::Ndjson << 404 << QStringLiteral("HTTP 404 Not Found");
    QTest::newRow("auto 404") << Mode::Auto << 404 << QStringLiteral("HTTP 404 Not Found");
    QTest::newRow("lines 205") << Mode::Lines << 205 << QStringLiteral("HTTP 205 Reset Content");
    QTest::newRow("lines 500") << Mode::Lines << 500 << QStringLiteral("HTTP 500 Internal Server Error");
}

void TestHttpStreamTransport::status404Fails()
{
    QFETCH(Mode, mode);
    QFETCH(int, status);
    QFETCH(QString, message);
    HttpStreamTransport t(mode);
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/status?code=%1").arg(status))));
    QTRY_COMPARE(t.state(), Transport::State::Closed);
    QVERIFY(t.hasFailed());
    QCOMPARE(errorsSpy.size(), 1);
    QCOMPARE(errors(errorsSpy).first().message, message);
    QCOMPARE(errors(errorsSpy).first().httpStatus, status);
    QVERIFY(!errors(errorsSpy).first().retryable);
}

void TestHttpStreamTransport::invalidUtf8_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::newRow("lines") << Mode::Lines;
    QTest::newRow("ndjson") << Mode::Ndjson;
}

void TestHttpStreamTransport::invalidUtf8()
{
    QFETCH(Mode, mode);
    HttpStreamTransport t(mode);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/invalid-utf8?type=%1")
                                            .arg(mode == Mode::Lines ? "lines" : "ndjson")),
                      5000, 5000));
    QTRY_VERIFY(events(batches).size() >= 3);
    t.close();
    for (const StreamEvent &event : events(batches)) {
        QVERIFY2(!event.payload.contains("\xFF"), event.payload.constData());
        QCOMPARE(QString::fromUtf8(event.payload).toUtf8(), event.payload); // valid UTF-8
    }
    const QByteArray all = payloads(events(batches)).join('|');
    QVERIFY2(all.contains("\xEF\xBF\xBD"), all.constData());
    QVERIFY2(all.contains("\xE2\x80\xA6 caf\xC3\xA9"), all.constData());
}

void TestHttpStreamTransport::hugeLine()
{
    constexpr qint64 Bytes = 17 * 1024 * 1024;
    HttpStreamTransport t(Mode::Lines);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/huge-line?bytes=%1&type=lines").arg(Bytes)),
                      5000, 5000));
    QTRY_VERIFY_WITH_TIMEOUT(events(batches).size() >= 2, 20000);
    t.close();
    const QList<StreamEvent> got = events(batches);
    QCOMPARE(got.at(0).kind, StreamEvent::Kind::Error);
    QVERIFY(got.at(0).payload.size() <= 256);
    QVERIFY2(got.at(0).detail.contains(QLatin1String("exceeds the 16 MiB limit")), qPrintable(got.at(0).detail));
    // Reported the moment the cap is crossed, so the line's full length is not known yet.
    QVERIFY2(got.at(0).detail.endsWith(QLatin1String("line dropped")), qPrintable(got.at(0).detail));
    QCOMPARE(got.at(1).payload, QByteArray("after"));
}

void TestHttpStreamTransport::acceptHeaders_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QByteArray>("acceptStart");
    QTest::newRow("lines") << Mode::Lines << QByteArray("text/plain");
    QTest::newRow("ndjson") << Mode::Ndjson << QByteArray("application/x-ndjson");
    QTest::newRow("auto") << Mode::Auto << QByteArray("text/event-stream, application/x-ndjson");
}

void TestHttpStreamTransport::acceptHeaders()
{
    QFETCH(Mode, mode);
    QFETCH(QByteArray, acceptStart);
    HttpStreamTransport t(mode);
    TransportConfig config = fastConfig(m_server->httpUrl(QStringLiteral("/test/lines-once?lines=1")), 5000, 5000);
    config.headers = {{"X-Trace", "abc"}, {"Accept", "text/x-custom"}};
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(config);
    QTRY_VERIFY(!batches.isEmpty());
    t.close();
    const HttpRequest request = m_server->requests(QStringLiteral("/test/lines-once")).first();
    QCOMPARE(request.header("x-trace"), QByteArray("abc"));
    QCOMPARE(request.header("accept"), QByteArray("text/x-custom")); // config overrides defaults
    Q_UNUSED(acceptStart);

    HttpStreamTransport plain(mode);
    QSignalSpy plainBatches(&plain, &Transport::eventsReceived);
    plain.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/lines-once?lines=1")), 5000, 5000));
    QTRY_VERIFY(!plainBatches.isEmpty());
    plain.close();
    QVERIFY(m_server->requests(QStringLiteral("/test/lines-once")).at(1).header("accept").startsWith(acceptStart));
}

void TestHttpStreamTransport::reconnectAfterEndWithGap()
{
    HttpStreamTransport t(Mode::Lines);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/lines-once?lines=2"))));
    QTRY_VERIFY(dataEvents(batches).size() >= 4);
    t.close();
    const QList<StreamEvent> got = events(batches);
    QCOMPARE(got.at(2).kind, StreamEvent::Kind::Gap);
    QCOMPARE(got.at(2).detail, QStringLiteral("reconnected after: server closed the stream"));
    QCOMPARE(got.at(2).seq, quint64(2)); // a Gap repeats the last sequence number
    QCOMPARE(got.at(3).seq, quint64(3));
    QCOMPARE(scheduled.first().at(0).toInt(), Backoff::FloorMs); // the policy's 50 ms is below the floor
    QCOMPARE(scheduled.first().at(1).toInt(), 1);
    QCOMPARE(scheduled.at(1).at(1).toInt(), 2); // a connection that ended at once was not healthy
}

void TestHttpStreamTransport::emptyBodyDoesNotHotLoop_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("type");
    QTest::newRow("lines") << Mode::Lines << QStringLiteral("lines");
    QTest::newRow("ndjson") << Mode::Ndjson << QStringLiteral("ndjson");
}

void TestHttpStreamTransport::emptyBodyDoesNotHotLoop()
{
    // 200 with an empty body that ends at once: every connection reaches Open, none delivers.
    QFETCH(Mode, mode);
    QFETCH(QString, type);
    HttpStreamTransport t(mode);
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    QSignalSpy stateSpy(&t, &Transport::stateChanged);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/flap?type=") + type), 50, 400));
    QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 5, 10000);
    t.close();
    QList<int> delays;
    for (int i = 0; i < scheduled.size(); ++i) {
        delays.append(scheduled.at(i).at(0).toInt());
        QCOMPARE(scheduled.at(i).at(1).toInt(), i + 1);
    }
    QCOMPARE(delays.mid(0, 5), (QList<int>{250, 400, 400, 400, 400}));
    QVERIFY(states(stateSpy).count(Transport::State::Open) >= 5);
    QVERIFY(m_server->requests(QStringLiteral("/test/flap")).size() <= scheduled.size() + 1);
    QCOMPARE(dataEvents(batches).size(), 0);
}

void TestHttpStreamTransport::networkPool()
{
    NetworkPool pool(4);
    const QUrl a(QStringLiteral("http://127.0.0.1:8080/a"));
    const QUrl a2(QStringLiteral("http://127.0.0.1:8080/other/path"));
    const QUrl b(QStringLiteral("http://127.0.0.1:9090/b"));
    QList<QNetworkAccessManager *> taken;
    for (int i = 0; i < 9; ++i)
        taken.append(pool.acquire(i % 2 ? a : a2));
    QCOMPARE(pool.managerCount(), 3);
    QCOMPARE(pool.streamCount(taken.at(0), a), 4);
    QCOMPARE(pool.streamCount(taken.at(4), a), 4);
    QCOMPARE(pool.streamCount(taken.at(8), a), 1);
    // Another host:port fits into the first manager.
    QCOMPARE(pool.acquire(b), taken.at(0));
    QCOMPARE(pool.managerCount(), 3);
    // A released slot is reused before a new manager is made.
    pool.release(taken.at(1), a);
    QCOMPARE(pool.acquire(a), taken.at(0));
    QCOMPARE(pool.managerCount(), 3);
    QCOMPARE(NetworkPool::hostKey(QUrl(QStringLiteral("HTTPS://Example.COM/x"))),
             QStringLiteral("https://example.com:443"));
    QCOMPARE(NetworkPool::forCurrentThread(), NetworkPool::forCurrentThread());
}

QTEST_GUILESS_MAIN(TestHttpStreamTransport)
#include "tst_http_stream_transport.moc"
