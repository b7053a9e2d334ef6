#pragma once

#include "transport.h"

#include <QByteArrayView>
#include <QList>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <optional>

class BodyDecoder;
class NetworkPool;
class QLoggingCategory;
class QNetworkAccessManager;
class QNetworkReply;
class QSslError;

/// A long-lived HTTP response body cut into events: Server-Sent Events, text lines or NDJSON.
/// One class for every HTTP flavour: request building, response checks, redirects, reconnects,
/// resume and connection pooling are shared; the body is decoded by BodyDecoder.
///
/// Threading: lives on the thread that created it; all signals are emitted there. Takes its
/// QNetworkAccessManager from the thread's NetworkPool (at most 4 long-lived streams per manager
/// and host:port, so Qt's 6-connections-per-host queue never starves a stream).
///
/// Request: GET, or POST with config.body; config.headers are added after the mode's defaults
/// (so they can override them). Every request sends `User-Agent: livedash/<version>`,
/// `Cache-Control: no-cache` and `Accept-Encoding: identity` (Qt would otherwise decompress
/// with limits a stream cannot live with; a server that compresses anyway fails with a clear
/// error). SSE sends `Accept: text/event-stream` and `Last-Event-ID` on reconnects when the
/// stored id is non-empty. HTTP/2 is allowed; there is no transfer timeout (silence is normal).
/// TLS is verified unless config.insecureTls.
///
/// Redirects (301/302/303/307/308, at most 10) are followed by this class, not by Qt, so that
/// credentials never cross origins: once a hop leaves the original origin (scheme, host, port),
/// Authorization, Proxy-Authorization, Cookie, token/API-key headers and config.secretHeaders
/// are no longer sent. 303 (and 301/302 after a POST) continue with GET. A redirect from https
/// to http is refused.
///
/// A refused response is reported with its headers and the start of its body
/// (TransportError::responseHeaders/responseBody), collected for at most RefusalBodyWaitMs.
///
/// Response (protocols.md 1.2): interim 1xx responses are skipped where Qt allows it: Qt 6.4
/// skips 100 Continue but ends the reply at 102 Processing and 103 Early Hints (the final
/// response that follows is lost inside Qt), so those are retried with backoff and a reason
/// that says so, never failed for good. SSE opens only on 200 + MIME
/// essence text/event-stream; lines and NDJSON open on any 2xx except 204/205. 204 → Closed
/// without failure (stopReason()); any other refusal → errorOccurred(retryable=false) + Closed
/// ("HTTP 404 Not Found", "expected text/event-stream, got text/html"). Mode::Auto picks SSE,
/// NDJSON or lines from the first 2xx response's Content-Type and keeps that choice; an HTML
/// document fails ("expected a stream ..., got text/html"). All peer text in messages is
/// escaped (Printable).
///
/// Body: every readyRead is read completely and produces at most one eventsReceived batch.
///
/// Drops: the end of the body after Open, a network error, the connect timeout
/// (config.connectTimeoutMs until the response headers) or the idle timeout
/// (config.idleTimeoutMs) give errorOccurred(retryable=true), stateChanged(Reconnecting),
/// reconnectScheduled(delay, attempt, reason), then a new request after Backoff's delay (the SSE
/// `retry:` value is the base; see backoff.h for why short-lived connections keep backing off).
/// The first batch after a re-open starts with a Gap event.
///
/// TLS errors are terminal: errorOccurred(Tls, retryable=false) naming the problem, then Closed.
class HttpStreamTransport : public Transport
{
    Q_OBJECT
public:
    enum class Mode { Sse, Lines, Ndjson, Auto };
    Q_ENUM(Mode)

    static constexpr qint64 ReadBufferBytes = 1024 * 1024;
    static constexpr int MaxRedirects = 10;
    /// How long a refused response's body is awaited for the error report.
    static constexpr int RefusalBodyWaitMs = 1000;

    explicit HttpStreamTransport(Mode mode, QObject *parent = nullptr);
    ~HttpStreamTransport() override;

    /// Called by the owner; emits stateChanged(Connecting) and sends the request. A second call
    /// restarts from scratch (no Last-Event-ID, Auto decides again).
    void open(const TransportConfig &config) override;
    /// Idempotent: aborts the reply with its signals disconnected first, cancels the timers,
    /// emits stateChanged(Closed) once; nothing else is emitted afterwards (C8).
    void close() override;
    QString effectiveTransportId() const override;

    Mode mode() const { return m_mode; }
    /// The mode in use: mode(), or for Auto what the Content-Type chose (Auto until decided).
    Mode effectiveMode() const { return m_effectiveMode; }
    /// SSE: the id a reconnect sends as Last-Event-ID.
    QByteArray lastEventId() const;
    /// The URL the current (or last) response came from, after redirects.
    QUrl currentUrl() const { return m_currentUrl; }

    /// Test hooks: a private pool instead of the thread's shared one; the backoff random source.
    void setNetworkPool(std::shared_ptr<NetworkPool> pool);
    void setRandomSource(Backoff::RandomSource random) { backoff().setRandomSource(std::move(random)); }

    /// What Mode::Auto chooses for a Content-Type value: text/event-stream → Sse;
    /// application/x-ndjson, application/json-seq, application/jsonl, application/x-jsonlines →
    /// Ndjson; anything else (or nothing) → Lines.
    static Mode modeForContentType(QByteArrayView contentType);

protected:
    void startConnection() override;
    void abortConnection() override;

private:
    void sendRequest();
    void teardownReply();
    void handleMetaData();
    void handleReadyRead();
    void handleFinished();
    void handleSslErrors(const QList<QSslError> &errors);
    bool followRedirect(int status);
    void decodeChunk(QByteArrayView chunk);
    void markOpen();
    void stopByServer(const QString &reason);
    void refuse(const TransportError &error);
    void collectRefusedBody();
    void completeRefusal();
    void fail(const TransportError &error);
    void drop(const QString &reason);
    const QLoggingCategory &log() const;

    const Mode m_mode;
    Mode m_effectiveMode;
    std::shared_ptr<NetworkPool> m_pool;
    QNetworkAccessManager *m_manager = nullptr;
    QUrl m_poolUrl;
    QNetworkReply *m_reply = nullptr;
    std::unique_ptr<BodyDecoder> m_decoder;
    // The request of the current hop (changes along redirects, reset by startConnection()).
    QUrl m_currentUrl;
    QList<QPair<QByteArray, QByteArray>> m_hopHeaders;
    std::optional<QByteArray> m_hopBody;
    int m_redirects = 0;
    int m_interimStatus = 0;       ///< a 1xx seen on the current reply
    bool m_headersDone = false;    ///< current reply: final status and type checked
    bool m_connectionOpen = false; ///< current reply reached Open
    bool m_warnedInsecure = false;
    QString m_sslErrors;
    std::optional<TransportError> m_refusal; ///< a refused response whose body is being collected
    QByteArray m_refusalBody;
    QTimer m_refusalTimer;
};
