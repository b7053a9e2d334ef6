#include "terminal_screen.h"
#include "terminal_search.h"

#include <QSignalSpy>
#include <QTest>

namespace {

/// All bytes the screen sent to the remote side while `action` ran.
template<typename F>
QByteArray sent(TerminalScreen &screen, F action)
{
    QByteArray out;
    auto c = QObject::connect(&screen, &TerminalScreen::inputBytes, [&](const QByteArray &b) { out += b; });
    action();
    QObject::disconnect(c);
    return out;
}

QString row(const TerminalScreen &s, int r)
{
    return s.lineText(s.screenTopLine() + r);
}

QByteArray numberedLines(int from, int to)
{
    QByteArray b;
    for (int i = from; i < to; ++i)
        b += "line " + QByteArray::number(i) + "\r\n";
    return b;
}

} // namespace

class TestTerminalScreen : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void screenTextBasics();
    void splitAtEveryByte();
    void wideAndCombining();
    void keysNormalAndApplicationCursor();
    void controlAltFunctionBackspace();
    void pasteSanitisedAndBracketed();
    void selectionAndCopy();
    void selectionAcrossScrollback();
    void blockSelection();
    void resizeKeepsContent();
    void alternateScreen();
    void scrollbackCapAndSearch();
    void titleSanitised();
    void colours();
    void attributes();
    void osc8LinkSpan();
    void bellSignal();
    void deviceReplies();
    void damageRows();
    void mouseReports();
    void stderrCells();
    void eraseAndInsert();
    void randomStreamsSurvive();
    void repeatWithoutGlyphDoesNotHang();
};

void TestTerminalScreen::screenTextBasics()
{
    TerminalScreen s(20, 4);
    QSignalSpy changed(&s, &TerminalScreen::outputChanged);
    s.feed("hello  \r\nworld");
    QCOMPARE(changed.size(), 1); // one hint per feed
    QCOMPARE(s.screenText(), QStringLiteral("hello\nworld\n\n"));
    QCOMPARE(s.cursorRow(), 1);
    QCOMPARE(s.cursorColumn(), 5);
    s.feed("\x1b[2;3Hx");
    QCOMPARE(row(s, 1), QStringLiteral("woxld"));
}

void TestTerminalScreen::splitAtEveryByte()
{
    const QByteArray stream = "\x1b[1;31mred\x1b[0m \xe4\xb8\xad\xe6\x96\x87 e\xcc\x81 \x1b]8;;http://x/\x1b\\lnk"
                              "\x1b]8;;\x1b\\\r\n\x1b[38;2;1;2;3mrgb\x1b[K\r\nend";
    TerminalScreen whole(30, 5);
    whole.feed(stream);
    TerminalScreen bytes(30, 5);
    for (char c : stream)
        bytes.feed(QByteArrayView(&c, 1));
    QCOMPARE(bytes.screenText(), whole.screenText());
    for (qsizetype cut = 1; cut < stream.size(); ++cut) {
        TerminalScreen two(30, 5);
        two.feed(QByteArrayView(stream).first(cut));
        two.feed(QByteArrayView(stream).sliced(cut));
        QCOMPARE(two.screenText(), whole.screenText());
        int n = 0;
        const TerminalCell *cells = two.lineCells(two.screenTopLine(), &n);
        QCOMPARE(cells[0].fg, TerminalColor::indexed(1));
        QCOMPARE(two.linkUrl(cells[13].link), QStringLiteral("http://x/"));
    }
}

void TestTerminalScreen::wideAndCombining()
{
    TerminalScreen s(10, 2);
    s.feed("a\xe4\xb8\xad" "b e\xcc\x81!");
    // The wide character once, its right half not repeated; the combining accent kept.
    QCOMPARE(row(s, 0), QString::fromUtf8("a\xe4\xb8\xad" "b e\xcc\x81!"));
    const TerminalCell *cells = s.rowCells(0);
    QVERIFY(cells[1].attrs & TerminalAttr::Wide);
    QVERIFY(cells[2].isWideTail());
    QCOMPARE(s.cellText(cells[3]), QStringLiteral("b"));
    QCOMPARE(s.cellText(cells[5]), QString::fromUtf8("e\xcc\x81"));
    QCOMPARE(s.cursorColumn(), 7);
    // Overwriting the right half of the wide char blanks the left half.
    s.feed("\x1b[1;3HX");
    QCOMPARE(row(s, 0), QString::fromUtf8("a Xb e\xcc\x81!"));
}

void TestTerminalScreen::keysNormalAndApplicationCursor()
{
    TerminalScreen s;
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Up); }), QByteArray("\x1b[A"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Left); }), QByteArray("\x1b[D"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Home); }), QByteArray("\x1b[H"));
    s.feed("\x1b[?1h"); // DECCKM: application cursor keys
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Up); }), QByteArray("\x1bOA"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Right); }), QByteArray("\x1bOC"));
    s.feed("\x1b[?1l");
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Down); }), QByteArray("\x1b[B"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Up, TerminalScreen::Control); }), QByteArray("\x1b[1;5A"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::PageUp); }), QByteArray("\x1b[5~"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Delete); }), QByteArray("\x1b[3~"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Insert); }), QByteArray("\x1b[2~"));
}

void TestTerminalScreen::controlAltFunctionBackspace()
{
    TerminalScreen s;
    QCOMPARE(sent(s, [&] { s.sendText(QStringLiteral("c"), TerminalScreen::Control); }), QByteArray("\x03"));
    QCOMPARE(sent(s, [&] { s.sendText(QStringLiteral("d"), TerminalScreen::Control); }), QByteArray("\x04"));
    QCOMPARE(sent(s, [&] { s.sendText(QStringLiteral("z"), TerminalScreen::Control); }), QByteArray("\x1a"));
    QCOMPARE(sent(s, [&] { s.sendText(QStringLiteral("\\"), TerminalScreen::Control); }), QByteArray("\x1c"));
    QCOMPARE(sent(s, [&] { s.sendText(QStringLiteral(" "), TerminalScreen::Control); }), QByteArray("\x00", 1));
    QCOMPARE(sent(s, [&] { s.sendText(QStringLiteral("x"), TerminalScreen::Alt); }), QByteArray("\x1bx"));
    QCOMPARE(sent(s, [&] { s.sendText(QString::fromUtf8("\xc3\xa9")); }), QByteArray("\xc3\xa9"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::F1); }), QByteArray("\x1bOP"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::F5); }), QByteArray("\x1b[15~"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::F12); }), QByteArray("\x1b[24~"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Backspace); }), QByteArray("\x7f"));
    s.setBackspaceSendsControlH(true);
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Backspace); }), QByteArray("\x08"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Enter); }), QByteArray("\r"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Tab); }), QByteArray("\t"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Tab, TerminalScreen::Shift); }), QByteArray("\x1b[Z"));
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Escape); }), QByteArray("\x1b"));
    // Keypad: digits in normal mode, SS3 sequences in application keypad mode (DECKPAM).
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Keypad5); }), QByteArray("5"));
    s.feed("\x1b=");
    QCOMPARE(sent(s, [&] { s.sendKey(TerminalScreen::Key::Keypad5); }), QByteArray("\x1bOu"));
}

void TestTerminalScreen::pasteSanitisedAndBracketed()
{
    QCOMPARE(TerminalScreen::sanitisedPaste(u"a\x1b[31mb\x07\x01\tc\r\nd\ne\x7f\u009b"),
             QStringLiteral("a[31mb\tc\rd\re"));
    TerminalScreen s;
    QVERIFY(!s.isBracketedPasteEnabled());
    QCOMPARE(sent(s, [&] { s.paste(QStringLiteral("ls\nrm x\n")); }), QByteArray("ls\rrm x\r"));
    s.feed("\x1b[?2004h");
    QVERIFY(s.isBracketedPasteEnabled());
    // A pasted ESC[201~ cannot end the bracket early: the ESC is removed.
    QCOMPARE(sent(s, [&] { s.paste(QStringLiteral("one\ntwo\x1b[201~three")); }),
             QByteArray("\x1b[200~one\rtwo[201~three\x1b[201~"));
    s.feed("\x1b[?2004l");
    QVERIFY(!s.isBracketedPasteEnabled());
    // Probing the mode sends nothing.
    QCOMPARE(sent(s, [&] { s.isBracketedPasteEnabled(); }), QByteArray());
}

void TestTerminalScreen::selectionAndCopy()
{
    TerminalScreen s(20, 5);
    s.feed("first line   \r\n\x1b[31msecond\x1b[0m \xe4\xb8\xad\xe6\x96\x87 x\r\nthird");
    const qint64 top = s.screenTopLine();
    s.setSelection({top, 6}, {top + 1, 8}); // "line" .. through the first wide char
    QVERIFY(s.hasSelection());
    QVERIFY(s.isSelected(top, 6));
    QVERIFY(!s.isSelected(top, 5));
    QVERIFY(s.isSelected(top + 1, 0));
    QVERIFY(!s.isSelected(top + 1, 10));
    // No escape sequences, trailing spaces trimmed, the wide character once.
    QCOMPARE(s.selectedText(), QString::fromUtf8("line\nsecond \xe4\xb8\xad"));
    // Anchor after extent: same selection.
    s.setSelection({top + 1, 8}, {top, 6});
    QCOMPARE(s.selectedText(), QString::fromUtf8("line\nsecond \xe4\xb8\xad"));
    // Selecting only the right half of a wide char still copies it once.
    s.setSelection({top + 1, 8}, {top + 1, 8});
    QCOMPARE(s.selectedText(), QString::fromUtf8("\xe4\xb8\xad"));
    s.clearSelection();
    QVERIFY(!s.hasSelection());
    QCOMPARE(s.selectedText(), QString());
}

void TestTerminalScreen::selectionAcrossScrollback()
{
    TerminalScreen s(20, 5);
    s.feed(numberedLines(0, 30));
    QCOMPARE(s.scrollbackSize(), 26);
    const qint64 first = s.firstLine();
    QCOMPARE(s.lineText(first), QStringLiteral("line 0"));
    // From scrollback line 24 into the screen's first row.
    s.setSelection({first + 24, 5}, {first + 26, 3});
    QCOMPARE(s.selectedText(), QStringLiteral("24\nline 25\nline"));
    // Stays on the same text while more output scrolls.
    s.feed(numberedLines(30, 33));
    QCOMPARE(s.selectedText(), QStringLiteral("24\nline 25\nline"));
}

void TestTerminalScreen::blockSelection()
{
    TerminalScreen s(20, 4);
    s.feed("abcdef\r\nghijkl\r\nmnopqr");
    const qint64 top = s.screenTopLine();
    s.setSelection({top + 2, 4}, {top, 1}, true);
    QCOMPARE(s.selectedText(), QStringLiteral("bcde\nhijk\nnopq"));
    QVERIFY(!s.isSelected(top + 1, 0));
    QVERIFY(s.isSelected(top + 1, 2));
}

void TestTerminalScreen::resizeKeepsContent()
{
    TerminalScreen s(20, 10);
    QSignalSpy size(&s, &TerminalScreen::sizeChanged);
    s.feed(QByteArray(numberedLines(0, 8) + "prompt$ "));
    s.resize(30, 12);
    QCOMPARE(size.size(), 1);
    QCOMPARE(size.at(0).at(0).toInt(), 30);
    QCOMPARE(size.at(0).at(1).toInt(), 12);
    QCOMPARE(s.columns(), 30);
    QCOMPARE(s.rows(), 12);
    QCOMPARE(row(s, 0), QStringLiteral("line 0"));
    QCOMPARE(row(s, 8), QStringLiteral("prompt$"));
    s.resize(30, 12); // unchanged: no signal
    QCOMPARE(size.size(), 1);
    // Fewer rows: the lines above go to the scrollback, the cursor row stays visible.
    s.resize(30, 4);
    QCOMPARE(s.scrollbackSize(), 5);
    QCOMPARE(row(s, 3), QStringLiteral("prompt$"));
    QCOMPARE(s.cursorRow(), 3);
    QCOMPARE(s.cursorColumn(), 8);
    // More rows again: they come back from the scrollback.
    s.resize(30, 9);
    QCOMPARE(s.scrollbackSize(), 0);
    QCOMPARE(row(s, 0), QStringLiteral("line 0"));
    QCOMPARE(s.cursorRow(), 8);
    // Narrower: rows are cut (libvterm 0.1.4 does not reflow).
    s.resize(4, 9);
    QCOMPARE(row(s, 0), QStringLiteral("line"));
    s.feed("X");
    QCOMPARE(s.screenText().count(QLatin1Char('\n')), 8);
}

void TestTerminalScreen::alternateScreen()
{
    TerminalScreen s(20, 5);
    s.feed(QByteArray(numberedLines(0, 10) + "$ vi"));
    const int history = s.scrollbackSize();
    const QString primary = s.screenText();
    s.feed("\x1b[?1049h\x1b[H\x1b[2J" "editor");
    QVERIFY(s.isAltScreen());
    QCOMPARE(row(s, 0), QStringLiteral("editor"));
    // Output on the alternate screen never reaches the scrollback.
    s.feed(numberedLines(100, 150));
    QCOMPARE(s.scrollbackSize(), history);
    s.feed("\x1b[?1049l");
    QVERIFY(!s.isAltScreen());
    QCOMPARE(s.screenText(), primary);
    QCOMPARE(s.scrollbackSize(), history);
    QCOMPARE(s.cursorColumn(), 4); // 1049 restores the cursor
}

void TestTerminalScreen::scrollbackCapAndSearch()
{
    TerminalScreen s(20, 5);
    s.setScrollbackCapacity(100);
    s.feed(numberedLines(0, 500));
    QCOMPARE(s.scrollbackSize(), 100);
    QCOMPARE(s.scrollbackCapacity(), 100);
    QCOMPARE(s.droppedLines(), 396);
    QCOMPARE(s.lineText(s.firstLine()), QStringLiteral("line 396"));
    QCOMPARE(s.lineText(s.lastLine() - 1), QStringLiteral("line 499"));

    TerminalSearch search(&s);
    QCOMPARE(search.find(QStringLiteral("line 4[0-4]\\d"), true), 50); // 400..449
    QCOMPARE(search.current().line, s.firstLine() + 53); // newest: line 449
    QCOMPARE(search.current().startColumn, 0);
    QCOMPARE(search.current().endColumn, 8);
    search.previous();
    QCOMPARE(s.lineText(search.current().line), QStringLiteral("line 448"));
    search.next();
    search.next(); // wraps to the oldest
    QCOMPARE(s.lineText(search.current().line), QStringLiteral("line 400"));
    search.previous(); // wraps to the newest
    QCOMPARE(s.lineText(search.current().line), QStringLiteral("line 449"));
    QCOMPARE(search.find(QStringLiteral("LINE 499"), false), 1); // plain, case-insensitive
    QCOMPARE(search.matchesOnLine(search.current().line).size(), 1);
    QCOMPARE(search.find(QStringLiteral("e 4.9"), false), 0); // plain: '.' is literal
    QCOMPARE(search.find(QStringLiteral("(("), true), 0);
    QVERIFY(!search.errorString().isEmpty());
    // Shrinking the cap keeps the newest lines.
    s.setScrollbackCapacity(10);
    QCOMPARE(s.scrollbackSize(), 10);
    QCOMPARE(s.lineText(s.firstLine()), QStringLiteral("line 486"));
}

void TestTerminalScreen::titleSanitised()
{
    QCOMPARE(TerminalScreen::sanitisedTitle(u"a\x1b[31mb\u202ec\u2066d\x07\u0085e"), QStringLiteral("a[31mbcde"));
    QCOMPARE(TerminalScreen::sanitisedTitle(QString(500, QLatin1Char('x'))).size(), TerminalScreen::MaxTitleLength);
    TerminalScreen s;
    QSignalSpy title(&s, &TerminalScreen::titleChanged);
    s.feed("\x1b]2;user@host: \xe2\x80\xae~/src\x07");
    QCOMPARE(title.size(), 1);
    QCOMPARE(title.at(0).at(0).toString(), QStringLiteral("user@host: ~/src"));
    s.feed("\x1b]0;user@host: ~/src\x07"); // same title: no signal
    QCOMPARE(title.size(), 1);
    s.feed("\x1b]0;vi\x1b\\");
    QCOMPARE(title.size(), 2);
    QCOMPARE(s.title(), QStringLiteral("vi"));
}

void TestTerminalScreen::colours()
{
    TerminalScreen s(20, 2);
    s.feed("\x1b[31mA\x1b[38;5;200mB\x1b[38;2;1;2;3mC\x1b[44mD\x1b[48;2;9;8;7mE\x1b[0mF\x1b[97mG");
    const TerminalCell *c = s.rowCells(0);
    QCOMPARE(c[0].fg, TerminalColor::indexed(1));
    QCOMPARE(c[1].fg, TerminalColor::indexed(200));
    QCOMPARE(c[2].fg, TerminalColor::rgb(1, 2, 3));
    QCOMPARE(c[3].bg, TerminalColor::indexed(4));
    QCOMPARE(c[4].bg, TerminalColor::rgb(9, 8, 7));
    QCOMPARE(c[5].fg, TerminalColor::Default);
    QCOMPARE(c[5].bg, TerminalColor::Default);
    QCOMPARE(c[6].fg, TerminalColor::indexed(15));
    QCOMPARE(TerminalColor::paletteRgb(196), 0xff0000u);
    QCOMPARE(TerminalColor::paletteRgb(232), 0x080808u);
    QCOMPARE(TerminalColor::paletteRgb(1), 0xcd0000u);
}

void TestTerminalScreen::attributes()
{
    TerminalScreen s(20, 2);
    s.feed("\x1b[1ma\x1b[22;3mb\x1b[23;4mc\x1b[21md\x1b[4:3me\x1b[24;7mf\x1b[27;9mg\x1b[29;5mh\x1b[0mi");
    const TerminalCell *c = s.rowCells(0);
    QCOMPARE(c[0].attrs & ~TerminalAttr::Wide, uint16_t(TerminalAttr::Bold));
    QCOMPARE(c[1].attrs, uint16_t(TerminalAttr::Italic));
    QCOMPARE(c[2].underline(), 1);
    QCOMPARE(c[3].underline(), 2);
    QCOMPARE(c[4].underline(), 3); // curly
    QCOMPARE(c[5].attrs, uint16_t(TerminalAttr::Reverse));
    QCOMPARE(c[6].attrs, uint16_t(TerminalAttr::Strike));
    QCOMPARE(c[7].attrs, uint16_t(TerminalAttr::Blink));
    QCOMPARE(c[8].attrs, uint16_t(0));
}

void TestTerminalScreen::osc8LinkSpan()
{
    TerminalScreen s(40, 2);
    const QByteArray url = "https://example.com/a/rather/long/path/that/is/longer/than/sixty-four/bytes?x=1";
    s.feed(QByteArray("see \x1b]8;id=7;" + url + "\x1b\\the docs\x1b]8;;\x1b\\ now"));
    QCOMPARE(row(s, 0), QStringLiteral("see the docs now"));
    const TerminalCell *c = s.rowCells(0);
    QCOMPARE(c[3].link, uint16_t(0));
    QVERIFY(c[4].link != 0);
    for (int i = 4; i < 12; ++i)
        QCOMPARE(c[i].link, c[4].link);
    QCOMPARE(c[12].link, uint16_t(0));
    QCOMPARE(s.linkUrl(c[4].link), QString::fromUtf8(url));
    // The link survives an SGR reset inside it; the same URL gets the same id.
    s.feed(QByteArray("\r\n\x1b]8;;" + url + "\x07\x1b[1mA\x1b[0mB\x1b]8;;\x07" "C"));
    const TerminalCell *d = s.rowCells(1);
    QCOMPARE(d[0].link, c[4].link);
    QCOMPARE(d[1].link, c[4].link);
    QCOMPARE(d[2].link, uint16_t(0));
}

void TestTerminalScreen::bellSignal()
{
    TerminalScreen s;
    QSignalSpy bell(&s, &TerminalScreen::bell);
    s.feed("a\x07" "b\x07");
    QCOMPARE(bell.size(), 2);
    QCOMPARE(row(s, 0), QStringLiteral("ab"));
}

void TestTerminalScreen::deviceReplies()
{
    TerminalScreen s;
    // DSR cursor position report, after moving the cursor to row 3, column 5.
    QCOMPARE(sent(s, [&] { s.feed("\x1b[3;5H\x1b[6n"); }), QByteArray("\x1b[3;5R"));
    // Primary DA: a VT100-class answer.
    const QByteArray da = sent(s, [&] { s.feed("\x1b[c"); });
    QVERIFY2(da.startsWith("\x1b[?") && da.endsWith('c'), da.constData());
    // DSR status: OK.
    QCOMPARE(sent(s, [&] { s.feed("\x1b[5n"); }), QByteArray("\x1b[0n"));
}

void TestTerminalScreen::damageRows()
{
    TerminalScreen s(10, 6);
    std::vector<uint8_t> rows;
    s.feed("x");
    QVERIFY(s.takeDamage(rows));
    QVERIFY(!s.takeDamage(rows)); // taken
    QVERIFY(std::all_of(rows.begin(), rows.end(), [](uint8_t d) { return d == 0; }));
    s.feed("\x1b[4;2Hy");
    QVERIFY(s.takeDamage(rows));
    QCOMPARE(int(rows.size()), 6);
    // Row 3 (written, cursor) and row 0 (the cursor left it); nothing else.
    QCOMPARE(rows, (std::vector<uint8_t>{1, 0, 0, 1, 0, 0}));
    s.feed("\x1b[6;1H\n"); // a scroll damages every row
    QVERIFY(s.takeDamage(rows));
    QCOMPARE(std::count(rows.begin(), rows.end(), uint8_t(1)), 6);
}

void TestTerminalScreen::mouseReports()
{
    TerminalScreen s;
    QCOMPARE(s.mouseMode(), TerminalScreen::MouseMode::None);
    QCOMPARE(sent(s, [&] { s.mouseButton(4, true); }), QByteArray()); // not enabled: nothing
    s.feed("\x1b[?1000h\x1b[?1006h");
    QCOMPARE(s.mouseMode(), TerminalScreen::MouseMode::Click);
    const QByteArray press = sent(s, [&] {
        s.mouseMove(2, 3);
        s.mouseButton(1, true);
    });
    QCOMPARE(press, QByteArray("\x1b[<0;4;3M"));
    QCOMPARE(sent(s, [&] { s.mouseButton(1, false); }), QByteArray("\x1b[<0;4;3m"));
    QCOMPARE(sent(s, [&] { s.mouseButton(4, true); }), QByteArray("\x1b[<64;4;3M"));
    s.feed("\x1b[?1002h");
    QCOMPARE(s.mouseMode(), TerminalScreen::MouseMode::Drag);
}

void TestTerminalScreen::stderrCells()
{
    TerminalScreen s(10, 2);
    s.feed("o");
    s.feedStderr("\x1b[1me");
    s.feed("o");
    const TerminalCell *c = s.rowCells(0);
    QVERIFY(!(c[0].attrs & TerminalAttr::Stderr));
    QVERIFY(c[1].attrs & TerminalAttr::Stderr);
    QVERIFY(!(c[2].attrs & TerminalAttr::Stderr));
    QVERIFY(c[2].attrs & TerminalAttr::Bold); // the program's pen carries on
}

void TestTerminalScreen::eraseAndInsert()
{
    TerminalScreen s(10, 3);
    s.feed("abcdefgh\x1b[1;3H\x1b[2@"); // ICH: insert 2 blanks at column 3
    QCOMPARE(row(s, 0), QStringLiteral("ab  cdefgh"));
    s.feed("\x1b[3P"); // DCH
    QCOMPARE(row(s, 0), QStringLiteral("abdefgh"));
    s.feed("\x1b[K");
    QCOMPARE(row(s, 0), QStringLiteral("ab"));
    s.feed("\r\n1\r\n2\x1b[1;1H\x1b[L"); // IL at the top row: 1 and 2 move down
    QCOMPARE(s.screenText(), QStringLiteral("\nab\n1"));
    s.feed("\x1b[2J");
    QCOMPARE(s.screenText(), QStringLiteral("\n\n"));
    // Erase uses the current background colour (BCE).
    s.feed("\x1b[41m\x1b[2K");
    QCOMPARE(s.rowCells(0)[5].bg, TerminalColor::indexed(1));
}

void TestTerminalScreen::randomStreamsSurvive()
{
    // Random mixes of text, wide/combining characters, cursor motion, scroll regions, insert/
    // delete, erase, alternate screen, OSC 8 and resizes: the same stream fed whole and in random
    // pieces gives the same screen, every history line is readable and the cursor stays inside.
    static const char *const fragments[] = {
        "abc", "hello world ", "\r\n", "\n", "\r", "\t", "\x08", "\xe4\xb8\xad", "e\xcc\x81", "\xf0\x9f\x98\x80",
        "\x1b[31m", "\x1b[38;5;123m", "\x1b[48;2;1;2;3m", "\x1b[0m", "\x1b[1;4;7m", "\x1b[H", "\x1b[5;7H",
        "\x1b[99;99H", "\x1b[2J", "\x1b[K", "\x1b[1K", "\x1b[3@", "\x1b[2P", "\x1b[2L", "\x1b[3M", "\x1b[2;5r",
        "\x1b[r", "\x1bM", "\x1b" "D", "\x1b[S", "\x1b[2T", "\x1b[?1049h", "\x1b[?1049l", "\x1b[?47h", "\x1b[?47l",
        "\x1b[?7l", "\x1b[?7h", "\x1b[4h", "\x1b[4l", "\x1b]8;;http://a/\x1b\\", "\x1b]8;;\x07",
        "\x1b]2;title\x07", "\x1b#8", "\x1b[?6h", "\x1b[?6l", "\x1b" "7", "\x1b" "8", "\x1b(0lqk\x1b(B", "\xff\xfe",
        "\x1b[?69h\x1b[3;10s", "\x1b[?69l", "\x1b[10X", "\x1b[5b", "\x1b" "c",
    };
    constexpr int FragmentCount = int(sizeof(fragments) / sizeof(fragments[0]));
    quint32 seed = 7;
    auto next = [&] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    for (int round = 0; round < 20; ++round) {
        QList<QByteArray> parts; // a part "#WxH" is a resize
        for (int i = 0; i < 400; ++i) {
            if (next() % 60 == 0)
                parts.append("#" + QByteArray::number(1 + next() % 50) + "x" + QByteArray::number(1 + next() % 20));
            else
                parts.append(fragments[next() % FragmentCount]);
        }
        TerminalScreen whole(20, 8);
        TerminalScreen pieces(20, 8);
        whole.setScrollbackCapacity(50);
        pieces.setScrollbackCapacity(50);
        QByteArray pending;
        auto flushPending = [&] {
            whole.feed(pending);
            for (qsizetype pos = 0; pos < pending.size();) {
                const qsizetype n = std::min<qsizetype>(1 + next() % 7, pending.size() - pos);
                pieces.feed(QByteArrayView(pending).sliced(pos, n));
                pos += n;
            }
            pending.clear();
        };
        for (const QByteArray &part : parts) {
            if (part.startsWith('#')) {
                flushPending();
                const QList<QByteArray> wh = part.mid(1).split('x');
                whole.resize(wh.at(0).toInt(), wh.at(1).toInt());
                pieces.resize(wh.at(0).toInt(), wh.at(1).toInt());
            } else {
                pending += part;
            }
        }
        flushPending();
        QCOMPARE(pieces.screenText(), whole.screenText());
        QCOMPARE(pieces.scrollbackSize(), whole.scrollbackSize());
        QVERIFY(whole.cursorRow() >= 0 && whole.cursorRow() < whole.rows());
        QVERIFY(whole.cursorColumn() >= 0 && whole.cursorColumn() < whole.columns());
        for (qint64 line = whole.firstLine(); line <= whole.lastLine(); ++line)
            QCOMPARE(pieces.lineText(line), whole.lineText(line));
        whole.setSelection({whole.firstLine(), 3}, {whole.lastLine(), 2});
        int breaks = 0; // one line break per line end that is not an auto-wrap
        for (qint64 line = whole.firstLine(); line < whole.lastLine(); ++line) {
            QCOMPARE(pieces.isWrapped(line), whole.isWrapped(line));
            breaks += whole.isWrapped(line) ? 0 : 1;
        }
        QCOMPARE(int(whole.selectedText().count(QLatin1Char('\n'))), breaks);
    }
}

void TestTerminalScreen::repeatWithoutGlyphDoesNotHang()
{
    // libvterm 0.1.4 spins forever on REP when the glyph to repeat has width 0.
    TerminalScreen s(10, 3);
    s.feed("\x1b[5b"); // nothing printed yet
    QCOMPARE(s.screenText(), QStringLiteral("\n\n"));
    s.feed("a\x1b[3b"); // a real REP still works
    QCOMPARE(row(s, 0), QStringLiteral("aaaa"));
    s.feed("\r\n\xcc\x81\x1b[3b"); // a lone combining character (width 0), then REP
    s.feed("x\x1b[");
    s.feed("2b"); // REP split across feeds
    QCOMPARE(row(s, 1).right(3), QStringLiteral("xxx"));
}

QTEST_GUILESS_MAIN(TestTerminalScreen)
#include "tst_terminal_screen.moc"
