#include "dashboard_document.h"
#include "dashboard_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

namespace {

/// A dashboard that sets every field to something other than its default.
DashboardDocument fullDocument()
{
    DashboardDocument document;
    document.name = QStringLiteral("Ops — night shift");
    DashboardSource metrics;
    metrics.url = QStringLiteral("https://example.test/sse/metrics?region=eu");
    metrics.name = QStringLiteral("metrics");
    metrics.transportId = QStringLiteral("sse");
    metrics.headers = {{"X-Trace", "on", false, DashboardHeader::Storage::Plain},
                       {"Authorization", "Bearer s3cr3t-token", true, DashboardHeader::Storage::Keyring},
                       {"X-Pin", "hunter2", true, DashboardHeader::Storage::Prompt}};
    metrics.body = QByteArray("{\"q\": \"cpu\"}");
    metrics.insecureTls = true;
    metrics.reconnect = false;
    metrics.detectStalls = false;
    metrics.paused = true;
    metrics.connectTimeoutMs = 12'000;
    metrics.idleTimeoutMs = 45'000;
    metrics.pingIntervalMs = 5'000;
    metrics.subprotocols = {QStringLiteral("v2.json"), QStringLiteral("v1.json")};
    metrics.finalCloseCodes = {4001, 4403};
    DashboardSource binary;
    binary.url = QStringLiteral("ws://127.0.0.1:9/ws");
    binary.body = QByteArray("\xff\x00\xfe", 3);
    DashboardSource k8s;
    k8s.url = QStringLiteral("k8s:logs/deployment/web?namespace=default");
    document.sources = {metrics, binary, k8s};
    DashboardPanel log{QStringLiteral("log"), QStringLiteral("log-1"), QStringLiteral("Errors"), false,
                       {QStringLiteral("metrics")}, QJsonObject{{QStringLiteral("filter"), QStringLiteral("error")}}};
    DashboardPanel chart{QStringLiteral("chart"), QStringLiteral("chart-1"), QStringLiteral("CPU"), true, {},
                         QJsonObject{{QStringLiteral("windowMs"), 300'000}}};
    document.panels = {log, chart};
    document.windowState = QByteArray("\x00\x01state\xff", 8);
    document.windowGeometry = QByteArray("geometry\x00", 9);
    return document;
}

/// What reading gives back: secret values are not in the file.
DashboardDocument withoutSecretValues(DashboardDocument document)
{
    for (DashboardSource &source : document.sources)
        for (DashboardHeader &header : source.headers)
            if (header.secret)
                header.value.clear();
    return document;
}

QByteArray minimal(const QByteArray &rest)
{
    return QByteArray("{\"format\": \"livedash-dashboard\", \"version\": 1") + rest + "}";
}

} // namespace

class TestDashboardFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripEveryField();
    void outputIsStableAndIndented();
    void secretsNeverInText();
    void fromTransportConfigMarksSecrets();
    void badFiles_data();
    void badFiles();
    void unknownPanelKindsAndKeysPreserved();
    void fileErrorsNameThePath();
    void writeAndReadFile();
};

void TestDashboardFile::roundTripEveryField()
{
    const DashboardDocument document = fullDocument();
    DashboardError error;
    const std::optional<DashboardDocument> read = DashboardFormat::parse(DashboardFormat::serialize(document), &error);
    QVERIFY2(read, qPrintable(error.toString()));
    const DashboardDocument expected = withoutSecretValues(document);
    QCOMPARE(read->name, expected.name);
    QCOMPARE(read->sources.size(), expected.sources.size());
    for (qsizetype i = 0; i < expected.sources.size(); ++i)
        QVERIFY2(read->sources.at(i) == expected.sources.at(i), qPrintable(expected.sources.at(i).url));
    QCOMPARE(read->sources.at(1).body, expected.sources.at(1).body); // not UTF-8: base64
    QCOMPARE(read->panels, expected.panels);
    QCOMPARE(read->windowState, expected.windowState);
    QCOMPARE(read->windowGeometry, expected.windowGeometry);
    QVERIFY(*read == expected);
    // The Kubernetes spec is kept as the string given.
    QCOMPARE(read->sources.at(2).url, QStringLiteral("k8s:logs/deployment/web?namespace=default"));
    // And into a TransportConfig: headers, options, secret marks.
    const TransportConfig config = document.sources.first().toTransportConfig();
    QCOMPARE(config.url, QUrl(QStringLiteral("https://example.test/sse/metrics?region=eu")));
    QCOMPARE(config.sourceId, QStringLiteral("metrics"));
    QCOMPARE(config.idleTimeoutMs, 45'000);
    QCOMPARE(config.connectTimeoutMs, 12'000);
    QVERIFY(config.insecureTls);
    QCOMPARE(config.subprotocols, document.sources.first().subprotocols);
    QCOMPARE(config.headers.size(), 3);
    QVERIFY(config.secretHeaders.contains("X-Pin"));
}

void TestDashboardFile::outputIsStableAndIndented()
{
    const QByteArray first = DashboardFormat::serialize(fullDocument());
    QCOMPARE(DashboardFormat::serialize(fullDocument()), first);
    // Reading and writing again gives the same bytes.
    const auto read = DashboardFormat::parse(first, nullptr);
    QVERIFY(read);
    QCOMPARE(DashboardFormat::serialize(*read), first);
    QVERIFY(first.contains("\n    \"format\": \"livedash-dashboard\""));
    QVERIFY(first.contains("\"version\": 1"));
    QVERIFY(first.count('\n') > 40); // one value a line: diffs stay readable
}

void TestDashboardFile::secretsNeverInText()
{
    const QByteArray text = DashboardFormat::serialize(fullDocument());
    QVERIFY(!text.contains("s3cr3t"));
    QVERIFY(!text.contains("hunter2"));
    QVERIFY(text.contains("\"valueIn\": \"keyring\""));
    QVERIFY(text.contains("\"valueIn\": \"prompt\""));
    QVERIFY(text.contains("\"value\": \"on\"")); // plain headers are kept
    // A secret header with a value in the file is refused: no one may rely on it.
    DashboardError error;
    QVERIFY(!DashboardFormat::parse(minimal(", \"sources\": [{\"url\": \"http://a/\", \"headers\": "
                                            "[{\"name\": \"Authorization\", \"secret\": true, \"valueIn\": \"keyring\", "
                                            "\"value\": \"x\"}]}]"), &error));
    QCOMPARE(error.where, QStringLiteral("sources[0].headers[0].value"));
}

void TestDashboardFile::fromTransportConfigMarksSecrets()
{
    TransportConfig config;
    config.url = QUrl(QStringLiteral("http://example.test/"));
    config.headers = {{"Authorization", "Bearer abc"}, {"X-Mine", "m1"}, {"X-Plain", "p"}, {"X-Api-Token", "t"}};
    config.secretHeaders = {"x-mine"};
    const DashboardSource source = DashboardSource::fromTransportConfig(config, true);
    QVERIFY(source.paused);
    QCOMPARE(source.headers.size(), 4);
    QVERIFY(source.headers.at(0).secret);  // sensitive name
    QVERIFY(source.headers.at(1).secret);  // marked by the user (any case)
    QVERIFY(!source.headers.at(2).secret);
    QVERIFY(source.headers.at(3).secret);  // token in the name
    QCOMPARE(source.headers.at(1).value, QByteArray("m1")); // kept in memory for the keyring
    DashboardDocument document;
    document.sources = {source};
    const QByteArray text = DashboardFormat::serialize(document);
    QVERIFY(!text.contains("abc") && !text.contains("m1") && !text.contains("\"t\""));
}

void TestDashboardFile::badFiles_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << QByteArray() << 1 << QString() << QStringLiteral("expected a JSON dashboard");
    QTest::newRow("syntax on line 3") << QByteArray("{\n  \"format\": \"livedash-dashboard\",\n  \"version\": 1,,\n}")
                                      << 3 << QString() << QStringLiteral("expected a JSON dashboard");
    QTest::newRow("array at top") << QByteArray("[1, 2]") << 0 << QString() << QStringLiteral("JSON object");
    QTest::newRow("other format") << QByteArray("{\"format\": \"grafana\", \"version\": 1}") << 0
                                  << QStringLiteral("format") << QStringLiteral("livedash-dashboard");
    QTest::newRow("no version") << QByteArray("{\"format\": \"livedash-dashboard\"}") << 0 << QStringLiteral("version")
                                << QStringLiteral("missing");
    QTest::newRow("newer version") << QByteArray("{\"format\": \"livedash-dashboard\", \"version\": 7}") << 0
                                   << QStringLiteral("version") << QStringLiteral("newer");
    QTest::newRow("sources not a list") << minimal(", \"sources\": {}") << 0 << QStringLiteral("sources")
                                        << QStringLiteral("expected a list");
    QTest::newRow("source without url") << minimal(", \"sources\": [{\"url\": \"http://a/\"}, {\"name\": \"x\"}]") << 0
                                        << QStringLiteral("sources[1].url") << QStringLiteral("missing");
    QTest::newRow("url not a string") << minimal(", \"sources\": [{\"url\": 5}]") << 0 << QStringLiteral("sources[0].url")
                                      << QStringLiteral("expected a string");
    QTest::newRow("bad timeout") << minimal(", \"sources\": [{\"url\": \"http://a/\", \"idleTimeoutMs\": -3}]") << 0
                                 << QStringLiteral("sources[0].idleTimeoutMs") << QStringLiteral("whole number");
    QTest::newRow("bad bool") << minimal(", \"sources\": [{\"url\": \"http://a/\", \"paused\": \"yes\"}]") << 0
                              << QStringLiteral("sources[0].paused") << QStringLiteral("true or false");
    QTest::newRow("header without name") << minimal(", \"sources\": [{\"url\": \"http://a/\", \"headers\": [{\"value\": \"v\"}]}]")
                                         << 0 << QStringLiteral("sources[0].headers[0].name") << QStringLiteral("missing");
    QTest::newRow("secret storage") << minimal(", \"sources\": [{\"url\": \"http://a/\", \"headers\": [{\"name\": \"A\", "
                                               "\"secret\": true, \"valueIn\": \"disk\"}]}]")
                                    << 0 << QStringLiteral("sources[0].headers[0].valueIn") << QStringLiteral("keyring");
    QTest::newRow("close code") << minimal(", \"sources\": [{\"url\": \"http://a/\", \"finalCloseCodes\": [99]}]") << 0
                                << QStringLiteral("sources[0].finalCloseCodes[0]") << QStringLiteral("1000 to 4999");
    QTest::newRow("panel without id") << minimal(", \"panels\": [{\"kind\": \"log\"}]") << 0 << QStringLiteral("panels[0].id")
                                      << QStringLiteral("missing");
    QTest::newRow("panel sources") << minimal(", \"panels\": [{\"kind\": \"log\", \"id\": \"a\", \"sources\": 3}]") << 0
                                   << QStringLiteral("panels[0].sources") << QStringLiteral("\"all\" or a list");
    QTest::newRow("duplicate panel id") << minimal(", \"panels\": [{\"kind\": \"log\", \"id\": \"a\"}, {\"kind\": \"chart\", \"id\": \"a\"}]")
                                        << 0 << QStringLiteral("panels[1].id") << QStringLiteral("used twice");
    QTest::newRow("layout base64") << minimal(", \"layout\": {\"state\": \"***\"}") << 0 << QStringLiteral("layout.state")
                                   << QStringLiteral("base64");
}

void TestDashboardFile::badFiles()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, where);
    QFETCH(QString, expected);
    DashboardError error;
    QVERIFY(!DashboardFormat::parse(text, &error));
    QCOMPARE(error.line, line);
    QCOMPARE(error.where, where);
    QVERIFY2(error.message.contains(expected), qPrintable(error.message));
    QVERIFY(!error.toString().isEmpty());
    if (line > 0)
        QVERIFY2(error.toString().startsWith(QStringLiteral("line %1, column ").arg(line)), qPrintable(error.toString()));
    else
        QVERIFY2(error.toString().contains(where), qPrintable(error.toString()));
}

void TestDashboardFile::unknownPanelKindsAndKeysPreserved()
{
    const QByteArray text = minimal(", \"future\": 1, \"panels\": [{\"kind\": \"k8s-resources\", \"id\": \"pods\", "
                                    "\"title\": \"Pods\", \"sources\": [\"k8s\"], \"settings\": "
                                    "{\"columns\": [\"name\", \"age\"], \"nested\": {\"x\": true}}}]");
    const auto read = DashboardFormat::parse(text, nullptr);
    QVERIFY(read);
    QCOMPARE(read->panels.size(), 1);
    const DashboardPanel &panel = read->panels.first();
    QCOMPARE(panel.kind, QStringLiteral("k8s-resources"));
    QVERIFY(!panel.allSources);
    QCOMPARE(panel.sources, QStringList{QStringLiteral("k8s")});
    // Written back with its settings untouched, so a LiveDash without that kind loses nothing.
    const auto again = DashboardFormat::parse(DashboardFormat::serialize(*read), nullptr);
    QVERIFY(again);
    QCOMPARE(again->panels.first().settings, panel.settings);
    QCOMPARE(again->panels.first().settings.value(QStringLiteral("columns")).toArray().size(), 2);
}

void TestDashboardFile::fileErrorsNameThePath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const QString missing = dir.filePath(QStringLiteral("missing.livedash"));
    QVERIFY(!DashboardFile::read(missing, &error));
    QVERIFY2(error.startsWith(missing + QStringLiteral(": cannot open")), qPrintable(error));
    const QString bad = dir.filePath(QStringLiteral("bad.livedash"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\n\"format\": \"livedash-dashboard\",\n\"version\": 1,\n\"name\": \"x\n}");
    file.close();
    QVERIFY(!DashboardFile::read(bad, &error));
    // Qt notices the unterminated string where the text ends.
    QVERIFY2(error.startsWith(bad + QStringLiteral(": line 5, column ")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("unterminated string")), qPrintable(error));
    QVERIFY(DashboardFile::hasDashboardSuffix(QStringLiteral("a.livedash")));
    QVERIFY(DashboardFile::hasDashboardSuffix(QStringLiteral("a.JSON")));
    QVERIFY(!DashboardFile::hasDashboardSuffix(QStringLiteral("http://a/b")));
}

void TestDashboardFile::writeAndReadFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("ops.livedash"));
    QString error;
    QVERIFY2(DashboardFile::write(path, fullDocument(), &error), qPrintable(error));
    const auto read = DashboardFile::read(path, &error);
    QVERIFY2(read, qPrintable(error));
    QVERIFY(*read == withoutSecretValues(fullDocument()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("s3cr3t"));
    QVERIFY(!DashboardFile::write(dir.filePath(QStringLiteral("no/such/dir/x.livedash")), fullDocument(), &error));
    QVERIFY2(error.contains(QStringLiteral("cannot write")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestDashboardFile)
#include "tst_dashboard_file.moc"
