#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

/// Reconnect timing. The first retry waits `initialMs` (or the server's SSE `retry:`), each
/// further failed attempt multiplies the wait by `multiplier` up to `maxMs`; `jitter` removes a
/// random fraction of up to that much from every wait so that many clients do not retry in step.
struct BackoffPolicy
{
    int initialMs = 1000;
    int maxMs = 30'000;
    double multiplier = 2.0;
    double jitter = 0.2;
};

/// Everything a transport needs to open one source. Plain value type.
struct TransportConfig
{
    static constexpr qsizetype DefaultMaxLineBytes = 16 * 1024 * 1024;
    static constexpr int DefaultPingIntervalMs = 30'000;
    static constexpr int DefaultConnectTimeoutMs = 30'000;

    QUrl url;
    QString sourceId;     ///< name shown downstream; empty means redactedUrl(url)
    QString transportId;  ///< registry id: "sse", "lines", "ndjson", "http" (by Content-Type), "websocket"
    QList<QPair<QByteArray, QByteArray>> headers; ///< extra request headers, sent as given
    std::optional<QByteArray> body;               ///< HTTP: POST this body instead of GET
    bool insecureTls = false;                     ///< skip certificate verification (UI warns)
    bool reconnect = true;                        ///< reconnect after drops (protocol rules still apply)
    qsizetype maxLineBytes = DefaultMaxLineBytes; ///< longest line / event / message accepted
    int pingIntervalMs = DefaultPingIntervalMs;   ///< WebSocket keepalive; 0 disables
    QStringList subprotocols;                     ///< WebSocket subprotocols, in preference order
    /// Names of config.headers the user marked secret: redacted everywhere like Authorization,
    /// and dropped on a redirect to another origin (as Authorization and Cookie always are).
    QList<QByteArray> secretHeaders;
    /// Connect + TLS + response headers (HTTP) or the WebSocket handshake must complete within
    /// this time, else the attempt counts as a network error and is retried; 0 = no limit.
    int connectTimeoutMs = DefaultConnectTimeoutMs;
    /// Read-idle timeout: no byte (HTTP body, WebSocket frame or pong) for this long on an open
    /// connection drops it and reconnects (SSE resumes with Last-Event-ID); 0 = off.
    int idleTimeoutMs = 0;
    /// Learn the stream's heartbeat and report "stalled" when it is silent for several of its
    /// usual intervals (Transport::liveness(), stallChanged()).
    bool detectStalls = true;
    /// WebSocket close codes (normally 4000–4999) the user marked final: the source stops
    /// instead of reconnecting. Codes 4000–4099 are always final (see WebSocketTransport).
    QList<int> finalCloseCodes;
    BackoffPolicy backoff;

    /// sourceId, or the URL with its password and secret query values redacted (redaction.h):
    /// source ids are shown, printed and logged everywhere.
    QString effectiveSourceId() const;
};
