// Throughput of the Kubernetes WatchDecoder on a deterministic stream of 50,000 realistic Pod
// watch events (~1.7 KB each: labels, annotations, ownerReferences, one container, conditions and
// containerStatuses), decoded in memory in 64 KiB reads. Labelled "bench" in CTest; prints MB/s
// and events/s lines to stdout and verifies that every run decodes every event. Target (see
// transports/k8s/watch/watch_decoder.h): >= 700,000 events/s in a RelWithDebInfo build.

#include "watch_decoder.h"

#include <simdjson.h>

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>

namespace {

constexpr int EventCount = 50'000;
constexpr qsizetype ChunkBytes = 64 * 1024;
constexpr int Runs = 5;

/// splitmix64: tiny, fast, identical on every platform.
class Prng
{
public:
    explicit Prng(quint64 seed) : m_state(seed) { }
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int range(int lo, int hi) { return lo + int(next() % quint64(hi - lo + 1)); } ///< inclusive

private:
    quint64 m_state;
};

QByteArray hex(Prng &rng, int digits)
{
    static const char Digits[] = "0123456789abcdef";
    QByteArray s(digits, Qt::Uninitialized);
    for (int i = 0; i < digits; ++i)
        s[i] = Digits[rng.next() % 16];
    return s;
}

/// One Pod watch event line, shaped like what the API server writes (compact, '\n'-terminated).
QByteArray podEvent(Prng &rng, int index)
{
    static const char *const Types[] = {"ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"};
    const QByteArray app = "web-" + QByteArray::number(index % 40);
    const QByteArray hash = hex(rng, 10);
    const QByteArray name = app + '-' + hash + '-' + hex(rng, 5);
    const QByteArray uid = hex(rng, 8) + '-' + hex(rng, 4) + '-' + hex(rng, 4) + '-' + hex(rng, 4) + '-' + hex(rng, 12);
    const QByteArray rv = QByteArray::number(1000000 + index);
    const QByteArray node = "node-" + QByteArray::number(rng.range(1, 64));
    const QByteArray ip = "10.244." + QByteArray::number(rng.range(0, 255)) + '.' + QByteArray::number(rng.range(1, 254));
    const QByteArray time = "2024-05-0" + QByteArray::number(rng.range(1, 9)) + "T1" + QByteArray::number(rng.range(0, 9))
                            + ":2" + QByteArray::number(rng.range(0, 9)) + ":3" + QByteArray::number(rng.range(0, 9)) + 'Z';
    QByteArray s;
    s.reserve(1900);
    s += "{\"type\":\"";
    s += Types[rng.next() % 5];
    s += "\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
         + "\",\"namespace\":\"production\",\"uid\":\"" + uid
         + "\",\"resourceVersion\":\"" + rv + "\",\"creationTimestamp\":\"" + time
         + "\",\"labels\":{\"app\":\"" + app + "\",\"pod-template-hash\":\"" + hash
         + "\",\"tier\":\"frontend\",\"version\":\"v1." + QByteArray::number(rng.range(0, 30))
         + "\"},\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"" + time
         + "\",\"prometheus.io/scrape\":\"true\",\"prometheus.io/port\":\"9090\"},"
           "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"" + app + '-' + hash
         + "\",\"uid\":\"" + uid + "\",\"controller\":true,\"blockOwnerDeletion\":true}]},"
           "\"spec\":{\"containers\":[{\"name\":\"" + app
         + "\",\"image\":\"registry.example.com/team/" + app + ":1." + QByteArray::number(rng.range(0, 99))
         + ".0\",\"ports\":[{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\"}],"
           "\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"512Mi\"},\"requests\":{\"cpu\":\"100m\","
           "\"memory\":\"128Mi\"}},\"imagePullPolicy\":\"IfNotPresent\"}],"
           "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\","
           "\"serviceAccountName\":\"default\",\"nodeName\":\"" + node + "\"},"
           "\"status\":{\"phase\":\"Running\",\"conditions\":["
           "{\"type\":\"Ready\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"" + time + "\"},"
           "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"" + time + "\"}],"
           "\"hostIP\":\"192.168.1." + QByteArray::number(rng.range(1, 254)) + "\",\"podIP\":\"" + ip
         + "\",\"startTime\":\"" + time + "\",\"containerStatuses\":[{\"name\":\""
         + app + "\",\"state\":{\"running\":{\"startedAt\":\"" + time + "\"}},\"lastState\":{},\"ready\":true,"
           "\"restartCount\":" + QByteArray::number(rng.range(0, 3)) + ",\"image\":\"registry.example.com/team/" + app
         + ":1.0.0\",\"containerID\":\"containerd://" + hex(rng, 64) + "\",\"started\":true}],\"qosClass\":\"Burstable\"}}}\n";
    return s;
}

struct Timing
{
    double wall = 1e30; ///< seconds, best of Runs
    double cpu = 1e30;  ///< this thread's CPU seconds, best of Runs (what a shared machine leaves)
};

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

/// Best-of-Runs wall and CPU time of `body`.
Timing bestOf(const std::function<void()> &body)
{
    Timing best;
    for (int run = 0; run < Runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = threadCpuSeconds();
        body();
        best.cpu = std::min(best.cpu, threadCpuSeconds() - cpuStart);
        best.wall = std::min(best.wall, double(timer.nsecsElapsed()) / 1e9);
    }
    return best;
}

void report(const char *name, const char *mode, qsizetype bytes, double seconds, qsizetype items, const char *unit)
{
    std::printf("%-16s %-14s %8.1f MB/s  %6.2f M %s/s\n", name, mode, double(bytes) / 1e6 / seconds,
                double(items) / 1e6 / seconds, unit);
    std::fflush(stdout);
}

} // namespace

class BenchWatchDecode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        Prng rng(0x5EED);
        m_stream.reserve(EventCount * 1900);
        for (int i = 0; i < EventCount; ++i)
            m_stream += podEvent(rng, i);
        std::printf("watch corpus: %d Pod events, %.1f MB (%.0f bytes/event)\n", EventCount,
                    double(m_stream.size()) / 1e6, double(m_stream.size()) / EventCount);
        std::fflush(stdout);
    }

    /// The ceiling: simdjson's DOM parse of every line, nothing else (no events built).
    void simdjsonBaseline()
    {
        const simdjson::padded_string padded(m_stream.constData(), size_t(m_stream.size()));
        qsizetype events = 0;
        const Timing timing = bestOf([&] {
            simdjson::dom::parser parser;
            events = 0;
            const char *pos = padded.data();
            const char *const end = pos + padded.size();
            while (pos < end) {
                const char *nl = static_cast<const char *>(std::memchr(pos, '\n', size_t(end - pos)));
                simdjson::dom::element root;
                if (parser.parse(pos, size_t(nl - pos), false).get(root) == simdjson::SUCCESS)
                    ++events;
                pos = nl + 1;
            }
        });
        QCOMPARE(events, qsizetype(EventCount));
        report("simdjson DOM", "lines only", m_stream.size(), timing.wall, events, "events");
        report("  (cpu time)", "lines only", m_stream.size(), timing.cpu, events, "events");
    }

    void decodeChunked() { run("64KiB reads", ChunkBytes); }
    void decodeWhole() { run("one read", m_stream.size()); }
    void decodeSmallReads() { run("1500 B reads", 1500); }

private:
    void run(const char *mode, qsizetype chunk)
    {
        qsizetype events = 0;
        qint64 errors = 0;
        const Timing timing = bestOf([&] {
            WatchDecoder decoder;
            std::vector<WatchEvent> out;
            events = 0;
            for (qsizetype pos = 0; pos < m_stream.size(); pos += chunk) {
                decoder.feed(QByteArrayView(m_stream).sliced(pos, std::min(chunk, m_stream.size() - pos)), out);
                events += qsizetype(out.size());
                out.clear();
            }
            decoder.finish(out);
            errors = decoder.errorCount();
        });
        QCOMPARE(errors, 0);
        QCOMPARE(events, qsizetype(EventCount));
        report("watch_decoder", mode, m_stream.size(), timing.wall, events, "events");
        report("  (cpu time)", mode, m_stream.size(), timing.cpu, events, "events");
    }

    QByteArray m_stream;
};

QTEST_GUILESS_MAIN(BenchWatchDecode)
#include "bench_watch_decode.moc"
