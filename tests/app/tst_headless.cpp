// Runs the real livedash binary in --headless mode against the in-process demo server and checks
// the contract: stdout carries exactly one JSON object per event, stderr the state lines, and the
// exit code says how it ended.
#include "test_server.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

class TestHeadless : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sseCount();
    void ndjsonAndLinesByContentType();
    void websocketTicker();
    void twoSourcesConcurrently();
    void http404Fails();
    void wrongContentTypeFails();
    void status204Stops();
    void durationEnds();
    void badUsageExitsTwo();
    void invalidUtf8IsReplaced();
    void badNdjsonLineIsReportedAndStreamContinues();
    void postBodyAndHeadersReachServer();
    void helpAndVersionNeedNoDisplay();
    void stderrCarriesOnlyContractLines();
    void idleTimeoutReconnects();
    void stallIsReported();
    void serverTextIsEscaped();

private:
    struct Run
    {
        int exitCode = -1;
        QList<QJsonObject> events;
        QByteArray stdoutBytes;
        QString stderrText;
    };
    Run run(const QStringList &args, int timeoutMs = 20'000, bool headless = true);

    TestServer m_server;
};

void TestHeadless::initTestCase()
{
    QVERIFY2(m_server.listen(), qPrintable(m_server.errorString()));
}

TestHeadless::Run TestHeadless::run(const QStringList &args, int timeoutMs, bool headless)
{
    Run result;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // headless must not need any display platform
    env.remove(QStringLiteral("QT_LOGGING_RULES")); // user rules would let logs onto stderr
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    process.setProcessEnvironment(env);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(LIVEDASH_BIN), (headless ? QStringList{QStringLiteral("--headless")} : QStringList()) + args);
    if (!process.waitForStarted(5000)) {
        qWarning() << "could not start" << LIVEDASH_BIN;
        return result;
    }
    // The demo server lives in this process, so the event loop must run while we wait.
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
        qWarning() << "livedash did not finish in time" << args;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.stdoutBytes = process.readAllStandardOutput();
    result.stderrText = QString::fromUtf8(process.readAllStandardError());
    for (const QByteArray &line : result.stdoutBytes.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            qWarning() << "stdout line is not a JSON object:" << line;
            result.events.append(QJsonObject{{QStringLiteral("invalid"), QString::fromUtf8(line)}});
            continue;
        }
        result.events.append(doc.object());
    }
    return result;
}

static bool hasContractKeys(const QJsonObject &o)
{
    static const QRegularExpression ts(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"));
    return o.keys() == QStringList{"data", "id", "seq", "source", "ts", "type"}
           && o.value(QStringLiteral("seq")).isDouble() && ts.match(o.value(QStringLiteral("ts")).toString()).hasMatch();
}

void TestHeadless::sseCount()
{
    const QString url = m_server.httpUrl(QStringLiteral("/sse/metrics?hz=50")).toString();
    const Run r = run({QStringLiteral("--count"), QStringLiteral("5"), url});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.events.size(), 5);
    for (int i = 0; i < 5; ++i) {
        const QJsonObject &o = r.events[i];
        QVERIFY2(hasContractKeys(o), r.stdoutBytes.constData());
        QCOMPARE(o.value(QStringLiteral("source")).toString(), url);
        QCOMPARE(o.value(QStringLiteral("seq")).toInt(), i + 1);
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QVERIFY(!o.value(QStringLiteral("id")).toString().isEmpty());
        const QJsonDocument data = QJsonDocument::fromJson(o.value(QStringLiteral("data")).toString().toUtf8());
        QVERIFY(data.isObject());
    }
    QVERIFY2(r.stderrText.contains(QStringLiteral("open")), qPrintable(r.stderrText));
}

void TestHeadless::ndjsonAndLinesByContentType()
{
    const Run nd = run({QStringLiteral("--count"), QStringLiteral("3"),
                        m_server.httpUrl(QStringLiteral("/ndjson/logs?hz=50")).toString()});
    QCOMPARE(nd.exitCode, 0);
    QCOMPARE(nd.events.size(), 3);
    for (const QJsonObject &o : nd.events) {
        QVERIFY(hasContractKeys(o));
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("json"));
        QVERIFY(QJsonDocument::fromJson(o.value(QStringLiteral("data")).toString().toUtf8()).isObject());
    }
    const Run lines = run({QStringLiteral("--count"), QStringLiteral("4"),
                           m_server.httpUrl(QStringLiteral("/test/lines-once?lines=10")).toString()});
    QCOMPARE(lines.exitCode, 0);
    QCOMPARE(lines.events.size(), 4);
    for (const QJsonObject &o : lines.events)
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("line"));
}

void TestHeadless::websocketTicker()
{
    const Run r = run({QStringLiteral("--count"), QStringLiteral("3"),
                       m_server.wsUrl(QStringLiteral("/ws/ticker")).toString()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.events.size(), 3);
    for (const QJsonObject &o : r.events) {
        QVERIFY(hasContractKeys(o));
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("text"));
    }
}

void TestHeadless::twoSourcesConcurrently()
{
    const QString a = m_server.httpUrl(QStringLiteral("/sse/metrics?hz=50")).toString();
    const QString b = m_server.httpUrl(QStringLiteral("/ndjson/logs?hz=50")).toString();
    const Run r = run({QStringLiteral("--duration"), QStringLiteral("1.5"), a, b});
    QCOMPARE(r.exitCode, 0);
    QSet<QString> sources;
    for (const QJsonObject &o : r.events)
        sources.insert(o.value(QStringLiteral("source")).toString());
    QCOMPARE(sources, (QSet<QString>{a, b}));
}

void TestHeadless::stderrCarriesOnlyContractLines()
{
    // A refused response used to print Qt's "QNetworkReplyImplPrivate::error: Internal problem,
    // this method must only be called once" and our own warning besides the contract line.
    const Run r = run({QStringLiteral("--transport"), QStringLiteral("sse"),
                       m_server.httpUrl(QStringLiteral("/test/status?code=500")).toString()});
    QCOMPARE(r.exitCode, 1);
    // ("code" is an OAuth-style secret query name: the source id shows it redacted.)
    const QString source = m_server.httpUrl(QStringLiteral("/test/status?code=***")).toString();
    QCOMPARE(r.stderrText, source + QStringLiteral(": connecting\n") + source
                               + QStringLiteral(": failed: HTTP 500 Internal Server Error\n"));
    // --verbose lets the logs through.
    const Run verbose = run({QStringLiteral("--verbose"), QStringLiteral("--transport"), QStringLiteral("sse"),
                             m_server.httpUrl(QStringLiteral("/test/status?code=500")).toString()});
    QVERIFY2(verbose.stderrText.contains(QLatin1String("dash.transport")), qPrintable(verbose.stderrText));
}

void TestHeadless::idleTimeoutReconnects()
{
    m_server.addRoute(QStringLiteral("/headless-quiet"), [](const HttpRequest &, HttpResponder *r) {
        r->writeHead(200, {{"Content-Type", "text/event-stream"}});
        r->write("id: 7\ndata: one\n\n");
    });
    const QString url = m_server.httpUrl(QStringLiteral("/headless-quiet")).toString();
    const Run r = run({QStringLiteral("--idle-timeout"), QStringLiteral("0.5"), QStringLiteral("--count"),
                       QStringLiteral("2"), url});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.events.size(), 2);
    QVERIFY2(r.stderrText.contains(QRegularExpression(
                 QStringLiteral(": reconnecting in \\d\\.\\d s \\(attempt 1\\): no data for \\d\\.\\d s \\(idle timeout\\)"))),
             qPrintable(r.stderrText));
    QVERIFY2(r.stderrText.contains(QStringLiteral("; resumed from id 7")), qPrintable(r.stderrText));
    QCOMPARE(m_server.requests(QStringLiteral("/headless-quiet")).last().header("last-event-id"), QByteArray("7"));
    const Run bad = run({QStringLiteral("--idle-timeout"), QStringLiteral("soon"), url});
    QCOMPARE(bad.exitCode, 2);
}

void TestHeadless::stallIsReported()
{
    // Comments every 100 ms, then silence: "stalled for 2.x s (usually every 0.1 s)".
    m_server.addRoute(QStringLiteral("/headless-stall"), [](const HttpRequest &, HttpResponder *r) {
        r->writeHead(200, {{"Content-Type", "text/event-stream"}});
        auto *timer = new QTimer(r);
        auto sent = std::make_shared<int>(0);
        QObject::connect(timer, &QTimer::timeout, r, [r, timer, sent] {
            r->write("data: beat\n\n");
            if (++*sent == 8)
                timer->stop();
        });
        timer->start(100);
    });
    const Run r = run({QStringLiteral("--duration"), QStringLiteral("3.5"),
                       m_server.httpUrl(QStringLiteral("/headless-stall")).toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.stderrText.contains(QRegularExpression(QStringLiteral(": stalled for [23]\\.\\d s \\(usually every 0\\.\\d s\\)\\n"))),
             qPrintable(r.stderrText));
}

void TestHeadless::serverTextIsEscaped()
{
    m_server.addRoute(QStringLiteral("/headless-evil"), [](const HttpRequest &, HttpResponder *r) {
        r->writeRaw("HTTP/1.1 403 \x1b[2J\x1b]0;pwned\x07Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    m_server.addRoute(QStringLiteral("/headless-c1"), [](const HttpRequest &, HttpResponder *r) {
        r->writeHead(200, {{"Content-Type", "text/event-stream"}});
        r->write("data: a\x7f\xc2\x9b" "31mb\x1b[0m\n\n");
        r->end();
    });
    const Run r = run({QStringLiteral("--transport"), QStringLiteral("sse"),
                       m_server.httpUrl(QStringLiteral("/headless-evil")).toString()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(!r.stderrText.contains(QChar(0x1b)) && !r.stderrText.contains(QChar(0x07)), qPrintable(r.stderrText));
    QVERIFY2(r.stderrText.contains(QStringLiteral("failed: HTTP 403 \\x1b[2J")), qPrintable(r.stderrText));
    const Run data = run({QStringLiteral("--count"), QStringLiteral("1"),
                          m_server.httpUrl(QStringLiteral("/headless-c1")).toString()});
    QCOMPARE(data.exitCode, 0);
    for (const char c : data.stdoutBytes)
        QVERIFY2(uchar(c) >= 0x20 || c == '\n', "a raw control byte on stdout");
    QVERIFY2(data.stdoutBytes.contains("a\\u007f\\u009b31mb\\u001b[0m"), data.stdoutBytes.constData());
}

void TestHeadless::http404Fails()
{
    const Run r = run({QStringLiteral("--transport"), QStringLiteral("sse"),
                       m_server.httpUrl(QStringLiteral("/test/status?code=404")).toString()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.events.isEmpty());
    QVERIFY2(r.stderrText.contains(QStringLiteral("failed: HTTP 404 Not Found")), qPrintable(r.stderrText));
}

void TestHeadless::wrongContentTypeFails()
{
    const Run r = run({QStringLiteral("--transport"), QStringLiteral("sse"),
                       m_server.httpUrl(QStringLiteral("/test/wrong-type")).toString()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.stderrText.contains(QStringLiteral("failed: expected text/event-stream, got text/html")),
             qPrintable(r.stderrText));
}

void TestHeadless::status204Stops()
{
    const Run r = run({QStringLiteral("--transport"), QStringLiteral("sse"),
                       m_server.httpUrl(QStringLiteral("/test/status?code=204")).toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.stderrText.contains(QStringLiteral("stopped")), qPrintable(r.stderrText));
    QCOMPARE(m_server.requests(QStringLiteral("/test/status")).size() >= 1, true);
}

void TestHeadless::durationEnds()
{
    QElapsedTimer clock;
    clock.start();
    const Run r = run({QStringLiteral("--duration"), QStringLiteral("1"),
                       m_server.httpUrl(QStringLiteral("/sse/notifications")).toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(clock.elapsed() >= 900);
}

void TestHeadless::badUsageExitsTwo()
{
    const Run r = run({QStringLiteral("--transport"), QStringLiteral("carrier-pigeon"), QStringLiteral("http://127.0.0.1:1/")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.stdoutBytes.isEmpty());
    QVERIFY(r.stderrText.contains(QStringLiteral("unknown transport")));
}

void TestHeadless::invalidUtf8IsReplaced()
{
    const Run r = run({QStringLiteral("--count"), QStringLiteral("1"), QStringLiteral("--transport"), QStringLiteral("sse"),
                       m_server.httpUrl(QStringLiteral("/test/invalid-utf8?type=sse")).toString()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.events.size(), 1);
    QVERIFY(r.events[0].value(QStringLiteral("data")).toString().contains(QChar(0xFFFD)));
}

void TestHeadless::badNdjsonLineIsReportedAndStreamContinues()
{
    const Run r = run({QStringLiteral("--count"), QStringLiteral("6"), QStringLiteral("--transport"), QStringLiteral("ndjson"),
                       m_server.httpUrl(QStringLiteral("/test/ndjson-bad")).toString()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.events.size(), 6);
    QCOMPARE(r.events[3].value(QStringLiteral("type")).toString(), QStringLiteral("error"));
    QCOMPARE(r.events[3].value(QStringLiteral("data")).toString(), QStringLiteral("{\"a\":1,,}"));
    QCOMPARE(r.events[4].value(QStringLiteral("type")).toString(), QStringLiteral("json"));
    QVERIFY2(r.stderrText.contains(QStringLiteral("invalid JSON")), qPrintable(r.stderrText));
}

void TestHeadless::postBodyAndHeadersReachServer()
{
    const int before = m_server.requests(QStringLiteral("/test/sse-once")).size();
    const Run r = run({QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("-H"), QStringLiteral("X-Team: sre"),
                       QStringLiteral("--data"), QStringLiteral("{\"q\":1}"),
                       m_server.httpUrl(QStringLiteral("/test/sse-once?events=3")).toString()});
    QCOMPARE(r.exitCode, 0);
    const QList<HttpRequest> requests = m_server.requests(QStringLiteral("/test/sse-once"));
    QVERIFY(requests.size() > before);
    const HttpRequest &req = requests.at(before);
    QCOMPARE(req.method, QByteArray("POST"));
    QCOMPARE(req.body, QByteArray("{\"q\":1}"));
    QCOMPARE(req.header("x-team"), QByteArray("sre"));
}

void TestHeadless::helpAndVersionNeedNoDisplay()
{
    const Run help = run({QStringLiteral("--help")}, 10'000, false);
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.stdoutBytes.contains("--headless"));
    QVERIFY(help.stdoutBytes.contains("--screenshot"));
    const Run version = run({QStringLiteral("--version")}, 10'000, false);
    QCOMPARE(version.exitCode, 0);
    QVERIFY2(version.stdoutBytes.startsWith("livedash "), version.stdoutBytes.constData());
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
