#include "backoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <limits>

Backoff::Backoff(const BackoffPolicy &policy, RandomSource random)
    : m_policy(policy)
{
    setRandomSource(std::move(random));
}

void Backoff::setRandomSource(RandomSource random)
{
    if (random)
        m_random = std::move(random);
    else
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

int Backoff::delayFor(const BackoffPolicy &policy, std::optional<qint64> serverRetryMs,
                      int attempt, double random01)
{
    constexpr double IntMax = double(std::numeric_limits<int>::max());
    const int n = std::max(attempt, 1);
    const bool hasRetry = serverRetryMs.has_value();
    const double b = hasRetry ? std::clamp(double(*serverRetryMs), 0.0, IntMax)
                              : std::clamp(double(policy.initialMs), 0.0, IntMax);
    const double base = std::max(b, double(FloorMs));

    if (hasRetry && n == 1)
        return int(base);

    const double multiplier = std::max(1.0, policy.multiplier);
    const double cap = std::max({double(std::max(policy.maxMs, 0)), b, double(FloorMs)});
    double delay = base * std::pow(multiplier, double(n - 1));
    if (!std::isfinite(delay) || delay > cap)
        delay = cap;
    const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
    delay -= delay * jitter * std::clamp(random01, 0.0, 1.0);
    return int(std::clamp(std::floor(delay), double(FloorMs), IntMax));
}

int Backoff::next(std::optional<qint64> serverRetryMs)
{
    if (m_attempt < std::numeric_limits<int>::max())
        ++m_attempt;
    return delayFor(m_policy, serverRetryMs, m_attempt, m_random());
}

bool Backoff::isHealthyConnection(qint64 openForMs)
{
    return openForMs >= HealthyConnectionMs;
}

bool Backoff::connectionEnded(qint64 openForMs)
{
    if (!isHealthyConnection(openForMs))
        return false;
    reset();
    return true;
}
