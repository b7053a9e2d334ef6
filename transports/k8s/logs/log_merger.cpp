#include "log_merger.h"

#include <algorithm>

bool LogMerger::HeadAfter::operator()(const HeadRef &a, const HeadRef &b) const
{
    // priority_queue keeps the "largest" on top: a is after b when it should come out later.
    if (a.timestamp != b.timestamp)
        return a.timestamp > b.timestamp;
    if (a.stream != b.stream) {
        const QString &ka = (*streams)[size_t(a.stream)].key;
        const QString &kb = (*streams)[size_t(b.stream)].key;
        if (ka != kb)
            return ka > kb;
    }
    return a.seq > b.seq;
}

LogMerger::LogMerger(int windowMs, qsizetype maxBuffered)
    : m_windowMs(std::max(windowMs, 0))
    , m_maxBuffered(std::max<qsizetype>(maxBuffered, 1))
    , m_heads(HeadAfter{&m_streams})
{
}

void LogMerger::pushHead(int stream)
{
    const Entry &front = m_streams[size_t(stream)].lines.front();
    m_heads.push(HeadRef{front.timestamp, stream, front.seq});
    m_arrivals.push(ArrivalRef{front.arrivalMs, front.seq, stream});
}

void LogMerger::push(const QString &streamKey, KubeTimestamp timestamp, const QByteArray &text,
                     qint64 arrivalMs)
{
    arrivalMs = std::max(arrivalMs, m_lastArrival);
    m_lastArrival = arrivalMs;
    auto it = m_streamIndex.constFind(streamKey);
    int index = 0;
    if (it == m_streamIndex.constEnd()) {
        index = int(m_streams.size());
        m_streams.push_back(Stream{streamKey, {}});
        m_streamIndex.insert(streamKey, index);
    } else {
        index = it.value();
    }
    Stream &stream = m_streams[size_t(index)];
    stream.lines.push_back(Entry{timestamp, text, arrivalMs, m_seq++});
    ++m_buffered;
    if (stream.lines.size() == 1)
        pushHead(index);
    while (m_buffered > m_maxBuffered) {
        releaseFront(m_forcedOut);
        ++m_forced;
    }
}

void LogMerger::releaseFront(QList<MergedLogLine> &out)
{
    const HeadRef head = m_heads.top();
    m_heads.pop();
    Stream &stream = m_streams[size_t(head.stream)];
    Entry entry = std::move(stream.lines.front());
    stream.lines.pop_front();
    --m_buffered;
    if (!stream.lines.empty())
        pushHead(head.stream);
    const bool late = m_released && entry.timestamp < m_lastReleased;
    if (late)
        ++m_late;
    else
        m_lastReleased = entry.timestamp;
    m_released = true;
    out.append(MergedLogLine{stream.key, entry.timestamp, std::move(entry.text), entry.arrivalMs, late});
}

void LogMerger::dropStaleArrivals()
{
    while (!m_arrivals.empty()) {
        const ArrivalRef &top = m_arrivals.top();
        const auto &lines = m_streams[size_t(top.stream)].lines;
        if (!lines.empty() && lines.front().seq == top.seq)
            return;
        m_arrivals.pop();
    }
}

qint64 LogMerger::oldestArrival()
{
    dropStaleArrivals();
    return m_arrivals.empty() ? -1 : m_arrivals.top().arrivalMs;
}

void LogMerger::takeReady(qint64 nowMs, QList<MergedLogLine> &out)
{
    if (!m_forcedOut.isEmpty()) {
        out.append(std::move(m_forcedOut));
        m_forcedOut.clear();
    }
    const qint64 cutoff = nowMs - m_windowMs;
    while (m_buffered > 0) {
        // Due: the oldest buffered line (always some stream's front) has waited the window, or
        // the smallest line cannot be put before anything any more (late or tied with the last
        // released): release the smallest.
        const qint64 oldest = oldestArrival();
        const bool due = oldest <= cutoff;
        const bool noWaitHelps = m_released && m_heads.top().timestamp <= m_lastReleased;
        if (!due && !noWaitHelps)
            break;
        releaseFront(out);
    }
}

void LogMerger::flushAll(QList<MergedLogLine> &out)
{
    if (!m_forcedOut.isEmpty()) {
        out.append(std::move(m_forcedOut));
        m_forcedOut.clear();
    }
    while (m_buffered > 0)
        releaseFront(out);
}

qint64 LogMerger::nextDueMs()
{
    if (m_buffered == 0 && m_forcedOut.isEmpty())
        return -1;
    if (!m_forcedOut.isEmpty())
        return 0;
    return oldestArrival() + m_windowMs;
}
