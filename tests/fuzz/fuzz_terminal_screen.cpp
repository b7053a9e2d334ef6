// libFuzzer target for TerminalScreen with TerminalStreamTracker: the remote output stream goes
// into two screens, one whole (text runs take the fast path of terminal_screen_text.cpp) and one a
// byte at a time (no run is long enough: libvterm prints everything; no cut before a combining
// mark, see terminal_screen_compare.h); their cells, cursor and history must be identical, the cursor inside the screen, and nothing may hang or crash (the
// guards against libvterm 0.1.4's unbounded CSI parameters and REP loop at work); copy and search
// across auto-wrapped lines stay consistent with the wrap marks.
// The first input byte picks the size (1–40 columns, 1–16 rows); the rest is the stream.

#include "terminal_screen_compare.h"
#include "terminal_search.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

/// A warning from TerminalScreen means its fast path and libvterm disagreed: a finding too.
void abortOnWarning(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type != QtDebugMsg && type != QtInfoMsg) {
        std::fprintf(stderr, "%s\n", qPrintable(message));
        abort();
    }
}

} // namespace

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
    TerminalScreenCompare::feedInPieces(bytewise, body);
    if (const QString difference = TerminalScreenCompare::difference(whole, bytewise); !difference.isEmpty()) {
        std::fprintf(stderr, "whole vs pieces: %s\n", qPrintable(difference));
        abort();
    }
    if (whole.cursorRow() < 0 || whole.cursorRow() >= whole.rows() || whole.cursorColumn() < 0
        || whole.cursorColumn() >= whole.columns())
        abort();
    // Soft line breaks: copy and search read across them. A copy of the whole history has one
    // line break per line end that is not a wrap; a search for each letter finds every cell of it.
    int breaks = 0;
    for (qint64 line = whole.firstLine(); line < whole.lastLine(); ++line)
        breaks += whole.isWrapped(line) ? 0 : 1;
    whole.setSelection({whole.firstLine(), 0}, {whole.lastLine(), whole.columns() - 1});
    if (whole.selectedText().count(QLatin1Char('\n')) != breaks)
        abort();
    TerminalSearch search(&whole);
    search.find(QStringLiteral("[a-z]+ ?[0-9]"), true);
    for (int i = 0; i < search.matchCount(); ++i) {
        for (const TerminalSpan &span : search.matchSpans(i)) {
            if (span.startColumn < 0 || span.endColumn > whole.columns() || span.startColumn >= span.endColumn
                || span.line < whole.firstLine() || span.line > whole.lastLine())
                abort();
        }
    }
    return 0;
}
