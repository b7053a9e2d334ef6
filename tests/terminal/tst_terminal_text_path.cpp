// TerminalScreen's text fast path (terminal_screen_text.cpp) must give exactly the screen that
// libvterm gives alone. A stream fed one byte at a time never has a run long enough for the fast
// path, so every case compares a whole feed against a byte-by-byte feed, cell by cell: character,
// colours, attributes, link, cursor and scrollback. Also the guards against libvterm 0.1.4's
// unbounded CSI parameters.
#include "terminal_screen.h"
#include "terminal_screen_compare.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace {

using TerminalScreenCompare::difference;

void feedBytewise(TerminalScreen &s, const QByteArray &stream)
{
    TerminalScreenCompare::feedInPieces(s, stream);
}

} // namespace

class TestTerminalTextPath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameAsLibvterm_data();
    void sameAsLibvterm();
    void randomStreamsSameAsLibvterm();
    void pendingWrapSurvivesResize();
    void shrinkKeepsTheCursorOnScreen();
    void stringTerminatorGuarded();
    void combiningMarkInLastColumn();
    void wideOverWide();
    void csiParameterOverflowIsHarmless();
};

void TestTerminalTextPath::sameAsLibvterm_data()
{
    QTest::addColumn<QByteArray>("stream");
    const QByteArray twenty = "abcdefghijklmnopqrst";
    QTest::newRow("plain") << QByteArray("hello there, general text\r\nsecond line of it");
    QTest::newRow("exactly the width") << twenty + "next";
    QTest::newRow("width then CR LF") << twenty + "\r\nnext line here";
    QTest::newRow("longer than the width") << twenty + twenty + "abcdefgh" + twenty;
    QTest::newRow("starts mid-row") << "\x1b[1;15H" + twenty;
    QTest::newRow("coloured words") << QByteArray("\x1b[31mword12345 text \x1b[38;5;200mword777 text \x1b[38;2;1;2;3mwordxyz text \x1b[0m\r\n");
    QTest::newRow("bold underline inverse") << QByteArray("\x1b[1;4;7mattributes here\x1b[0m plain text here");
    QTest::newRow("background erase") << QByteArray("\x1b[44mblue background text\x1b[K\x1b[0m\r\nmore text to see");
    QTest::newRow("DEC graphics") << QByteArray("\x1b(0lqqqqqqqqqqqqk\x1b(B\r\nxqqqqqqqqqx");
    QTest::newRow("UK charset") << QByteArray("\x1b(A########abc\x1b(B########");
    QTest::newRow("SO with G1 graphics") << QByteArray("\x1b)0\x0eqqqqqqqqqq\x0fqqqqqqqqqq");
    QTest::newRow("single shift") << QByteArray("\x1b*0\x1bNqqqqqqqqqqqq\x1b+0\x1bOqqqqqqqqqq");
    QTest::newRow("insert mode") << QByteArray("abcdefghijklmnop\r\x1b[4hXXXXXXXXXX\x1b[4lYYYYYYYYYYY");
    QTest::newRow("origin mode, cursor above the region") << QByteArray("\x1b[3;5r\x1b[?6h\x1b[r\x1b[1;1H\x1b[3;5r\x1b[1;1Habcdefghijkl\x1b[?6l");
    QTest::newRow("SS2 before a run") << QByteArray("\x1b*0\x1bNqqqqqqqqqqqq");
    QTest::newRow("origin mode in a region") << QByteArray("\x1b[2;4r\x1b[?6h\x1b[1;3Hhello world long text\x1b[?6l\x1b[r");
    QTest::newRow("left/right margins") << QByteArray("\x1b[?69h\x1b[5;15s\x1b[1;5Habcdefghijklmnopqrstuvwxyz\x1b[?69l");
    QTest::newRow("double width line") << QByteArray("\x1b#6abcdefghijklmnopqrstuvwxyz\r\n\x1b#5normal row here");
    QTest::newRow("over wide characters") << QByteArray("\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\r x234567890");
    QTest::newRow("ends on a wide tail") << QByteArray("\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\r123456789");
    QTest::newRow("combining after a run") << QByteArray("abcdefghije\xcc\x81 more");
    QTest::newRow("REP after a run") << QByteArray("abcdefghij\x1b[4bZ");
    QTest::newRow("REP at row end") << QByteArray("abcdefghijklmnop\x1b[9bZ");
    QTest::newRow("autowrap off") << "\x1b[?7l" + twenty + "tail of the line\x1b[?7h";
    QTest::newRow("tabs split runs") << QByteArray("abcdefghi\tjklmnopq\trstuvwx");
    QTest::newRow("invalid UTF-8 before a run") << QByteArray("\xc3" "abcdefghijkl \xe4\xb8" "abcdefghijkl");
    QTest::newRow("OSC 8 link") << QByteArray("see \x1b]8;;http://example.com/\x1b\\the documentation\x1b]8;;\x1b\\ now");
    QTest::newRow("title between runs") << QByteArray("abcdefghij\x1b]2;a title here\x07klmnopqrst");
    QTest::newRow("scrolls") << QByteArray("line one is here\r\nline two is here\r\nline three here\r\nline four is here\r\n"
                                           "line five is here\r\nline six is here\r\nline seven here");
    QTest::newRow("pending wrap then run") << twenty + "abcdefghijkl";
    QTest::newRow("DECALN then REP") << QByteArray("\x1b#8\x1b[5b" "abcdefghij");
    QTest::newRow("save restore") << QByteArray("\x1b" "7abcdefghij\x1b" "8klmnopqrstu");
    QTest::newRow("alternate screen") << QByteArray("primary text here\x1b[?1049halternate text here\x1b[?1049lback again here");
    QTest::newRow("after RIS") << QByteArray("\x1b(0\x1b[4h\x1b" "cabcdefghijklm");
    QTest::newRow("DECALN after a letter, then REP") << QByteArray("e\x1b#8\x1b[b");
    QTest::newRow("combining mark after a run in the last column") << QByteArray("abcdefghijklmnopqrsb\xcc\x81 next");
    QTest::newRow("combining after a wide char in the last columns") << QByteArray("abcdefghijklmnopqr\xe4\xb8\xad\xcc\x81z");
    QTest::newRow("wide over a wide one column further") << QByteArray("x\xe4\xb8\x81\r\xe4\xb8\xad" "fhijk ee");
    QTest::newRow("control inside an ST") << QByteArray("\x1b]0;ab\x1b\x11\\visible text here");
    QTest::newRow("huge CSI then text") << "\x1b[" + QByteArray(300, ';') + "31mred text after it";
}

void TestTerminalTextPath::sameAsLibvterm()
{
    QFETCH(QByteArray, stream);
    TerminalScreen whole(20, 6);
    TerminalScreen bytewise(20, 6);
    whole.feed(stream);
    feedBytewise(bytewise, stream);
    const QString diff = difference(whole, bytewise);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    // And twice over, so the second feed starts from whatever state the first left.
    whole.feed(stream);
    feedBytewise(bytewise, stream);
    const QString again = difference(whole, bytewise);
    QVERIFY2(again.isEmpty(), qPrintable(again));
}

void TestTerminalTextPath::randomStreamsSameAsLibvterm()
{
    static const char *const fragments[] = {
        "abcdefghijklmnop", "word12345 text ", "0123456789", "x", "\r\n", "\r", "\t", "\x08",
        "\xe4\xb8\xad", "e\xcc\x81", "\xcc\x81", "\x1b[31m", "\x1b[38;5;123m", "\x1b[48;2;1;2;3m", "\x1b[0m",
        "\x1b[1;4;7m", "\x1b[H", "\x1b[3;17H", "\x1b[2J", "\x1b[K", "\x1b[3@", "\x1b[2P", "\x1b[2;5r", "\x1b[r",
        "\x1b[?1049h", "\x1b[?1049l", "\x1b[?7l", "\x1b[?7h", "\x1b[4h", "\x1b[4l", "\x1b(0", "\x1b(B",
        "\x1b)0", "\x0e", "\x0f", "\x1b[?6h", "\x1b[?6l", "\x1b" "7", "\x1b" "8", "\x1b[5b", "\x1b#8", "\x1b#6",
        "\x1b[?69h\x1b[3;10s", "\x1b[?69l", "\x1b]8;;http://a/\x1b\\", "\x1b]8;;\x07", "\x1b]2;t\x07", "\x1b" "c",
        "\x1b[", "\x1b", "\xff",
    };
    constexpr int FragmentCount = int(sizeof(fragments) / sizeof(fragments[0]));
    quint32 seed = 99;
    auto next = [&] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    for (int round = 0; round < 80; ++round) {
        QByteArray stream;
        for (int i = 0; i < 300; ++i)
            stream += fragments[next() % FragmentCount];
        TerminalScreen whole(23, 7);
        TerminalScreen bytewise(23, 7);
        whole.setScrollbackCapacity(40);
        bytewise.setScrollbackCapacity(40);
        // In three parts, resized between them (a wrap pending at one width, text at another).
        const qsizetype third = stream.size() / 3;
        for (int part = 0; part < 3; ++part) {
            const QByteArray piece = stream.mid(part * third, part == 2 ? -1 : third);
            whole.feed(piece);
            feedBytewise(bytewise, piece);
            const int columns = 5 + int(next() % 30);
            const int rows = 2 + int(next() % 8);
            whole.resize(columns, rows);
            bytewise.resize(columns, rows);
        }
        const QString diff = difference(whole, bytewise);
        if (!diff.isEmpty()) {
            QFile dump(QDir::temp().filePath(QStringLiteral("tst_terminal_text_path.round%1").arg(round)));
            if (dump.open(QIODevice::WriteOnly))
                dump.write(stream);
        }
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("round %1: %2 (stream in %3)").arg(round).arg(diff)
                                                .arg(QDir::temp().filePath(QStringLiteral("tst_terminal_text_path.round%1").arg(round)))));
    }
}

void TestTerminalTextPath::pendingWrapSurvivesResize()
{
    // A full row leaves a wrap pending in the last column; when the terminal grows, libvterm
    // moves the cursor past that column instead, and the text continues on the same row.
    for (const QByteArray &tail : {QByteArray("abcdefghijkl"), QByteArray("\x1b[31mabcdefghijkl")}) {
        TerminalScreen whole(20, 4);
        TerminalScreen bytewise(20, 4);
        const QByteArray row = "0123456789abcdefghij";
        whole.feed(row);
        feedBytewise(bytewise, row);
        whole.resize(30, 4);
        bytewise.resize(30, 4);
        whole.feed(tail);
        feedBytewise(bytewise, tail);
        const QString diff = difference(whole, bytewise);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QCOMPARE(whole.lineText(whole.screenTopLine()), QStringLiteral("0123456789abcdefghijabcdefghij"));
        QCOMPARE(whole.lineText(whole.screenTopLine() + 1), QStringLiteral("kl"));
    }
}

void TestTerminalTextPath::shrinkKeepsTheCursorOnScreen()
{
    // Content below the cursor, then a shrink: rows go to the scrollback only as far as the
    // cursor allows (more made libvterm's cursor row negative: text vanished, reads out of bounds).
    TerminalScreen s(48, 11);
    s.feed("\x1b[11;1Hbottom line\x1b[4;1Hcursor here");
    s.resize(5, 6);
    s.feed("\rX");
    QVERIFY(s.cursorRow() >= 0 && s.cursorRow() < 6);
    QCOMPARE(s.rowCells(s.cursorRow())[0].ch, uint32_t('X'));
    s.feed("\x1b" "7\x1b[2;2H\x1b" "8Y"); // save/restore stay on screen too
    QCOMPARE(s.rowCells(s.cursorRow())[1].ch, uint32_t('Y'));
}

void TestTerminalTextPath::stringTerminatorGuarded()
{
    // libvterm 0.1.4: a control between the ESC and the backslash of an ST, or the two in
    // separate writes, made it compute the string's length as -1: it read past its input and
    // took the text after the ST into the title.
    TerminalScreen s(40, 3);
    s.feed("\x1b]0;ab\x1b\x11\\visible");
    QCOMPARE(s.title(), QStringLiteral("ab"));
    QCOMPARE(s.lineText(s.screenTopLine()), QStringLiteral("visible"));
    s.feed("\r\n\x1b]2;cd\x1b");
    s.feed("\\split");
    QCOMPARE(s.title(), QStringLiteral("cd"));
    QCOMPARE(s.lineText(s.screenTopLine() + 1), QStringLiteral("split"));
    s.feed("\r\n\x1b]2;ef\x1b");
    s.feed(QByteArrayView("\x00\x7f\x07", 3));
    s.feed("\\after");
    QCOMPARE(s.title(), QStringLiteral("ef"));
    QCOMPARE(s.lineText(s.screenTopLine() + 2), QStringLiteral("after"));
    // A title split by the network arrives whole (libvterm alone kept only the last part).
    s.feed("\x1b]2;split ");
    s.feed("across ");
    s.feed("reads\x07");
    QCOMPARE(s.title(), QStringLiteral("split across reads"));
    // Text before a string that has not ended yet is shown at once.
    TerminalScreen t(20, 2);
    t.feed("shown\x1b]0;not ended yet");
    QCOMPARE(t.lineText(t.screenTopLine()), QStringLiteral("shown"));
    t.feed("\x07 later");
    QCOMPARE(t.lineText(t.screenTopLine()), QStringLiteral("shown later"));
    QCOMPARE(t.title(), QStringLiteral("not ended yet"));
}

void TestTerminalTextPath::combiningMarkInLastColumn()
{
    // An ASCII run that ends in the last column, then a combining mark in the same chunk: the
    // mark joins the last letter (the run is not split from it), nothing lands on the next row.
    TerminalScreen s(20, 3);
    s.feed("abcdefghijklmnopqrse\xcc\x81");
    QCOMPARE(s.lineText(s.screenTopLine()), QString::fromUtf8("abcdefghijklmnopqrse\xcc\x81"));
    QCOMPARE(s.lineText(s.screenTopLine() + 1), QString());
}

void TestTerminalTextPath::wideOverWide()
{
    // A wide character written one column left of another covers that one's left half: its
    // right half is blanked, and text after the new one leaves the new one whole.
    TerminalScreen s(20, 2);
    s.feed("x\xe4\xb8\x81\r\xe4\xb8\xad" "f");
    QCOMPARE(s.lineText(s.screenTopLine()), QString::fromUtf8("\xe4\xb8\xad" "f"));
    QVERIFY(s.rowCells(0)[1].isWideTail());
}

void TestTerminalTextPath::csiParameterOverflowIsHarmless()
{
    // Unguarded, libvterm 0.1.4 writes each parameter past the 16th over its own VTerm struct.
    TerminalScreen s(30, 3);
    for (int n : {16, 17, 100, 5000, 100000})
        s.feed(QByteArray("\x1b[" + QByteArray(n, ';') + "31m"));
    s.feed(QByteArray("\x1b[" + QByteArray(70000, '9') + "C")); // one parameter, 70,000 digits
    s.feed("\rred?\r\n");
    QCOMPARE(s.lineText(s.screenTopLine()), QStringLiteral("red?"));
    QCOMPARE(s.rowCells(0)[0].fg, TerminalColor::Default); // the cancelled SGR did nothing
    s.feed("\x1b[1;31mstill a terminal");
    QCOMPARE(s.lineText(s.screenTopLine() + 1), QStringLiteral("still a terminal"));
    QCOMPARE(s.rowCells(1)[0].fg, TerminalColor::indexed(1));
}

QTEST_GUILESS_MAIN(TestTerminalTextPath)
#include "tst_terminal_text_path.moc"
