#pragma once

#include "transport_config.h"

#include <QtGlobal>

#include <functional>
#include <optional>

/// Reconnect delays: pure arithmetic plus an injectable random source, no timers, no I/O.
///
/// Delay for attempt n (1-based, counting failed attempts since the last healthy connection):
///   base × multiplier^(n−1), capped at max(policy.maxMs, serverRetryMs).
/// - base is the SSE server's `retry:` value when one was received, else policy.initialMs.
/// - With a server value, attempt 1 waits exactly that value (no jitter: the server asked for it,
///   and WPT-style timing checks expect ±10 %). Every other delay is reduced by a random fraction
///   of up to policy.jitter, so that many clients dropped at once do not retry in step.
/// - `retry: 0` is legal and gives an immediate first retry. Attempt n ≥ 2 waits
///   MinRepeatBaseMs × multiplier^(n−2) at least, so a server that keeps dropping the connection
///   cannot cause a hot loop.
///
/// Reaching Open is not enough to start counting from 1 again: a server that answers 200 and
/// closes at once (with `retry: 0`, or a WebSocket server that accepts and closes 1001) would
/// otherwise be re-requested at attempt 1, i.e. in a tight loop, for ever. Transports therefore
/// call connectionEnded() when a connection that reached Open ends, and the attempt count is reset
/// only if that connection was healthy (isHealthyConnection()). A healthy connection that sent
/// `retry: 1500` is followed by attempt 1, exactly 1500 ms later (protocols.md C3).
class Backoff
{
public:
    /// Returns a number in [0, 1). Default: QRandomGenerator::global().
    using RandomSource = std::function<double()>;

    static constexpr int MinRepeatBaseMs = 100;
    /// A connection that stayed open at least this long counts as healthy even if it delivered
    /// nothing (a quiet live stream is normal). 5 s: far above any hot-loop period, short enough
    /// that a stream which drops every few minutes still reconnects at the first-attempt delay.
    static constexpr qint64 HealthyConnectionMs = 5000;

    explicit Backoff(const BackoffPolicy &policy = {}, RandomSource random = {});

    /// The delay for `attempt` (values < 1 are treated as 1); `random01` in [0, 1).
    static int delayFor(const BackoffPolicy &policy, std::optional<qint64> serverRetryMs,
                        int attempt, double random01);
    /// True when a connection that reached Open delivered at least one event from the peer
    /// (Data or Error; not the transport's own Gap marker) or stayed open for at least
    /// HealthyConnectionMs.
    static bool isHealthyConnection(quint64 eventsDelivered, qint64 openForMs);

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
    bool connectionEnded(quint64 eventsDelivered, qint64 openForMs);

private:
    BackoffPolicy m_policy;
    RandomSource m_random;
    int m_attempt = 0;
};
