// Terminal throughput (issue 7 section 7): 20 MB of coloured output (~160-byte lines mixing
// 16-colour, 256-colour and truecolor SGR) consumed by (1) libvterm's state layer with no-op
// callbacks (the decoder's ceiling), (2) TerminalScreen alone, (3) TerminalView at 120×40, shown on
// the offscreen platform, fed 64 KiB chunks with the event loop running so coalesced paints happen
// as in real use. Prints MB/s (1 MB = 10^6 bytes). Target (issue): >= 50 MB/s in the widget.
// Run: cmake --build build/h1 --target bench_terminal && QT_QPA_PLATFORM=offscreen build/h1/tests/bench/bench_terminal
#include "coloured_output.h"
#include "terminal_screen.h"
#include "terminal_view.h"

#include <QElapsedTimer>
#include <QTest>

#include <cstdio>
#include <vterm.h>

namespace {

constexpr qsizetype ChunkBytes = 64 * 1024;

void report(const char *what, qsizetype bytes, qint64 ns, const char *extra = "")
{
    std::printf("%-44s %6.1f MB in %7.3f s = %6.1f MB/s %s\n", what, double(bytes) / 1e6, double(ns) / 1e9,
                double(bytes) / 1e3 / (double(ns) / 1e6), extra);
    std::fflush(stdout);
}

int noGlyph(VTermGlyphInfo *, VTermPos, void *) { return 1; }
int noScroll(VTermRect, int, int, void *) { return 1; }
int noErase(VTermRect, int, void *) { return 1; }

} // namespace

class BenchTerminal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void libvtermStateOnly();
    void screenAlone();
    void widget();

private:
    QByteArray m_data;
};

void BenchTerminal::initTestCase()
{
    m_data = colouredOutput();
    std::printf("input: %lld bytes, %lld lines, chunks of %lld bytes, 120x40\n", qlonglong(m_data.size()),
                qlonglong(m_data.count('\n')), qlonglong(ChunkBytes));
}

void BenchTerminal::libvtermStateOnly()
{
    VTerm *vt = vterm_new(40, 120);
    vterm_set_utf8(vt, 1);
    VTermState *state = vterm_obtain_state(vt);
    static VTermStateCallbacks callbacks = {};
    callbacks.putglyph = noGlyph;
    callbacks.scrollrect = noScroll;
    callbacks.erase = noErase;
    vterm_state_set_callbacks(state, &callbacks, nullptr);
    vterm_state_reset(state, 1);
    QElapsedTimer timer;
    timer.start();
    for (qsizetype pos = 0; pos < m_data.size(); pos += ChunkBytes) {
        const qsizetype n = std::min(ChunkBytes, m_data.size() - pos);
        vterm_input_write(vt, m_data.constData() + pos, size_t(n));
    }
    report("libvterm 0.1.4 state layer, no-op callbacks", m_data.size(), timer.nsecsElapsed());
    vterm_free(vt);
}

void BenchTerminal::screenAlone()
{
    TerminalScreen screen(120, 40);
    QElapsedTimer timer;
    timer.start();
    for (qsizetype pos = 0; pos < m_data.size(); pos += ChunkBytes)
        screen.feed(QByteArrayView(m_data).sliced(pos, std::min(ChunkBytes, m_data.size() - pos)));
    report("TerminalScreen (model) alone", m_data.size(), timer.nsecsElapsed());
    QVERIFY(screen.lineText(screen.lastLine() - 1).endsWith(QString::number(m_data.count('\n') - 1)));
    QCOMPARE(screen.scrollbackSize(), TerminalScreen::DefaultScrollback);
}

void BenchTerminal::widget()
{
    TerminalScreen screen(120, 40);
    TerminalView view(&screen);
    const QSize cell = view.cellSize();
    const int bar = view.sizeHint().width() - 80 * cell.width();
    view.resize(120 * cell.width() + bar, 40 * cell.height());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(screen.columns(), 120);
    QCOMPARE(screen.rows(), 40);
    QCoreApplication::processEvents();
    const int paintsBefore = view.paintCount();
    QElapsedTimer timer;
    timer.start();
    for (qsizetype pos = 0; pos < m_data.size(); pos += ChunkBytes) {
        screen.feed(QByteArrayView(m_data).sliced(pos, std::min(ChunkBytes, m_data.size() - pos)));
        QCoreApplication::processEvents(); // timers fire, coalesced paints happen
    }
    view.flushFrame(); // the final frame
    QCoreApplication::processEvents();
    const qint64 ns = timer.nsecsElapsed();
    const QByteArray paints = "(" + QByteArray::number(view.paintCount() - paintsBefore) + " paints)";
    report("TerminalView 120x40 (model + coalesced paints)", m_data.size(), ns, paints.constData());
    QVERIFY(view.paintCount() > paintsBefore);
}

QTEST_MAIN(BenchTerminal)
#include "bench_terminal.moc"
