// The window under load (issue 5, section 4): an in-process source feeds 100,000 JSON events/s
// (8 numeric fields each) for 30 s into the real MainWindow — log pane plus a chart with all 8
// fields selected — on the offscreen platform, through the path real sources use (a Transport
// registered in a TransportRegistry, added with MainWindow::addSources, delivering batches with
// eventsReceived). A precise 16 ms probe timer measures the event loop's frame-to-frame latency.
//
// Prints a summary and, as its last line,
//   p99_frame_ms=X events_per_s=Y lost=Z
// lost  = events the source delivered that the models did not receive (log or chart);
// evicted (printed before) = rows the log's ring buffer pushed out (expected: it holds 100k).
// Exit code 0 when p99 <= 33 ms, events/s >= 100,000, lost = 0 and the chart shows its whole
// window (the first point drawn is at the start of the window, or of the stream if younger).
//
// Run: cmake --build --preset release --target bench_gui_load &&
//      QT_QPA_PLATFORM=offscreen build/release/tests/bench/bench_gui_load [--seconds N] [--rate N] [--window-ms N]
#include "chart_panel.h"
#include "event_log_model.h"
#include "main_window.h"
#include "series_buffer.h"
#include "source_list_model.h"
#include "transport.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTest>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace {

constexpr int FieldCount = 8;
constexpr int PayloadPool = 4'096;
constexpr int GeneratorTickMs = 5;
constexpr int MaxBatch = 1'000; // about one 120 KB network read
constexpr int ProbeIntervalMs = 16;

/// A source that sends `rate` events per second, paced by the wall clock: each tick delivers
/// every event due since the last one, in batches of at most MaxBatch, so a stalled event loop
/// is followed by a catch-up burst (as a socket buffer would deliver it).
class LoadTransport : public Transport
{
    Q_OBJECT
public:
    explicit LoadTransport(QObject *parent = nullptr)
        : Transport(parent)
    {
        m_tick.setTimerType(Qt::PreciseTimer);
        m_tick.setInterval(GeneratorTickMs);
        connect(&m_tick, &QTimer::timeout, this, &LoadTransport::generate);
        for (int i = 0; i < PayloadPool; ++i) {
            const double phase = 2 * M_PI * i / PayloadPool;
            QByteArray p = "{\"cpu\":" + QByteArray::number(50 + 40 * std::sin(phase), 'f', 2)
                + ",\"mem_mb\":" + QByteArray::number(3'000 + (i * 7) % 500)
                + ",\"rps\":" + QByteArray::number(10'000 + 3'000 * std::cos(3 * phase), 'f', 1)
                + ",\"lat_p50\":" + QByteArray::number(12 + (i % 17) * 0.25, 'f', 2)
                + ",\"lat_p99\":" + QByteArray::number(80 + (i % 91), 'f', 1)
                + ",\"queue\":" + QByteArray::number(i % 13)
                + ",\"errors\":" + QByteArray::number(i % 97 == 0 ? 1 : 0)
                + ",\"temp_c\":" + QByteArray::number(41.5 + std::sin(phase * 5), 'f', 3) + "}";
            m_payloads.push_back(p);
        }
    }

    static double s_rate;

    void open(const TransportConfig &config) override
    {
        beginOpen(config);
        setState(State::Connecting);
        connectionOpened();
        setState(State::Open);
        m_clock.start();
        m_sent = 0;
        m_tick.start();
    }
    void close() override
    {
        m_tick.stop();
        stopTimers();
        setState(State::Closed);
    }
    void startConnection() override {}
    void abortConnection() override {}

    quint64 sent() const { return m_sent; }
    /// Delivers what is due now (the run's last tick).
    void generateNow() { generate(); }
    qint64 firstEventMs() const { return m_firstMs; }

private:
    void generate()
    {
        // Due: everything up to the next tick, so the rate is never below s_rate.
        const auto due = quint64((double(m_clock.nsecsElapsed()) / 1e9 + GeneratorTickMs / 1e3) * s_rate);
        const qint64 now = QDateTime::currentMSecsSinceEpoch(); // one clock read per read, as transports do
        if (m_firstMs == 0)
            m_firstMs = now;
        noteActivity();
        while (m_sent < due) {
            const int n = int(std::min<quint64>(MaxBatch, due - m_sent));
            QList<StreamEvent> batch;
            batch.reserve(n);
            for (int i = 0; i < n; ++i)
                batch.append(makeEvent(StreamEvent::Kind::Data, "message", {},
                                       m_payloads[size_t((m_sent + quint64(i)) % PayloadPool)], {}, now));
            m_sent += quint64(n);
            deliver(batch);
            if (state() != State::Open)
                return;
        }
    }

    QTimer m_tick;
    QElapsedTimer m_clock;
    std::vector<QByteArray> m_payloads;
    quint64 m_sent = 0;
    qint64 m_firstMs = 0;
};

double LoadTransport::s_rate = 100'000;

/// CPU seconds this process used (user + system): load-independent, unlike the frame times on a
/// shared machine.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// The 1-minute load average, to judge the frame times against.
double loadAverage()
{
    double load = 0;
    return getloadavg(&load, 1) == 1 ? load : -1;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = size_t(std::ceil(p / 100.0 * double(values.size()))) - 1;
    return values[std::min(index, values.size() - 1)];
}

int argValue(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int seconds = argValue(args, QStringLiteral("--seconds"), 30);
    // 10 s by default: the window is then full of a million samples per line, the case a point
    // cap used to cut to 0.2 s; --window-ms 60000 is the window a new user starts with.
    const int windowMs = argValue(args, QStringLiteral("--window-ms"), 10'000);
    LoadTransport::s_rate = argValue(args, QStringLiteral("--rate"), 100'000);

    TransportRegistry registry;
    QList<LoadTransport *> transports;
    registry.add(QStringLiteral("bench"), QStringLiteral("in-process load generator"), [&](QObject *parent) {
        auto t = std::make_unique<LoadTransport>(parent);
        transports.append(t.get());
        return std::unique_ptr<Transport>(std::move(t));
    });

    MainWindow window(&registry);
    window.resize(1440, 880);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) {
        std::fprintf(stderr, "window not exposed\n");
        return 2;
    }
    auto *chart = window.findChild<ChartPanel *>();
    if (!chart) {
        std::fprintf(stderr, "no chart panel in the window\n");
        return 2;
    }

    chart->setWindowMs(windowMs);

    // Select all 8 fields as soon as they are discovered (the first event).
    SeriesBuffer *series = window.seriesBuffer();
    QObject::connect(series, &SeriesBuffer::fieldsDiscovered, series, [series](const QList<SeriesKey> &fields) {
        for (const SeriesKey &key : fields)
            series->setSelected(key, true);
    });

    TransportConfig config;
    config.url = QUrl(QStringLiteral("bench://load/metrics"));
    config.transportId = QStringLiteral("bench");
    if (window.addSources({config}) != 1 || transports.size() != 1) {
        std::fprintf(stderr, "could not add the load source\n");
        return 2;
    }
    LoadTransport *source = transports.constFirst();

    std::vector<double> frames;
    frames.reserve(size_t(seconds) * 1000 / ProbeIntervalMs + 100);
    QElapsedTimer frameClock;
    frameClock.start();
    qint64 lastFrame = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(ProbeIntervalMs);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = frameClock.nsecsElapsed();
        if (lastFrame > 0)
            frames.push_back(double(now - lastFrame) / 1e6);
        lastFrame = now;
    });
    probe.start();

    const double cpuBefore = cpuSeconds();
    QElapsedTimer run;
    run.start();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1'000, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
    probe.stop();
    const double elapsed = double(run.nsecsElapsed()) / 1e9;
    source->generateNow(); // everything due up to the end of the run (and the next tick)
    const double cpuUsed = cpuSeconds() - cpuBefore;
    source->close();

    // What the chart shows at the end of the run.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto [shownFrom, shownTo] = chart->shownRange();
    const qint64 expectedStart = std::max(shownFrom, source->firstEventMs());
    double firstDrawn = 0;
    int linesShown = 0;
    qsizetype pointsDrawn = 0;
    for (const SeriesKey &key : series->selectedFields()) {
        const QList<QPointF> line = chart->shownPoints(key);
        if (line.isEmpty())
            continue;
        ++linesShown;
        pointsDrawn += line.size();
        firstDrawn = std::max(firstDrawn, line.first().x());
    }
    const double coverGapMs = firstDrawn - double(expectedStart);
    const bool wholeWindow = linesShown == FieldCount && coverGapMs <= 250.0 && double(now - shownTo) < 1'000;

    window.logModel()->flushNow();
    series->flushNow(); // takes in what the parser thread still had in hand
    const quint64 sent = source->sent();
    const quint64 logReceived = window.logModel()->receivedCount();
    const quint64 chartReceived = series->eventsSeen();
    // Lost: not in the log, not charted (backlog drops included), or not parsed.
    const quint64 lost = (sent - std::min(sent, logReceived)) + (sent - std::min(sent, chartReceived))
        + (chartReceived - std::min(chartReceived, series->eventsParsed()));
    const quint64 chartDropped = series->droppedEvents();
    const double p99 = percentile(frames, 99);
    const double perSecond = double(logReceived) / elapsed;

    std::printf("bench_gui_load: %d s at %.0f events/s requested, window %dx%d, %d chart lines (%lld points drawn)\n",
                seconds, LoadTransport::s_rate, window.width(), window.height(), linesShown, qlonglong(pointsDrawn));
    std::printf("cpu_busy=%.0f%% (%.1f CPU s in %.1f s) load_average=%.2f\n", 100.0 * cpuUsed / elapsed, cpuUsed,
                elapsed, loadAverage());
    std::printf("frames=%zu p50_frame_ms=%.1f p90_frame_ms=%.1f p99_frame_ms=%.1f max_frame_ms=%.1f\n", frames.size(),
                percentile(frames, 50), percentile(frames, 90), p99, frames.empty() ? 0.0 : *std::max_element(frames.begin(), frames.end()));
    std::printf("sent=%llu log_received=%llu chart_received=%llu chart_backlog_dropped=%llu evicted=%llu log_rows=%d\n",
                static_cast<unsigned long long>(sent), static_cast<unsigned long long>(logReceived),
                static_cast<unsigned long long>(chartReceived), static_cast<unsigned long long>(chartDropped),
                static_cast<unsigned long long>(window.logModel()->droppedCount()), window.logModel()->rowCount());
    std::printf("chart_window_ms=%lld chart_first_point_after_window_start_ms=%.0f whole_window=%s\n",
                qlonglong(shownTo - shownFrom), coverGapMs, wholeWindow ? "yes" : "no");
    std::printf("p99_frame_ms=%.1f events_per_s=%.0f lost=%llu\n", p99, perSecond, static_cast<unsigned long long>(lost));
    std::fflush(stdout);

    const bool pass = p99 <= 33.0 && perSecond >= LoadTransport::s_rate * 0.99 && lost == 0 && wholeWindow;
    return pass ? 0 : 1;
}

#include "bench_gui_load.moc"
