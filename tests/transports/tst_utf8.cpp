#include "utf8.h"

#include <QTest>

namespace {

template<qsizetype N>
QByteArray bytes(const char (&literal)[N])
{
    return QByteArray(literal, N - 1);
}

const QByteArray R = "\xEF\xBF\xBD"; // U+FFFD

} // namespace

class TestUtf8 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validPassthrough_data();
    void validPassthrough();
    void replacement_data();
    void replacement();
    void properties_data();
    void properties();
    void incompleteTail_data();
    void incompleteTail();
};

void TestUtf8::validPassthrough_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("ascii") << QByteArray("hello, world");
    QTest::newRow("nul") << bytes("a\x00" "b");
    QTest::newRow("2-byte") << QByteArray("caf\xC3\xA9");
    QTest::newRow("3-byte") << QByteArray("\xE2\x80\xA6 \xEF\xBB\xBF \xEF\xBF\xBD");
    QTest::newRow("4-byte") << QByteArray("\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF");
    QTest::newRow("boundaries") << QByteArray("\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80");
    QTest::newRow("long ascii") << QByteArray(10000, 'a');
}

void TestUtf8::validPassthrough()
{
    QFETCH(QByteArray, input);
    QVERIFY(Utf8::isValid(input));
    const QByteArray out = Utf8::sanitized(input);
    QCOMPARE(out, input);
    QCOMPARE(out.constData(), input.constData()); // shared, not copied
    QCOMPARE(Utf8::sanitized(QByteArrayView(input)), input);
}

void TestUtf8::replacement_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("FF") << QByteArray("\xFF") << R;
    QTest::newRow("FE") << QByteArray("a\xFE" "b") << QByteArray("a" + R + "b");
    QTest::newRow("lone continuation") << QByteArray("\x80") << R;
    QTest::newRow("two lone continuations") << QByteArray("\x80\xBF") << R + R;
    QTest::newRow("truncated 2-byte at end") << QByteArray("a\xC3") << QByteArray("a" + R);
    QTest::newRow("truncated 3-byte then ascii") << QByteArray("\xE2\x80\x41") << QByteArray(R + "A");
    QTest::newRow("truncated 3-byte at end") << QByteArray("\xE2\x80") << R;
    QTest::newRow("truncated 4-byte at end") << QByteArray("\xF0\x9F\x98") << R;
    QTest::newRow("truncated 4-byte then 4-byte") << QByteArray("\xF0\x9F\xF0\x9F\x98\x80") << QByteArray(R + "\xF0\x9F\x98\x80");
    QTest::newRow("overlong C0 80") << QByteArray("\xC0\x80") << R + R;
    QTest::newRow("overlong C1 BF") << QByteArray("\xC1\xBF") << R + R;
    QTest::newRow("overlong E0 80") << QByteArray("\xE0\x80") << R + R;
    QTest::newRow("overlong E0 80 80") << QByteArray("\xE0\x80\x80") << R + R + R;
    QTest::newRow("overlong F0 80 80 80") << QByteArray("\xF0\x80\x80\x80") << R + R + R + R;
    QTest::newRow("surrogate ED A0 80") << QByteArray("\xED\xA0\x80") << R + R + R;
    QTest::newRow("surrogate ED BF BF") << QByteArray("\xED\xBF\xBF") << R + R + R;
    QTest::newRow("above U+10FFFF F4 90") << QByteArray("\xF4\x90\x80\x80") << R + R + R + R;
    QTest::newRow("F5 lead") << QByteArray("\xF5\x80") << R + R;
    QTest::newRow("mixed") << QByteArray("ok \xC3\xA9 \xE2\x28\xA1 end") << QByteArray("ok \xC3\xA9 " + R + "(" + R + " end");
    QTest::newRow("nul kept") << bytes("\x00\xFF\x00") << QByteArray(bytes("\x00") + R + bytes("\x00"));
}

void TestUtf8::replacement()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QVERIFY(!Utf8::isValid(input));
    const QByteArray out = Utf8::sanitized(input);
    QCOMPARE(out.toHex(' '), expected.toHex(' '));
    QVERIFY(Utf8::isValid(out));
    QCOMPARE(Utf8::sanitized(QByteArrayView(input)), expected);
}

void TestUtf8::properties_data()
{
    // Exhaustive over all 1- and 2-byte inputs, plus every 3-byte input with a lead byte E0..EF or
    // F0..F4 and two bytes from 70..AF (around the continuation range). Properties of the WHATWG
    // decoder: the output is valid, repairing is idempotent, valid input is untouched, and no
    // ASCII byte is ever swallowed into a U+FFFD. (The exact replacement counts were
    // cross-checked offline against Python's bytes.decode("utf-8", "replace"), which implements the
    // same maximal-subpart rule; QString::fromUtf8 in Qt 6.4 does not, it emits one U+FFFD per
    // byte of a truncated sequence.)
    QTest::addColumn<int>("length");
    QTest::newRow("1 byte") << 1;
    QTest::newRow("2 bytes") << 2;
    QTest::newRow("3 bytes") << 3;
}

void TestUtf8::properties()
{
    QFETCH(int, length);
    const int total = length == 1 ? 256 : length == 2 ? 65536 : 21 * 64 * 64;
    int invalidCount = 0;
    for (int n = 0; n < total; ++n) {
        QByteArray input;
        if (length == 1) {
            input.append(char(n));
        } else if (length == 2) {
            input.append(char(n >> 8)).append(char(n & 0xFF));
        } else {
            const int lead = n / 4096;
            input.append(char(lead < 16 ? 0xE0 + lead : 0xF0 + lead - 16));
            input.append(char(0x70 + ((n >> 6) & 0x3F))).append(char(0x70 + (n & 0x3F)));
        }
        const QByteArray out = Utf8::sanitized(input);
        const bool valid = Utf8::isValid(input);
        invalidCount += valid ? 0 : 1;
        auto ascii = [](const QByteArray &b) {
            QByteArray a;
            for (const char c : b)
                if (uchar(c) < 0x80)
                    a.append(c);
            return a;
        };
        if (!Utf8::isValid(out) || Utf8::sanitized(out) != out || (valid && out != input)
            || ascii(out) != ascii(input) || (!valid && !out.contains("\xEF\xBF\xBD"))) {
            QFAIL(qPrintable(QStringLiteral("input %1 -> %2")
                                 .arg(QString::fromLatin1(input.toHex(' ')),
                                      QString::fromLatin1(out.toHex(' ')))));
        }
    }
    QVERIFY(invalidCount > 0);
}

void TestUtf8::incompleteTail_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("expected");
    QTest::newRow("empty") << QByteArray() << qsizetype(0);
    QTest::newRow("ascii") << QByteArray("abc") << qsizetype(0);
    QTest::newRow("complete 2") << QByteArray("a\xC3\xA9") << qsizetype(0);
    QTest::newRow("lead of 2") << QByteArray("a\xC3") << qsizetype(1);
    QTest::newRow("2 of 3") << QByteArray("a\xE2\x80") << qsizetype(2);
    QTest::newRow("3 of 4") << QByteArray("\xF0\x9F\x98") << qsizetype(3);
    QTest::newRow("complete 4") << QByteArray("\xF0\x9F\x98\x80") << qsizetype(0);
    QTest::newRow("invalid lead") << QByteArray("a\xFF") << qsizetype(0);
    QTest::newRow("bad second byte") << QByteArray("a\xE0\x80") << qsizetype(0);
}

void TestUtf8::incompleteTail()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, expected);
    QCOMPARE(Utf8::incompleteTail(input), expected);
}

QTEST_GUILESS_MAIN(TestUtf8)
#include "tst_utf8.moc"
