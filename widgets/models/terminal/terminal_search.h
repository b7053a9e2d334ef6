#pragma once

#include "terminal_cell.h"

#include <QList>
#include <QString>

#include <vector>

class TerminalScreen;

/// Search over a TerminalScreen's scrollback and screen, plain text or a QRegularExpression.
/// Lines joined by auto-wrap (TerminalScreen::isWrapped) are searched as the one line the program
/// wrote, so a URL or a path cut by the right margin is found; a match spans no hard line break.
/// A match is one or more cell spans (one per screen line it covers) in history line numbers
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

    int matchCount() const { return int(m_firstSpan.size()); }
    /// The spans of match `index` (0 <= index < matchCount()), one per line, top to bottom.
    QList<TerminalSpan> matchSpans(int index) const;
    int currentIndex() const { return m_current; }
    /// The first span of the current match; a span with endColumn 0 when there is none.
    TerminalSpan current() const;
    /// Whether `span` (from matchesOnLine) belongs to the current match.
    bool isCurrent(const TerminalSpan &span) const;
    int next();
    int previous();
    /// Match spans on one line (for painting), in column order.
    QList<TerminalSpan> matchesOnLine(qint64 line) const;
    QString errorString() const { return m_error; }

private:
    void addMatch(const std::vector<TerminalPos> &cellOfChar, qsizetype start, qsizetype end);
    int spansEnd(int index) const; ///< one past the last span of match `index`

    const TerminalScreen *m_screen;
    QList<TerminalSpan> m_spans; ///< every match's spans, in line then column order
    QList<int> m_firstSpan;      ///< per match: its first index in m_spans
    int m_current = -1;
    QString m_error;
};
