#pragma once

#include "ring_buffer.h"

#include <QList>
#include <QPointF>
#include <QtGlobal>

#include <array>
#include <optional>

/// The samples of one numeric field at several time resolutions, so that a chart can show any
/// window (10 s or a day) with one min/max pair per pixel column without keeping every sample.
///
/// Why tiers and not a ring of points: a point cap turns into a time cap that depends on the
/// rate — 20,000 points are 200 ms at 100,000 events/s, so a "1 min" chart silently showed a
/// fifth of a second. Keeping every point instead costs 16 B × 6 M points per minute per field.
/// Here each tier is a RingBuffer of buckets of a fixed width (Tiers below). A bucket keeps its
/// sample count, its first and last sample and its minimum and maximum with their times. A
/// sample goes into the newest tier-0 bucket (or opens the next one); a tier-0 bucket is folded
/// into the coarser tiers once it is complete, so they cost one merge per millisecond, not per
/// sample, and readers of a coarser tier add the open tier-0 bucket at its end. Tier 0 has the
/// width of the receive-time resolution (1 ms):
/// samples that share a millisecond share their x, so while tier 0 still reaches back to the
/// start of a window nothing a line chart can show is lost (min and max keep the vertical
/// extent of a column). Coarser tiers reach further back with the same memory.
///
/// Reading: decimate() picks the coarsest tier that still reaches back to the window start and
/// whose buckets are no wider than a pixel column (else the finest one that reaches back), and
/// emits per column the minimum and maximum in time order, plus the first and last sample of the
/// window and the nearest sample outside each end (so the line runs to the plot edges): at most
/// 2 × columns + 4 points, whatever the rate. Cost: one pass over the buckets in the window.
///
/// Time: x is epoch ms. A sample older than the newest one (the wall clock stepped back) is
/// taken as simultaneous with the newest, so every tier stays ordered.
///
/// Memory: at most sum(capacity) × sizeof(Bucket) (about 11 MB) per field, reached only by a field
/// sampled at 1 kHz or more for 45 hours; storage grows as buckets fill (RingBuffer).
class TieredSeries
{
public:
    struct TierSpec
    {
        qint64 widthMs;
        qsizetype capacity;
    };
    /// 1 ms × 32,768 (≥ 32 s), 10 ms × 65,536 (≥ 10.9 min), 250 ms × 65,536 (≥ 4.5 h),
    /// 5 s × 32,768 (≥ 45 h). A tier covers its capacity in buckets of samples that arrive;
    /// at lower rates every tier reaches back further.
    static constexpr std::array<TierSpec, 4> Tiers = {{{1, 32'768}, {10, 65'536}, {250, 65'536}, {5'000, 32'768}}};
    static constexpr int TierCount = int(Tiers.size());

    TieredSeries();

    void add(qint64 xMs, double y);
    bool isEmpty() const { return m_count == 0; }
    /// Samples added in total.
    quint64 sampleCount() const { return m_count; }
    /// Time of the oldest sample still held by any tier; 0 when empty.
    qint64 firstMs() const;
    /// The newest sample.
    std::optional<QPointF> last() const;
    /// The latest sample at or before `xMs` (from the finest tier that reaches back to it);
    /// nullopt before the first held sample.
    std::optional<QPointF> valueAt(qint64 xMs) const;
    /// Appends to `out` the decimated samples of [fromMs, toMs] for `columns` pixel columns (see
    /// the class comment). `columns` is at least 1.
    void decimate(qint64 fromMs, qint64 toMs, int columns, QList<QPointF> &out) const;
    /// The samples of [fromMs, ...] at the finest resolution that reaches back to fromMs: one point
    /// per bucket holding one sample, else its first, minimum, maximum and last (in time order).
    QList<QPointF> samples(qint64 fromMs) const;
    /// The tier decimate() reads for this window and column width.
    int tierFor(qint64 fromMs, double msPerColumn) const;
    /// Whether tier `tier` still holds every sample since `fromMs`.
    bool tierCovers(int tier, qint64 fromMs) const;

private:
    struct Bucket
    {
        qint64 start = 0; ///< ms, a multiple of the tier width
        double firstY = 0;
        double lastY = 0;
        double minY = 0;
        double maxY = 0;
        qint32 firstDx = 0; ///< sample time - start
        qint32 lastDx = 0;
        qint32 minDx = 0;
        qint32 maxDx = 0;
        quint32 count = 0;
    };
    struct Tier
    {
        explicit Tier(qsizetype capacity)
            : buckets(capacity)
        {
        }
        RingBuffer<Bucket> buckets;
        bool evicted = false; ///< has lost its oldest bucket at least once
    };

    /// Merges a complete tier-0 bucket into the newest bucket of `tier` (or opens one).
    void fold(int tier, const Bucket &fine);
    /// The newest tier-0 bucket, not yet in the coarser tiers; nullptr when empty.
    const Bucket *openBucket() const;
    /// Index of the first bucket of `tier` whose start is >= startMs (size() if none).
    static qsizetype lowerBound(const RingBuffer<Bucket> &buckets, qint64 startMs);

    std::array<Tier, TierCount> m_tiers;
    qint64 m_lastX = 0;
    quint64 m_count = 0;
};
