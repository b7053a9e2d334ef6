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
    BackoffPolicy backoff;

    /// sourceId, or the URL with its password and secret query values redacted (redaction.h):
    /// source ids are shown, printed and logged everywhere.
    QString effectiveSourceId() const;
};
