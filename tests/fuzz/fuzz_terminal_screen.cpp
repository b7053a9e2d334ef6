// libFuzzer target for TerminalScreen with TerminalStreamTracker: the remote output stream goes
// into two screens, one whole (text runs take the fast path of terminal_screen_text.cpp) and one a
// byte at a time (no run is long enough: libvterm prints everything; a character and its
// combining marks stay together); their cells, cursor and
// history must be identical, the cursor inside the screen, and nothing may hang or crash (the
// guards against libvterm 0.1.4's unbounded CSI parameters and REP loop at work).
// The first input byte picks the size (1–40 columns, 1–16 rows); the rest is the stream.

#include "terminal_screen.h"

#include <QChar>

#include <algorithm>
#include <cstdint>
#include <cstdio>
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

/// A warning from TerminalScreen means its fast path and libvterm disagreed: a finding too.
void abortOnWarning(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type != QtDebugMsg && type != QtInfoMsg) {
        std::fprintf(stderr, "%s\n", qPrintable(message));
        abort();
    }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool installed = (qInstallMessageHandler(abortOnWarning), true);
    (void)installed;
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
    // One byte per feed, but no cut just before a combining mark or inside one: libvterm 0.1.4
    // cannot join a mark to a character in the last column across writes, whatever we do.
    auto marksAt = [&](qsizetype i) -> qsizetype { // the length of a combining mark at i, or 0
        if (i >= body.size() || uchar(body[i]) < 0xc0 || uchar(body[i]) >= 0xf8)
            return 0;
        const uchar lead = uchar(body[i]);
        const qsizetype length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        if (i + length > body.size())
            return 0;
        char32_t cp = lead & (0x7f >> length);
        for (qsizetype k = 1; k < length; ++k) {
            if ((uchar(body[i + k]) & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (uchar(body[i + k]) & 0x3f);
        }
        const QChar::Category category = QChar::category(cp);
        const bool mark = category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing
            || category == QChar::Other_Format || (cp >= 0x1160 && cp <= 0x11ff) || cp == 0x200b;
        return mark ? length : 0;
    };
    qsizetype start = 0;
    for (qsizetype i = 0; i < body.size();) {
        if (const qsizetype mark = marksAt(i)) { // no cut before a mark or inside it
            i += mark;
            continue;
        }
        if (i > start) {
            bytewise.feed(body.sliced(start, i - start));
            start = i;
        }
        ++i;
    }
    if (start < body.size())
        bytewise.feed(body.sliced(start));
    if (!sameCells(whole, bytewise))
        abort();
    if (whole.cursorRow() < 0 || whole.cursorRow() >= whole.rows() || whole.cursorColumn() < 0
        || whole.cursorColumn() >= whole.columns())
        abort();
    return 0;
}
