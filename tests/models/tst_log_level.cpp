#include "log_level.h"
#include "stream_event.h"

#include <QTest>

class TestLogLevel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void detect_data();
    void detect();
    void eventKinds();
};

void TestLogLevel::detect_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("level");
    const auto row = [](const char *name, const QByteArray &payload, LogLevel level) {
        QTest::newRow(name) << payload << int(level);
    };
    row("json level", R"({"ts":"x","level":"ERROR","msg":"boom"})", LogLevel::Error);
    row("json spaced", R"({ "level" : "warn", "msg":"x"})", LogLevel::Warn);
    row("json severity", R"({"severity":"Critical","msg":"x"})", LogLevel::Fatal);
    row("json lvl debug", R"({"lvl":"debug"})", LogLevel::Debug);
    row("json info", R"({"level":"info","msg":"an error happened"})", LogLevel::Info);
    row("json numeric level", R"({"level":30,"msg":"error"})", LogLevel::None);
    row("json no level", R"({"msg":"ERROR in text of json"})", LogLevel::None);
    row("klog style", "2026-11-21T05:19:00.123Z WARN  api   GET /v1 200 12ms", LogLevel::Warn);
    row("bracketed", "[ERROR] disk full", LogLevel::Error);
    row("logfmt", "ts=1 level=warning msg=slow", LogLevel::Warn);
    row("lower", "info: started", LogLevel::Info);
    row("title", "Fatal: cannot bind", LogLevel::Fatal);
    row("trace", "TRACE enter f()", LogLevel::Trace);
    row("plural is not a level", "errors=0 requests=5", LogLevel::None);
    row("prefix is not a level", "INFOrmation only", LogLevel::None);
    row("mixed case noise", "eRRoR maybe", LogLevel::None);
    row("plain", "GET /healthz 200", LogLevel::None);
    row("empty", "", LogLevel::None);
    row("first level wins", "INFO retrying after ERROR", LogLevel::Info);
    row("beyond 128 bytes", QByteArray(140, 'x') + " ERROR late", LogLevel::None);
}

void TestLogLevel::detect()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, level);
    QCOMPARE(int(detectLogLevel(payload)), level);
}

void TestLogLevel::eventKinds()
{
    StreamEvent e;
    e.payload = "all good";
    e.kind = StreamEvent::Kind::Error;
    QCOMPARE(logLevelOf(e), LogLevel::Error);
    e.kind = StreamEvent::Kind::Gap;
    e.payload = "ERROR";
    QCOMPARE(logLevelOf(e), LogLevel::None);
    e.kind = StreamEvent::Kind::Data;
    e.type = "binary";
    QCOMPARE(logLevelOf(e), LogLevel::None);
    e.type = "line";
    QCOMPARE(logLevelOf(e), LogLevel::Error);
}

QTEST_GUILESS_MAIN(TestLogLevel)
#include "tst_log_level.moc"
