#pragma once

#include <QtGlobal>

#include <array>

/// Learns how often a stream usually shows signs of life and says when it has been silent for
/// too long. Pure: the caller passes the clock (monotonic ms); no timers, no QObject.
///
/// Activity is anything the peer sent: a body chunk (SSE comments count, which is why SSE
/// servers send them), a WebSocket frame, a pong. Reads that follow each other within
/// BurstMs are one burst: a 64 KiB body cut into several reads is not a heartbeat.
///
/// The usual interval is the 90th percentile of the last WindowSize gaps between bursts, once at
/// least MinGaps gaps were seen (so a stream with an event every second and a pause of 15 s now and
/// then is "usually" silent for up to 15 s, not 1 s). The stream is stalled when it has been
/// silent for more than max(StallFactor × usual, usual + MinMarginMs, MinStallMs). Examples:
/// heartbeat every 15 s → stalled after 45 s; 20 Hz feed → stalled after 2 s.
///
/// Why a percentile and not the mean: one long gap (a reconnect, a server GC pause) must not make
/// the learned interval huge, and many short gaps must not hide that the stream also has long
/// quiet periods by nature.
class HeartbeatMonitor
{
public:
    static constexpr int WindowSize = 32;
    static constexpr int MinGaps = 4;
    static constexpr qint64 BurstMs = 20;
    static constexpr double StallFactor = 3.0;
    static constexpr qint64 MinMarginMs = 1000;
    static constexpr qint64 MinStallMs = 2000;

    /// A new connection opened at `nowMs`. Learned gaps are kept (the stream is the same), the
    /// silence clock restarts.
    void connectionOpened(qint64 nowMs);
    /// The peer sent something at `nowMs`.
    void activity(qint64 nowMs);
    /// Forget everything (a different source).
    void clear();

    /// 0 until MinGaps gaps were seen.
    qint64 usualIntervalMs() const;
    /// How long silence may last before the stream counts as stalled; 0 while nothing is learned.
    qint64 stallThresholdMs() const;
    qint64 silentForMs(qint64 nowMs) const { return m_started ? nowMs - m_lastMs : 0; }
    bool isStalled(qint64 nowMs) const;
    int gapCount() const { return m_count; }

private:
    void addGap(qint64 gapMs);

    std::array<qint64, WindowSize> m_gaps{};
    int m_next = 0;
    int m_count = 0;
    qint64 m_lastMs = 0;      ///< last activity (or open)
    bool m_started = false;   ///< m_lastMs is set
};
