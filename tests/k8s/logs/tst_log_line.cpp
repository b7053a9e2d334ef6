#include "log_line.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

class TestLogLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void ordering();
    void formatting();
    void roundTripAgainstQDateTime();
    void splitLine();
    void splitSharesBuffer();
    void splitWithoutTimestamp();
};

void TestLogLine::parseValid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<int>("nanos");
    // 2026-12-01T23:10:01Z = 1796166601
    const qint64 base = QDateTime(QDate(2026, 12, 1), QTime(23, 10, 1), Qt::UTC).toSecsSinceEpoch();
    QTest::newRow("nanos") << QByteArray("2026-12-01T23:10:01.123456789Z") << base << 123456789;
    QTest::newRow("no fraction") << QByteArray("2026-12-01T23:10:01Z") << base << 0;
    QTest::newRow("empty fraction") << QByteArray("2026-12-01T23:10:01.Z") << base << 0;
    QTest::newRow("one digit") << QByteArray("2026-12-01T23:10:01.5Z") << base << 500000000;
    QTest::newRow("six digits") << QByteArray("2026-12-01T23:10:01.000123Z") << base << 123000;
    QTest::newRow("lower case") << QByteArray("2026-12-01t23:10:01.1z") << base << 100000000;
    QTest::newRow("plus offset") << QByteArray("2026-12-02T01:40:01.25+02:30") << base << 250000000;
    QTest::newRow("minus offset") << QByteArray("2026-12-01T22:10:01-01:00") << base << 0;
    QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00Z") << qint64(0) << 0;
    QTest::newRow("leap day") << QByteArray("2024-02-29T00:00:00Z") << qint64(1709164800) << 0;
    QTest::newRow("before epoch") << QByteArray("1969-12-31T23:59:59.999999999Z") << qint64(-1) << 999999999;
}

void TestLogLine::parseValid()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, seconds);
    QFETCH(int, nanos);
    const auto ts = KubeTimestamp::parse(text);
    QVERIFY(ts.has_value());
    QCOMPARE(ts->seconds, seconds);
    QCOMPARE(ts->nanos, nanos);
}

void TestLogLine::parseInvalid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text") << QByteArray("hello world, this is a line");
    QTest::newRow("ten digits") << QByteArray("2026-12-01T23:10:01.1234567890Z");
    QTest::newRow("no zone") << QByteArray("2026-12-01T23:10:01.123");
    QTest::newRow("month 13") << QByteArray("2026-13-01T23:10:01Z");
    QTest::newRow("feb 29 non-leap") << QByteArray("2026-02-29T23:10:01Z");
    QTest::newRow("hour 24") << QByteArray("2026-12-01T24:10:01Z");
    QTest::newRow("second 60") << QByteArray("2026-12-01T23:10:60Z");
    QTest::newRow("bad separator") << QByteArray("2026-12-01X23:10:01Z");
    QTest::newRow("short offset") << QByteArray("2026-12-01T23:10:01+02");
    QTest::newRow("offset no colon") << QByteArray("2026-12-01T23:10:01+0200");
    QTest::newRow("trailing") << QByteArray("2026-12-01T23:10:01Zx");
    QTest::newRow("letter in year") << QByteArray("20a6-12-01T23:10:01Z");
}

void TestLogLine::parseInvalid()
{
    QFETCH(QByteArray, text);
    QVERIFY(!KubeTimestamp::parse(text).has_value());
}

void TestLogLine::ordering()
{
    const KubeTimestamp a{100, 5};
    const KubeTimestamp b{100, 6};
    const KubeTimestamp c{101, 0};
    QVERIFY(a < b);
    QVERIFY(b < c);
    QVERIFY(a == (KubeTimestamp{100, 5}));
    QVERIFY(c > a);
    QCOMPARE(c.toEpochMs(), qint64(101000));
    QCOMPARE((KubeTimestamp{1, 999999999}).toEpochMs(), qint64(1999));
    QCOMPARE(b.truncatedToSecond(), (KubeTimestamp{100, 0}));
}

void TestLogLine::formatting()
{
    const auto ts = KubeTimestamp::parse("2026-12-01T23:10:01.123456789Z");
    QVERIFY(ts.has_value());
    QCOMPARE(ts->toRfc3339Ms(), QStringLiteral("2026-12-01T23:10:01.123Z"));
    QCOMPARE(ts->toSinceTime(), QStringLiteral("2026-12-01T23:10:01Z"));
    QCOMPARE(ts->toRfc3339Nanos(), QByteArray("2026-12-01T23:10:01.123456789Z"));
    QCOMPARE((KubeTimestamp{0, 7}).toRfc3339Nanos(), QByteArray("1970-01-01T00:00:00.000000007Z"));
    QCOMPARE((KubeTimestamp{-1, 0}).toSinceTime(), QStringLiteral("1969-12-31T23:59:59Z"));
}

void TestLogLine::roundTripAgainstQDateTime()
{
    // Every ~3 days over 60 years, at an odd second: parse(format(x)) == x and QDateTime agrees.
    for (qint64 s = 0; s < qint64(60) * 365 * 86400; s += 86400 * 3 + 3607) {
        const KubeTimestamp ts{s, qint32(s % 1'000'000'000)};
        const QByteArray text = ts.toRfc3339Nanos();
        const auto back = KubeTimestamp::parse(text);
        QVERIFY2(back.has_value(), text.constData());
        QCOMPARE(*back, ts);
        const QDateTime qt = QDateTime::fromSecsSinceEpoch(s, Qt::UTC);
        QCOMPARE(ts.toSinceTime(), qt.toString(Qt::ISODate));
    }
}

void TestLogLine::splitLine()
{
    const KubeLogLine line = LogLineParser::split("2026-12-01T23:10:01.123456789Z hello world");
    QVERIFY(line.hasTimestamp);
    QCOMPARE(line.text, QByteArray("hello world"));
    QCOMPARE(line.timestamp.nanos, 123456789);

    const KubeLogLine empty = LogLineParser::split("2026-12-01T23:10:01.1Z ");
    QVERIFY(empty.hasTimestamp);
    QVERIFY(empty.text.isEmpty());
    const KubeLogLine bare = LogLineParser::split("2026-12-01T23:10:01.1Z");
    QVERIFY(bare.hasTimestamp);
    QVERIFY(bare.text.isEmpty());
    // Only the first space separates: the text keeps its own leading spaces.
    QCOMPARE(LogLineParser::split("2026-12-01T23:10:01Z   indented").text, QByteArray("  indented"));
}

void TestLogLine::splitSharesBuffer()
{
    const QByteArray whole("2026-12-01T23:10:01.123456789Z shared text");
    const KubeLogLine line = LogLineParser::split(whole);
    QCOMPARE(line.text, QByteArray("shared text"));
    QCOMPARE(line.text.constData(), whole.constData() + 31); // a slice, not a copy
}

void TestLogLine::splitWithoutTimestamp()
{
    const KubeTimestamp inherited{42, 1};
    const KubeLogLine line = LogLineParser::split("no timestamp here", inherited);
    QVERIFY(!line.hasTimestamp);
    QCOMPARE(line.text, QByteArray("no timestamp here"));
    QCOMPARE(line.timestamp, inherited);
    const KubeLogLine bad = LogLineParser::split("2026-12-01T23:10:01.1234567890Z x", inherited);
    QVERIFY(!bad.hasTimestamp);
    QCOMPARE(bad.text, QByteArray("2026-12-01T23:10:01.1234567890Z x"));
}

QTEST_GUILESS_MAIN(TestLogLine)
#include "tst_log_line.moc"
