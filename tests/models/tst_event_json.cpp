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
    void escaping();
    void invalidUtf8BecomesReplacement();
    void binaryIsBase64();
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

void TestEventJson::escaping()
{
    QByteArray out;
    const QByteArray payload = QByteArrayLiteral("a\"b\\c\nd\re\tf\x01g\x1f \xE2\x80\xA6 \x7f");
    appendEventJson(sampleEvent("line", payload), out);
    QVERIFY(out.contains("a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001f"));
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

QTEST_GUILESS_MAIN(TestEventJson)
#include "tst_event_json.moc"
