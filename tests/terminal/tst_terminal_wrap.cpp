// Soft line breaks: which lines libvterm continued onto the next by auto-wrap, and what copy and
// search make of them (one line of the program's output, however the margin cut it).

#include "terminal_screen.h"
#include "terminal_search.h"

#include <QTest>

namespace {

/// The whole history selected and copied.
QString copyAll(TerminalScreen &s)
{
    s.setSelection({s.firstLine(), 0}, {s.lastLine(), s.columns() - 1});
    return s.selectedText();
}

QList<bool> wrappedLines(const TerminalScreen &s)
{
    QList<bool> out;
    for (qint64 line = s.firstLine(); line <= s.lastLine(); ++line)
        out.append(s.isWrapped(line));
    return out;
}

} // namespace

class TestTerminalWrap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void softWrapIsJoinedOnCopy();
    void lineEndingAtTheMarginIsNotAWrap();
    void spaceAtTheMarginIsKept();
    void wideCharacterWrapsEarly();
    void wideCharacterAtTheMarginThenALaterWrite();
    void doubleWidthLinesStopTheMarks();
    void wrapsKeptInScrollback();
    void lineFeedWithPendingWrapIsNoWrap();
    void cursorMoveBeforeColumnZeroIsNoWrap();
    void eraseForgetsTheWrap();
    void alternateScreenWraps();
    void widthChangeForgetsWraps();
    void partialSelectionOfAWrappedLine();
    void blockSelectionKeepsRows();
    void searchFindsTextCutByTheMargin();
    void searchStopsAtHardBreaks();
};

void TestTerminalWrap::softWrapIsJoinedOnCopy()
{
    TerminalScreen s(10, 4);
    s.feed("0123456789abc\r\nnext");
    const qint64 top = s.screenTopLine();
    QVERIFY(s.isWrapped(top));
    QVERIFY(!s.isWrapped(top + 1));
    QCOMPARE(s.lineText(top), QStringLiteral("0123456789"));
    QCOMPARE(s.lineText(top + 1), QStringLiteral("abc"));
    s.setSelection({top, 2}, {top + 2, 3});
    QCOMPARE(s.selectedText(), QStringLiteral("23456789abc\nnext"));
    // What --render-terminal prints stays one line per row.
    QCOMPARE(s.screenText(), QStringLiteral("0123456789\nabc\nnext\n"));
}

void TestTerminalWrap::lineEndingAtTheMarginIsNotAWrap()
{
    TerminalScreen s(10, 4);
    s.feed("0123456789\r\nabc");
    QVERIFY(!s.isWrapped(s.screenTopLine()));
    QCOMPARE(copyAll(s), QStringLiteral("0123456789\nabc\n\n"));
}

void TestTerminalWrap::spaceAtTheMarginIsKept()
{
    // "echo foo bar" cut after the space: the space is text, not trailing padding.
    TerminalScreen s(9, 3);
    s.feed("echo foo bar");
    QVERIFY(s.isWrapped(s.screenTopLine()));
    s.setSelection({s.screenTopLine(), 0}, {s.screenTopLine() + 1, 2});
    QCOMPARE(s.selectedText(), QStringLiteral("echo foo bar"));
}

void TestTerminalWrap::wideCharacterWrapsEarly()
{
    // A wide character that does not fit in the last column goes to the next line and leaves
    // that column blank; the line is still one line.
    TerminalScreen s(10, 3);
    s.feed("012345678\xe4\xb8\xad!");
    const qint64 top = s.screenTopLine();
    QVERIFY(s.isWrapped(top));
    s.setSelection({top, 0}, {top + 1, 2});
    QCOMPARE(s.selectedText(), QString::fromUtf8("012345678 \xe4\xb8\xad!"));
}

void TestTerminalWrap::wideCharacterAtTheMarginThenALaterWrite()
{
    // A wide character in the last two columns leaves libvterm's cursor on its own cell with a
    // wrap pending; the next write wraps. However the stream is cut, the mark is the same.
    const QByteArray stream = "01234567\xe4\xb8\xad" "ab";
    TerminalScreen whole(10, 3);
    whole.feed(stream);
    TerminalScreen pieces(10, 3);
    for (char c : stream)
        pieces.feed(QByteArrayView(&c, 1));
    for (TerminalScreen *s : {&whole, &pieces}) {
        QVERIFY(s->isWrapped(s->screenTopLine()));
        s->setSelection({s->screenTopLine(), 0}, {s->screenTopLine() + 1, 1});
        QCOMPARE(s->selectedText(), QString::fromUtf8("01234567\xe4\xb8\xad" "ab"));
    }
}

void TestTerminalWrap::doubleWidthLinesStopTheMarks()
{
    // A DECDWL row ends halfway; wraps are not followed once such rows appear (vttest, banners).
    TerminalScreen s(10, 8);
    s.feed("0123456789ab\r\n\x1b#6wide\r\n");
    const qint64 top = s.screenTopLine();
    QVERIFY(s.isWrapped(top));
    QCOMPARE(s.lineText(top + 2), QStringLiteral("wide"));
    s.feed("0123456789cd");
    QCOMPARE(s.lineText(top + 3), QStringLiteral("0123456789"));
    QVERIFY(!s.isWrapped(top + 3));
}

void TestTerminalWrap::wrapsKeptInScrollback()
{
    // Long lines at the bottom of the screen: each wrap scrolls before the next glyph is put, and
    // the lines that scroll off keep their marks.
    TerminalScreen s(10, 3);
    QByteArray out;
    QStringList expected;
    for (int i = 0; i < 6; ++i) {
        const QByteArray line = QByteArray::number(i).repeated(25);
        out += line + "\r\n";
        expected.append(QString::fromLatin1(line));
    }
    s.feed(out);
    QVERIFY(s.scrollbackSize() > 10);
    const QList<bool> wrapped = wrappedLines(s);
    for (int i = 0; i < 18; ++i)
        QCOMPARE(wrapped.at(i), i % 3 != 2); // 10 + 10 + 5 cells
    expected.append(QString()); // the cursor's empty line
    QCOMPARE(copyAll(s), expected.join(QLatin1Char('\n')));
}

void TestTerminalWrap::lineFeedWithPendingWrapIsNoWrap()
{
    // At the bottom a line feed scrolls without moving the cursor, so libvterm's pending wrap
    // survives it and the next glyph goes one more line down: two hard breaks, no soft one.
    TerminalScreen s(10, 3);
    s.feed("\r\n\r\n0123456789\nx");
    QCOMPARE(s.screenText(), QStringLiteral("0123456789\n\nx"));
    for (bool w : wrappedLines(s))
        QVERIFY(!w);
}

void TestTerminalWrap::cursorMoveBeforeColumnZeroIsNoWrap()
{
    TerminalScreen s(10, 3);
    s.feed("0123456789\x1b[2;1Hx");
    QVERIFY(!s.isWrapped(s.screenTopLine()));
    s.feed("\x1b[3;1H0123456789");
    s.feed("\x1b[1;10Hy"); // rewrite the last column: the wrap pending is at row 1 now
    QVERIFY(!s.isWrapped(s.screenTopLine() + 1));
}

void TestTerminalWrap::eraseForgetsTheWrap()
{
    TerminalScreen s(10, 3);
    s.feed("0123456789abc");
    QVERIFY(s.isWrapped(s.screenTopLine()));
    s.feed("\x1b[1;5H\x1b[K"); // erase to the end of the first line
    QVERIFY(!s.isWrapped(s.screenTopLine()));
    s.feed("\x1b[2J\x1b[H0123456789abc");
    QVERIFY(s.isWrapped(s.screenTopLine()));
    s.feed("\x1b[2J");
    QVERIFY(!s.isWrapped(s.screenTopLine()));
}

void TestTerminalWrap::alternateScreenWraps()
{
    TerminalScreen s(10, 3);
    s.feed("0123456789\r\n\x1b[?1049h\x1b[H0123456789abc");
    QVERIFY(s.isWrapped(s.screenTopLine()));
    s.feed("\x1b[?1049l");
    QVERIFY(!s.isWrapped(s.screenTopLine()));
}

void TestTerminalWrap::widthChangeForgetsWraps()
{
    // libvterm 0.1.4 does not reflow: after a width change the old breaks are hard ones.
    TerminalScreen s(10, 3);
    s.feed("0123456789abc");
    s.resize(8, 3);
    QVERIFY(!s.isWrapped(s.screenTopLine()));
    s.resize(12, 3);
    QVERIFY(!s.isWrapped(s.screenTopLine()));
    s.feed("\x1b[3;1H0123456789abcd");
    QVERIFY(s.isWrapped(s.screenTopLine() + 1));
}

void TestTerminalWrap::partialSelectionOfAWrappedLine()
{
    TerminalScreen s(10, 3);
    s.feed("0123456789abc");
    const qint64 top = s.screenTopLine();
    s.setSelection({top, 3}, {top, 5}); // inside the first row only
    QCOMPARE(s.selectedText(), QStringLiteral("345"));
    s.setSelection({top, 8}, {top + 1, 0});
    QCOMPARE(s.selectedText(), QStringLiteral("89a"));
}

void TestTerminalWrap::blockSelectionKeepsRows()
{
    TerminalScreen s(10, 3);
    s.feed("0123456789abcdefghij");
    const qint64 top = s.screenTopLine();
    s.setSelection({top, 0}, {top + 1, 2}, true);
    QCOMPARE(s.selectedText(), QStringLiteral("012\nabc"));
}

void TestTerminalWrap::searchFindsTextCutByTheMargin()
{
    TerminalScreen s(12, 5);
    s.feed("see https://example.com/a/b ok\r\n");
    TerminalSearch search(&s);
    QCOMPARE(search.find(QStringLiteral("example.com/a"), false), 1);
    const QList<TerminalSpan> spans = search.matchSpans(0);
    QCOMPARE(spans.size(), 2);
    // "see https://" fills row 0, "example.com/" row 1, "a/b ok" row 2.
    const qint64 top = s.screenTopLine();
    QCOMPARE(s.lineText(top + 1), QStringLiteral("example.com/"));
    QCOMPARE(spans.at(0).line, top + 1);
    QCOMPARE(spans.at(0).startColumn, 0);
    QCOMPARE(spans.at(0).endColumn, 12);
    QCOMPARE(spans.at(1).line, top + 2);
    QCOMPARE(spans.at(1).endColumn, 1);
    QCOMPARE(search.find(QStringLiteral("https://example"), false), 1);
    const QList<TerminalSpan> cut = search.matchSpans(0);
    QCOMPARE(cut.size(), 2);
    QCOMPARE(cut.at(0).line, top);
    QCOMPARE(cut.at(0).startColumn, 4);
    QCOMPARE(cut.at(0).endColumn, 12);
    QCOMPARE(cut.at(1).line, top + 1);
    QCOMPARE(cut.at(1).startColumn, 0);
    QCOMPARE(cut.at(1).endColumn, 7);
    QVERIFY(search.isCurrent(cut.at(1)));
    QCOMPARE(search.matchesOnLine(top + 1).size(), 1);
    // A regex over the whole program line: from "see" to "ok" across three rows.
    QCOMPARE(search.find(QStringLiteral("^see.*ok$"), true), 1);
    QCOMPARE(search.matchSpans(0).size(), 3);
    QCOMPARE(search.current().line, top);
}

void TestTerminalWrap::searchStopsAtHardBreaks()
{
    TerminalScreen s(12, 5);
    s.feed("abc\r\ndef\r\nabc def");
    TerminalSearch search(&s);
    QCOMPARE(search.find(QStringLiteral("cd"), false), 0);
    QCOMPARE(search.find(QStringLiteral("c$"), true), 1);
    QCOMPARE(search.find(QStringLiteral("abc"), false), 2);
    QCOMPARE(search.current().line, s.screenTopLine() + 2); // the newest first
    QCOMPARE(search.previous(), 0);
    QCOMPARE(search.current().line, s.screenTopLine());
}

QTEST_GUILESS_MAIN(TestTerminalWrap)
#include "tst_terminal_wrap.moc"
