#include "cli_options.h"

#include <QTest>

class TestCliOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headlessWithEverything();
    void usageErrors_data();
    void usageErrors();
    void helpExitsZero();
    void demoNeedsNoUrl();
    void livenessAndSecrets();
};

static CliParseResult parse(QStringList args)
{
    args.prepend(QStringLiteral("livedash"));
    return parseCommandLine(args);
}

void TestCliOptions::headlessWithEverything()
{
    const CliParseResult r = parse({"--headless", "--transport", "sse", "-H", "Authorization: Bearer x",
                                    "-H", "X-Trace:  1 ", "--data", "{\"q\":1}", "--count", "5",
                                    "--duration", "2.5", "http://127.0.0.1:1/a", "https://example.org/b"});
    QVERIFY2(r.options, qPrintable(r.message));
    const CliOptions &o = *r.options;
    QVERIFY(o.headless);
    QCOMPARE(o.transportId, QStringLiteral("sse"));
    QCOMPARE(o.headers.size(), 2);
    QCOMPARE(o.headers[0].first, QByteArray("Authorization"));
    QCOMPARE(o.headers[0].second, QByteArray("Bearer x"));
    QCOMPARE(o.headers[1].second, QByteArray("1"));
    QCOMPARE(o.body.value(), QByteArray("{\"q\":1}"));
    QCOMPARE(o.count.value(), 5);
    QCOMPARE(o.durationSeconds.value(), 2.5);
    QCOMPARE(o.urls.size(), 2);
    const QList<TransportConfig> configs = o.transportConfigs();
    QCOMPARE(configs.size(), 2);
    QCOMPARE(configs[1].url, QUrl(QStringLiteral("https://example.org/b")));
    QCOMPARE(configs[1].transportId, QStringLiteral("sse"));
    QCOMPARE(configs[1].headers.size(), 2);
}

void TestCliOptions::livenessAndSecrets()
{
    const CliParseResult r = parse({"--headless", "--idle-timeout", "2.5", "--connect-timeout", "0",
                                    "--no-stall-detection", "--secret-header", "X-Tenant-Key",
                                    "--final-close-codes", "4001, 4403", "--verbose", "ws://127.0.0.1:1/a"});
    QVERIFY2(r.options, qPrintable(r.message));
    QVERIFY(r.options->verbose);
    const TransportConfig config = r.options->transportConfigs().first();
    QCOMPARE(config.idleTimeoutMs, 2500);
    QCOMPARE(config.connectTimeoutMs, 0);
    QCOMPARE(config.detectStalls, false);
    QCOMPARE(config.secretHeaders, QList<QByteArray>{"X-Tenant-Key"});
    QCOMPARE(config.finalCloseCodes, (QList<int>{4001, 4403}));
    const TransportConfig defaults = parse({"--headless", "http://127.0.0.1:1/"}).options->transportConfigs().first();
    QCOMPARE(defaults.connectTimeoutMs, TransportConfig::DefaultConnectTimeoutMs);
    QCOMPARE(defaults.idleTimeoutMs, 0);
    QVERIFY(defaults.detectStalls);
}

void TestCliOptions::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("needle");
    QTest::newRow("unknown transport") << QStringList{"--headless", "--transport", "grpc", "http://h/"} << "unknown transport";
    QTest::newRow("idle timeout words") << QStringList{"--headless", "--idle-timeout", "soon", "http://h/"} << "--idle-timeout needs seconds";
    QTest::newRow("negative connect timeout") << QStringList{"--headless", "--connect-timeout", "-1", "http://h/"} << "--connect-timeout needs seconds";
    QTest::newRow("bad close code") << QStringList{"--headless", "--final-close-codes", "4001,99", "ws://h/"} << "close codes 1000-4999";
    QTest::newRow("bad header") << QStringList{"--headless", "-H", "NoColon", "http://h/"} << "bad header";
    QTest::newRow("header with space in name") << QStringList{"--headless", "-H", "A B: c", "http://h/"} << "bad header";
    QTest::newRow("count zero") << QStringList{"--headless", "--count", "0", "http://h/"} << "--count";
    QTest::newRow("count text") << QStringList{"--headless", "--count", "many", "http://h/"} << "--count";
    QTest::newRow("duration negative") << QStringList{"--headless", "--duration", "-1", "http://h/"} << "--duration";
    QTest::newRow("ftp url") << QStringList{"--headless", "ftp://h/x"} << "not an http";
    QTest::newRow("ws with sse") << QStringList{"--headless", "--transport", "sse", "ws://h/x"} << "cannot open";
    QTest::newRow("http with websocket") << QStringList{"--headless", "--transport", "websocket", "http://h/x"} << "cannot open";
    QTest::newRow("no url") << QStringList{"--headless"} << "at least one URL";
    QTest::newRow("count without headless") << QStringList{"--count", "3", "http://h/"} << "only apply";
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "frobnicate";
    QTest::newRow("screenshot headless") << QStringList{"--headless", "--screenshot", "a.png", "http://h/"} << "cannot be used";
}

void TestCliOptions::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, needle);
    const CliParseResult r = parse(args);
    QVERIFY(!r.options);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.message.contains(needle), qPrintable(r.message));
}

void TestCliOptions::helpExitsZero()
{
    const CliParseResult r = parse({"--help"});
    QVERIFY(!r.options);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.message.contains(QStringLiteral("--headless")));
    QVERIFY(r.message.contains(QStringLiteral("--screenshot-delay")));
}

void TestCliOptions::demoNeedsNoUrl()
{
    const CliParseResult r = parse({"--demo", "--screenshot", "/tmp/x.png", "--screenshot-delay", "500"});
    QVERIFY2(r.options, qPrintable(r.message));
    QVERIFY(r.options->demo);
    QCOMPARE(r.options->screenshotDelayMs, 500);
    QCOMPARE(r.options->screenshotPath, QStringLiteral("/tmp/x.png"));
}

QTEST_GUILESS_MAIN(TestCliOptions)
#include "tst_cli_options.moc"
