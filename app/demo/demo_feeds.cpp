#include "demo_feeds.h"

#include "demo_server.h"
#include "route_helpers.h"

#include <QDateTime>

#include <array>
#include <cmath>
#include <numbers>

namespace {

// SplitMix64 finaliser: a good 64-bit mix, so hash(stream, n) behaves like a seeded PRNG draw
// for item n without any state (the same n always gives the same values).
quint64 mix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

constexpr quint64 Seed = 0x4C69766544617368ULL; // "LiveDash"

quint64 hash(quint64 stream, quint64 n)
{
    return mix(Seed ^ mix(stream) ^ n);
}

double unit(quint64 stream, qint64 n) // [0, 1)
{
    return double(hash(stream, quint64(n)) >> 11) * 0x1.0p-53;
}

// Value noise: random knots at integers, smoothstep in between → a smooth random walk.
double smooth(quint64 stream, double x)
{
    const double knot = std::floor(x);
    const double f = x - knot;
    const double t = f * f * (3.0 - 2.0 * f);
    const double a = unit(stream, qint64(knot));
    const double b = unit(stream, qint64(knot) + 1);
    return a + (b - a) * t;
}

// Three octaves of value noise, [0, 1).
double fractal(quint64 stream, double x)
{
    return 0.6 * smooth(stream, x) + 0.3 * smooth(stream + 100, x * 2.3) + 0.1 * smooth(stream + 200, x * 5.1);
}

double wave(double n, double period, double phase = 0.0)
{
    return std::sin(2.0 * std::numbers::pi * n / period + phase);
}

QByteArray fixed(double value, int decimals)
{
    return QByteArray::number(value, 'f', decimals);
}

QByteArray timestamp(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

template <std::size_t N>
const char *pick(const std::array<const char *, N> &items, quint64 h)
{
    return items[h % N];
}

} // namespace

DemoFeeds::DemoFeeds(DemoServer *server)
    : QObject(server)
    , m_ring(HistorySize)
    , m_ringIds(HistorySize, 0)
{
    using namespace RouteHelpers;

    server->addRoute(QStringLiteral("/sse/metrics"), [this](const HttpRequest &request, HttpResponder *responder) {
        serveMetrics(request, responder);
    });

    server->addRoute(QStringLiteral("/sse/notifications"), [](const HttpRequest &request, HttpResponder *responder) {
        responder->writeHead(200, sseHeaders());
        responder->write("retry: " + QByteArray::number(MetricsRetryMs) + "\n\n");
        const qint64 last = lastEventId(request);
        auto next = std::make_shared<quint64>(last >= 0 ? quint64(last) + 1 : 1);
        auto *timer = new QTimer(responder);
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, responder, [responder, timer, next] {
            responder->write(notificationEvent(*next));
            ++*next;
            timer->start(notificationDelayMs(*next));
        });
        timer->start(notificationDelayMs(*next));
        keepalive(responder, KeepaliveMs, ": keepalive\n\n");
    });

    server->addRoute(QStringLiteral("/ndjson/logs"), [](const HttpRequest &request, HttpResponder *responder) {
        const int hz = int(queryInt(request, QStringLiteral("hz"), 10, 1, 1000));
        responder->writeHead(200, {{"Content-Type", "application/x-ndjson"}, {"Cache-Control", "no-cache"}});
        auto next = std::make_shared<quint64>(1);
        pace(responder, hz, [responder, next](int due) {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            QByteArray batch;
            for (int i = 0; i < due; ++i)
                batch += ndjsonLogLine((*next)++, now);
            responder->write(batch);
        });
    });

    server->addRoute(QStringLiteral("/lines/logs"), [](const HttpRequest &request, HttpResponder *responder) {
        const int hz = int(queryInt(request, QStringLiteral("hz"), 5, 1, 1000));
        responder->writeHead(200, {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-cache"}});
        auto next = std::make_shared<quint64>(1);
        pace(responder, hz, [responder, next](int due) {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            QByteArray batch;
            for (int i = 0; i < due; ++i)
                batch += textLogLine((*next)++, now);
            responder->write(batch);
        });
    });
}

DemoFeeds::~DemoFeeds() = default;

void DemoFeeds::serveMetrics(const HttpRequest &request, HttpResponder *responder)
{
    using namespace RouteHelpers;
    const int hz = int(queryInt(request, QStringLiteral("hz"), 20, 1, 1000));
    responder->writeHead(200, sseHeaders());
    QByteArray out = "retry: " + QByteArray::number(MetricsRetryMs) + "\n\n";

    quint64 next = 1;
    const qint64 last = lastEventId(request);
    if (last >= 0) {
        const auto k = quint64(last);
        if (k > m_high) {
            next = k + 1; // unknown to this server instance: keep the ids continuous
        } else if (k + HistorySize > m_high) {
            for (quint64 id = k + 1; id <= m_high; ++id) {
                if (hasMetrics(id))
                    out += m_ring.at(qsizetype(id % HistorySize));
            }
            next = m_high + 1;
        } else {
            next = m_high + 1; // too old: the gap cannot be filled, continue live
        }
    }
    responder->write(out);

    auto nextId = std::make_shared<quint64>(next);
    pace(responder, hz, [this, responder, nextId](int due) {
        QByteArray batch;
        for (int i = 0; i < due; ++i) {
            const quint64 id = (*nextId)++;
            const QByteArray event = metricsEvent(id);
            recordMetrics(id, event);
            batch += event;
        }
        responder->write(batch);
    });
    keepalive(responder, KeepaliveMs, ": keepalive\n\n");
}

void DemoFeeds::recordMetrics(quint64 id, const QByteArray &event)
{
    if (id <= m_high)
        return;
    const auto slot = qsizetype(id % HistorySize);
    m_ring[slot] = event;
    m_ringIds[slot] = id;
    m_high = id;
}

bool DemoFeeds::hasMetrics(quint64 id) const
{
    return id != 0 && m_ringIds.at(qsizetype(id % HistorySize)) == id;
}

QByteArray DemoFeeds::metricsJson(quint64 n)
{
    const double x = double(n);
    const double user = std::clamp(28.0 + 14.0 * wave(x, 1200) + 22.0 * (fractal(1, x / 80) - 0.5)
                                       + 3.0 * (unit(2, qint64(n)) - 0.5),
                                   2.0, 97.0);
    const double system = std::clamp(6.0 + 0.18 * user + 4.0 * (fractal(3, x / 60) - 0.5)
                                         + (unit(4, qint64(n)) - 0.5),
                                     0.5, 40.0);
    const double memory = 3072.0 + 600.0 * wave(x, 7200) + 350.0 * (fractal(5, x / 300) - 0.5)
        + 120.0 * double(n % 400) / 400.0; // slow growth, dropped by a "GC" every 400 samples
    const double burst = std::max(0.0, fractal(8, x / 200) - 0.7) * 2000.0;
    const double rps = std::max(0.0, 850.0 + 300.0 * wave(x, 2400, 1.0) + 260.0 * (fractal(6, x / 50) - 0.5)
                                         + 25.0 * (unit(7, qint64(n)) - 0.5) + burst);
    const double pressure = fractal(11, x / 70);
    const int queue = pressure > 0.55 ? int((pressure - 0.55) * 220.0) : 0;
    const double p50 = std::max(1.0, 9.0 + 0.006 * rps + 4.0 * (fractal(9, x / 40) - 0.5));
    const double p99 = p50 * (2.6 + 1.8 * fractal(10, x / 30)) + 0.8 * queue;

    return "{\"cpu\":{\"user\":" + fixed(user, 1) + ",\"system\":" + fixed(system, 1)
        + "},\"mem_mb\":" + fixed(memory, 0) + ",\"rps\":" + fixed(rps, 0)
        + ",\"latency_ms\":{\"p50\":" + fixed(p50, 1) + ",\"p99\":" + fixed(p99, 1)
        + "},\"queue\":" + QByteArray::number(queue) + '}';
}

QByteArray DemoFeeds::metricsEvent(quint64 n)
{
    return "id: " + QByteArray::number(n) + "\ndata: " + metricsJson(n) + "\n\n";
}

DemoFeeds::Notification DemoFeeds::notification(quint64 id)
{
    static constexpr std::array<const char *, 8> Services{"api", "auth", "billing", "search",
                                                          "db", "cache", "gateway", "worker"};
    static constexpr std::array<const char *, 5> Alerts{"p99 latency above 250 ms", "error rate above 2%",
                                                        "disk usage at 91%", "pod restarted (OOMKilled)",
                                                        "replication lag 12 s"};
    static constexpr std::array<const char *, 5> Infos{"autoscaled to 6 replicas", "certificate renewed",
                                                       "cache warmed", "config reloaded", "backup completed"};
    const quint64 h = hash(20, id);
    const QByteArray service = pick(Services, h >> 8);
    Notification result;
    QByteArray title;
    QByteArray severity = "info";
    const quint64 kind = h % 10;
    if (kind < 3) {
        result.type = "deploy";
        title = "Deployed " + service + " v2." + QByteArray::number(id % 17) + '.'
            + QByteArray::number((h >> 24) % 10);
    } else if (kind < 5) {
        result.type = "alert";
        title = QByteArray(pick(Alerts, h >> 32)) + " on " + service;
        severity = (h >> 40) % 3 == 0 ? "critical" : "warning";
    } else {
        result.type = "info";
        title = QByteArray(pick(Infos, h >> 32)) + " for " + service;
    }
    result.json = "{\"title\":\"" + title + "\",\"service\":\"" + service + "\",\"severity\":\"" + severity + "\"}";
    return result;
}

int DemoFeeds::notificationDelayMs(quint64 id)
{
    return 500 + int(hash(21, id) % 1501);
}

QByteArray DemoFeeds::notificationEvent(quint64 id)
{
    const Notification n = notification(id);
    return "id: " + QByteArray::number(id) + "\nevent: " + n.type + "\ndata: " + n.json + "\n\n";
}

DemoFeeds::LogRecord DemoFeeds::logRecord(quint64 n)
{
    static constexpr std::array<const char *, 4> Services{"api", "db", "auth", "cache"};
    static constexpr std::array<const char *, 6> ApiMsgs{"GET /v1/users", "POST /v1/orders", "GET /v1/orders/1234",
                                                         "GET /v1/health", "PUT /v1/users/42", "DELETE /v1/sessions/7"};
    static constexpr std::array<const char *, 4> DbMsgs{"SELECT users by id", "UPDATE orders set status",
                                                        "INSERT audit_log", "VACUUM sessions"};
    static constexpr std::array<const char *, 4> AuthMsgs{"token issued", "token refreshed", "login failed",
                                                          "session revoked"};
    static constexpr std::array<const char *, 4> CacheMsgs{"GET user:42 hit", "GET order:1234 miss",
                                                           "SET session:7", "EVICT 128 keys"};
    static constexpr std::array<int, 6> OkStatus{200, 200, 200, 201, 204, 304};
    static constexpr std::array<int, 3> WarnStatus{404, 409, 429};
    static constexpr std::array<int, 3> ErrorStatus{500, 502, 503};
    static constexpr std::array<int, 4> BaseLatency{12, 4, 8, 1};

    const quint64 h = hash(40, n);
    LogRecord r;
    const quint64 roll = h % 100;
    r.level = roll < 12 ? "DEBUG" : roll < 80 ? "INFO" : roll < 93 ? "WARN" : "ERROR";
    const quint64 serviceIndex = (h >> 8) % Services.size();
    r.service = Services[serviceIndex];
    const quint64 m = h >> 16;
    switch (serviceIndex) {
    case 0: r.msg = pick(ApiMsgs, m); break;
    case 1: r.msg = pick(DbMsgs, m); break;
    case 2: r.msg = pick(AuthMsgs, m); break;
    default: r.msg = pick(CacheMsgs, m); break;
    }
    const quint64 s = h >> 32;
    r.status = r.level == "WARN" ? WarnStatus[s % WarnStatus.size()]
        : r.level == "ERROR"    ? ErrorStatus[s % ErrorStatus.size()]
                                : OkStatus[s % OkStatus.size()];
    double latency = BaseLatency[serviceIndex] * (1.0 + 3.0 * fractal(41, double(n) / 25)) * (0.7 + 0.6 * unit(42, qint64(n)));
    if (r.level == "WARN")
        latency *= 3.0;
    else if (r.level == "ERROR")
        latency *= 10.0;
    r.latencyMs = std::max(1, int(std::lround(latency)));
    return r;
}

QByteArray DemoFeeds::ndjsonLogLine(quint64 n, qint64 epochMs)
{
    const LogRecord r = logRecord(n);
    return "{\"ts\":\"" + timestamp(epochMs) + "\",\"level\":\"" + r.level + "\",\"service\":\"" + r.service
        + "\",\"msg\":\"" + r.msg + "\",\"latency_ms\":" + QByteArray::number(r.latencyMs)
        + ",\"status\":" + QByteArray::number(r.status) + "}\n";
}

QByteArray DemoFeeds::textLogLine(quint64 n, qint64 epochMs)
{
    const LogRecord r = logRecord(n);
    return timestamp(epochMs) + ' ' + r.level.leftJustified(5) + ' ' + r.service.leftJustified(5) + ' ' + r.msg
        + ' ' + QByteArray::number(r.status) + ' ' + QByteArray::number(r.latencyMs) + "ms\n";
}

QByteArray DemoFeeds::tickerJson(quint64 seq)
{
    const double x = double(seq);
    const double price = 100.0 + 24.0 * (fractal(30, x / 120) - 0.5) + 4.0 * wave(x, 1500)
        + 0.6 * (fractal(31, x / 6) - 0.5);
    const quint64 volume = 50 + hash(32, seq) % 950;
    return "{\"symbol\":\"LDSH\",\"price\":" + fixed(price, 2) + ",\"volume\":" + QByteArray::number(volume)
        + ",\"seq\":" + QByteArray::number(seq) + '}';
}
