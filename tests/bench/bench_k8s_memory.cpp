// Memory of what a Kubernetes window holds (issue 6, section 7): the log pane's EventLogModel
// with 1,000,000 k8s log lines, an informer's store (ListWatchMachine, what Informer keeps) with
// 10,000 watched Pods of ~1.7 KB, and the ResourceTableModel rows of those pods. Each figure is
// the growth of this process's resident set (/proc/self/statm, after malloc_trim) while the
// structure is filled, divided by the number of lines or pods: real heap cost, allocator
// overhead included. Labelled "bench" in CTest; prints one line per figure and checks the counts.
// Run: build/<release dir>/tests/bench/bench_k8s_memory

#include "event_log_model.h"
#include "list_watch_machine.h"
#include "resource_change.h"
#include "resource_table_model.h"
#include "watch_decoder.h"

#include <QDateTime>
#include <QTest>

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace {

constexpr int LogLines = 1'000'000;
constexpr int LogBatch = 1'000;   ///< lines per delivered batch (what one merge release carries)
constexpr int LogRun = 10;        ///< consecutive lines of one container in a merged batch
constexpr int LogContainers = 50; ///< distinct "ns/pod/container" ids
constexpr int Pods = 10'000;
constexpr qsizetype ReadBytes = 64 * 1024;

/// Resident set size in bytes, after giving freed heap back to the kernel.
qint64 rssBytes()
{
    malloc_trim(0);
    std::ifstream statm("/proc/self/statm");
    qint64 pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

void report(const char *what, qint64 bytes, qint64 items, const char *unit)
{
    std::printf("%-58s %8.1f MB  %7.0f bytes/%s\n", what, double(bytes) / 1e6, double(bytes) / double(items), unit);
    std::fflush(stdout);
}

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

/// One ~120-byte JSON log line, as a pod writes it (its own allocation, exact size, as the
/// log stream's line splitter makes it).
QByteArray logLine(int i)
{
    static const char *const Paths[] = {"GET /api/cart 200", "GET /api/products 200", "POST /api/cart/items 201",
                                        "GET /healthz 200"};
    char buf[160];
    const int n = std::snprintf(buf, sizeof buf,
                                "{\"level\":\"info\",\"msg\":\"%s\",\"latency_ms\":%d,\"seq\":%d,"
                                "\"trace_id\":\"%016llx\",\"user\":\"u-%05d\"}",
                                Paths[i % 4], 2 + i % 180, i, static_cast<unsigned long long>(quint64(i) * 0x9E3779B97F4A7C15ull), i % 100000);
    return QByteArray(buf, n);
}

/// One Pod ADDED watch event line of ~1.7 KB (the shape of tests/bench/bench_watch_decode.cpp).
QByteArray podEvent(Prng &rng, int index)
{
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
    s += "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
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

std::vector<TableColumn> podColumns()
{
    auto col = [](const char *name, const char *type, int priority, const char *format = "") {
        TableColumn c;
        c.name = QString::fromLatin1(name);
        c.type = QString::fromLatin1(type);
        c.format = QString::fromLatin1(format);
        c.priority = priority;
        return c;
    };
    return {col("Name", "string", 0, "name"), col("Ready", "string", 0), col("Status", "string", 0),
            col("Restarts", "integer", 0), col("Age", "string", 0), col("IP", "string", 1), col("Node", "string", 1)};
}

} // namespace

class BenchK8sMemory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void logModel();
    void informerStoreAndTable();
};

/// 1,000,000 k8s log lines in the window's log model: StreamEvents as K8sLogsEngine makes them
/// (type "log" a literal, id "ns/pod/container" made once per run of one container in a batch,
/// the payload its own ~120-byte array, the source URL shared), appended in batches of 1,000.
void BenchK8sMemory::logModel()
{
    const QString source = QStringLiteral("k8s:logs?selector=app=web&namespace=shop");
    QStringList keys;
    for (int c = 0; c < LogContainers; ++c)
        keys.append(QStringLiteral("shop/web-5d8f7c9b6d-%1/main").arg(c, 5, 10, QLatin1Char('0')));
    qint64 payloadBytes = 0;
    const qint64 startMs = 1'700'000'000'000;

    const qint64 before = rssBytes();
    {
        EventLogModel model;
        model.setCapacity(LogLines);
        for (int first = 0; first < LogLines; first += LogBatch) {
            QList<StreamEvent> batch;
            batch.reserve(LogBatch);
            QByteArray id;
            for (int i = first; i < first + LogBatch; ++i) {
                if ((i - first) % LogRun == 0)
                    id = keys.at((i / LogRun) % LogContainers).toUtf8();
                StreamEvent e;
                e.source = source;
                e.seq = quint64(i + 1);
                e.receivedMs = startMs + i / 10;
                e.type = QByteArrayLiteral("log");
                e.id = id;
                e.payload = logLine(i);
                payloadBytes += e.payload.size();
                batch.append(std::move(e));
            }
            model.append(batch);
            model.flushNow();
        }
        QCOMPARE(model.rowCount(), LogLines);
        QCOMPARE(model.droppedCount(), quint64(0));
        const qint64 held = rssBytes() - before;
        std::printf("log lines: %d, payload %.1f bytes/line on average, sizeof(StreamEvent) %zu\n", LogLines,
                    double(payloadBytes) / LogLines, sizeof(StreamEvent));
        report("EventLogModel, 1,000,000 k8s log lines held", held, LogLines, "line");
    }
    const qint64 after = rssBytes() - before;
    std::printf("  (after the model is destroyed: %+.1f MB)\n", double(after) / 1e6);
    std::fflush(stdout);
}

/// 10,000 Pods decoded from a watch stream (WatchDecoder, 64 KiB reads) into the store of a
/// ListWatchMachine (as the LIST of an Informer), then the same pods as ResourceTableModel rows
/// (7 kubectl columns; the row's WatchObject shares its bytes with the store, as in the app).
void BenchK8sMemory::informerStoreAndTable()
{
    Prng rng(0x5EED);
    QByteArray stream;
    stream.reserve(qsizetype(Pods) * 1900);
    for (int i = 0; i < Pods; ++i)
        stream += podEvent(rng, i);
    std::printf("pods: %d, %.0f bytes of JSON per watch event\n", Pods, double(stream.size()) / Pods);

    const qint64 before = rssBytes();
    ListWatchMachine machine;
    {
        std::vector<WatchEvent> events;
        WatchDecoder decoder;
        for (qsizetype at = 0; at < stream.size(); at += ReadBytes)
            decoder.feed(QByteArrayView(stream).sliced(at, std::min(ReadBytes, stream.size() - at)), events);
        decoder.finish(events);
        QCOMPARE(qsizetype(events.size()), qsizetype(Pods));
        std::vector<WatchObject> items;
        items.reserve(events.size());
        for (WatchEvent &e : events)
            items.push_back(std::move(static_cast<WatchObject &>(e)));
        events.clear();
        events.shrink_to_fit();
        machine.start(0);
        const WatchStep step = machine.listSucceeded(std::move(items), "2000000", 0);
        QCOMPARE(step.synced.value_or(-1), Pods);
    }
    QCOMPARE(machine.store().size(), qsizetype(Pods));
    const qint64 store = rssBytes() - before;
    report("ListWatchMachine store (Informer), 10,000 Pods of ~1.7 KB", store, Pods, "pod");

    {
        const qint64 beforeTable = rssBytes(); // the cells are made below: counted with the rows
        ResourceTableModel model;
        ResourceBatch batch;
        batch.columns = podColumns();
        batch.replace = true;
        batch.changes.reserve(Pods);
        int i = 0;
        for (const WatchObject &object : machine.store()) {
            ResourceChange c;
            c.object = object;
            c.cells = {QString::fromUtf8(object.name), QStringLiteral("1/1"), QStringLiteral("Running"),
                       QString::number(i % 4), QStringLiteral("5d"), QStringLiteral("10.244.%1.%2").arg(i / 250).arg(i % 250 + 1),
                       QStringLiteral("node-%1").arg(i % 64 + 1)};
            batch.changes.push_back(std::move(c));
            ++i;
        }
        model.applyChanges(batch);
        batch = ResourceBatch();
        QCOMPARE(model.rowCount(), Pods);
        const qint64 table = rssBytes() - beforeTable;
        report("ResourceTableModel, 10,000 pod rows (bytes shared w/ store)", table, Pods, "pod");
        report("store + table rows", store + table, Pods, "pod");
    }
}

QTEST_GUILESS_MAIN(BenchK8sMemory)
#include "bench_k8s_memory.moc"
