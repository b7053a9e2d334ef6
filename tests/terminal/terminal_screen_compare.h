#pragma once

// For tst_terminal_text_path and fuzz_terminal_screen: comparing two TerminalScreens cell by
// cell, and feeding a stream in one-byte pieces where libvterm can be cut. Header-only.

#include "terminal_screen.h"
#include "terminal_utf8.h"

#include <QByteArrayView>
#include <QString>

namespace TerminalScreenCompare {

inline QString describe(const TerminalCell &c)
{
    return QStringLiteral("ch=%1 fg=%2 bg=%3 attrs=%4 link=%5")
        .arg(c.ch, 0, 16).arg(c.fg, 0, 16).arg(c.bg, 0, 16).arg(c.attrs, 0, 16).arg(c.link);
}

/// Empty when both screens hold the same cells (character, colours, attributes, link), cursor
/// and history; else the first difference.
inline QString difference(const TerminalScreen &a, const TerminalScreen &b)
{
    if (a.cursorRow() != b.cursorRow() || a.cursorColumn() != b.cursorColumn())
        return QStringLiteral("cursor %1,%2 vs %3,%4").arg(a.cursorRow()).arg(a.cursorColumn())
            .arg(b.cursorRow()).arg(b.cursorColumn());
    if (a.firstLine() != b.firstLine() || a.lastLine() != b.lastLine())
        return QStringLiteral("history %1..%2 vs %3..%4").arg(a.firstLine()).arg(a.lastLine())
            .arg(b.firstLine()).arg(b.lastLine());
    for (qint64 line = a.firstLine(); line <= a.lastLine(); ++line) {
        int na = 0;
        int nb = 0;
        const TerminalCell *ca = a.lineCells(line, &na);
        const TerminalCell *cb = b.lineCells(line, &nb);
        if (na != nb)
            return QStringLiteral("line %1 length %2 vs %3").arg(line).arg(na).arg(nb);
        for (int c = 0; c < na; ++c) {
            // Cluster ids are per screen (interned in order of appearance): compare their text.
            const bool sameChar = ca[c].hasCluster() && cb[c].hasCluster() ? a.cellText(ca[c]) == b.cellText(cb[c])
                                                                          : ca[c].ch == cb[c].ch;
            if (!sameChar || !ca[c].sameStyle(cb[c]))
                return QStringLiteral("line %1 column %2: %3 vs %4 (text '%5' vs '%6')").arg(line).arg(c)
                    .arg(describe(ca[c]), describe(cb[c]), a.lineText(line), b.lineText(line));
        }
    }
    return {};
}

/// One byte per feed, but no cut just before a combining mark or inside one: libvterm 0.1.4
/// cannot join a mark to a character in the last column across writes (a limitation of the
/// library that no chunking on our side can undo when the remote side splits there).
inline void feedInPieces(TerminalScreen &s, QByteArrayView stream)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(stream.data());
    const auto *end = bytes + stream.size();
    qsizetype start = 0;
    for (qsizetype i = 0; i < stream.size();) {
        if (const int mark = TerminalUtf8::combiningMarkLength(bytes + i, end)) {
            i += mark;
            continue;
        }
        if (i > start) {
            s.feed(stream.sliced(start, i - start));
            start = i;
        }
        ++i;
    }
    if (start < stream.size())
        s.feed(stream.sliced(start));
}

} // namespace TerminalScreenCompare
