// Benchmarks of the model and view hot paths (STYLE.md §8): log model append + flush into a full
// ring with the filter proxy attached, series extraction from JSON payloads, and one chart frame
// of 4 series × 10k points (replace + axes, then painting). Prints figures; asserts the counts.
// Run: cmake --build --preset release --target bench_models && build/release/tests/bench/bench_models
#include "chart_panel.h"
#include "event_log_model.h"
#include "log_filter_proxy.h"
#include "series_buffer.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTest>

#include <cstdio>

namespace {

StreamEvent jsonEvent(int i, qint64 receivedMs)
{
    StreamEvent e;
    e.source = QStringLiteral("http://127.0.0.1:8080/sse/metrics");
    e.seq = quint64(i + 1);
    e.receivedMs = receivedMs;
    e.type = "message";
    e.id = QByteArray::number(i);
    e.payload = R"({"cpu":{"user":)" + QByteArray::number(20 + i % 17) + R"(,"system":)"
        + QByteArray::number(5 + i % 7) + R"(},"mem_mb":)" + QByteArray::number(3000 + i % 300)
        + R"(,"rps":)" + QByteArray::number(1000 + i % 211) + R"(,"latency_ms":{"p50":17.5,"p99":)"
        + QByteArray::number(60 + i % 40) + R"(},"queue":)" + QByteArray::number(i % 5) + "}";
    return e;
}

QList<StreamEvent> batchOf(int first, int count, qint64 startMs, int stepMs)
{
    QList<StreamEvent> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i)
        out.append(jsonEvent(first + i, startMs + qint64(first + i) * stepMs));
    return out;
}

template <typename F>
double bestMs(int runs, F &&body)
{
    double best = 1e300;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        body();
        best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
    }
    return best;
}

} // namespace

class BenchModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void logModelAppendIntoFullRing();
    void seriesBufferExtraction();
    void chartFrame();
};

void BenchModels::logModelAppendIntoFullRing()
{
    EventLogModel model;
    LogFilterProxy proxy;
    proxy.setSourceModel(&model);
    QVERIFY(proxy.setFilter(QStringLiteral("mem_mb"), LogFilterProxy::Mode::Substring));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<StreamEvent> fill = batchOf(0, EventLogModel::DefaultCapacity, now, 1);

    QElapsedTimer timer;
    timer.start();
    model.append(fill);
    model.flushNow();
    const double firstMs = double(timer.nsecsElapsed()) / 1e6;
    QCOMPARE(model.rowCount(), EventLogModel::DefaultCapacity);
    QCOMPARE(proxy.rowCount(), EventLogModel::DefaultCapacity);

    // Steady state: the ring is full, each flush trims from the front and appends at the end.
    constexpr int Flush = 5'000;
    int next = EventLogModel::DefaultCapacity;
    const double flushMs = bestMs(5, [&] {
        model.append(batchOf(next, Flush, now, 1));
        next += Flush;
        model.flushNow();
    });
    QCOMPARE(model.rowCount(), EventLogModel::DefaultCapacity);
    QCOMPARE(model.droppedCount(), quint64(next - EventLogModel::DefaultCapacity));
    std::printf("event_log_model  fill 100k rows (proxy attached): %8.1f ms  %6.2f M rows/s\n", firstMs,
                EventLogModel::DefaultCapacity / firstMs / 1e3);
    std::printf("event_log_model  flush 5k into full 100k ring:    %8.2f ms  %6.2f M rows/s\n", flushMs,
                Flush / flushMs / 1e3);
}

void BenchModels::seriesBufferExtraction()
{
    constexpr int Events = 100'000;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<StreamEvent> events = batchOf(0, Events, now - Events, 1);
    qint64 bytes = 0;
    for (const StreamEvent &e : events)
        bytes += e.payload.size();
    int fields = 0;
    const double ms = bestMs(3, [&] {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        buffer.append(events);
        buffer.flushNow();
        fields = int(buffer.knownFields().size());
    });
    QCOMPARE(fields, 7); // cpu/user cpu/system mem_mb rps latency_ms/p50 latency_ms/p99 queue
    std::printf("series_buffer    100k JSON events, 7 fields:      %8.1f ms  %6.2f M events/s  %6.1f MB/s\n", ms,
                Events / ms / 1e3, double(bytes) / 1e6 / (ms / 1e3));
}

void BenchModels::chartFrame()
{
    constexpr int Points = 10'000;
    SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
    buffer.setWindowMs(60'000);
    ChartPanel panel(&buffer);
    panel.resize(1200, 500);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // 10k points well inside the 60 s window for each field: one event every 5 ms.
    buffer.append(batchOf(0, Points, now - Points * 5, 5));
    const QList<SeriesKey> fields = buffer.knownFields();
    QVERIFY(fields.size() >= 4);
    int next = 0;
    for (const SeriesKey &key : buffer.selectedFields())
        buffer.setSelected(key, false);
    for (int i = 0; i < 4; ++i)
        buffer.setSelected(fields.at(i), true);
    buffer.flushNow();
    QTRY_COMPARE(panel.lineCount(), 4);

    auto *view = panel.findChild<QChartView *>();
    QVERIFY(view);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    // One frame: decimate 4 x 10k points to the plot's pixel columns, set the lines and axes.
    const double replaceMs = bestMs(5, [&] { buffer.setWindowMs(61'000 + 1'000 * (next++ % 2)); buffer.flushNow(); });
    for (const SeriesKey &key : buffer.selectedFields())
        QVERIFY(panel.shownPoints(key).size() <= 2 * int(panel.chart()->plotArea().width()) + 4);
    const double paintMs = bestMs(5, [&] { QVERIFY(!view->grab().isNull()); });
    std::printf("chart_panel      4 x 10k points decimate + set:   %8.2f ms per frame\n", replaceMs);
    std::printf("chart_panel      4 x 10k points paint (grab):     %8.2f ms per frame (1200x500)\n", paintMs);
}

QTEST_MAIN(BenchModels)
#include "bench_models.moc"
