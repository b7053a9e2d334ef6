#include "heartbeat_monitor.h"

#include <algorithm>

void HeartbeatMonitor::connectionOpened(qint64 nowMs)
{
    m_lastMs = nowMs;
    m_started = true;
}

void HeartbeatMonitor::activity(qint64 nowMs)
{
    if (!m_started) {
        m_lastMs = nowMs;
        m_started = true;
        return;
    }
    const qint64 gap = nowMs - m_lastMs;
    // Reads closer together than BurstMs are one burst. The time from the open to the first byte
    // is a real silence too (a server that sends a comment every 15 s starts with 15 s of nothing).
    if (gap > BurstMs)
        addGap(gap);
    m_lastMs = nowMs;
}

void HeartbeatMonitor::clear()
{
    *this = HeartbeatMonitor();
}

void HeartbeatMonitor::addGap(qint64 gapMs)
{
    m_gaps[size_t(m_next)] = gapMs;
    m_next = (m_next + 1) % WindowSize;
    m_count = std::min(m_count + 1, WindowSize);
}

qint64 HeartbeatMonitor::usualIntervalMs() const
{
    if (m_count < MinGaps)
        return 0;
    std::array<qint64, WindowSize> sorted{};
    std::copy_n(m_gaps.begin(), m_count, sorted.begin());
    const int index = std::min(m_count - 1, (m_count * 9) / 10);
    std::nth_element(sorted.begin(), sorted.begin() + index, sorted.begin() + m_count);
    return sorted[size_t(index)];
}

qint64 HeartbeatMonitor::stallThresholdMs() const
{
    const qint64 usual = usualIntervalMs();
    if (usual <= 0)
        return 0;
    return std::max({qint64(double(usual) * StallFactor), usual + MinMarginMs, MinStallMs});
}

bool HeartbeatMonitor::isStalled(qint64 nowMs) const
{
    const qint64 threshold = stallThresholdMs();
    return threshold > 0 && m_started && nowMs - m_lastMs > threshold;
}
