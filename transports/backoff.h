#pragma once

#include "transport_config.h"

#include <QtGlobal>

#include <functional>
#include <optional>

/// Reconnect delays: pure arithmetic plus an injectable random source, no timers, no I/O.
/// One policy for every transport (SSE, lines, NDJSON, WebSocket, and later watches, log
/// follows and exec sessions); Transport owns the instance and the timer.
///
/// Delay for attempt n (1-based, counting attempts since the last healthy connection):
///   b = the SSE server's `retry:` value when one was received, else policy.initialMs
///   n = 1:  max(b, FloorMs)                         (no jitter when the server chose b)
///   n ≥ 2:  max(b, FloorMs) × multiplier^(n−1), capped at max(policy.maxMs, b), minus jitter
/// and never less than FloorMs, whatever the server or the policy says.
///
/// Healthy means "stayed open at least HealthyConnectionMs", nothing else. A server that
/// answers 200, sends `retry: 0` and one event, then closes, used to count as healthy because it
/// delivered something, so every reconnect was attempt 1 with a 0 ms wait: about 2,400
/// connections a second. Now each such short-lived connection is one more failed attempt:
/// 250 ms, 500 ms, 1 s, ... up to maxMs. A stream that stays up for a while and then drops is
/// reconnected after its `retry:` value, as the spec wants (protocols.md C3: 1500 ms ± 10 %).
///
/// The user's Reconnect resets the count (reset()), so it never inherits a long wait.
class Backoff
{
public:
    /// Returns a number in [0, 1). Default: QRandomGenerator::global().
    using RandomSource = std::function<double()>;

    /// No two attempts are closer than this, whatever `retry:` or the policy says.
    static constexpr int FloorMs = 250;
    /// A connection that stayed open at least this long is healthy (resets the attempt count).
    /// 5 s: far above any hot-loop period, short enough that a stream which drops every few
    /// minutes still reconnects at the first-attempt delay.
    static constexpr qint64 HealthyConnectionMs = 5000;

    explicit Backoff(const BackoffPolicy &policy = {}, RandomSource random = {});

    /// The delay for `attempt` (values < 1 are treated as 1); `random01` in [0, 1).
    static int delayFor(const BackoffPolicy &policy, std::optional<qint64> serverRetryMs,
                        int attempt, double random01);
    /// True when a connection that reached Open stayed open for at least HealthyConnectionMs.
    static bool isHealthyConnection(qint64 openForMs);

    void setPolicy(const BackoffPolicy &policy) { m_policy = policy; }
    const BackoffPolicy &policy() const { return m_policy; }
    void setRandomSource(RandomSource random);

    /// Counts one more failed attempt and returns its delay.
    int next(std::optional<qint64> serverRetryMs);
    /// Attempts counted since the last reset().
    int attempt() const { return m_attempt; }
    /// Call when the owner starts afresh (Transport::open()).
    void reset() { m_attempt = 0; }
    /// Call when a connection that reached Open ends, before next(): resets the attempt count if
    /// the connection was healthy. Returns whether it did.
    bool connectionEnded(qint64 openForMs);

private:
    BackoffPolicy m_policy;
    RandomSource m_random;
    int m_attempt = 0;
};
