// bench_log_merge: 50 containers, 1,000,000 kubelet lines through LogLineParser (the timestamp
// split) and LogMerger (the time-ordered merge), on a simulated clock so the figures do not
// depend on the machine's load: every simulated millisecond each stream delivers a batch, and
// each stream lags behind real time by its own 0-200 ms (network and kubelet jitter), so lines
// really are reordered. Prints lines/s (wall clock) and the reorder latency distribution
// (release - arrival, simulated ms) and the late-line count.
#include "log_line.h"
#include "log_merger.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <vector>

class BenchLogMerge : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mergeMillionLines();
};

void BenchLogMerge::mergeMillionLines()
{
    constexpr int Streams = 50;
    constexpr int TotalLines = 1'000'000;
    constexpr int LinesPerBatch = 4; // per stream and simulated millisecond: 200k lines/s overall
    QRandomGenerator rng(7);
    std::vector<QString> keys;
    std::vector<int> lagMs;
    for (int s = 0; s < Streams; ++s) {
        keys.push_back(QStringLiteral("default/web-%1/main").arg(s));
        lagMs.push_back(int(rng.bounded(200)));
    }
    // Pre-build the wire lines (not timed): timestamp = the simulated ms the line was written.
    struct Pending
    {
        qint64 deliverAtMs;
        int stream;
        QByteArray line;
    };
    std::vector<Pending> wire;
    wire.reserve(TotalLines);
    const qint64 epochSecond = 1796166601;
    for (qint64 ms = 0; qsizetype(wire.size()) < TotalLines; ++ms) {
        for (int s = 0; s < Streams && qsizetype(wire.size()) < TotalLines; ++s) {
            for (int i = 0; i < LinesPerBatch; ++i) {
                const KubeTimestamp ts{epochSecond + ms / 1000, qint32(ms % 1000) * 1'000'000 + i * 1000 + s};
                wire.push_back(Pending{ms + lagMs[size_t(s)], s,
                                       ts.toRfc3339Nanos() + " GET /api/items?page=" + QByteArray::number(ms)
                                           + " 200 12ms user-agent=probe"});
            }
        }
    }
    std::stable_sort(wire.begin(), wire.end(),
                     [](const Pending &a, const Pending &b) { return a.deliverAtMs < b.deliverAtMs; });

    LogMerger merger;
    QList<MergedLogLine> out;
    out.reserve(16384);
    std::vector<qint32> latencies;
    latencies.reserve(TotalLines);
    qint64 released = 0;
    KubeTimestamp previous;
    bool ordered = true;
    const auto drain = [&](qint64 nowMs) {
        merger.takeReady(nowMs, out);
        for (const MergedLogLine &line : std::as_const(out)) {
            latencies.push_back(qint32(nowMs - line.arrivalMs));
            if (!line.late && line.timestamp < previous)
                ordered = false;
            if (!line.late)
                previous = line.timestamp;
        }
        released += out.size();
        out.clear();
    };

    QElapsedTimer wall;
    wall.start();
    qint64 now = 0;
    for (const Pending &p : wire) {
        if (p.deliverAtMs != now) {
            drain(now);
            now = p.deliverAtMs;
        }
        const KubeLogLine line = LogLineParser::split(p.line);
        merger.push(keys[size_t(p.stream)], line.timestamp, line.text, now);
    }
    for (; merger.bufferedLines() > 0; ++now)
        drain(now);
    const qint64 elapsedMs = std::max<qint64>(1, wall.elapsed());

    QCOMPARE(released, qint64(TotalLines));
    QVERIFY(ordered);
    std::sort(latencies.begin(), latencies.end());
    const auto pct = [&](double p) { return latencies[size_t(double(latencies.size() - 1) * p)]; };
    qInfo("bench_log_merge: %d streams, %d lines in %lld ms: %.0f lines/s (parse + merge)", Streams,
          TotalLines, elapsedMs, double(TotalLines) * 1000.0 / double(elapsedMs));
    qInfo("reorder latency (release - arrival, simulated ms, window %d ms): p50 %d, p99 %d, max %d; "
          "late lines %lld, forced releases %lld",
          merger.windowMs(), pct(0.5), pct(0.99), latencies.back(), merger.lateLines(), merger.forcedReleases());
}

QTEST_GUILESS_MAIN(BenchLogMerge)
#include "bench_log_merge.moc"
