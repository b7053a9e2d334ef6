#include "sse_parser.h"
#include "utf8.h"

#include <QTest>

#include <limits>

Q_DECLARE_METATYPE(SseEvent)

namespace {

/// QByteArray from a literal that may contain NUL bytes.
template<qsizetype N>
QByteArray bytes(const char (&literal)[N])
{
    return QByteArray(literal, N - 1);
}

SseEvent ev(const QByteArray &type, const QByteArray &data, const QByteArray &id = {})
{
    return SseEvent{type, data, id, {}};
}

struct Result
{
    QList<SseEvent> events;
    QByteArray lastEventId;
    qint64 retry = -1;
    quint64 dropped = 0;
};

/// Feeds `pieces` in order to a fresh parser, then finish().
Result run(const QList<QByteArrayView> &pieces, qsizetype cap = SseParser::DefaultMaxLineBytes)
{
    SseParser parser(cap);
    Result result;
    for (const QByteArrayView piece : pieces)
        parser.feed(piece, result.events);
    parser.finish();
    result.lastEventId = parser.lastEventId();
    result.retry = parser.retryMs().value_or(-1);
    result.dropped = parser.droppedEvents();
    return result;
}

QString escaped(const QByteArray &b)
{
    QString s;
    for (const char c : b) {
        const uchar u = uchar(c);
        if (u >= 0x20 && u < 0x7F && c != '\\')
            s += QLatin1Char(c);
        else
            s += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return s;
}

QStringList describe(const QList<SseEvent> &events)
{
    QStringList out;
    for (const SseEvent &e : events) {
        out += QStringLiteral("[%1,\"%2\",\"%3\"]%4")
                   .arg(escaped(e.type), escaped(e.data), escaped(e.lastEventId),
                        e.error.isEmpty() ? QString() : QStringLiteral(" error: ") + e.error);
    }
    return out;
}

/// Runs `stream` whole, byte by byte, split in two at every offset and in three pieces at many
/// offset pairs; every run must give `expected` (events, lastEventId, retry).
void checkAllSplits(const QByteArray &stream, const Result &expected, qsizetype cap)
{
    const QStringList want = describe(expected.events);
    auto verify = [&](const Result &got, const char *mode, qsizetype a, qsizetype b) {
        if (describe(got.events) != want || got.events != expected.events
            || got.lastEventId != expected.lastEventId || got.retry != expected.retry) {
            qWarning("mode %s split at %lld/%lld", mode, qlonglong(a), qlonglong(b));
            QCOMPARE(describe(got.events), want);
            QCOMPARE(got.events, expected.events);
            QCOMPARE(got.lastEventId, expected.lastEventId);
            QCOMPARE(got.retry, expected.retry);
        }
    };
    const QByteArrayView all(stream);
    verify(run({all}, cap), "whole", 0, 0);
    if (QTest::currentTestFailed())
        return;

    QList<QByteArrayView> single;
    for (qsizetype i = 0; i < all.size(); ++i)
        single.append(all.sliced(i, 1));
    verify(run(single, cap), "byte-by-byte", 0, 0);
    if (QTest::currentTestFailed())
        return;

    for (qsizetype i = 0; i <= all.size(); ++i) {
        verify(run({all.first(i), all.sliced(i)}, cap), "two pieces", i, 0);
        if (QTest::currentTestFailed())
            return;
    }
    // Three pieces: every pair for short streams, a stride for long ones.
    const qsizetype step = all.size() <= 80 ? 1 : all.size() / 40;
    for (qsizetype i = 0; i <= all.size(); i += step) {
        for (qsizetype j = i; j <= all.size(); j += step) {
            verify(run({all.first(i), all.sliced(i, j - i), all.sliced(j)}, cap), "three pieces", i, j);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vectors_data();
    void vectors();
    void resetKeepsLastEventId();
    void resetRestoresBomAndClearsPendingCr();
    void undispatchedIdNeverReachesLastEventId();
    void setLastEventIdIsUsedByNextEvent();
    void overlongLine_data();
    void overlongLine();
    void overlongLineMemoryBounded();
    void capReportedWhenCrossed();
    void eventsShareOneBufferPerFeed();
    void retrySaturates();
    void longId();
    void typeAndMessageAreShared();
    void invalidUtf8InTypeAndId();
};

void TestSseParser::vectors_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<SseEvent>>("expected");
    QTest::addColumn<QByteArray>("expectedId");
    QTest::addColumn<qint64>("expectedRetry");

    const QByteArray m = "message";
    QTest::newRow("S1") << bytes("data: hello\n\n") << QList{ev(m, "hello")} << QByteArray() << qint64(-1);
    QTest::newRow("S2") << bytes("data:a\ndata:b\n\n") << QList{ev(m, "a\nb")} << QByteArray() << qint64(-1);
    QTest::newRow("S3") << bytes("data:x\r\r") << QList{ev(m, "x")} << QByteArray() << qint64(-1);
    QTest::newRow("S4") << bytes("data:x\r\ndata:y\r\n\r\n") << QList{ev(m, "x\ny")} << QByteArray() << qint64(-1);
    QTest::newRow("S5") << bytes("data:1\rdata:2\ndata:3\r\n\n") << QList{ev(m, "1\n2\n3")} << QByteArray() << qint64(-1);
    QTest::newRow("S6") << bytes("data:  two\n\n") << QList{ev(m, " two")} << QByteArray() << qint64(-1);
    QTest::newRow("S7") << bytes("data:\tx\n\n") << QList{ev(m, "\tx")} << QByteArray() << qint64(-1);
    QTest::newRow("S8") << bytes("data\n\n") << QList{ev(m, "")} << QByteArray() << qint64(-1);
    QTest::newRow("S9") << bytes("data:\n\ndata:\ndata:\n\n") << QList{ev(m, ""), ev(m, "\n")} << QByteArray() << qint64(-1);
    QTest::newRow("S10") << bytes("event: update\ndata: 1\n\n") << QList{ev("update", "1")} << QByteArray() << qint64(-1);
    QTest::newRow("S11") << bytes("event:\ndata: 1\n\n") << QList{ev(m, "1")} << QByteArray() << qint64(-1);
    QTest::newRow("S12") << bytes("event: a\n\ndata: x\n\n") << QList{ev(m, "x")} << QByteArray() << qint64(-1);
    QTest::newRow("S13") << bytes("id: 7\ndata: a\n\ndata: b\n\n") << QList{ev(m, "a", "7"), ev(m, "b", "7")} << QByteArray("7") << qint64(-1);
    QTest::newRow("S14") << bytes("id: 7\ndata: a\n\nid\ndata: b\n\n") << QList{ev(m, "a", "7"), ev(m, "b", "")} << QByteArray() << qint64(-1);
    QTest::newRow("S15") << bytes("id: 5\ndata: a\n\nid: 1\x00" "2\ndata: b\n\n") << QList{ev(m, "a", "5"), ev(m, "b", "5")} << QByteArray("5") << qint64(-1);
    QTest::newRow("S16") << bytes("id: 9\n\n") << QList<SseEvent>{} << QByteArray("9") << qint64(-1);
    QTest::newRow("S17") << bytes("retry: 2500\nretry: 25x\nretry: -1\nretry: 1.5\nretry:  100\n\n") << QList<SseEvent>{} << QByteArray() << qint64(2500);
    QTest::newRow("S18") << bytes(": keepalive\n\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    QTest::newRow("S19a") << bytes("Data: x\n\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    QTest::newRow("S19b") << bytes("data : x\n\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    QTest::newRow("S20") << bytes("data: a:b: c\n\n") << QList{ev(m, "a:b: c")} << QByteArray() << qint64(-1);
    QTest::newRow("S21") << bytes("\xEF\xBB\xBF" "data: x\n\n\xEF\xBB\xBF" "data: y\n\n") << QList{ev(m, "x")} << QByteArray() << qint64(-1);
    QTest::newRow("S22") << bytes("\xEF\xBB\xBF" "data: x\n\n") << QList{ev(m, "x")} << QByteArray() << qint64(-1);
    QTest::newRow("S23") << bytes("data: x\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    QTest::newRow("S24") << bytes("data: x") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    QTest::newRow("S25") << bytes("data: x\n\r") << QList{ev(m, "x")} << QByteArray() << qint64(-1);
    QTest::newRow("S26") << bytes("data: \xFF\n\n") << QList{ev(m, "\xEF\xBF\xBD")} << QByteArray() << qint64(-1);
    QTest::newRow("S27") << bytes("data: \xE2\x80\xA6\n\n") << QList{ev(m, "\xE2\x80\xA6")} << QByteArray() << qint64(-1);
    QTest::newRow("S28") << bytes("data:\x00\n\n") << QList{ev(m, bytes("\x00"))} << QByteArray() << qint64(-1);

    // Beyond the table: neighbours of the vectors above.
    QTest::newRow("bom-only-once-even-if-split") << bytes("\xEF\xBB\xBF\xEF\xBB\xBF" "data: y\n\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    QTest::newRow("bom-prefix-is-content") << bytes("\xEF\xBB" "data: y\n\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    QTest::newRow("truncated-utf8-before-lf") << bytes("data: \xE2\x80\ndata: \xF0\x9F\x98\n\n") << QList{ev(m, "\xEF\xBF\xBD\n\xEF\xBF\xBD")} << QByteArray() << qint64(-1);
    QTest::newRow("id-persists-type-resets") << bytes("id: 1\nevent: t\ndata: a\n\ndata: b\n\n") << QList{ev("t", "a", "1"), ev(m, "b", "1")} << QByteArray("1") << qint64(-1);
    QTest::newRow("retry-leading-zeros") << bytes("retry: 0300\n\n") << QList<SseEvent>{} << QByteArray() << qint64(300);
    QTest::newRow("retry-empty-ignored") << bytes("retry: 5\nretry\nretry:\n\n") << QList<SseEvent>{} << QByteArray() << qint64(5);
    QTest::newRow("crlf-everywhere") << bytes("event: e\r\nid: 3\r\ndata: a\r\ndata: b\r\n\r\n") << QList{ev("e", "a\nb", "3")} << QByteArray("3") << qint64(-1);
    QTest::newRow("cr-cr-lf-is-two-lines") << bytes("data: a\r\r\ndata: b\n\n") << QList{ev(m, "a"), ev(m, "b")} << QByteArray() << qint64(-1);
    QTest::newRow("comment-between-data") << bytes("data: a\n: c\ndata: b\n\n") << QList{ev(m, "a\nb")} << QByteArray() << qint64(-1);
    QTest::newRow("field-name-with-nul") << bytes("da\x00ta: x\n\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    // Found by fuzz_sse_parser (UBSan: memchr on the null value of a bare `id` line).
    QTest::newRow("fuzz-bare-id-after-nul-ids") << bytes("id:\x01\x00 1@2\ndacc:\x00\x01\x00 1@2\ndacc:\x00\nid\n\n\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
    QTest::newRow("bare-id-resets") << bytes("id: 4\n\nid:\n\n") << QList<SseEvent>{} << QByteArray() << qint64(-1);
}

void TestSseParser::vectors()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<SseEvent>, expected);
    QFETCH(QByteArray, expectedId);
    QFETCH(qint64, expectedRetry);

    Result want;
    want.events = expected;
    want.lastEventId = expectedId;
    want.retry = expectedRetry;
    checkAllSplits(stream, want, SseParser::DefaultMaxLineBytes);
    // Every record is valid UTF-8.
    for (const SseEvent &e : run({stream}).events) {
        QVERIFY(Utf8::isValid(e.data));
        QVERIFY(Utf8::isValid(e.type));
        QVERIFY(Utf8::isValid(e.lastEventId));
    }
}

void TestSseParser::resetKeepsLastEventId()
{
    SseParser parser;
    QList<SseEvent> out;
    parser.feed("id: 1\ndata: a\n\n", out);
    parser.finish();
    parser.reset();
    parser.feed("data: b\n\n", out);
    QCOMPARE(out, (QList{ev("message", "a", "1"), ev("message", "b", "1")}));
    QCOMPARE(parser.lastEventId(), QByteArray("1"));
}

void TestSseParser::resetRestoresBomAndClearsPendingCr()
{
    SseParser parser;
    QList<SseEvent> out;
    parser.feed("\xEF\xBB\xBF" "data: a\n\rdata: cut", out); // ends in the middle of a line
    parser.finish();
    parser.reset();
    parser.feed("\xEF\xBB\xBF" "data: b\n\n", out); // a new stream may start with a BOM again
    QCOMPARE(out, (QList{ev("message", "a"), ev("message", "b")}));

    SseParser crParser;
    QList<SseEvent> crOut;
    crParser.feed("data: a\r\r", crOut); // the last CR is pending
    crParser.reset();
    crParser.feed("\ndata: b\n\n", crOut); // new connection: this LF is a blank line of its own
    QCOMPARE(crOut, (QList{ev("message", "a"), ev("message", "b")}));
}

void TestSseParser::undispatchedIdNeverReachesLastEventId()
{
    // C7 at parser level: `data: a\n\nid: late\ndata: b` then EOF.
    SseParser parser;
    QList<SseEvent> out;
    parser.feed("data: a\n\nid: late\ndata: b", out);
    parser.finish();
    QCOMPARE(out, QList{ev("message", "a")});
    QCOMPARE(parser.lastEventId(), QByteArray());
    parser.reset();
    parser.feed("data: c\n\n", out);
    QCOMPARE(out.size(), 2);
    QCOMPARE(out.last(), ev("message", "c", ""));
    QCOMPARE(parser.lastEventId(), QByteArray());
}

void TestSseParser::setLastEventIdIsUsedByNextEvent()
{
    SseParser parser;
    parser.setLastEventId("saved-42");
    QCOMPARE(parser.lastEventId(), QByteArray("saved-42"));
    QList<SseEvent> out;
    parser.feed("data: x\n\nid: 43\ndata: y\n\n", out);
    QCOMPARE(out, (QList{ev("message", "x", "saved-42"), ev("message", "y", "43")}));
    parser.setLastEventId(bytes("bad\x00id"));
    QCOMPARE(parser.lastEventId(), QByteArray("43"));
}

void TestSseParser::overlongLine_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<qsizetype>("cap");
    QTest::addColumn<QList<SseEvent>>("expected");
    QTest::addColumn<quint64>("dropped");

    const QByteArray m = "message";
    const QByteArray x300(300, 'x');
    const QString dataError = QStringLiteral("data line exceeds the 64-byte limit; event dropped");
    // With a 64-byte cap a line is known to be overlong at its 65th byte: the excerpt is what
    // arrived up to there (59 bytes of value after "data: "), whatever the split.
    const QByteArray x59(59, 'x');

    QTest::newRow("data line over cap")
        << QByteArray("data: " + x300 + "\n\ndata: ok\n\n") << qsizetype(64)
        << QList{SseEvent{m, x59, {}, dataError}, ev(m, "ok")} << quint64(1);
    QTest::newRow("data line over cap with CRLF and type")
        << QByteArray("event: big\r\nid: 1\r\ndata: " + x300 + "\r\ndata: more\r\n\r\nid: 2\r\ndata: ok\r\n\r\n")
        << qsizetype(64) << QList{SseEvent{"big", x59, "1", dataError}, ev(m, "ok", "2")} << quint64(1);
    QTest::newRow("short data before long line")
        << QByteArray("data: a\ndata: " + x300 + "\n\ndata: ok\n\n") << qsizetype(64)
        << QList{SseEvent{m, "a\n" + x59, {}, dataError}, ev(m, "ok")} << quint64(1);
    QTest::newRow("event data over cap")
        << QByteArray("data: 0123456789\ndata: 0123456789\ndata: z\n\ndata: ok\n\n") << qsizetype(16)
        << QList{SseEvent{m, "0123456789\n0123456789", {}, QStringLiteral("event data exceeds the 16-byte limit; event dropped")},
                 ev(m, "ok")}
        << quint64(1);
    QTest::newRow("overlong id line")
        << QByteArray("id: " + x300 + "\ndata: a\n\ndata: ok\n\n") << qsizetype(64)
        << QList{SseEvent{m, "id: " + QByteArray(61, 'x'), {}, QStringLiteral("id line exceeds the 64-byte limit; event dropped")},
                 ev(m, "ok")}
        << quint64(1);
    QTest::newRow("overlong event line without data")
        << QByteArray("event: " + x300 + "\n\ndata: ok\n\n") << qsizetype(64)
        << QList{SseEvent{m, "event: " + QByteArray(58, 'x'), {}, QStringLiteral("event line exceeds the 64-byte limit; event dropped")},
                 ev(m, "ok")}
        << quint64(1);
    QTest::newRow("overlong retry line")
        << QByteArray("retry: " + QByteArray(300, '7') + "\n\ndata: ok\n\n") << qsizetype(64)
        << QList{SseEvent{m, "retry: " + QByteArray(58, '7'), {}, QStringLiteral("retry line exceeds the 64-byte limit; event dropped")},
                 ev(m, "ok")}
        << quint64(1);
    QTest::newRow("overlong comment is only a comment")
        << QByteArray(":" + x300 + "\ndata: ok\n\n") << qsizetype(64) << QList{ev(m, "ok")} << quint64(0);
    QTest::newRow("overlong unknown field is ignored")
        << QByteArray("foo: " + x300 + "\ndata: ok\n\n") << qsizetype(64) << QList{ev(m, "ok")} << quint64(0);
    QTest::newRow("excerpt does not cut a character")
        << QByteArray("data: " + QByteArray(255, 'x') + "\xC3\xA9" + QByteArray(1000, 'x') + "\n\n") << qsizetype(1000)
        << QList{SseEvent{m, QByteArray(255, 'x'), {}, QStringLiteral("data line exceeds the 1000-byte limit; event dropped")}}
        << quint64(1);
    QTest::newRow("line exactly at cap is fine")
        << QByteArray("data:" + QByteArray(11, 'y') + "\n\n") << qsizetype(16) << QList{ev(m, QByteArray(11, 'y'))} << quint64(0);
    QTest::newRow("dropped event without blank line is reported at once")
        << QByteArray("data: " + x300 + "\n") << qsizetype(64) << QList{SseEvent{m, x59, {}, dataError}} << quint64(1);
    QTest::newRow("overlong line without line end is reported at once")
        << QByteArray("data: " + x300) << qsizetype(64) << QList{SseEvent{m, x59, {}, dataError}} << quint64(1);
    QTest::newRow("one report per event, id after the drop still counts")
        << QByteArray("data: " + x300 + "\ndata: " + x300 + "\nevent: e\ndata: ok\nid: 5\n\ndata: ok\n\n") << qsizetype(64)
        << QList{SseEvent{m, x59, {}, dataError}, ev(m, "ok", "5")} << quint64(1);
    QTest::newRow("tiny cap waits for the field name")
        << QByteArray("data: abc\n\ndata: b\n\n") << qsizetype(2)
        << QList{SseEvent{m, "a", {}, QStringLiteral("data line exceeds the 2-byte limit; event dropped")},
                 SseEvent{m, "b", {}, QStringLiteral("data line exceeds the 2-byte limit; event dropped")}}
        << quint64(2);
    QTest::newRow("tiny cap bare data line")
        << QByteArray("data\n\n") << qsizetype(3)
        << QList{SseEvent{m, "", {}, QStringLiteral("data line exceeds the 3-byte limit; event dropped")}} << quint64(1);
    QTest::newRow("KiB limit text")
        << QByteArray("data: " + QByteArray(2000, 'q') + "\n\n") << qsizetype(1024)
        << QList{SseEvent{m, QByteArray(256, 'q'), {}, QStringLiteral("data line exceeds the 1 KiB limit; event dropped")}}
        << quint64(1);
}

void TestSseParser::overlongLine()
{
    QFETCH(QByteArray, stream);
    QFETCH(qsizetype, cap);
    QFETCH(QList<SseEvent>, expected);
    QFETCH(quint64, dropped);

    Result want;
    want.events = expected;
    want.lastEventId = expected.isEmpty() ? QByteArray() : expected.last().lastEventId;
    checkAllSplits(stream, want, cap);
    QCOMPARE(run({stream}, cap).dropped, dropped);
}

void TestSseParser::overlongLineMemoryBounded()
{
    // 40 MiB data line in 64 KiB chunks against a 1 MiB cap, then a normal event.
    constexpr qsizetype Cap = 1024 * 1024;
    SseParser parser(Cap);
    QList<SseEvent> out;
    const QByteArray chunk(64 * 1024, 'a');
    parser.feed("data: ", out);
    qsizetype maxBuffered = 0;
    for (int i = 0; i < 640; ++i) {
        parser.feed(chunk, out);
        maxBuffered = std::max(maxBuffered, parser.bufferedBytes());
    }
    parser.feed("\n\ndata: next\n\n", out);
    QVERIFY2(maxBuffered <= 2 * Cap, qPrintable(QString::number(maxBuffered)));
    QCOMPARE(out.size(), 2);
    QVERIFY(!out[0].error.isEmpty());
    QCOMPARE(out[0].data, QByteArray(256, 'a'));
    QCOMPARE(out[1], ev("message", "next"));
    QCOMPARE(parser.droppedEvents(), quint64(1));
    QVERIFY(parser.bufferedBytes() <= 64 * 1024);

    // Many data lines, each under the cap, adding up to more than it.
    SseParser many(Cap);
    QList<SseEvent> manyOut;
    const QByteArray line = "data: " + QByteArray(1000, 'b') + "\n";
    qsizetype manyMax = 0;
    for (int i = 0; i < 5000; ++i) {
        many.feed(line, manyOut);
        manyMax = std::max(manyMax, many.bufferedBytes());
    }
    many.feed("\ndata: next\n\n", manyOut);
    QVERIFY2(manyMax <= 2 * Cap, qPrintable(QString::number(manyMax)));
    QCOMPARE(manyOut.size(), 2);
    QCOMPARE(manyOut[0].error, QStringLiteral("event data exceeds the 1 MiB limit; event dropped"));
    QCOMPARE(manyOut[1], ev("message", "next"));
}

void TestSseParser::capReportedWhenCrossed()
{
    // A data line without its line end: the report comes in the very feed() that passes the cap,
    // long before the line (or the body) ends, and only once.
    constexpr qsizetype Cap = 1024 * 1024;
    SseParser parser(Cap);
    QList<SseEvent> out;
    const QByteArray chunk(64 * 1024, 'a');
    parser.feed("id: 9\nevent: big\ndata: ", out);
    for (int i = 1; i <= 100; ++i) {
        parser.feed(chunk, out);
        // "data: " + i * 64 KiB bytes passes 1 MiB with the 16th chunk.
        QCOMPARE(out.size(), i < 16 ? 0 : 1);
        QVERIFY(parser.bufferedBytes() <= 2 * Cap);
    }
    QCOMPARE(out[0].type, QByteArray("big"));
    QCOMPARE(out[0].lastEventId, QByteArray("9"));
    QCOMPARE(out[0].data, QByteArray(256, 'a'));
    QCOMPARE(out[0].error, QStringLiteral("data line exceeds the 1 MiB limit; event dropped"));
    QCOMPARE(parser.droppedEvents(), quint64(1));
    QVERIFY(parser.bufferedBytes() <= 64 * 1024); // nothing of the skipped line is kept

    // The rest of the event is skipped; the stream goes on.
    parser.feed("\ndata: more\n\ndata: next\n\n", out);
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[1], ev("message", "next", "9"));
    QCOMPARE(parser.droppedEvents(), quint64(1));

    // An event without its blank line whose joined data passes the cap: reported with the line
    // that passes it.
    SseParser many(Cap);
    QList<SseEvent> manyOut;
    const QByteArray line = "data: " + QByteArray(1000, 'b') + "\n";
    for (int i = 1; i <= 2000; ++i) {
        many.feed(line, manyOut);
        // 1000 bytes + 1 LF per further line: the 1048th line takes the data past 1 MiB.
        QCOMPARE(manyOut.size(), i < 1048 ? 0 : 1);
    }
    QCOMPARE(manyOut[0].data, QByteArray(256, 'b'));
}

void TestSseParser::eventsShareOneBufferPerFeed()
{
    // The data and ids of one feed live in one shared arena: ordinary QByteArrays to consumers.
    SseParser parser;
    QList<SseEvent> out;
    parser.feed("id: 1\ndata: a\n\nid: 2\ndata: bb\ndata: c\n\ndata: split", out);
    parser.feed(" event\n\n", out);
    QCOMPARE(out, (QList{ev("message", "a", "1"), ev("message", "bb\nc", "2"), ev("message", "split event", "2")}));
    for (const SseEvent &e : out) {
        QCOMPARE(e.data.constData()[e.data.size()], '\0'); // NUL-terminated like any QByteArray
        QCOMPARE(qstrlen(e.data.constData()), size_t(e.data.size()));
    }
    // Modifying one detaches it and leaves the others alone.
    QList<SseEvent> copy = out;
    copy[0].data.append("XYZ");
    copy[1].data[0] = 'Q';
    QCOMPARE(copy[0].data, QByteArray("aXYZ"));
    QCOMPARE(copy[1].data, QByteArray("Qb\nc"));
    QCOMPARE(out[0].data, QByteArray("a"));
    QCOMPARE(out[1].data, QByteArray("bb\nc"));
    // The last survivor of an arena may grow in place or not; either way its bytes stay right.
    QByteArray survivor = out[1].data;
    out.clear();
    copy.clear();
    survivor.append(QByteArray(100, 'z'));
    QCOMPARE(survivor, QByteArray("bb\nc" + QByteArray(100, 'z')));
}

void TestSseParser::retrySaturates()
{
    Result want;
    want.retry = std::numeric_limits<qint64>::max();
    checkAllSplits("retry: 99999999999999999999999999\n", want, SseParser::DefaultMaxLineBytes);
    want.retry = 0;
    checkAllSplits("retry: 99999999999999999999999999\nretry: 0\n", want, SseParser::DefaultMaxLineBytes);
}

void TestSseParser::longId()
{
    QByteArray id;
    for (int i = 0; i < 255; ++i)
        id.append(char('!' + i % 90));
    QCOMPARE(id.size(), 255);
    Result want;
    want.events = {ev("message", "x", id)};
    want.lastEventId = id;
    checkAllSplits("id: " + id + "\ndata: x\n\n", want, SseParser::DefaultMaxLineBytes);
}

void TestSseParser::typeAndMessageAreShared()
{
    SseParser parser;
    QList<SseEvent> out;
    parser.feed("id: 1\ndata: a\n\ndata: b\n\nevent: t\ndata: c\n\nevent: t\ndata: d\n\n", out);
    QCOMPARE(out.size(), 4);
    QCOMPARE(out[0].type.constData(), out[1].type.constData());
    QCOMPARE(out[0].lastEventId.constData(), out[1].lastEventId.constData());
    QCOMPARE(out[2].type, QByteArray("t"));
    QCOMPARE(out[2].type.constData(), out[3].type.constData());
}

void TestSseParser::invalidUtf8InTypeAndId()
{
    Result want;
    want.events = {ev("\xEF\xBF\xBD" "x", "\xEF\xBF\xBD\xEF\xBF\xBD", "\xEF\xBF\xBD")};
    want.lastEventId = "\xEF\xBF\xBD";
    checkAllSplits("event: \xC0x\nid: \xFE\ndata: \xE0\x80\n\n", want, SseParser::DefaultMaxLineBytes);
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sse_parser.moc"
