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
    for (qint64 line = m_screen->firstLine(); line <= m_screen->lastLine(); ++line) {
        const QString text = m_screen->lineText(line, 0, -1, &columnOf);
        if (text.isEmpty())
            continue;
        auto it = re.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            if (m.capturedLength() == 0)
                continue;
            const qsizetype start = m.capturedStart();
            const qsizetype end = m.capturedEnd() - 1;
            TerminalSpan span;
            span.line = line;
            span.startColumn = columnOf[size_t(start)];
            int length = 0;
            const TerminalCell *cells = m_screen->lineCells(line, &length);
            const int lastColumn = columnOf[size_t(end)];
            // A wide character covers two cells.
            span.endColumn = lastColumn + ((cells[lastColumn].attrs & TerminalAttr::Wide) ? 2 : 1);
            m_matches.append(span);
        }
    }
    m_current = int(m_matches.size()) - 1;
    return int(m_matches.size());
}

void TerminalSearch::clear()
{
    m_matches.clear();
    m_current = -1;
    m_error.clear();
}

TerminalSpan TerminalSearch::current() const
{
    return m_current >= 0 ? m_matches.at(m_current) : TerminalSpan{};
}

int TerminalSearch::next()
{
    if (m_matches.isEmpty())
        return -1;
    m_current = (m_current + 1) % int(m_matches.size());
    return m_current;
}

int TerminalSearch::previous()
{
    if (m_matches.isEmpty())
        return -1;
    m_current = (m_current - 1 + int(m_matches.size())) % int(m_matches.size());
    return m_current;
}

QList<TerminalSpan> TerminalSearch::matchesOnLine(qint64 line) const
{
    QList<TerminalSpan> out;
    auto it = std::lower_bound(m_matches.cbegin(), m_matches.cend(), line,
                               [](const TerminalSpan &s, qint64 l) { return s.line < l; });
    for (; it != m_matches.cend() && it->line == line; ++it)
        out.append(*it);
    return out;
}
