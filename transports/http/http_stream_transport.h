#pragma once

#include "backoff.h"
#include "transport.h"

#include <QByteArrayView>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <optional>

class JsonValidator;
class LineFramer;
class NetworkPool;
class QLoggingCategory;
class QNetworkAccessManager;
class QNetworkReply;
class QSslError;
class SseParser;

/// A long-lived HTTP response body cut into events: Server-Sent Events, text lines or NDJSON.
/// One class for every HTTP flavour: request building, response checks, reconnects, resume and
/// connection pooling are shared; only the body decoder differs (SseParser, LineFramer,
/// LineFramer + JsonValidator).
///
/// Threading: lives on the thread that created it; all signals are emitted there. Takes its
/// QNetworkAccessManager from the thread's NetworkPool (at most 4 long-lived streams per manager
/// and host:port, so Qt's 6-connections-per-host queue never starves a stream).
///
/// Request: GET, or POST with config.body; config.headers are added after the mode's defaults
/// (so they can override them). SSE sends `Accept: text/event-stream`, `Cache-Control: no-cache`,
/// `Accept-Encoding: identity`, and `Last-Event-ID` on reconnects when the stored id is non-empty.
/// Redirects are followed (no less safe, at most 10); HTTP/2 is allowed; there is no transfer
/// timeout (silence is normal on a live stream). TLS is verified unless config.insecureTls.
///
/// Response (protocols.md 1.2): SSE opens only on 200 + MIME essence text/event-stream; lines and
/// NDJSON open on any 2xx except 204/205. 204 → Closed without failure (stopReason()); any other
/// refusal → errorOccurred(retryable=false) + Closed ("HTTP 404 Not Found", "expected
/// text/event-stream, got text/html"). Mode::Auto picks SSE, NDJSON or lines from the first
/// 2xx response's Content-Type and keeps that choice across reconnects.
///
/// Body: every readyRead is read completely and produces at most one eventsReceived batch. Lines
/// or events over config.maxLineBytes, and invalid NDJSON lines, become Error events (type
/// "error", payload = the raw text or an excerpt, valid UTF-8) and the stream continues.
///
/// Drops: the end of the body after Open, or a network error, gives errorOccurred(retryable=true),
/// stateChanged(Reconnecting), reconnectScheduled(delay, attempt, reason), then a new request after
/// Backoff's delay (the SSE `retry:` value is the base). The attempt count restarts at 1 only
/// after a healthy connection (Backoff::isHealthyConnection: at least one event, or open for
/// Backoff::HealthyConnectionMs), so a server that answers 200 and ends at once is re-requested
/// with growing delays (0 for `retry: 0`, then at least 100, 200, ... ms up to the policy's
/// maxMs), never in a tight loop. The first batch after a re-open starts with a Gap event.
///
/// TLS errors (untrusted, self-signed or expired certificate, name mismatch, failed handshake)
/// are terminal: errorOccurred(Tls, retryable=false) naming the problem, then Closed. Retrying
/// cannot fix a certificate, and a client hammering a misconfigured server is worse than an error.
class HttpStreamTransport : public Transport
{
    Q_OBJECT
public:
    enum class Mode { Sse, Lines, Ndjson, Auto };
    Q_ENUM(Mode)

    static constexpr qint64 ReadBufferBytes = 1024 * 1024;

    explicit HttpStreamTransport(Mode mode, QObject *parent = nullptr);
    ~HttpStreamTransport() override;

    /// Called by the owner; emits stateChanged(Connecting) and sends the request. A second call
    /// restarts from scratch (no Last-Event-ID, Auto decides again).
    void open(const TransportConfig &config) override;
    /// Idempotent: aborts the reply with its signals disconnected first, cancels the retry timer,
    /// emits stateChanged(Closed) once; nothing else is emitted afterwards (C8).
    void close() override;
    /// Reconnecting: sends the request now. Open/Connecting: aborts and re-requests at once
    /// (with Last-Event-ID).
    void reconnectNow() override;

    Mode mode() const { return m_mode; }
    /// The mode in use: mode(), or for Auto what the Content-Type chose (Auto until decided).
    Mode effectiveMode() const { return m_effectiveMode; }
    /// SSE: the id a reconnect sends as Last-Event-ID.
    QByteArray lastEventId() const;

    /// Test hooks: a private pool instead of the thread's shared one; the backoff random source.
    void setNetworkPool(std::shared_ptr<NetworkPool> pool);
    void setRandomSource(Backoff::RandomSource random) { m_backoff.setRandomSource(std::move(random)); }

    /// What Mode::Auto chooses for a Content-Type value: text/event-stream → Sse;
    /// application/x-ndjson, application/json-seq, application/jsonl, application/x-jsonlines →
    /// Ndjson; anything else (or nothing) → Lines.
    static Mode modeForContentType(QByteArrayView contentType);

private:
    void startRequest();
    void teardownReply();
    void handleMetaData();
    void handleReadyRead();
    void handleFinished();
    void handleSslErrors(const QList<QSslError> &errors);
    void decode(QByteArrayView chunk, QList<StreamEvent> &batch);
    void finishBody(QList<StreamEvent> &batch);
    void appendLine(const QByteArray &text, bool tooLong, qsizetype length, QList<StreamEvent> &batch);
    void markOpen();
    void stopByServer(const QString &reason);
    void fail(const TransportError &error);
    void drop(const QString &reason);
    QString gapDetail() const;
    const QLoggingCategory &log() const;

    const Mode m_mode;
    Mode m_effectiveMode;
    std::shared_ptr<NetworkPool> m_pool;
    QNetworkAccessManager *m_manager = nullptr;
    QUrl m_poolUrl;
    QNetworkReply *m_reply = nullptr;
    QTimer m_retryTimer;
    Backoff m_backoff;
    std::unique_ptr<SseParser> m_sse;
    std::unique_ptr<LineFramer> m_framer;
    std::unique_ptr<JsonValidator> m_json;
    bool m_headersDone = false;  ///< current reply: status and type checked
    bool m_connectionOpen = false; ///< current reply reached Open
    bool m_everOpened = false;
    bool m_isReconnect = false;  ///< the next request is a reconnect (sends Last-Event-ID)
    bool m_hadDrop = false;      ///< the next Open starts with a Gap event
    bool m_warnedInsecure = false;
    quint64 m_connectionEvents = 0; ///< Data/Error events decoded from the current connection
    QElapsedTimer m_openClock;      ///< started when the current connection reached Open
    QString m_dropReason;
    QString m_sslErrors;
};
