// libFuzzer target for TerminalScreen with TerminalStreamTracker: the remote output stream goes
// into two screens, one whole (text runs take the fast path of terminal_screen_text.cpp) and one a
// byte at a time (no run is long enough: libvterm prints everything); their cells, cursor and
// history must be identical, the cursor inside the screen, and nothing may hang or crash (the
// guards against libvterm 0.1.4's unbounded CSI parameters and REP loop at work).
// The first input byte picks the size (1–40 columns, 1–16 rows); the rest is the stream.

#include "terminal_screen.h"

#include <cstdint>
#include <cstdlib>

namespace {

bool sameCells(const TerminalScreen &a, const TerminalScreen &b)
{
    if (a.cursorRow() != b.cursorRow() || a.cursorColumn() != b.cursorColumn()
        || a.firstLine() != b.firstLine() || a.lastLine() != b.lastLine())
        return false;
    for (qint64 line = a.firstLine(); line <= a.lastLine(); ++line) {
        int na = 0;
        int nb = 0;
        const TerminalCell *ca = a.lineCells(line, &na);
        const TerminalCell *cb = b.lineCells(line, &nb);
        if (na != nb)
            return false;
        for (int c = 0; c < na; ++c) {
            // Cluster ids are per screen (interned in order of appearance): compare their text.
            const bool sameChar = ca[c].hasCluster() && cb[c].hasCluster() ? a.cellText(ca[c]) == b.cellText(cb[c])
                                                                          : ca[c].ch == cb[c].ch;
            if (!sameChar || !ca[c].sameStyle(cb[c]))
                return false;
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    const int columns = 1 + data[0] % 40;
    const int rows = 1 + (data[0] >> 4) % 16;
    const QByteArrayView body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    TerminalScreen whole(columns, rows);
    TerminalScreen bytewise(columns, rows);
    whole.setScrollbackCapacity(30);
    bytewise.setScrollbackCapacity(30);
    whole.feed(body);
    for (qsizetype i = 0; i < body.size(); ++i)
        bytewise.feed(body.sliced(i, 1));
    if (!sameCells(whole, bytewise))
        abort();
    if (whole.cursorRow() < 0 || whole.cursorRow() >= whole.rows() || whole.cursorColumn() < 0
        || whole.cursorColumn() >= whole.columns())
        abort();
    return 0;
}
