#include "event_json.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

class TestEventJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactShape();
    void sentMessagesSayDirection();
    void escaping();
    void invalidUtf8BecomesReplacement();
    void binaryIsBase64();
    void terminalSafe_data();
    void terminalSafe();
    void timestampsMatchQDateTime();
    void formatterFollowsSourceChanges();
    void longPayloadsAndEveryOffset();
};

static StreamEvent sampleEvent(QByteArray type, QByteArray payload, QByteArray id = {})
{
    StreamEvent e;
    e.source = QStringLiteral("http://127.0.0.1:8080/sse");
    e.seq = 42;
    e.receivedMs = 1'795'000'000'123; // 2026-11-18T...Z
    e.type = std::move(type);
    e.id = std::move(id);
    e.payload = std::move(payload);
    return e;
}

static QJsonObject parsed(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "bad JSON" << line << error.errorString();
    return doc.object();
}

void TestEventJson::exactShape()
{
    QByteArray out;
    appendEventJson(sampleEvent("message", "hello", "7"), out);
    QVERIFY(out.endsWith('\n'));
    QCOMPARE(out.count('\n'), 1);
    const QByteArray ts = QDateTime::fromMSecsSinceEpoch(1'795'000'000'123, Qt::UTC)
                              .toString(Qt::ISODateWithMs).toLatin1();
    QCOMPARE(out, QByteArray("{\"source\":\"http://127.0.0.1:8080/sse\",\"seq\":42,\"type\":\"message\","
                             "\"id\":\"7\",\"data\":\"hello\",\"ts\":\"") + ts + "\"}\n");
    QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"))
                .match(QString::fromLatin1(ts)).hasMatch());
}

void TestEventJson::sentMessagesSayDirection()
{
    StreamEvent sent = sampleEvent("text", "ping?");
    sent.kind = StreamEvent::Kind::Sent;
    QByteArray out;
    appendEventJson(sent, out);
    QVERIFY2(out.endsWith("\",\"direction\":\"sent\"}\n"), out.constData());
    QCOMPARE(parsed(out.trimmed()).value(QStringLiteral("direction")).toString(), QStringLiteral("sent"));
    sent.receivedMs = -1; // the slow timestamp path
    out.clear();
    appendEventJson(sent, out);
    QCOMPARE(parsed(out.trimmed()).value(QStringLiteral("direction")).toString(), QStringLiteral("sent"));
    out.clear();
    appendEventJson(sampleEvent("text", "pong"), out);
    QVERIFY(!out.contains("direction")); // received events keep the contract's shape
}

void TestEventJson::escaping()
{
    QByteArray out;
    const QByteArray payload = QByteArrayLiteral("a\"b\\c\nd\re\tf\x01g\x1f \xE2\x80\xA6 \x7f");
    appendEventJson(sampleEvent("line", payload), out);
    QVERIFY(out.contains("a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001f \xE2\x80\xA6 \\u007f"));
    QCOMPARE(parsed(out).value(QStringLiteral("data")).toString(), QString::fromUtf8(payload));
}

void TestEventJson::invalidUtf8BecomesReplacement()
{
    QByteArray out;
    appendEventJson(sampleEvent("message", QByteArray("x\xFFy")), out);
    QCOMPARE(parsed(out).value(QStringLiteral("data")).toString(), QStringLiteral("x\uFFFDy"));
}

void TestEventJson::binaryIsBase64()
{
    QByteArray out;
    appendEventJson(sampleEvent("binary", QByteArray("\x00\x01\xFF", 3)), out);
    QCOMPARE(parsed(out).value(QStringLiteral("data")).toString(), QStringLiteral("AAH/"));
}

void TestEventJson::terminalSafe_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("escaped"); // what the "data" value must look like between the quotes

    QTest::newRow("DEL") << QByteArray("a\x7f" "b") << QByteArray("a\\u007fb");
    QTest::newRow("ESC and CSI") << QByteArray("\x1b[31mred\x1b[0m") << QByteArray("\\u001b[31mred\\u001b[0m");
    QTest::newRow("C1 first and last") << QByteArray("\xC2\x80|\xC2\x9F") << QByteArray("\\u0080|\\u009f");
    QTest::newRow("C1 CSI and OSC") << QByteArray("\xC2\x9B" "2J\xC2\x9D" "0;t\xC2\x9C")
                                    << QByteArray("\\u009b2J\\u009d0;t\\u009c");
    QTest::newRow("NBSP and e-acute stay") << QByteArray("\xC2\xA0\xC3\xA9") << QByteArray("\xC2\xA0\xC3\xA9");
    QTest::newRow("U+2026 and emoji stay") << QByteArray("\xE2\x80\xA6\xF0\x9F\x98\x80") << QByteArray("\xE2\x80\xA6\xF0\x9F\x98\x80");
    QTest::newRow("NUL") << QByteArray("x\0y", 3) << QByteArray("x\\u0000y");
    QTest::newRow("C1 in a long ASCII run")
        << QByteArray(QByteArray(37, 'a') + "\xC2\x85" + QByteArray(40, 'b'))
        << QByteArray(QByteArray(37, 'a') + "\\u0085" + QByteArray(40, 'b'));
    QTest::newRow("invalid byte then C1") << QByteArray("\xFF\xC2\x90") << QByteArray("\xEF\xBF\xBD\\u0090");
    QTest::newRow("lone C2 is invalid") << QByteArray("\xC2" "A") << QByteArray("\xEF\xBF\xBD" "A");
}

void TestEventJson::terminalSafe()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, escaped);
    QByteArray out;
    appendEventJson(sampleEvent("message", payload), out);
    QVERIFY2(out.contains(QByteArray(",\"data\":\"" + escaped + "\",\"ts\"")), out.constData());
    // Nothing a terminal would interpret: no C0 except the final LF, no DEL, no C1 (C2 80..9F).
    for (qsizetype i = 0; i < out.size(); ++i) {
        const uchar c = uchar(out[i]);
        QVERIFY2((c >= 0x20 && c != 0x7F) || (c == '\n' && i == out.size() - 1), qPrintable(QString::number(i)));
        if (c == 0xC2 && i + 1 < out.size())
            QVERIFY(uchar(out[i + 1]) > 0x9F);
    }
    // And the JSON still says exactly what came in (after UTF-8 repair).
    QCOMPARE(parsed(out).value(QStringLiteral("data")).toString(), QString::fromUtf8(payload));
    // The type and id fields are escaped the same way.
    QByteArray typed;
    appendEventJson(sampleEvent(payload, "x", payload), typed);
    QVERIFY(typed.contains(QByteArray("\"type\":\"" + escaped + "\",\"id\":\"" + escaped + "\"")));
}

void TestEventJson::timestampsMatchQDateTime()
{
    QList<qint64> samples{0, 1, 999, 1000, 59'999, 86'399'999, 86'400'000, 951'782'400'000 /* 2000-02-29 */,
                          4'107'542'399'999 /* 2100-02-28T23:59:59.999 */, 4'107'542'400'000,
                          253'402'300'799'999 /* 9999-12-31T23:59:59.999 */, 253'402'300'800'000, -1,
                          -86'400'001, 1'795'000'000'123};
    quint64 state = 20261121;
    for (int i = 0; i < 20'000; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        samples.append(qint64((state >> 11) % 300'000'000'000'000ull) - 10'000'000'000'000ll);
    }
    EventJsonFormatter formatter;
    for (const qint64 ms : samples) {
        const QByteArray want = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
        QCOMPARE(rfc3339Ms(ms), want);
        StreamEvent e = sampleEvent("message", "x");
        e.receivedMs = ms;
        QByteArray out;
        formatter.append(e, out);
        QVERIFY2(out.endsWith(QByteArray(",\"ts\":\"" + want + "\"}\n")), out.constData());
    }
}

void TestEventJson::formatterFollowsSourceChanges()
{
    EventJsonFormatter formatter;
    QByteArray out;
    StreamEvent a = sampleEvent("message", "1");
    StreamEvent b = a;
    b.source = QStringLiteral("http://127.0.0.1:1/\u00e9\"q\"");
    formatter.append(a, out);
    formatter.append(b, out);
    formatter.append(a, out);
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(parsed(lines[0]).value(QStringLiteral("source")).toString(), a.source);
    QCOMPARE(parsed(lines[1]).value(QStringLiteral("source")).toString(), b.source);
    QCOMPARE(parsed(lines[2]).value(QStringLiteral("source")).toString(), a.source);
    // write() leaves scratch space after the returned position; append() trims it.
    QByteArray raw;
    const qsizetype end = formatter.write(a, raw, 0);
    QVERIFY(raw.size() >= end);
    QCOMPARE(raw.first(end), lines[0] + '\n');
}

void TestEventJson::longPayloadsAndEveryOffset()
{
    // Specials at every offset of a 40-byte ASCII run (SIMD block edges), and payloads longer than
    // the formatter's 16 KiB window with multi-byte characters across the window edges.
    for (int at = 0; at < 40; ++at) {
        for (const QByteArray &special : {QByteArray("\""), QByteArray("\x7f"), QByteArray("\xC2\x9B"),
                                          QByteArray("\xE2\x80\xA6"), QByteArray("\xF0\x9F\x98\x80"),
                                          QByteArray("\xFF")}) {
            QByteArray payload(40, 'a');
            payload.insert(at, special);
            QByteArray out;
            appendEventJson(sampleEvent("message", payload), out);
            QCOMPARE(parsed(out).value(QStringLiteral("data")).toString(), QString::fromUtf8(payload));
        }
    }
    QByteArray big;
    while (big.size() < 100'000)
        big += "abc\xE2\x80\xA6\"\n\xC2\x9F\xF0\x9F\x98\x80 0123456789";
    for (const qsizetype cut : {qsizetype(16 * 1024 - 1), qsizetype(16 * 1024), qsizetype(16 * 1024 + 1), big.size()}) {
        const QByteArray payload = big.first(cut);
        QByteArray out;
        appendEventJson(sampleEvent("message", payload), out);
        QCOMPARE(parsed(out).value(QStringLiteral("data")).toString(), QString::fromUtf8(payload));
        QVERIFY(!out.contains("\xC2\x9F"));
    }
}

QTEST_GUILESS_MAIN(TestEventJson)
#include "tst_event_json.moc"
