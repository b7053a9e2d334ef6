#include "json_validator.h"

#include <QTest>

class TestJsonValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void blank_data();
    void blank();
    void reuseAcrossSizes();
};

void TestJsonValidator::valid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("object") << QByteArray(R"({"type":"ADDED","object":{"kind":"Pod","n":[1,2.5e3,-0.1]}})");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("array") << QByteArray(R"([1,"two",true,false,null,{}])");
    QTest::newRow("string") << QByteArray(R"("hello \u00e9 \n")");
    QTest::newRow("number") << QByteArray("-12.5e-3");
    QTest::newRow("true") << QByteArray("true");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("surrounding whitespace") << QByteArray(" \t{\"a\":1}\r ");
    QTest::newRow("utf-8 text") << QByteArray("{\"msg\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}");
}

void TestJsonValidator::valid()
{
    QFETCH(QByteArray, text);
    JsonValidator validator;
    const std::optional<QString> result = validator.check(text);
    QVERIFY2(!result.has_value(), qPrintable(result.value_or(QString())));
}

void TestJsonValidator::invalid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("trailing garbage") << QByteArray(R"({"a":1} x)") << QStringLiteral("invalid JSON: trailing content at byte 8");
    QTest::newRow("two objects") << QByteArray(R"({"a":1}{"b":2})") << QStringLiteral("invalid JSON: trailing content at byte 7");
    QTest::newRow("two scalars") << QByteArray("1 2") << QStringLiteral("invalid JSON: trailing content at byte 2");
    QTest::newRow("truncated object") << QByteArray(R"({"a":{"b":1)") << QStringLiteral("invalid JSON: truncated (2 unclosed object/array)");
    QTest::newRow("truncated array") << QByteArray("[1,2") << QStringLiteral("invalid JSON: truncated (1 unclosed object/array)");
    QTest::newRow("unclosed string") << QByteArray(R"({"a":"b)") << QStringLiteral("invalid JSON: unclosed string");
    QTest::newRow("invalid utf-8") << QByteArray("{\"a\":\"\xFF\"}") << QStringLiteral("invalid JSON: not valid UTF-8");
    QTest::newRow("trailing comma") << QByteArray("[1,]") << QStringLiteral("invalid JSON: misplaced or missing comma, colon, key or bracket");
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << QStringLiteral("invalid JSON: misplaced or missing comma, colon, key or bracket");
    QTest::newRow("stray closer") << QByteArray("]") << QStringLiteral("invalid JSON: unexpected ']' at byte 0");
    QTest::newRow("bad literal") << QByteArray("tru") << QStringLiteral("invalid JSON: bad literal (expected true)");
    QTest::newRow("bad number") << QByteArray("1.") << QStringLiteral("invalid JSON: bad number");
    QTest::newRow("raw tab in string") << QByteArray("\"a\tb\"") << QStringLiteral("invalid JSON: unescaped control character in a string");
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("invalid JSON: empty");
    QTest::newRow("blank") << QByteArray("  \t") << QStringLiteral("invalid JSON: empty");
    QTest::newRow("plain text") << QByteArray("hello world") << QString();
}

void TestJsonValidator::invalid()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, reason);
    JsonValidator validator;
    const std::optional<QString> result = validator.check(text);
    QVERIFY(result.has_value());
    QVERIFY(result->startsWith(QLatin1String("invalid JSON: ")));
    if (!reason.isEmpty())
        QCOMPARE(*result, reason);
}

void TestJsonValidator::blank_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("blank");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("spaces tabs cr") << QByteArray(" \t \r") << true;
    QTest::newRow("text") << QByteArray(" x ") << false;
    QTest::newRow("lf is not blank content") << QByteArray("\n") << false;
    QTest::newRow("nul") << QByteArray(1, '\0') << false;
}

void TestJsonValidator::blank()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, blank);
    QCOMPARE(JsonValidator::isBlank(text), blank);
}

void TestJsonValidator::reuseAcrossSizes()
{
    // One validator, lines of growing and shrinking size, valid and invalid interleaved: the
    // reused buffers never leak state from one line into the next.
    JsonValidator validator;
    for (int round = 0; round < 3; ++round) {
        for (int n : {0, 10, 1000, 100000, 5, 50000}) {
            const QByteArray valid = "[\"" + QByteArray(n, 'v') + "\"]";
            QVERIFY(!validator.check(valid).has_value());
            const QByteArray invalid = "[\"" + QByteArray(n, 'v');
            QVERIFY(validator.check(invalid).has_value());
            // A valid prefix of the previous (longer) text must still be judged on its own bytes.
            QVERIFY(!validator.check(QByteArrayView(valid).first(valid.size())).has_value());
            QVERIFY(validator.check(QByteArrayView(valid).first(valid.size() - 1)).has_value());
        }
    }
}

QTEST_GUILESS_MAIN(TestJsonValidator)
#include "tst_json_validator.moc"
