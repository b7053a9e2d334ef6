#pragma once

#include "terminal_cell.h"

#include <QList>
#include <QString>

class TerminalScreen;

/// Search over a TerminalScreen's scrollback and screen, line by line (a match does not span
/// lines), plain text or a QRegularExpression. Matches are cell spans in history line numbers
/// (TerminalPos::line), oldest first, for highlighting and for scrolling to the current one.
///
/// After find() the current match is the newest one (the one nearest the bottom, where a user
/// searching a shell's output looks first); next() moves to the newer match, previous() to the
/// older one, both wrapping. The result is a snapshot: call find() again after more output.
/// Not a QObject; pure over the screen it reads.
class TerminalSearch
{
public:
    explicit TerminalSearch(const TerminalScreen *screen) : m_screen(screen) {}

    /// Returns the number of matches; an invalid regex gives 0 and errorString().
    int find(const QString &pattern, bool regex, bool caseSensitive = false);
    void clear();

    const QList<TerminalSpan> &matches() const { return m_matches; }
    int currentIndex() const { return m_current; }
    /// The current match; a span with endColumn 0 when there is none.
    TerminalSpan current() const;
    int next();
    int previous();
    /// Matches on one line (for painting), in column order.
    QList<TerminalSpan> matchesOnLine(qint64 line) const;
    QString errorString() const { return m_error; }

private:
    const TerminalScreen *m_screen;
    QList<TerminalSpan> m_matches;
    int m_current = -1;
    QString m_error;
};
