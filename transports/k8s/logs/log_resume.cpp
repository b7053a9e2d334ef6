#include "log_resume.h"

QString LogResumeReport::describe() const
{
    QString text = QStringLiteral("%1 lost, %2 duplicates skipped").arg(lost).arg(duplicatesSkipped);
    if (gapPossible)
        text += QStringLiteral(", log rotated: a gap is possible");
    return text;
}

LogResumeCursor::LogResumeCursor(qsizetype maxLineBytes)
    : m_framer(maxLineBytes)
{
}

void LogResumeCursor::feed(QByteArrayView chunk, QList<KubeLogLine> &out)
{
    if (chunk.isEmpty())
        return;
    m_framed.clear();
    m_framer.feed(chunk, m_framed);
    for (const FramedLine &framed : std::as_const(m_framed))
        take(framed, out);
    m_framed.clear();
    m_hasPartial = chunk.back() != '\n';
}

void LogResumeCursor::finish(QList<KubeLogLine> &out)
{
    m_framed.clear();
    m_framer.finish(m_framed);
    for (const FramedLine &framed : std::as_const(m_framed))
        take(framed, out);
    m_framed.clear();
    m_framer.reset();
    m_hasPartial = false;
}

bool LogResumeCursor::resume()
{
    const bool hadPartial = m_hasPartial;
    m_framer.reset();
    m_hasPartial = false;
    m_report = LogResumeReport{};
    m_filtering = m_hasLast;
    m_report.complete = !m_filtering;
    m_resumeAt = m_last;
    m_resumeCount = m_countAtLast;
    m_droppedAtT = 0;
    m_lastSeen = m_last;
    return hadPartial;
}

void LogResumeCursor::startFresh()
{
    m_framer.reset();
    m_hasPartial = false;
    m_filtering = false;
    m_report = LogResumeReport{};
    m_report.complete = true;
}

std::optional<QString> LogResumeCursor::sinceTime() const
{
    if (!m_hasLast)
        return std::nullopt;
    return m_last.toSinceTime();
}

void LogResumeCursor::take(const FramedLine &framed, QList<KubeLogLine> &out)
{
    KubeLogLine line = LogLineParser::split(framed.text, m_lastSeen);
    m_lastSeen = line.timestamp;
    if (!line.hasTimestamp)
        ++m_untimestamped;
    if (m_filtering) {
        const bool duplicate = line.timestamp < m_resumeAt
                               || (line.timestamp == m_resumeAt && m_droppedAtT < m_resumeCount);
        if (duplicate) {
            if (line.timestamp == m_resumeAt)
                ++m_droppedAtT;
            ++m_report.duplicatesSkipped;
            ++m_totalDuplicates;
            return;
        }
        m_filtering = false;
        m_report.complete = true;
        m_report.gapPossible = m_droppedAtT < m_resumeCount;
    }
    commit(std::move(line), out);
}

void LogResumeCursor::commit(KubeLogLine &&line, QList<KubeLogLine> &out)
{
    if (m_hasLast && line.timestamp == m_last) {
        ++m_countAtLast;
    } else {
        m_last = line.timestamp;
        m_countAtLast = 1;
        m_hasLast = true;
    }
    ++m_delivered;
    out.append(std::move(line));
}
