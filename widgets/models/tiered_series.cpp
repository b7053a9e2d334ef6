#include "tiered_series.h"

#include <algorithm>
#include <cmath>

namespace {

qint64 floorTo(qint64 x, qint64 width)
{
    qint64 q = x / width;
    if (x % width != 0 && x < 0)
        --q;
    return q * width;
}

/// Feeds points in time order and collects one min/max pair per pixel column, the first and
/// last point inside the window and the nearest point outside each end.
class ColumnDecimator
{
public:
    ColumnDecimator(qint64 fromMs, qint64 toMs, int columns, QList<QPointF> &out)
        : m_from(double(fromMs))
        , m_to(double(toMs))
        , m_columns(columns)
        , m_scale(double(columns) / std::max(1.0, double(toMs - fromMs)))
        , m_out(out)
    {
    }

    /// False once a point after the window was seen (nothing more is needed).
    bool feed(double x, double y)
    {
        if (x < m_from) {
            m_before = QPointF(x, y);
            m_hasBefore = true;
            return true;
        }
        if (x > m_to) {
            m_after = QPointF(x, y);
            m_hasAfter = true;
            return false;
        }
        if (!m_hasFirst) {
            m_hasFirst = true;
            if (m_hasBefore)
                put(m_before);
            put(QPointF(x, y));
        }
        m_last = QPointF(x, y);
        const int column = std::clamp(int((x - m_from) * m_scale), 0, m_columns - 1);
        if (column != m_column) {
            flushColumn();
            m_column = column;
            m_min = m_max = QPointF(x, y);
            return true;
        }
        if (y < m_min.y())
            m_min = QPointF(x, y);
        if (y > m_max.y())
            m_max = QPointF(x, y);
        return true;
    }

    void finish()
    {
        if (!m_hasFirst) {
            // Nothing inside the window: a line from the point before to the point after crosses it.
            if (m_hasBefore && m_hasAfter) {
                put(m_before);
                put(m_after);
            }
            return;
        }
        flushColumn();
        put(m_last);
        if (m_hasAfter)
            put(m_after);
    }

private:
    void flushColumn()
    {
        if (m_column < 0)
            return;
        if (m_min.x() <= m_max.x()) {
            put(m_min);
            put(m_max);
        } else {
            put(m_max);
            put(m_min);
        }
    }
    void put(const QPointF &p)
    {
        if (m_emitted > 0 && m_out.constLast() == p)
            return;
        m_out.append(p);
        ++m_emitted;
    }

    const double m_from;
    const double m_to;
    const int m_columns;
    const double m_scale;
    QList<QPointF> &m_out;
    qsizetype m_emitted = 0;
    int m_column = -1;
    QPointF m_min, m_max, m_last, m_before, m_after;
    bool m_hasFirst = false;
    bool m_hasBefore = false;
    bool m_hasAfter = false;
};

} // namespace

TieredSeries::TieredSeries()
    : m_tiers{Tier(Tiers[0].capacity), Tier(Tiers[1].capacity), Tier(Tiers[2].capacity), Tier(Tiers[3].capacity)}
{
}

void TieredSeries::add(qint64 xMs, double y)
{
    if (m_count > 0 && xMs < m_lastX)
        xMs = m_lastX;
    m_lastX = xMs;
    ++m_count;
    RingBuffer<Bucket> &ring = m_tiers[0].buckets;
    const qint64 start = floorTo(xMs, Tiers[0].widthMs);
    if (!ring.isEmpty()) {
        Bucket &b = ring.at(ring.size() - 1);
        if (b.start == start) {
            b.lastY = y;
            if (y < b.minY)
                b.minY = y;
            if (y > b.maxY)
                b.maxY = y;
            ++b.count;
            return;
        }
        // The open tier-0 bucket is complete: only now does it go into the coarser tiers, so
        // they cost one merge per millisecond instead of one per sample.
        for (int t = 1; t < TierCount; ++t)
            fold(t, b);
    }
    if (ring.isFull())
        m_tiers[0].evicted = true;
    Bucket b;
    b.start = start;
    b.firstY = b.lastY = b.minY = b.maxY = y;
    b.count = 1;
    ring.push_back(b);
}

void TieredSeries::fold(int tier, const Bucket &fine)
{
    Tier &t = m_tiers[size_t(tier)];
    RingBuffer<Bucket> &ring = t.buckets;
    const qint64 start = floorTo(fine.start, Tiers[size_t(tier)].widthMs);
    const auto offset = qint32(fine.start - start);
    if (!ring.isEmpty()) {
        Bucket &b = ring.at(ring.size() - 1);
        if (b.start == start) {
            b.lastY = fine.lastY;
            b.lastDx = offset + fine.lastDx;
            if (fine.minY < b.minY) {
                b.minY = fine.minY;
                b.minDx = offset + fine.minDx;
            }
            if (fine.maxY > b.maxY) {
                b.maxY = fine.maxY;
                b.maxDx = offset + fine.maxDx;
            }
            b.count += fine.count;
            return;
        }
    }
    if (ring.isFull())
        t.evicted = true;
    Bucket b = fine;
    b.start = start;
    b.firstDx += offset;
    b.lastDx += offset;
    b.minDx += offset;
    b.maxDx += offset;
    ring.push_back(b);
}

const TieredSeries::Bucket *TieredSeries::openBucket() const
{
    const RingBuffer<Bucket> &ring = m_tiers[0].buckets;
    return ring.isEmpty() ? nullptr : &ring.back();
}

qint64 TieredSeries::firstMs() const
{
    qint64 first = 0;
    bool any = false;
    for (const Tier &tier : m_tiers) {
        if (tier.buckets.isEmpty())
            continue;
        const Bucket &b = tier.buckets.front();
        const qint64 x = b.start + b.firstDx;
        first = any ? std::min(first, x) : x;
        any = true;
    }
    return first;
}

std::optional<QPointF> TieredSeries::last() const
{
    const RingBuffer<Bucket> &ring = m_tiers[0].buckets;
    if (ring.isEmpty())
        return std::nullopt;
    const Bucket &b = ring.back();
    return QPointF(double(b.start + b.lastDx), b.lastY);
}

bool TieredSeries::tierCovers(int tier, qint64 fromMs) const
{
    const Tier &t = m_tiers[size_t(tier)];
    if (!t.evicted)
        return true;
    return !t.buckets.isEmpty() && t.buckets.front().start <= fromMs;
}

int TieredSeries::tierFor(qint64 fromMs, double msPerColumn) const
{
    int best = -1;
    for (int t = 0; t < TierCount; ++t) {
        if (!tierCovers(t, fromMs))
            continue;
        if (double(Tiers[size_t(t)].widthMs) <= msPerColumn) {
            best = t; // coarser and still within a column: fewer buckets to read
            continue;
        }
        return best >= 0 ? best : t;
    }
    return best >= 0 ? best : TierCount - 1;
}

qsizetype TieredSeries::lowerBound(const RingBuffer<Bucket> &buckets, qint64 startMs)
{
    qsizetype low = 0;
    qsizetype high = buckets.size();
    while (low < high) {
        const qsizetype mid = low + (high - low) / 2;
        if (buckets.at(mid).start < startMs)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

std::optional<QPointF> TieredSeries::valueAt(qint64 xMs) const
{
    int tier = TierCount - 1;
    for (int t = 0; t < TierCount; ++t) {
        if (tierCovers(t, xMs)) {
            tier = t;
            break;
        }
    }
    if (const Bucket *open = openBucket(); open && xMs >= open->start)
        return QPointF(double(open->start), open->lastY); // tier 0: every sample at `start`
    const RingBuffer<Bucket> &ring = m_tiers[size_t(tier)].buckets;
    const qsizetype index = lowerBound(ring, xMs + 1) - 1; // last bucket starting at or before x
    if (index < 0)
        return std::nullopt;
    const Bucket &b = ring.at(index);
    if (xMs >= b.start + b.lastDx)
        return QPointF(double(b.start + b.lastDx), b.lastY);
    if (xMs >= b.start + b.firstDx)
        return QPointF(double(b.start + b.firstDx), b.firstY);
    if (index == 0)
        return std::nullopt;
    const Bucket &previous = ring.at(index - 1);
    return QPointF(double(previous.start + previous.lastDx), previous.lastY);
}

void TieredSeries::decimate(qint64 fromMs, qint64 toMs, int columns, QList<QPointF> &out) const
{
    if (m_count == 0 || toMs <= fromMs)
        return;
    columns = std::max(1, columns);
    const int tier = tierFor(fromMs, double(toMs - fromMs) / columns);
    const RingBuffer<Bucket> &ring = m_tiers[size_t(tier)].buckets;
    const qint64 width = Tiers[size_t(tier)].widthMs;
    ColumnDecimator decimator(fromMs, toMs, columns, out);
    auto feed = [&decimator](const Bucket &b) {
        const double x0 = double(b.start);
        if (!decimator.feed(x0 + b.firstDx, b.firstY))
            return false;
        if (b.count == 1)
            return true;
        const bool more = b.minDx <= b.maxDx
            ? decimator.feed(x0 + b.minDx, b.minY) && decimator.feed(x0 + b.maxDx, b.maxY)
            : decimator.feed(x0 + b.maxDx, b.maxY) && decimator.feed(x0 + b.minDx, b.minY);
        return more && decimator.feed(x0 + b.lastDx, b.lastY);
    };
    const qsizetype first = std::max<qsizetype>(0, lowerBound(ring, floorTo(fromMs, width)) - 1);
    bool more = true;
    for (qsizetype i = first; i < ring.size() && more; ++i)
        more = feed(ring.at(i));
    if (more && tier > 0)
        if (const Bucket *open = openBucket())
            feed(*open); // not folded into the coarser tiers yet
    decimator.finish();
}

QList<QPointF> TieredSeries::samples(qint64 fromMs) const
{
    QList<QPointF> out;
    if (m_count == 0)
        return out;
    int tier = TierCount - 1;
    for (int t = 0; t < TierCount; ++t) {
        if (tierCovers(t, fromMs)) {
            tier = t;
            break;
        }
    }
    const RingBuffer<Bucket> &ring = m_tiers[size_t(tier)].buckets;
    auto add = [&out, fromMs](qint64 x, double y) {
        const QPointF p(double(x), y);
        if (x >= fromMs && (out.isEmpty() || out.constLast() != p))
            out.append(p);
    };
    auto addBucket = [&add](const Bucket &b) {
        add(b.start + b.firstDx, b.firstY);
        if (b.count == 1)
            return;
        if (b.minDx <= b.maxDx) {
            add(b.start + b.minDx, b.minY);
            add(b.start + b.maxDx, b.maxY);
        } else {
            add(b.start + b.maxDx, b.maxY);
            add(b.start + b.minDx, b.minY);
        }
        add(b.start + b.lastDx, b.lastY);
    };
    for (qsizetype i = lowerBound(ring, floorTo(fromMs, Tiers[size_t(tier)].widthMs)); i < ring.size(); ++i)
        addBucket(ring.at(i));
    if (tier > 0)
        if (const Bucket *open = openBucket())
            addBucket(*open);
    return out;
}
