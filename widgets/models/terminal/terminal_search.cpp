#include "terminal_search.h"

#include "terminal_screen.h"

#include <QRegularExpression>

#include <algorithm>
#include <vector>

int TerminalSearch::find(const QString &pattern, bool regex, bool caseSensitive)
{
    clear();
    if (pattern.isEmpty())
        return 0;
    QRegularExpression re(regex ? pattern : QRegularExpression::escape(pattern),
                          caseSensitive ? QRegularExpression::NoPatternOption
                                        : QRegularExpression::CaseInsensitiveOption);
    if (!re.isValid()) {
        m_error = re.errorString();
        return 0;
    }
    std::vector<int> columnOf;
    std::vector<TerminalPos> cellOf; // per QChar of `text`: the line and column it came from
    QString text;
    const qint64 lastLine = m_screen->lastLine();
    for (qint64 line = m_screen->firstLine(); line <= lastLine; ++line) {
        // The program's line: this screen line and those it wrapped onto.
        text.clear();
        cellOf.clear();
        for (;; ++line) {
            const bool wrapped = line < lastLine && m_screen->isWrapped(line);
            text += m_screen->lineText(line, 0, -1, &columnOf, !wrapped);
            for (int column : columnOf)
                cellOf.push_back(TerminalPos{line, column});
            if (!wrapped)
                break;
        }
        if (text.isEmpty())
            continue;
        auto it = re.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            if (m.capturedLength() > 0)
                addMatch(cellOf, m.capturedStart(), m.capturedEnd() - 1);
        }
    }
    m_current = matchCount() - 1;
    return matchCount();
}

void TerminalSearch::addMatch(const std::vector<TerminalPos> &cellOfChar, qsizetype start, qsizetype end)
{
    const TerminalPos first = cellOfChar[size_t(start)];
    const TerminalPos last = cellOfChar[size_t(end)];
    int length = 0;
    const TerminalCell *cells = m_screen->lineCells(last.line, &length);
    // A wide character covers two cells.
    const int lastEnd = last.column + ((cells[last.column].attrs & TerminalAttr::Wide) ? 2 : 1);
    m_firstSpan.append(int(m_spans.size()));
    for (qint64 line = first.line; line <= last.line; ++line) {
        TerminalSpan span;
        span.line = line;
        span.startColumn = line == first.line ? first.column : 0;
        span.endColumn = line == last.line ? lastEnd : m_screen->columns();
        m_spans.append(span);
    }
}

void TerminalSearch::clear()
{
    m_spans.clear();
    m_firstSpan.clear();
    m_current = -1;
    m_error.clear();
}

int TerminalSearch::spansEnd(int index) const
{
    return index + 1 < matchCount() ? m_firstSpan.at(index + 1) : int(m_spans.size());
}

QList<TerminalSpan> TerminalSearch::matchSpans(int index) const
{
    const int from = m_firstSpan.at(index);
    return m_spans.mid(from, spansEnd(index) - from);
}

TerminalSpan TerminalSearch::current() const
{
    return m_current >= 0 ? m_spans.at(m_firstSpan.at(m_current)) : TerminalSpan{};
}

bool TerminalSearch::isCurrent(const TerminalSpan &span) const
{
    if (m_current < 0)
        return false;
    for (int i = m_firstSpan.at(m_current), end = spansEnd(m_current); i < end; ++i) {
        if (m_spans.at(i).line == span.line && m_spans.at(i).startColumn == span.startColumn)
            return true;
    }
    return false;
}

int TerminalSearch::next()
{
    if (m_firstSpan.isEmpty())
        return -1;
    m_current = (m_current + 1) % matchCount();
    return m_current;
}

int TerminalSearch::previous()
{
    if (m_firstSpan.isEmpty())
        return -1;
    m_current = (m_current - 1 + matchCount()) % matchCount();
    return m_current;
}

QList<TerminalSpan> TerminalSearch::matchesOnLine(qint64 line) const
{
    QList<TerminalSpan> out;
    auto it = std::lower_bound(m_spans.cbegin(), m_spans.cend(), line,
                               [](const TerminalSpan &s, qint64 l) { return s.line < l; });
    for (; it != m_spans.cend() && it->line == line; ++it)
        out.append(*it);
    return out;
}
