#include "demo_feeds.h"
#include "test_server.h"
#include "http_request_parser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <memory>

namespace {

/// A raw HTTP/1.1 client: sends one request once connected and collects every byte received.
class RawClient : public QObject
{
public:
    RawClient(quint16 port, QByteArray request)
        : m_request(std::move(request))
    {
        connect(&m_socket, &QTcpSocket::connected, this, [this] { m_socket.write(m_request); });
        connect(&m_socket, &QTcpSocket::readyRead, this, [this] {
            m_data += m_socket.readAll();
            ++m_reads;
        });
        connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    static QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
    {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
    }

    bool headComplete() const { return m_data.contains("\r\n\r\n"); }
    QByteArray head() const { return m_data.left(m_data.indexOf("\r\n\r\n") + 2); }
    QByteArray statusLine() const { return m_data.left(m_data.indexOf("\r\n")); }
    QByteArray header(const QByteArray &name) const
    {
        const QList<QByteArray> lines = head().split('\n');
        for (const QByteArray &line : lines) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        return head().toLower().contains(QByteArray("\r\n" + name.toLower() + ':'));
    }
    QByteArray rawBody() const { return headComplete() ? m_data.mid(m_data.indexOf("\r\n\r\n") + 4) : QByteArray(); }

    /// Decodes the chunked body received so far. `complete` tells whether the last chunk arrived.
    QByteArray dechunked(bool *complete = nullptr, QList<qsizetype> *sizes = nullptr) const
    {
        const QByteArray raw = rawBody();
        QByteArray out;
        qsizetype pos = 0;
        if (complete)
            *complete = false;
        for (int guard = 0; guard < 10'000'000; ++guard) {
            const qsizetype lineEnd = raw.indexOf("\r\n", pos);
            if (lineEnd < 0)
                break;
            bool ok = false;
            const qsizetype size = raw.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
            if (!ok)
                break;
            if (size == 0) {
                if (complete)
                    *complete = raw.mid(lineEnd + 2, 2) == "\r\n";
                break;
            }
            if (raw.size() < lineEnd + 2 + size + 2)
                break;
            out += raw.mid(lineEnd + 2, size);
            if (sizes)
                sizes->append(size);
            pos = lineEnd + 2 + size + 2;
        }
        return out;
    }

    QTcpSocket m_socket;
    QByteArray m_request;
    QByteArray m_data;
    int m_reads = 0;
    bool m_closed = false;
};

/// Every "id: n" of an event stream, in order.
QList<quint64> eventIds(const QByteArray &stream)
{
    QList<quint64> ids;
    static const QRegularExpression re(QStringLiteral("(?:^|\\n)id: (\\d+)\\n"));
    auto it = re.globalMatch(QString::fromLatin1(stream));
    for (int guard = 0; it.hasNext() && guard < 1'000'000; ++guard)
        ids.append(it.next().captured(1).toULongLong());
    return ids;
}

bool isConsecutive(const QList<quint64> &ids)
{
    for (qsizetype i = 1; i < ids.size(); ++i) {
        if (ids[i] != ids[i - 1] + 1)
            return false;
    }
    return true;
}

} // namespace

class TestDemoServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listensOnLocalhostOnly();
    void parserSplitAnywhere_data();
    void parserSplitAnywhere();
    void parserRejects_data();
    void parserRejects();
    void badRequestLine();
    void notFound();
    void sseMetricsHeadAndFirstEvents();
    void sseMetricsViaNetworkAccessManager();
    void lastEventIdReplay();
    void lastEventIdUnknownContinues();
    void sseOnceContinuesAfterLastEventId();
    void statusRoute_data();
    void statusRoute();
    void redirectLocation();
    void redirectFollowed();
    void postBodyRecorded();
    void requestsRecordHeaders();
    void dripOneBytePerChunk();
    void closeMidTruncates();
    void hugeLine();
    void misbehavingBodies();
    void notificationsAndLogs();
    void generatorsAreDeterministic();
    void fiftyConcurrentStreams();
    void webSocketEcho();
    void webSocketTickerAndSubprotocol();
    void webSocketCloseCode();
    void demoFeedsList();

private:
    std::unique_ptr<TestServer> m_server;
    QNetworkAccessManager m_nam;
};

void TestDemoServer::initTestCase()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
}

void TestDemoServer::listensOnLocalhostOnly()
{
    QCOMPARE(m_server->httpAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(m_server->wsAddress(), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(m_server->httpPort() != 0);
    QVERIFY(m_server->wsPort() != 0);
    QVERIFY(m_server->httpPort() != m_server->wsPort());
    QCOMPARE(m_server->httpUrl(QStringLiteral("/sse/metrics?hz=5")),
             QUrl(QStringLiteral("http://127.0.0.1:%1/sse/metrics?hz=5").arg(m_server->httpPort())));
    QCOMPARE(m_server->wsUrl(QStringLiteral("/ws/echo")),
             QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/echo").arg(m_server->wsPort())));
}

void TestDemoServer::parserSplitAnywhere_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("queryHz");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("crlf") << QByteArray("GET /sse/metrics?hz=50 HTTP/1.1\r\nHost: x\r\nX-A:  v \r\n\r\n")
                          << QByteArray("/sse/metrics") << QStringLiteral("50") << QByteArray();
    QTest::newRow("bare-lf") << QByteArray("\r\nGET /a%20b HTTP/1.0\nHost: x\n\n") << QByteArray("/a b")
                             << QString() << QByteArray();
    QTest::newRow("post") << QByteArray("POST /p?hz=1 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
                          << QByteArray("/p") << QStringLiteral("1") << QByteArray("hello");
    QTest::newRow("absolute-form") << QByteArray("GET http://127.0.0.1:1/q?hz=2 HTTP/1.1\r\n\r\n")
                                   << QByteArray("/q") << QStringLiteral("2") << QByteArray();
}

void TestDemoServer::parserSplitAnywhere()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, path);
    QFETCH(QString, queryHz);
    QFETCH(QByteArray, body);
    for (qsizetype split = 0; split <= bytes.size(); ++split) {
        HttpRequestParser parser;
        parser.feed(QByteArrayView(bytes).first(split));
        QCOMPARE(parser.feed(QByteArrayView(bytes).sliced(split)), HttpRequestParser::State::Complete);
        QCOMPARE(parser.request().path, QString::fromUtf8(path));
        QCOMPARE(parser.request().query.queryItemValue(QStringLiteral("hz")), queryHz);
        QCOMPARE(parser.request().body, body);
    }
    HttpRequestParser bytewise;
    for (char c : bytes)
        bytewise.feed(QByteArrayView(&c, 1));
    QCOMPARE(bytewise.state(), HttpRequestParser::State::Complete);
    QCOMPARE(bytewise.request().path, QString::fromUtf8(path));
    if (bytes.contains("X-A"))
        QCOMPARE(bytewise.request().header("x-a"), QByteArray("v"));
}

void TestDemoServer::parserRejects_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n") << 400;
    QTest::newRow("two-parts") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("bad-version") << QByteArray("GET / HTTX/1.1\r\n\r\n") << 400;
    QTest::newRow("http2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("no-slash") << QByteArray("GET abc HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("space-before-colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
    QTest::newRow("folding") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
    QTest::newRow("bad-length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << 400;
    QTest::newRow("chunked-request") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") << 501;
    QTest::newRow("huge-head") << ("GET / HTTP/1.1\r\nX: " + QByteArray(70'000, 'a') + "\r\n\r\n") << 431;
}

void TestDemoServer::parserRejects()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    HttpRequestParser parser;
    QCOMPARE(parser.feed(bytes), HttpRequestParser::State::Error);
    QCOMPARE(parser.errorStatus(), status);
}

void TestDemoServer::badRequestLine()
{
    RawClient client(m_server->httpPort(), "THIS IS NOT HTTP\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(client.m_closed, 5000);
    QCOMPARE(client.statusLine(), QByteArray("HTTP/1.1 400 Bad Request"));
    QCOMPARE(client.header("Connection"), QByteArray("close"));
}

void TestDemoServer::notFound()
{
    QNetworkReply *reply = m_nam.get(QNetworkRequest(m_server->httpUrl(QStringLiteral("/nope"))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), QStringLiteral("text/plain; charset=utf-8"));
    QCOMPARE(reply->readAll(), QByteArray("no route for /nope"));
    reply->deleteLater();
}

void TestDemoServer::sseMetricsHeadAndFirstEvents()
{
    RawClient client(m_server->httpPort(), RawClient::get("/sse/metrics?hz=100"));
    QTRY_VERIFY_WITH_TIMEOUT(eventIds(client.dechunked()).size() >= 3, 5000);
    QCOMPARE(client.statusLine(), QByteArray("HTTP/1.1 200 OK"));
    QCOMPARE(client.header("Content-Type"), QByteArray("text/event-stream"));
    QCOMPARE(client.header("Transfer-Encoding"), QByteArray("chunked"));
    QCOMPARE(client.header("Connection"), QByteArray("close"));
    QVERIFY(!client.hasHeader("Content-Length"));
    const QByteArray body = client.dechunked();
    QVERIFY(body.startsWith("retry: 2000\n\n"));
    QVERIFY(body.mid(13).startsWith(QByteArray(DemoFeeds::metricsEvent(1) + DemoFeeds::metricsEvent(2))));
    const QByteArray firstData = body.mid(13).split('\n').at(1).mid(6);
    const QJsonObject json = QJsonDocument::fromJson(firstData).object();
    QVERIFY(json.value(QStringLiteral("cpu")).toObject().contains(QStringLiteral("user")));
    QVERIFY(json.value(QStringLiteral("latency_ms")).toObject().contains(QStringLiteral("p99")));
    QVERIFY(json.contains(QStringLiteral("mem_mb")) && json.contains(QStringLiteral("rps"))
            && json.contains(QStringLiteral("queue")));
    QCOMPARE(m_server->requests(QStringLiteral("/sse/metrics")).last().query.queryItemValue(QStringLiteral("hz")),
             QStringLiteral("100"));
    QVERIFY(m_server->activeConnections() >= 1);
}

void TestDemoServer::sseMetricsViaNetworkAccessManager()
{
    QNetworkRequest request(m_server->httpUrl(QStringLiteral("/sse/metrics?hz=50")));
    request.setRawHeader("Accept", "text/event-stream");
    QNetworkReply *reply = m_nam.get(request);
    QByteArray body;
    connect(reply, &QNetworkReply::readyRead, this, [reply, &body] { body += reply->readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(eventIds(body).size() >= 2, 5000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), QStringLiteral("text/event-stream"));
    QCOMPARE(eventIds(body).mid(0, 2), (QList<quint64>{1, 2}));
    reply->abort();
    reply->deleteLater();
}

void TestDemoServer::lastEventIdReplay()
{
    quint64 seen = 0;
    {
        RawClient first(m_server->httpPort(), RawClient::get("/sse/metrics?hz=200"));
        QTRY_VERIFY_WITH_TIMEOUT(eventIds(first.dechunked()).size() >= 20, 5000);
        seen = eventIds(first.dechunked()).at(9); // pretend we only processed 10 events
    }
    const quint64 high = qobject_cast<DemoFeeds *>(m_server->findChild<DemoFeeds *>())->metricsHighWater();
    QVERIFY(high >= 20);
    RawClient second(m_server->httpPort(),
                     RawClient::get("/sse/metrics?hz=1", "Last-Event-ID: " + QByteArray::number(seen) + "\r\n"));
    // The replay arrives at once, long before the first live event at 1 Hz.
    QTRY_VERIFY_WITH_TIMEOUT(quint64(eventIds(second.dechunked()).size()) >= high - seen, 5000);
    const QList<quint64> ids = eventIds(second.dechunked());
    QCOMPARE(ids.first(), seen + 1);
    QVERIFY(isConsecutive(ids));
    QVERIFY(second.dechunked().contains(DemoFeeds::metricsEvent(seen + 1)));
    QCOMPARE(m_server->requests(QStringLiteral("/sse/metrics")).last().header("last-event-id"),
             QByteArray::number(seen));
}

void TestDemoServer::lastEventIdUnknownContinues()
{
    RawClient client(m_server->httpPort(), RawClient::get("/sse/metrics?hz=100", "Last-Event-ID: 900000\r\n"));
    QTRY_VERIFY_WITH_TIMEOUT(eventIds(client.dechunked()).size() >= 2, 5000);
    QCOMPARE(eventIds(client.dechunked()).mid(0, 2), (QList<quint64>{900001, 900002}));
}

void TestDemoServer::sseOnceContinuesAfterLastEventId()
{
    RawClient fresh(m_server->httpPort(), RawClient::get("/test/sse-once?events=3"));
    QTRY_VERIFY_WITH_TIMEOUT(fresh.m_closed, 5000);
    bool complete = false;
    QCOMPARE(fresh.dechunked(&complete), QByteArray("id: 1\ndata: e1\n\nid: 2\ndata: e2\n\nid: 3\ndata: e3\n\n"));
    QVERIFY(complete);

    RawClient resumed(m_server->httpPort(), RawClient::get("/test/sse-once?events=2", "Last-Event-ID: 7\r\n"));
    QTRY_VERIFY_WITH_TIMEOUT(resumed.m_closed, 5000);
    QCOMPARE(eventIds(resumed.dechunked(&complete)), (QList<quint64>{8, 9}));
    QVERIFY(complete);
}

void TestDemoServer::statusRoute_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addColumn<bool>("hasBody");
    QTest::newRow("204") << 204 << QByteArray("HTTP/1.1 204 No Content") << false;
    QTest::newRow("205") << 205 << QByteArray("HTTP/1.1 205 Reset Content") << false;
    QTest::newRow("210") << 210 << QByteArray("HTTP/1.1 210 Unknown") << true;
    QTest::newRow("404") << 404 << QByteArray("HTTP/1.1 404 Not Found") << true;
    QTest::newRow("410") << 410 << QByteArray("HTTP/1.1 410 Gone") << true;
    QTest::newRow("503") << 503 << QByteArray("HTTP/1.1 503 Service Unavailable") << true;
}

void TestDemoServer::statusRoute()
{
    QFETCH(int, code);
    QFETCH(QByteArray, statusLine);
    QFETCH(bool, hasBody);
    RawClient client(m_server->httpPort(), RawClient::get("/test/status?code=" + QByteArray::number(code)));
    QTRY_VERIFY_WITH_TIMEOUT(client.m_closed, 5000);
    QCOMPARE(client.statusLine(), statusLine);
    if (hasBody) {
        QCOMPARE(client.header("Content-Type"), QByteArray("text/plain; charset=utf-8"));
        QCOMPARE(client.rawBody(), "status " + QByteArray::number(code) + '\n');
    } else {
        QVERIFY(client.rawBody().isEmpty());
        QVERIFY(!client.hasHeader("Transfer-Encoding"));
    }
    QCOMPARE(client.hasHeader("Content-Length"), code != 204);
}

void TestDemoServer::redirectLocation()
{
    for (int code : {301, 302, 303, 307, 308}) {
        QNetworkRequest request(m_server->httpUrl(
            QStringLiteral("/test/redirect?code=%1&to=/test/sse-once").arg(code)));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = m_nam.get(request);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), code);
        QCOMPARE(reply->rawHeader("Location"), QByteArray("/test/sse-once"));
        reply->deleteLater();
    }
    RawClient bad(m_server->httpPort(), RawClient::get("/test/redirect?code=200"));
    QTRY_VERIFY_WITH_TIMEOUT(bad.m_closed, 5000);
    QCOMPARE(bad.statusLine(), QByteArray("HTTP/1.1 400 Bad Request"));
}

void TestDemoServer::redirectFollowed()
{
    QNetworkRequest request(m_server->httpUrl(QStringLiteral("/test/redirect?code=307&to=/test/sse-once%3Fevents%3D2")));
    QNetworkReply *reply = m_nam.get(request);
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->url().path(), QStringLiteral("/test/sse-once"));
    QCOMPARE(reply->readAll(), QByteArray("id: 1\ndata: e1\n\nid: 2\ndata: e2\n\n"));
    reply->deleteLater();
}

void TestDemoServer::postBodyRecorded()
{
    m_server->addRoute(QStringLiteral("/echo-body"), [](const HttpRequest &request, HttpResponder *responder) {
        responder->respond(200, "application/octet-stream", request.body);
    });
    const QByteArray payload = QByteArray(200'000, 'p') + "end";
    QNetworkRequest request(m_server->httpUrl(QStringLiteral("/echo-body")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QSignalSpy spy(m_server.get(), &DemoServer::requestReceived);
    QVERIFY(spy.isValid());
    QNetworkReply *reply = m_nam.post(request, payload);
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    QCOMPARE(reply->readAll(), payload);
    const HttpRequest recorded = m_server->requests(QStringLiteral("/echo-body")).last();
    QCOMPARE(recorded.method, QByteArray("POST"));
    QCOMPARE(recorded.body, payload);
    QCOMPARE(recorded.header("content-type"), QByteArray("application/json"));
    QCOMPARE(recorded.header("Content-Length"), QByteArray::number(payload.size()));
    QVERIFY(recorded.receivedMs > 0);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).value<HttpRequest>().body, payload);
    reply->deleteLater();
}

void TestDemoServer::requestsRecordHeaders()
{
    const int before = int(m_server->requests(QStringLiteral("/test/lines-once")).size());
    RawClient client(m_server->httpPort(),
                     RawClient::get("/test/lines-once?lines=2", "X-First: 1\r\nx-second:  two words \r\nX-First: again\r\n"));
    QTRY_VERIFY_WITH_TIMEOUT(client.m_closed, 5000);
    bool complete = false;
    QCOMPARE(client.dechunked(&complete), QByteArray("line 1\nline 2\n"));
    QVERIFY(complete);
    const QList<HttpRequest> log = m_server->requests(QStringLiteral("/test/lines-once"));
    QCOMPARE(log.size(), before + 1);
    const HttpRequest &r = log.last();
    QCOMPARE(r.target, QByteArray("/test/lines-once?lines=2"));
    QCOMPARE(r.header("X-FIRST"), QByteArray("1"));
    QCOMPARE(r.header("X-Second"), QByteArray("two words"));
    QVERIFY(r.hasHeader("host"));
    QVERIFY(!r.hasHeader("x-third"));
    QCOMPARE(r.headers.size(), 4);
    QCOMPARE(r.headers.at(3), (QPair<QByteArray, QByteArray>("X-First", "again")));
}

void TestDemoServer::dripOneBytePerChunk()
{
    RawClient client(m_server->httpPort(), RawClient::get("/test/drip?count=3"));
    QTRY_VERIFY_WITH_TIMEOUT(client.m_closed, 5000);
    bool complete = false;
    QList<qsizetype> sizes;
    const QByteArray body = client.dechunked(&complete, &sizes);
    QCOMPARE(body, QByteArray("data: drip 1\n\ndata: drip 2\n\ndata: drip 3\n\n"));
    QVERIFY(complete);
    QCOMPARE(sizes.size(), body.size());
    QVERIFY(std::all_of(sizes.cbegin(), sizes.cend(), [](qsizetype s) { return s == 1; }));
    QVERIFY2(client.m_reads > 5, "the drip should arrive in many reads");
}

void TestDemoServer::closeMidTruncates()
{
    RawClient client(m_server->httpPort(), RawClient::get("/test/close-mid"));
    QTRY_VERIFY_WITH_TIMEOUT(client.m_closed, 5000);
    bool complete = true;
    QCOMPARE(client.dechunked(&complete), QByteArray("id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: partial"));
    QVERIFY(!complete);
    QVERIFY(!client.rawBody().endsWith("0\r\n\r\n"));
}

void TestDemoServer::hugeLine()
{
    constexpr int Bytes = 300'000;
    QNetworkReply *reply = m_nam.get(
        QNetworkRequest(m_server->httpUrl(QStringLiteral("/test/huge-line?bytes=%1&type=lines").arg(Bytes))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    const QByteArray body = reply->readAll();
    QCOMPARE(body.size(), Bytes + 7);
    QCOMPARE(body.count('x'), Bytes);
    QVERIFY(body.endsWith("x\nafter\n"));
    reply->deleteLater();

    RawClient sse(m_server->httpPort(), RawClient::get("/test/huge-line?bytes=200000&type=sse"));
    QTRY_VERIFY_WITH_TIMEOUT(sse.m_closed, 10000);
    bool complete = false;
    QList<qsizetype> sizes;
    const QByteArray sseBody = sse.dechunked(&complete, &sizes);
    QVERIFY(complete);
    QCOMPARE(sseBody, "data: " + QByteArray(200'000, 'x') + "\n\ndata: after\n\n");
    QVERIFY(std::all_of(sizes.cbegin(), sizes.cend(), [](qsizetype s) { return s <= 64 * 1024; }));
}

void TestDemoServer::misbehavingBodies()
{
    RawClient wrongType(m_server->httpPort(), RawClient::get("/test/wrong-type"));
    RawClient noType(m_server->httpPort(), RawClient::get("/test/no-type"));
    RawClient utf8(m_server->httpPort(), RawClient::get("/test/invalid-utf8?type=lines"));
    RawClient ndjson(m_server->httpPort(), RawClient::get("/test/ndjson-bad"));
    QTRY_VERIFY_WITH_TIMEOUT(wrongType.m_closed && noType.m_closed && utf8.m_closed && ndjson.m_closed, 5000);

    QCOMPARE(wrongType.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
    QVERIFY(wrongType.rawBody().startsWith("<!doctype html>"));
    QVERIFY(!noType.hasHeader("Content-Type"));
    QCOMPARE(noType.rawBody(), QByteArray("data: hello\n\n"));
    QCOMPARE(utf8.dechunked(), QByteArray("bad \xFF byte\ncut \xE2\x80\nok \xE2\x80\xA6 caf\xC3\xA9\n"));

    const QList<QByteArray> lines = ndjson.dechunked().split('\n');
    QCOMPARE(lines.size(), 7); // six lines and the empty remainder after the final newline
    for (int i : {0, 1, 2, 4, 5}) {
        QJsonParseError error;
        QJsonDocument::fromJson(lines.at(i), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }
    QCOMPARE(lines.at(3), QByteArray("{\"a\":1,,}"));
}

void TestDemoServer::notificationsAndLogs()
{
    RawClient ndjson(m_server->httpPort(), RawClient::get("/ndjson/logs?hz=100"));
    RawClient lines(m_server->httpPort(), RawClient::get("/lines/logs?hz=100"));
    RawClient notes(m_server->httpPort(), RawClient::get("/sse/notifications", "Last-Event-ID: 41\r\n"));
    QTRY_VERIFY_WITH_TIMEOUT(ndjson.dechunked().count('\n') >= 3 && lines.dechunked().count('\n') >= 3, 5000);
    QCOMPARE(ndjson.header("Content-Type"), QByteArray("application/x-ndjson"));
    QCOMPARE(lines.header("Content-Type"), QByteArray("text/plain; charset=utf-8"));

    const QJsonObject log = QJsonDocument::fromJson(ndjson.dechunked().split('\n').first()).object();
    for (const char *key : {"ts", "level", "service", "msg", "latency_ms", "status"})
        QVERIFY2(log.contains(QLatin1String(key)), key);
    QVERIFY(QStringList({QStringLiteral("INFO"), QStringLiteral("WARN"), QStringLiteral("ERROR"), QStringLiteral("DEBUG")})
                .contains(log.value(QStringLiteral("level")).toString()));

    static const QRegularExpression lineFormat(QStringLiteral(
        "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN |ERROR|DEBUG) (api  |db   |auth |cache) .+ \\d{3} \\d+ms$"));
    const QString firstLine = QString::fromUtf8(lines.dechunked().split('\n').first());
    QVERIFY2(lineFormat.match(firstLine).hasMatch(), qPrintable(firstLine));

    QCOMPARE(notes.header("Content-Type"), QByteArray("text/event-stream"));
    QTRY_VERIFY_WITH_TIMEOUT(eventIds(notes.dechunked()).size() >= 1, 5000);
    QCOMPARE(eventIds(notes.dechunked()).first(), quint64(42));
    QVERIFY(notes.dechunked().contains(DemoFeeds::notificationEvent(42)));
}

void TestDemoServer::generatorsAreDeterministic()
{
    QCOMPARE(DemoFeeds::metricsJson(1234), DemoFeeds::metricsJson(1234));
    QVERIFY(DemoFeeds::metricsJson(1234) != DemoFeeds::metricsJson(1235));
    QCOMPARE(DemoFeeds::notificationEvent(9), DemoFeeds::notificationEvent(9));
    QCOMPARE(DemoFeeds::tickerJson(77), DemoFeeds::tickerJson(77));
    QCOMPARE(DemoFeeds::ndjsonLogLine(5, 0), DemoFeeds::ndjsonLogLine(5, 0));
    QCOMPARE(DemoFeeds::textLogLine(5, 0).left(25), QByteArray("1970-01-01T00:00:00.000Z "));

    int types[3] = {0, 0, 0};
    double minUser = 100;
    double maxUser = 0;
    for (quint64 n = 1; n <= 2000; ++n) {
        const QJsonObject m = QJsonDocument::fromJson(DemoFeeds::metricsJson(n)).object();
        const double user = m.value(QStringLiteral("cpu")).toObject().value(QStringLiteral("user")).toDouble();
        QVERIFY(user >= 2.0 && user <= 97.0);
        minUser = std::min(minUser, user);
        maxUser = std::max(maxUser, user);
        const QByteArray type = DemoFeeds::notification(n).type;
        types[type == "deploy" ? 0 : type == "alert" ? 1 : 2]++;
        const int delay = DemoFeeds::notificationDelayMs(n);
        QVERIFY(delay >= 500 && delay <= 2000);
        QVERIFY(!QJsonDocument::fromJson(DemoFeeds::notification(n).json).isNull());
        QVERIFY(!QJsonDocument::fromJson(DemoFeeds::tickerJson(n)).isNull());
    }
    QVERIFY2(maxUser - minUser > 20, "metrics should be lively");
    QVERIFY(types[0] > 0 && types[1] > 0 && types[2] > 0);
}

void TestDemoServer::fiftyConcurrentStreams()
{
    constexpr int Streams = 50;
    // Connections of earlier tests close asynchronously; start from a quiet server.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeConnections(), 0, 5000);
    const int before = 0;
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < Streams; ++i)
        clients.push_back(std::make_unique<RawClient>(m_server->httpPort(), RawClient::get("/sse/metrics?hz=20")));
    const auto allFlowing = [&clients] {
        return std::all_of(clients.cbegin(), clients.cend(),
                           [](const auto &c) { return eventIds(c->dechunked()).size() >= 3; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allFlowing(), 15000);
    QCOMPARE(m_server->activeConnections(), before + Streams);
    clients.clear();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->activeConnections(), before, 5000);
}

void TestDemoServer::webSocketEcho()
{
    QWebSocket socket;
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy texts(&socket, &QWebSocket::textMessageReceived);
    QSignalSpy binaries(&socket, &QWebSocket::binaryMessageReceived);
    QVERIFY(connected.isValid() && texts.isValid() && binaries.isValid());
    QNetworkRequest request(m_server->wsUrl(QStringLiteral("/ws/echo?x=1")));
    request.setRawHeader("X-Client", "tst");
    socket.open(request);
    QVERIFY(connected.wait(5000));
    socket.sendTextMessage(QStringLiteral("héllo"));
    socket.sendBinaryMessage(QByteArray("\x00\x01\xFF", 3));
    QTRY_COMPARE_WITH_TIMEOUT(texts.size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(binaries.size(), 1, 5000);
    QCOMPARE(texts.at(0).at(0).toString(), QStringLiteral("héllo"));
    QCOMPARE(binaries.at(0).at(0).toByteArray(), QByteArray("\x00\x01\xFF", 3));

    const HttpRequest handshake = m_server->requests(QStringLiteral("/ws/echo")).last();
    QCOMPARE(handshake.method, QByteArray("GET"));
    QCOMPARE(handshake.query.queryItemValue(QStringLiteral("x")), QStringLiteral("1"));
    QCOMPARE(handshake.header("x-client"), QByteArray("tst"));
    QVERIFY(handshake.hasHeader("Sec-WebSocket-Key"));
    QCOMPARE(handshake.header("upgrade").toLower(), QByteArray("websocket"));
    socket.close();
}

void TestDemoServer::webSocketTickerAndSubprotocol()
{
    QWebSocket socket;
    QSignalSpy texts(&socket, &QWebSocket::textMessageReceived);
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({QStringLiteral("unknown.v9"), QStringLiteral("chat")});
    socket.open(m_server->wsUrl(QStringLiteral("/ws/ticker")), options);
    QVERIFY(connected.wait(5000));
    QCOMPARE(socket.subprotocol(), QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(texts.size() >= 2, 5000);
    const QJsonObject first = QJsonDocument::fromJson(texts.at(0).at(0).toString().toUtf8()).object();
    QCOMPARE(first.value(QStringLiteral("symbol")).toString(), QStringLiteral("LDSH"));
    QCOMPARE(first.value(QStringLiteral("seq")).toInt(), 1);
    QCOMPARE(texts.at(0).at(0).toString().toUtf8(), DemoFeeds::tickerJson(1));
    socket.sendTextMessage(QStringLiteral("ping-me"));
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(texts.cbegin(), texts.cend(),
                                         [](const QList<QVariant> &args) { return args.at(0).toString() == QLatin1String("ping-me"); }),
                             5000);
    socket.close();
}

void TestDemoServer::webSocketCloseCode()
{
    QWebSocket socket;
    QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
    socket.open(m_server->wsUrl(QStringLiteral("/ws/close?code=4001&reason=bye")));
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(int(socket.closeCode()), 4001);
    QCOMPARE(socket.closeReason(), QStringLiteral("bye"));

    QWebSocket unknown;
    QSignalSpy unknownDisconnected(&unknown, &QWebSocket::disconnected);
    unknown.open(m_server->wsUrl(QStringLiteral("/ws/nothing")));
    QVERIFY(unknownDisconnected.wait(5000));
    QCOMPARE(int(unknown.closeCode()), 4404);
    QCOMPARE(unknown.closeReason(), QStringLiteral("no route for /ws/nothing"));
}

void TestDemoServer::demoFeedsList()
{
    const QList<DemoServer::Feed> feeds = m_server->demoFeeds();
    QCOMPARE(feeds.size(), 5);
    QStringList ids;
    for (const DemoServer::Feed &feed : feeds) {
        QCOMPARE(feed.url.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(!feed.name.isEmpty() && !feed.description.isEmpty());
        ids.append(feed.transportId);
    }
    QCOMPARE(ids, (QStringList{QStringLiteral("sse"), QStringLiteral("sse"), QStringLiteral("ndjson"),
                               QStringLiteral("lines"), QStringLiteral("websocket")}));
    QCOMPARE(feeds.last().url.scheme(), QStringLiteral("ws"));
}

QTEST_GUILESS_MAIN(TestDemoServer)
#include "tst_demo_server.moc"
