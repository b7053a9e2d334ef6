#include "line_framer.h"

#include <QTest>

Q_DECLARE_METATYPE(FramedLine)

namespace {

FramedLine line(const QByteArray &text)
{
    return FramedLine{text, false, text.size(), false};
}

FramedLine tooLong(const QByteArray &excerpt, qsizetype length)
{
    return FramedLine{excerpt, true, length, false};
}

QList<FramedLine> run(const QList<QByteArrayView> &pieces, qsizetype cap, qsizetype *maxBuffered = nullptr)
{
    LineFramer framer(cap);
    QList<FramedLine> out;
    for (const QByteArrayView piece : pieces) {
        framer.feed(piece, out);
        if (maxBuffered)
            *maxBuffered = std::max(*maxBuffered, framer.bufferedBytes());
    }
    framer.finish(out);
    return out;
}

QStringList describe(const QList<FramedLine> &lines)
{
    QStringList out;
    for (const FramedLine &l : lines) {
        out += QStringLiteral("%1%2 [%3]")
                   .arg(QString::fromLatin1(l.text.toPercentEncoding()))
                   .arg(l.tooLong ? QStringLiteral(" (too long)") : QString())
                   .arg(l.length);
    }
    return out;
}

} // namespace

class TestLineFramer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data();
    void framing();
    void finishOnlyEmitsAtEof();
    void resetDropsPartialLine();
    void hugeLineMemoryBounded();
    void tooLongReportedWhenCrossed();
    void linesShareOneBufferPerFeed();
};

void TestLineFramer::framing_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<qsizetype>("cap");
    QTest::addColumn<QList<FramedLine>>("expected");

    const qsizetype big = LineFramer::DefaultMaxLineBytes;
    QTest::newRow("lf") << QByteArray("a\nbb\nccc\n") << big << QList{line("a"), line("bb"), line("ccc")};
    QTest::newRow("crlf") << QByteArray("a\r\nbb\r\n") << big << QList{line("a"), line("bb")};
    QTest::newRow("lone cr kept") << QByteArray("a\rb\nc\r\r\n") << big << QList{line("a\rb"), line("c\r")};
    QTest::newRow("empty lines") << QByteArray("\n\r\n\nx\n") << big << QList{line(""), line(""), line(""), line("x")};
    QTest::newRow("final line without newline") << QByteArray("a\nlast") << big << QList{line("a"), line("last")};
    QTest::newRow("final lone cr at eof stays") << QByteArray("a\nlast\r") << big << QList{line("a"), line("last\r")};
    QTest::newRow("no trailing empty line") << QByteArray("a\n") << big << QList{line("a")};
    QTest::newRow("ndjson") << QByteArray("{\"a\":1}\r\n{\"b\":[1,2]}\n\n{\"c\":\"\xC3\xA9\"}")
                            << big << QList{line("{\"a\":1}"), line("{\"b\":[1,2]}"), line(""), line("{\"c\":\"\xC3\xA9\"}")};
    QTest::newRow("binary bytes pass") << QByteArray("\xFF\x00z\n", 4) << big << QList{line(QByteArray("\xFF\x00z", 3))};

    // Too long: reported once the cap is certainly passed, with what arrived up to there.
    const QByteArray x20(20, 'x');
    const QByteArray x9(9, 'x');
    QTest::newRow("too long then intact") << QByteArray(x20 + "\nok\n") << qsizetype(8)
                                          << QList{tooLong(x9, 9), line("ok")};
    QTest::newRow("too long crlf") << QByteArray(x20 + "\r\nok\r\n") << qsizetype(8)
                                   << QList{tooLong(x9, 9), line("ok")};
    QTest::newRow("at cap with crlf fits") << QByteArray("12345678\r\n123456789\r\n") << qsizetype(8)
                                           << QList{line("12345678"), tooLong("123456789", 9)};
    QTest::newRow("at cap then cr then more is too long") << QByteArray("12345678\rx\nok\n") << qsizetype(8)
                                                          << QList{tooLong("12345678\r", 9), line("ok")};
    QTest::newRow("at cap with cr at eof is too long") << QByteArray("12345678\r") << qsizetype(8)
                                                       << QList{tooLong("12345678\r", 9)};
    QTest::newRow("too long final line") << QByteArray("ok\n" + x20) << qsizetype(8)
                                         << QList{line("ok"), tooLong(x9, 9)};
    QTest::newRow("two too long lines, two reports") << QByteArray(x20 + "\n" + x20 + "\nok\n") << qsizetype(8)
                                                     << QList{tooLong(x9, 9), tooLong(x9, 9), line("ok")};
    const QByteArray x600(600, 'y');
    QTest::newRow("excerpt is at most 256 bytes") << QByteArray(x600 + "\nnext\n") << qsizetype(300)
                                                  << QList{tooLong(QByteArray(256, 'y'), 301), line("next")};
    QTest::newRow("excerpt up to the crossing") << QByteArray(x600 + "\nnext\n") << qsizetype(100)
                                                << QList{tooLong(QByteArray(101, 'y'), 101), line("next")};
    QTest::newRow("excerpt of final line") << QByteArray(x600) << qsizetype(300)
                                           << QList{tooLong(QByteArray(256, 'y'), 301)};
}

void TestLineFramer::framing()
{
    QFETCH(QByteArray, stream);
    QFETCH(qsizetype, cap);
    QFETCH(QList<FramedLine>, expected);

    const QStringList want = describe(expected);
    const QByteArrayView all(stream);
    auto check = [&](const QList<FramedLine> &got, const char *mode, qsizetype a, qsizetype b) {
        if (got != expected) {
            qWarning("mode %s split at %lld/%lld", mode, qlonglong(a), qlonglong(b));
            QCOMPARE(describe(got), want);
            QCOMPARE(got, expected);
        }
    };
    check(run({all}, cap), "whole", 0, 0);
    if (QTest::currentTestFailed())
        return;
    QList<QByteArrayView> single;
    for (qsizetype i = 0; i < all.size(); ++i)
        single.append(all.sliced(i, 1));
    check(run(single, cap), "byte-by-byte", 0, 0);
    if (QTest::currentTestFailed())
        return;
    for (qsizetype i = 0; i <= all.size(); ++i) {
        check(run({all.first(i), all.sliced(i)}, cap), "two pieces", i, 0);
        if (QTest::currentTestFailed())
            return;
    }
    const qsizetype step = all.size() <= 80 ? 1 : all.size() / 40;
    for (qsizetype i = 0; i <= all.size(); i += step) {
        for (qsizetype j = i; j <= all.size(); j += step) {
            check(run({all.first(i), all.sliced(i, j - i), all.sliced(j)}, cap), "three pieces", i, j);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

void TestLineFramer::finishOnlyEmitsAtEof()
{
    LineFramer framer;
    QList<FramedLine> out;
    framer.feed("one\ntw", out);
    QCOMPARE(out, QList{line("one")});
    framer.feed("o\r", out); // CR at the end of a chunk: the line may still end in CRLF
    QCOMPARE(out.size(), 1);
    framer.feed("\nthree", out);
    QCOMPARE(out, (QList{line("one"), line("two")}));
    framer.finish(out);
    QCOMPARE(out, (QList{line("one"), line("two"), line("three")}));
    framer.finish(out); // nothing pending any more
    QCOMPARE(out.size(), 3);
}

void TestLineFramer::resetDropsPartialLine()
{
    LineFramer framer;
    QList<FramedLine> out;
    framer.feed("partial", out);
    framer.reset();
    framer.feed("new\n", out);
    framer.finish(out);
    QCOMPARE(out, QList{line("new")});
}

void TestLineFramer::hugeLineMemoryBounded()
{
    constexpr qsizetype Cap = 1024 * 1024;
    const QByteArray chunk(64 * 1024, 'z');
    QList<QByteArrayView> pieces;
    for (int i = 0; i < 640; ++i) // 40 MiB
        pieces.append(chunk);
    pieces.append("\r\nafter\n");
    qsizetype maxBuffered = 0;
    const QList<FramedLine> out = run(pieces, Cap, &maxBuffered);
    QVERIFY2(maxBuffered <= 2 * Cap, qPrintable(QString::number(maxBuffered)));
    QCOMPARE(out, (QList{tooLong(QByteArray(256, 'z'), Cap + 1), line("after")}));
}

void TestLineFramer::tooLongReportedWhenCrossed()
{
    // A line without LF: reported in the feed() that passes the cap, then skipped unbuffered.
    constexpr qsizetype Cap = 1024 * 1024;
    LineFramer framer(Cap);
    QList<FramedLine> out;
    const QByteArray chunk(64 * 1024, 'z');
    for (int i = 1; i <= 100; ++i) {
        framer.feed(chunk, out);
        QCOMPARE(out.size(), i <= 16 ? 0 : 1); // 16 chunks are exactly 1 MiB: the 17th passes it
        QVERIFY(framer.bufferedBytes() <= 2 * Cap);
    }
    QCOMPARE(out[0], tooLong(QByteArray(256, 'z'), Cap + 1));
    QCOMPARE(framer.bufferedBytes(), 0);
    framer.feed("zz\nnext\n", out);
    framer.finish(out);
    QCOMPARE(out, (QList{tooLong(QByteArray(256, 'z'), Cap + 1), line("next")}));
}

void TestLineFramer::linesShareOneBufferPerFeed()
{
    LineFramer framer;
    QList<FramedLine> out;
    framer.feed("alpha\r\nbeta\n\ngam", out);
    framer.feed("ma\ncaf\xC3\xA9\n\xFF\n", out);
    QCOMPARE(out, (QList{line("alpha"), line("beta"), line(""), line("gamma"), line("caf\xC3\xA9"), line("\xFF")}));
    for (const FramedLine &l : out)
        QCOMPARE(l.text.constData()[l.text.size()], '\0');
    QVERIFY(out[0].validUtf8 && out[1].validUtf8);
    QVERIFY(!out[3].validUtf8);              // split across feeds: not checked by the framer
    QVERIFY(!out[4].validUtf8 && !out[5].validUtf8); // that read holds an invalid byte
    QList<FramedLine> copy = out;
    copy[0].text.append('!');
    QCOMPARE(copy[0].text, QByteArray("alpha!"));
    QCOMPARE(out[0].text, QByteArray("alpha"));
    QCOMPARE(out[1].text, QByteArray("beta"));
}

QTEST_GUILESS_MAIN(TestLineFramer)
#include "tst_line_framer.moc"
