// FakeCluster: pods/{name}/log (the kubelet's parameters and errors) and the log generators.

#include "fake_cluster.h"

#include "fake_pump.h"
#include "http_request.h"
#include "http_responder.h"
#include "route_helpers.h"

#include <QDateTime>

#include <array>
#include <cmath>

namespace {

quint64 mix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

template <std::size_t N>
const char *pick(const std::array<const char *, N> &items, quint64 h)
{
    return items[h % N];
}

constexpr qint64 NsPerMs = 1'000'000;

} // namespace

QByteArray FakeCluster::generatedLine(const FakePod &pod, const FakeContainer &container, quint64 seq) const
{
    const quint64 h = mix(qHash(pod.name) ^ (quint64(qHash(container.name)) << 32) ^ mix(seq));
    if (container.style == FakeLogStyle::Json) {
        static constexpr std::array<const char *, 20> levels = {"info", "info", "info", "info", "info", "info", "info",
                                                                "info", "info", "info", "info", "info", "info", "info",
                                                                "debug", "debug", "debug", "warn", "warn", "error"};
        static constexpr std::array<const char *, 6> web = {"GET /api/cart 200", "GET /api/products 200", "POST /api/cart/items 201",
                                                            "GET /healthz 200", "GET /api/user 401", "GET /api/search 500"};
        static constexpr std::array<const char *, 4> shop = {"POST /api/checkout 201", "GET /api/orders 200",
                                                             "payment authorised", "inventory reserved"};
        const char *msg = pod.ns == QLatin1String("shop") ? pick(shop, h >> 8) : pick(web, h >> 8);
        return QByteArray("{\"level\":\"") + pick(levels, h) + "\",\"msg\":\"" + msg + "\",\"latency_ms\":"
            + QByteArray::number(2 + (h >> 20) % 180) + ",\"seq\":" + QByteArray::number(seq) + '}';
    }
    if (container.name == QLatin1String("metrics")) {
        return "level=info msg=\"scrape done\" series=" + QByteArray::number(40 + (h >> 4) % 30)
            + " duration_ms=" + QByteArray::number(3 + (h >> 12) % 20) + " seq=" + QByteArray::number(seq);
    }
    static constexpr std::array<const char *, 5> db = {"LOG:  checkpoint starting: time", "LOG:  checkpoint complete",
                                                       "LOG:  duration: 1.8 ms  statement: SELECT * FROM carts WHERE id = $1",
                                                       "WARNING:  there is no transaction in progress",
                                                       "LOG:  automatic vacuum of table \"shop.public.orders\""};
    return QByteArray(pick(db, h)) + " [" + QByteArray::number(seq) + ']';
}

QByteArray FakeCluster::formatLine(const LogLine &line, bool timestamps) const
{
    if (!timestamps)
        return line.text + '\n';
    return FakeObjects::rfc3339Nanos(line.ns) + ' ' + line.text + '\n';
}

void FakeCluster::appendLine(const FakePod &pod, const FakeContainer &container, ContainerLog &log, LogLine line)
{
    log.lastNs = std::max(log.lastNs, line.ns);
    log.current.push_back(line);
    while (log.current.size() > std::size_t(MaxLogLinesPerContainer))
        log.current.pop_front();
    const QString podKey = pod.key();
    m_follows.removeIf([](const std::shared_ptr<Follow> &f) { return f->responder.isNull() || !f->responder->isConnected(); });
    for (const std::shared_ptr<Follow> &f : std::as_const(m_follows)) {
        if (f->podKey != podKey || f->container != container.name)
            continue;
        QByteArray bytes = formatLine(line, f->timestamps);
        if (f->bytesLeft >= 0) {
            bytes.truncate(f->bytesLeft);
            f->bytesLeft -= bytes.size();
        }
        f->responder->write(bytes);
        if (f->bytesLeft == 0)
            f->responder->end();
    }
}

void FakeCluster::backfillLogs(const FakePod &pod, qint64 fromMs, qint64 toMs)
{
    for (const FakeContainer &c : pod.initContainers) {
        ContainerLog &log = m_logs[pod.key() + QLatin1Char('/') + c.name];
        const qint64 at = c.startedMs * NsPerMs;
        for (const char *text : {"applying migration 0001_init", "applying migration 0002_orders", "schema up to date"})
            appendLine(pod, c, log, {at + qint64(log.seq++) * 1000, QByteArray(text)});
    }
    for (const FakeContainer &c : pod.containers) {
        ContainerLog &log = m_logs[pod.key() + QLatin1Char('/') + c.name];
        if (c.linesPerSecond <= 0 || c.state != FakeContainer::State::Running)
            continue;
        const qint64 count = qint64((toMs - fromMs) * c.linesPerSecond / 1000.0);
        for (qint64 i = 0; i < count; ++i) {
            const qint64 ms = fromMs + qint64(double(i) * 1000.0 / c.linesPerSecond);
            const quint64 seq = log.seq++;
            qint64 ns = ms * NsPerMs + qint64(mix(seq) % NsPerMs);
            if (seq % 9 == 0 && log.lastNs > 0)
                ns = log.lastNs; // as generateLogs(): some lines share one exact timestamp
            appendLine(pod, c, log, {std::max(ns, log.lastNs), generatedLine(pod, c, seq)});
        }
    }
}

void FakeCluster::generateLogs()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 last = m_lastGenerateMs > 0 ? m_lastGenerateMs : now;
    m_lastGenerateMs = now;
    const double seconds = std::clamp(double(now - last) / 1000.0, 0.0, 1.0);
    if (seconds <= 0 || m_logFactor <= 0)
        return;
    const QList<QString> keys = m_pods.keys();
    for (const QString &key : keys) {
        const auto podIt = m_pods.constFind(key);
        if (podIt == m_pods.constEnd())
            continue;
        const FakePod pod = podIt.value();
        for (const FakeContainer &c : pod.containers) {
            if (c.state != FakeContainer::State::Running || c.linesPerSecond <= 0)
                continue;
            ContainerLog &log = m_logs[key + QLatin1Char('/') + c.name];
            log.due += c.linesPerSecond * m_logFactor * seconds;
            const int n = int(std::floor(log.due));
            log.due -= n;
            for (int i = 0; i < n; ++i) {
                const quint64 seq = log.seq++;
                const qint64 ms = last + (now - last) * (i + 1) / n;
                qint64 ns = ms * NsPerMs + qint64(mix(seq) % NsPerMs);
                // Every ninth line repeats the previous line's exact timestamp (kubelets do that
                // for lines written in one go): resume logic must cope with equal stamps.
                if (seq % 9 == 0 && log.lastNs > 0)
                    ns = log.lastNs;
                appendLine(pod, c, log, {std::max(ns, log.lastNs), generatedLine(pod, c, seq)});
            }
        }
    }
}

bool FakeCluster::appendLogLines(const QString &pod, const QString &container, const QList<QByteArray> &lines,
                                 qint64 epochNs, const QString &ns)
{
    ensureStarted();
    FakePod *p = findPod(pod, ns);
    const FakeContainer *c = p ? p->container(container) : nullptr;
    if (!c)
        return false;
    const FakePod copy = *p;
    const FakeContainer containerCopy = *c;
    ContainerLog &log = m_logs[copy.key() + QLatin1Char('/') + container];
    for (const QByteArray &line : lines)
        appendLine(copy, containerCopy, log, {epochNs, line});
    return true;
}

void FakeCluster::endFollows(const QString &podKey, const QString &container)
{
    const auto follows = m_follows;
    m_follows.removeIf([&](const std::shared_ptr<Follow> &f) {
        return f->podKey == podKey && (container.isEmpty() || f->container == container);
    });
    for (const std::shared_ptr<Follow> &f : follows) {
        if (f->responder && f->podKey == podKey && (container.isEmpty() || f->container == container))
            f->responder->end();
    }
}

void FakeCluster::serveLog(const HttpRequest &request, HttpResponder *responder, const QString &ns, const QString &name)
{
    const QUrlQuery &q = request.query;
    const bool follow = q.queryItemValue(QStringLiteral("follow")) == QLatin1String("true");
    const bool timestamps = q.queryItemValue(QStringLiteral("timestamps")) == QLatin1String("true");
    const bool previous = q.queryItemValue(QStringLiteral("previous")) == QLatin1String("true");
    if (ns == QLatin1String("bench") && name == QLatin1String("bench") && findPod(name, ns)) {
        serveBenchLog(responder, timestamps);
        return;
    }
    const FakePod *pod = findPod(name, ns);
    if (!pod) {
        sendStatus(responder, 404, QStringLiteral("NotFound"), QStringLiteral("pods \"%1\" not found").arg(name));
        return;
    }
    QString containerName = q.queryItemValue(QStringLiteral("container"), QUrl::FullyDecoded);
    if (containerName.isEmpty()) {
        if (pod->containers.size() != 1) {
            QStringList names, inits;
            for (const FakeContainer &c : pod->containers)
                names.append(c.name);
            for (const FakeContainer &c : pod->initContainers)
                inits.append(c.name);
            QString message = QStringLiteral("a container name must be specified for pod %1, choose one of: [%2]")
                                  .arg(pod->name, names.join(QLatin1Char(' ')));
            if (!inits.isEmpty())
                message += QStringLiteral(" or one of the init containers: [%1]").arg(inits.join(QLatin1Char(' ')));
            sendStatus(responder, 400, QStringLiteral("BadRequest"), message);
            return;
        }
        containerName = pod->containers.first().name;
    }
    const FakeContainer *container = pod->container(containerName);
    if (!container) {
        sendStatus(responder, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("container %1 is not valid for pod %2").arg(containerName, pod->name));
        return;
    }
    const ContainerLog log = m_logs.value(pod->key() + QLatin1Char('/') + containerName);
    if (previous && !log.hasPrevious) {
        sendStatus(responder, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("previous terminated container \"%1\" in pod \"%2\" not found").arg(containerName, pod->name));
        return;
    }
    if (!previous && container->state == FakeContainer::State::Waiting) {
        const QString reason = container->reason.isEmpty() ? QStringLiteral("ContainerCreating") : container->reason;
        sendStatus(responder, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("container \"%1\" in pod \"%2\" is waiting to start: %3").arg(containerName, pod->name, reason));
        return;
    }
    const bool hasSinceSeconds = q.hasQueryItem(QStringLiteral("sinceSeconds"));
    const bool hasSinceTime = q.hasQueryItem(QStringLiteral("sinceTime"));
    if (hasSinceSeconds && hasSinceTime) {
        sendStatus(responder, 400, QStringLiteral("BadRequest"), QStringLiteral("at most one of `sinceTime` or `sinceSeconds` may be specified"));
        return;
    }
    qint64 sinceNs = 0;
    if (hasSinceSeconds) {
        const qint64 seconds = RouteHelpers::queryInt(request, QStringLiteral("sinceSeconds"), 0, 0, qint64(1) << 40);
        if (seconds < 1) {
            sendStatus(responder, 400, QStringLiteral("BadRequest"), QStringLiteral("sinceSeconds: Invalid value: must be greater than 0"));
            return;
        }
        sinceNs = (QDateTime::currentMSecsSinceEpoch() - seconds * 1000) * NsPerMs;
    } else if (hasSinceTime) {
        const QString text = q.queryItemValue(QStringLiteral("sinceTime"), QUrl::FullyDecoded);
        qint64 epochSeconds = 0;
        if (!FakeObjects::parseRfc3339Seconds(text, &epochSeconds)) {
            sendStatus(responder, 400, QStringLiteral("BadRequest"),
                       QStringLiteral("parsing time \"%1\" as \"2006-01-02T15:04:05Z07:00\": cannot parse").arg(text));
            return;
        }
        sinceNs = epochSeconds * 1'000'000'000; // the kubelet only gets whole seconds
    }
    const qint64 tail = RouteHelpers::queryInt(request, QStringLiteral("tailLines"), -1, -1, qint64(1) << 40); // -1: all
    const qint64 limitBytes = RouteHelpers::queryInt(request, QStringLiteral("limitBytes"), -1, 1, qint64(1) << 50);

    const std::deque<LogLine> &lines = previous ? log.previous : log.current;
    auto first = lines.cbegin();
    while (first != lines.cend() && first->ns < sinceNs)
        ++first;
    if (tail >= 0 && std::distance(first, lines.cend()) > tail)
        first = lines.cend() - tail;
    QByteArray body;
    for (auto it = first; it != lines.cend() && (limitBytes < 0 || body.size() < limitBytes); ++it)
        body += formatLine(*it, timestamps);
    if (limitBytes >= 0)
        body.truncate(limitBytes);

    responder->writeHead(200, {{"Content-Type", "text/plain"}, {"Cache-Control", "no-cache, private"}});
    responder->write(body);
    const bool budgetLeft = limitBytes < 0 || body.size() < limitBytes;
    if (!follow || previous || !budgetLeft || container->state != FakeContainer::State::Running) {
        responder->end();
        return;
    }
    trackStream(responder);
    auto f = std::make_shared<Follow>();
    f->responder = responder;
    f->podKey = pod->key();
    f->container = containerName;
    f->timestamps = timestamps;
    f->bytesLeft = limitBytes < 0 ? -1 : limitBytes - body.size();
    m_follows.append(f);
}

void FakeCluster::serveBenchLog(HttpResponder *responder, bool timestamps)
{
    responder->writeHead(200, {{"Content-Type", "text/plain"}, {"Cache-Control", "no-cache, private"}});
    trackStream(responder);
    auto next = std::make_shared<qint64>(0);
    const qint64 baseNs = (m_startMs - 3'600'000) * NsPerMs;
    // Each line is a copy of one template with its 7-digit number patched in (no per-line allocation).
    static const QByteArray templ = "bench line 0000000 level=info msg=\"a log line of a typical length for throughput tests\" "
                                    "padding=xxxxxxxxxxxxxxxxxxxxxxxxxx\n";
    constexpr qsizetype DigitsAt = 11;
    FakePump::start(responder, [next, timestamps, baseNs] {
        QByteArray chunk;
        chunk.reserve(70 * 1024);
        while (*next < BenchLogLines && chunk.size() < 64 * 1024) {
            qint64 n = (*next)++;
            if (timestamps)
                chunk += FakeObjects::rfc3339Nanos(baseNs + n * 1000) + ' ';
            const qsizetype at = chunk.size() + DigitsAt;
            chunk += templ;
            for (int i = 6; i >= 0; --i, n /= 10)
                chunk[at + i] = char('0' + n % 10);
        }
        return chunk;
    });
}
