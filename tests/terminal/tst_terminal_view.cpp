#include "terminal_screen.h"
#include "terminal_search.h"
#include "terminal_search_bar.h"
#include "terminal_view.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>

namespace {

/// A shown view sized to exactly `columns` × `rows` cells.
struct Fixture
{
    TerminalScreen screen{80, 24};
    TerminalView view{&screen};
    QByteArray sent;

    explicit Fixture(int columns = 80, int rows = 24)
    {
        QObject::connect(&screen, &TerminalScreen::inputBytes, [this](const QByteArray &b) { sent += b; });
        const QSize cell = view.cellSize();
        const QSize hint = view.sizeHint();
        const int bar = hint.width() - 80 * cell.width();
        view.resize(columns * cell.width() + bar, rows * cell.height());
        view.show();
        view.activateWindow();
        view.setFocus();
    }
    QByteArray take() { return std::exchange(sent, {}); }
};

} // namespace

class TestTerminalView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void gridFollowsSize();
    void paintsCoalesced();
    void paintsOnlyDamagedRows();
    void focusCursor();
    void keyEventsToBytes();
    void copyAndPasteShortcuts();
    void multiLinePasteConfirmed();
    void searchBarHighlights();
    void zoomChangesGrid();
    void scrollback();
    void bellFlashes();
    void doubleClickSelectsAWrappedWord();
};

void TestTerminalView::gridFollowsSize()
{
    Fixture f(100, 30);
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    QCOMPARE(f.screen.columns(), 100);
    QCOMPARE(f.screen.rows(), 30);
}

void TestTerminalView::paintsCoalesced()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    QTRY_VERIFY(f.view.paintCount() > 0);
    QTest::qWait(TerminalView::FrameMs * 3);
    const int before = f.view.paintCount();
    // 200 feeds without the event loop in between, then 50 with it: a handful of paints.
    for (int i = 0; i < 200; ++i)
        f.screen.feed(QByteArray("some output line " + QByteArray::number(i) + "\r\n"));
    QTRY_COMPARE(f.view.paintCount(), before + 1);
    for (int i = 0; i < 50; ++i) {
        f.screen.feed(QByteArray("more " + QByteArray::number(i) + "\r\n"));
        QCoreApplication::processEvents();
    }
    QTest::qWait(TerminalView::FrameMs * 3);
    QVERIFY2(f.view.paintCount() - before <= 6, qPrintable(QString::number(f.view.paintCount() - before)));
}

void TestTerminalView::paintsOnlyDamagedRows()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    f.screen.feed("\x1b[10;1H");
    QTest::qWait(TerminalView::FrameMs * 3);
    const int before = f.view.paintCount();
    f.screen.feed("hello"); // row 9 only (the cursor stays on it)
    QTRY_COMPARE(f.view.paintCount(), before + 1);
    QCOMPARE(f.view.lastPaintedRows(), 1);
    f.screen.feed("\x1b[20;5Hx"); // rows 9 (cursor left) and 19
    QTRY_COMPARE(f.view.paintCount(), before + 2);
    QCOMPARE(f.view.lastPaintedRows(), 2);
}

void TestTerminalView::focusCursor()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowActive(&f.view));
    f.screen.feed("\x1b[?1004h"); // the program asks for focus reports
    f.view.setFocus();
    QTRY_VERIFY(f.view.hasFocus());
    QVERIFY(!f.view.isCursorDrawnHollow());
    f.take();
    f.view.clearFocus();
    QTRY_VERIFY(f.view.isCursorDrawnHollow());
    QCOMPARE(f.take(), QByteArray("\x1b[O"));
    f.view.setFocus();
    QTRY_VERIFY(f.view.hasFocus());
    QCOMPARE(f.take(), QByteArray("\x1b[I"));
}

void TestTerminalView::keyEventsToBytes()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    auto key = [&](Qt::Key k, Qt::KeyboardModifiers m = Qt::NoModifier, const QString &text = {}) {
        QKeyEvent press(QEvent::KeyPress, k, m, text);
        QCoreApplication::sendEvent(&f.view, &press);
        return f.take();
    };
    QCOMPARE(key(Qt::Key_A, Qt::NoModifier, QStringLiteral("a")), QByteArray("a"));
    QCOMPARE(key(Qt::Key_Up), QByteArray("\x1b[A"));
    QCOMPARE(key(Qt::Key_C, Qt::ControlModifier, QStringLiteral("\x03")), QByteArray("\x03"));
    QCOMPARE(key(Qt::Key_D, Qt::ControlModifier, QStringLiteral("\x04")), QByteArray("\x04"));
    QCOMPARE(key(Qt::Key_Z, Qt::ControlModifier), QByteArray("\x1a"));
    QCOMPARE(key(Qt::Key_Backslash, Qt::ControlModifier), QByteArray("\x1c"));
    QCOMPARE(key(Qt::Key_Space, Qt::ControlModifier), QByteArray("\x00", 1));
    QCOMPARE(key(Qt::Key_X, Qt::AltModifier, QStringLiteral("x")), QByteArray("\x1bx"));
    QCOMPARE(key(Qt::Key_F5), QByteArray("\x1b[15~"));
    QCOMPARE(key(Qt::Key_Backspace, Qt::NoModifier, QStringLiteral("\x08")), QByteArray("\x7f"));
    QCOMPARE(key(Qt::Key_Return, Qt::NoModifier, QStringLiteral("\r")), QByteArray("\r"));
    QCOMPARE(key(Qt::Key_Delete), QByteArray("\x1b[3~"));
    QCOMPARE(key(Qt::Key_End), QByteArray("\x1b[F"));
    QCOMPARE(key(Qt::Key_5, Qt::KeypadModifier, QStringLiteral("5")), QByteArray("5"));
    // Tab stays in the terminal (focus does not move on).
    QTest::keyClick(&f.view, Qt::Key_Tab);
    QCOMPARE(f.take(), QByteArray("\t"));
    QVERIFY(f.view.hasFocus());
    QTest::keyClick(&f.view, Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(f.take(), QByteArray("\x1b[Z"));
    f.screen.feed("\x1b[?1h"); // application cursor keys
    QCOMPARE(key(Qt::Key_Left), QByteArray("\x1bOD"));
}

void TestTerminalView::copyAndPasteShortcuts()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    QClipboard *clipboard = QGuiApplication::clipboard();
    f.screen.feed("\x1b[32mhello\x1b[0m world   ");
    const qint64 top = f.screen.screenTopLine();
    f.screen.setSelection({top, 0}, {top, 79});
    QTest::keyClick(&f.view, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(clipboard->text(), QStringLiteral("hello world"));
    QCOMPARE(f.take(), QByteArray()); // nothing typed
    clipboard->setText(QStringLiteral("pasted\x1b[31m"));
    QTest::keyClick(&f.view, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(f.take(), QByteArray("pasted[31m"));
}

void TestTerminalView::multiLinePasteConfirmed()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    int asked = 0;
    bool answer = false;
    f.view.setPasteConfirmation([&](const QString &) {
        ++asked;
        return answer;
    });
    f.view.pasteText(QStringLiteral("single line"));
    QCOMPARE(asked, 0);
    QCOMPARE(f.take(), QByteArray("single line"));
    f.view.pasteText(QStringLiteral("rm -rf x\nls\n"));
    QCOMPARE(asked, 1);
    QCOMPARE(f.take(), QByteArray()); // declined
    answer = true;
    f.view.pasteText(QStringLiteral("echo 1\necho 2"));
    QCOMPARE(asked, 2);
    QCOMPARE(f.take(), QByteArray("echo 1\recho 2"));
    // With bracketed paste the program sees it as a paste: no question.
    f.screen.feed("\x1b[?2004h");
    f.view.pasteText(QStringLiteral("a\nb"));
    QCOMPARE(asked, 2);
    QCOMPARE(f.take(), QByteArray("\x1b[200~a\rb\x1b[201~"));
}

void TestTerminalView::searchBarHighlights()
{
    Fixture f(80, 10);
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    for (int i = 0; i < 100; ++i)
        f.screen.feed(QByteArray("entry " + QByteArray::number(i) + "\r\n"));
    f.view.flushFrame();
    QTest::keyClick(&f.view, Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(f.view.searchBar()->isVisible());
    f.view.searchBar()->setPattern(QStringLiteral("entry 1\\d$"), true);
    QCOMPARE(f.view.search()->matchCount(), 10);
    QCOMPARE(f.view.searchBar()->countText(), QStringLiteral("10 match(es)"));
    // The newest match (entry 19) is brought into view and painted in the current-match colour.
    const TerminalSpan current = f.view.search()->current();
    QCOMPARE(f.screen.lineText(current.line), QStringLiteral("entry 19"));
    QVERIFY(f.view.scrollOffset() > 0);
    const qint64 viewTop = f.screen.screenTopLine() - f.view.scrollOffset();
    const int viewRow = int(current.line - viewTop);
    QVERIFY(viewRow >= 0 && viewRow < f.screen.rows());
    const QImage image = f.view.grab().toImage();
    const QSize cell = f.view.cellSize();
    const QPoint inMatch(cell.width() * 6 + 1, viewRow * cell.height() + 1); // the space before "19"
    QCOMPARE(QColor(image.pixel(inMatch)), QColor(0xc0, 0x70, 0x00));
    f.view.searchBar()->findPrevious();
    QCOMPARE(f.screen.lineText(f.view.search()->current().line), QStringLiteral("entry 18"));
    QTest::keyClick(f.view.searchBar(), Qt::Key_Escape);
    QVERIFY(!f.view.searchBar()->isVisible());
    QVERIFY(f.view.search()->matchCount() == 0);
}

void TestTerminalView::zoomChangesGrid()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    const qreal size = f.view.fontPointSize();
    const int columns = f.screen.columns();
    QSignalSpy grid(&f.view, &TerminalView::gridSizeChanged);
    QTest::keyClick(&f.view, Qt::Key_Equal, Qt::ControlModifier);
    QTest::keyClick(&f.view, Qt::Key_Equal, Qt::ControlModifier);
    QCOMPARE(f.view.fontPointSize(), size + 2);
    QVERIFY(f.screen.columns() < columns);
    QVERIFY(grid.size() >= 1);
    QTest::keyClick(&f.view, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(f.view.fontPointSize(), size + 1);
    QTest::keyClick(&f.view, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(f.view.fontPointSize(), size);
    QCOMPARE(f.screen.columns(), columns);
    QCOMPARE(f.take(), QByteArray()); // zoom keys are not typed
}

void TestTerminalView::scrollback()
{
    Fixture f(80, 10);
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    for (int i = 0; i < 100; ++i)
        f.screen.feed(QByteArray("row " + QByteArray::number(i) + "\r\n"));
    f.view.flushFrame();
    QTest::keyClick(&f.view, Qt::Key_PageUp, Qt::ShiftModifier);
    QCOMPARE(f.view.scrollOffset(), 9);
    QCOMPARE(f.take(), QByteArray());
    QWheelEvent wheel(QPointF(10, 10), f.view.mapToGlobal(QPointF(10, 10)), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(&f.view, &wheel);
    QCOMPARE(f.view.scrollOffset(), 12);
    // Output keeps the viewport on the same lines.
    f.screen.feed("new\r\n");
    f.view.flushFrame();
    QCOMPARE(f.view.scrollOffset(), 13);
    // Typing returns to the live screen.
    QTest::keyClick(&f.view, Qt::Key_A, Qt::NoModifier);
    QCOMPARE(f.view.scrollOffset(), 0);
    // On the alternate screen the wheel sends arrow keys.
    f.screen.feed("\x1b[?1049h");
    f.take();
    QCoreApplication::sendEvent(&f.view, &wheel);
    QCOMPARE(f.take(), QByteArray("\x1b[A\x1b[A\x1b[A"));
}

void TestTerminalView::bellFlashes()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    f.screen.feed("\x07");
    QVERIFY(f.view.isBellFlashing());
    QTRY_VERIFY(!f.view.isBellFlashing());
}

void TestTerminalView::doubleClickSelectsAWrappedWord()
{
    Fixture f(20, 5);
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    f.screen.feed("open http://example.com/x/y now"); // "open http://example." then "com/x/y now"
    f.view.flushFrame();
    const QSize cell = f.view.cellSize();
    const QPoint onSecondRow(2 * cell.width() + cell.width() / 2, cell.height() + cell.height() / 2);
    QTest::mouseDClick(&f.view, Qt::LeftButton, {}, onSecondRow);
    QCOMPARE(f.screen.selectedText(), QStringLiteral("http://example.com/x/y"));
    const QPoint onFirstRow(6 * cell.width() + cell.width() / 2, cell.height() / 2);
    QTest::mouseDClick(&f.view, Qt::LeftButton, {}, onFirstRow);
    QCOMPARE(f.screen.selectedText(), QStringLiteral("http://example.com/x/y"));
    const QPoint onOpen(cell.width() + cell.width() / 2, cell.height() / 2);
    QTest::mouseDClick(&f.view, Qt::LeftButton, {}, onOpen);
    QCOMPARE(f.screen.selectedText(), QStringLiteral("open"));
}

QTEST_MAIN(TestTerminalView)
#include "tst_terminal_view.moc"
