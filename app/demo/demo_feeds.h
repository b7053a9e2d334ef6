#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

class DemoServer;
struct HttpRequest;
class HttpResponder;

/// The demo data: pure, deterministic generators (the same index always gives the same values,
/// computed from a seeded hash, not from a stateful PRNG) and the HTTP routes that stream them.
///
/// Routes installed on the server given to the constructor:
/// - /sse/metrics          text/event-stream, ~20 Hz (?hz=1..1000). "retry: 2000", then
///                         "id: <n>\ndata: <metricsJson(n)>\n\n" with n = 1, 2, ... per connection.
///                         Last-Event-ID: k resumes: if k is within the last HistorySize events the
///                         server generated (any connection), those after k are replayed at once and
///                         the stream continues live after them; if k is newer than anything
///                         generated, it continues at k+1; if k is older than the history, it
///                         continues live without replay; a non-numeric k starts at 1.
///                         ": keepalive" comment every KeepaliveMs.
/// - /sse/notifications    "event: deploy|alert|info", ids from 1 (or Last-Event-ID + 1), one every
///                         0.5–2 s following notificationDelayMs(id).
/// - /ndjson/logs          application/x-ndjson, ~10 lines/s (?hz=1..1000), ndjsonLogLine().
/// - /lines/logs           text/plain; charset=utf-8, ~5 lines/s (?hz=1..1000), textLogLine().
/// Paced streams keep their long-run rate exact (events due = elapsed × hz) and, after a stall,
/// skip rather than burst more than one second of events.
class DemoFeeds : public QObject
{
    Q_OBJECT
public:
    static constexpr int HistorySize = 2000;
    static constexpr int KeepaliveMs = 15'000;
    static constexpr int MetricsRetryMs = 2000;

    /// Installs the routes above on `server` and becomes its child.
    explicit DemoFeeds(DemoServer *server);
    ~DemoFeeds() override;

    /// {"cpu":{"user":..,"system":..},"mem_mb":..,"rps":..,"latency_ms":{"p50":..,"p99":..},"queue":..}
    static QByteArray metricsJson(quint64 n);
    /// The complete SSE event "id: n\ndata: <json>\n\n".
    static QByteArray metricsEvent(quint64 n);

    struct Notification
    {
        QByteArray type;  ///< deploy, alert or info
        QByteArray json;  ///< {"title":..,"service":..,"severity":..}
    };
    static Notification notification(quint64 id);
    /// Delay before notification `id` is sent (500..2000 ms).
    static int notificationDelayMs(quint64 id);
    /// "id: n\nevent: <type>\ndata: <json>\n\n".
    static QByteArray notificationEvent(quint64 id);

    struct LogRecord
    {
        QByteArray level;   ///< INFO, WARN, ERROR or DEBUG
        QByteArray service; ///< api, db, auth or cache
        QByteArray msg;
        int latencyMs = 0;
        int status = 0;
    };
    static LogRecord logRecord(quint64 n);
    /// {"ts":"<RFC 3339 ms>","level":..,"service":..,"msg":..,"latency_ms":N,"status":N}\n
    static QByteArray ndjsonLogLine(quint64 n, qint64 epochMs);
    /// "2026-11-21T05:19:00.123Z INFO  api   GET /v1/users 200 12ms\n"
    static QByteArray textLogLine(quint64 n, qint64 epochMs);

    /// WebSocket ticker message: {"symbol":"LDSH","price":..,"volume":..,"seq":n}
    static QByteArray tickerJson(quint64 seq);

    /// Highest metrics id generated so far by any connection (0 before the first).
    quint64 metricsHighWater() const { return m_high; }

private:
    void serveMetrics(const HttpRequest &request, HttpResponder *responder);
    void recordMetrics(quint64 id, const QByteArray &event);
    bool hasMetrics(quint64 id) const;

    // Ring of the last HistorySize generated metrics events, slot = id % HistorySize. Only ids above
    // the high-water mark are recorded, so with several connections each id is stored once; since
    // the values are a pure function of the id, it does not matter which connection produced it.
    QList<QByteArray> m_ring;
    QList<quint64> m_ringIds;
    quint64 m_high = 0;
};
