#include "http_stream_transport.h"

#include "redaction.h"

#include "http/body_decoder.h"
#include "http/http_headers.h"
#include "http/network_pool.h"
#include "text/printable.h"
#include "text/utf8.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>

Q_LOGGING_CATEGORY(lcSse, "dash.transport.sse")
Q_LOGGING_CATEGORY(lcHttp, "dash.transport.http")

namespace {

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

BodyDecoder::Format formatFor(HttpStreamTransport::Mode mode)
{
    switch (mode) {
    case HttpStreamTransport::Mode::Sse: return BodyDecoder::Format::Sse;
    case HttpStreamTransport::Mode::Ndjson: return BodyDecoder::Format::Ndjson;
    case HttpStreamTransport::Mode::Lines:
    case HttpStreamTransport::Mode::Auto: break;
    }
    return BodyDecoder::Format::Lines;
}

/// Media types that are documents, not streams: Auto refuses them instead of re-fetching the
/// same page after every end of body.
bool isDocumentType(const QByteArray &essence)
{
    return essence == "text/html" || essence == "application/xhtml+xml" || essence.startsWith("image/")
           || essence == "application/pdf" || essence.startsWith("video/") || essence.startsWith("audio/");
}

QString wire(const QByteArray &bytes)
{
    return Printable::fromWire(bytes.trimmed());
}

} // namespace

HttpStreamTransport::HttpStreamTransport(Mode mode, QObject *parent)
    : Transport(parent)
    , m_mode(mode)
    , m_effectiveMode(mode)
    , m_decoder(std::make_unique<BodyDecoder>(formatFor(mode)))
{
    m_refusalTimer.setSingleShot(true);
    connect(&m_refusalTimer, &QTimer::timeout, this, &HttpStreamTransport::completeRefusal);
}

HttpStreamTransport::~HttpStreamTransport()
{
    teardownReply();
}

void HttpStreamTransport::setNetworkPool(std::shared_ptr<NetworkPool> pool)
{
    teardownReply();
    m_pool = std::move(pool);
}

QByteArray HttpStreamTransport::lastEventId() const
{
    return m_decoder->lastEventId();
}

QString HttpStreamTransport::effectiveTransportId() const
{
    switch (m_effectiveMode) {
    case Mode::Sse: return QStringLiteral("sse");
    case Mode::Lines: return QStringLiteral("lines");
    case Mode::Ndjson: return QStringLiteral("ndjson");
    case Mode::Auto: break;
    }
    return QStringLiteral("http");
}

HttpStreamTransport::Mode HttpStreamTransport::modeForContentType(QByteArrayView contentType)
{
    const QByteArray essence = HttpHeaders::mimeEssence(contentType);
    if (essence == "text/event-stream")
        return Mode::Sse;
    if (essence == "application/x-ndjson" || essence == "application/json-seq"
        || essence == "application/jsonl" || essence == "application/x-jsonlines")
        return Mode::Ndjson;
    return Mode::Lines;
}

void HttpStreamTransport::open(const TransportConfig &config)
{
    teardownReply();
    beginOpen(config);
    m_effectiveMode = m_mode;
    m_decoder = std::make_unique<BodyDecoder>(formatFor(m_mode), config.maxLineBytes);
    setState(State::Connecting);
    if (config.insecureTls && config.url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0
        && !m_warnedInsecure) {
        m_warnedInsecure = true;
        qCWarning(lcHttp) << "TLS certificate verification is OFF for" << sourceId();
    }
    const QString scheme = config.url.scheme().toLower();
    if (!config.url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        fail(TransportError{TransportError::Kind::Config,
                            QStringLiteral("invalid URL: %1 (expected http:// or https://)")
                                .arg(redactedUrl(config.url)),
                            false, 0});
        return;
    }
    startConnection();
}

void HttpStreamTransport::close()
{
    stopTimers();
    m_refusalTimer.stop();
    m_refusal.reset();
    teardownReply();
    if (state() != State::Closed && state() != State::Idle)
        setState(State::Closed);
}

void HttpStreamTransport::abortConnection()
{
    teardownReply();
}

void HttpStreamTransport::startConnection()
{
    teardownReply();
    const TransportConfig &cfg = config();
    m_currentUrl = cfg.url;
    m_hopHeaders = cfg.headers;
    m_hopBody = cfg.body;
    m_redirects = 0;
    m_decoder->reset();
    startConnectTimer();
    sendRequest();
}

void HttpStreamTransport::sendRequest()
{
    teardownReply();
    const TransportConfig &cfg = config();
    m_headersDone = false;
    m_connectionOpen = false;
    m_interimStatus = 0;
    m_refusal.reset();
    m_refusalTimer.stop();
    m_sslErrors.clear();

    QNetworkRequest request(m_currentUrl);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    // Redirects are followed here (followRedirect), so credentials can be dropped across origins.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(0);
    request.setRawHeader("User-Agent", userAgent());

    switch (m_effectiveMode) {
    case Mode::Sse:
        request.setRawHeader("Accept", "text/event-stream");
        break;
    case Mode::Ndjson:
        request.setRawHeader("Accept", "application/x-ndjson, application/jsonl;q=0.9, "
                                       "text/plain;q=0.8, */*;q=0.1");
        break;
    case Mode::Lines:
        request.setRawHeader("Accept", "text/plain, application/x-ndjson;q=0.9, */*;q=0.1");
        break;
    case Mode::Auto:
        request.setRawHeader("Accept", "text/event-stream, application/x-ndjson, "
                                       "text/plain;q=0.9, */*;q=0.1");
        break;
    }
    request.setRawHeader("Cache-Control", "no-cache");
    if (m_hopBody && !request.hasRawHeader("Content-Type"))
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          m_hopBody->trimmed().startsWith('{') || m_hopBody->trimmed().startsWith('[')
                              ? QByteArrayLiteral("application/json")
                              : QByteArrayLiteral("text/plain; charset=utf-8"));
    for (const auto &header : m_hopHeaders)
        request.setRawHeader(header.first, header.second);
    // Set by us, last, whatever the user's headers say: when Accept-Encoding is absent or empty,
    // Qt 6.4 advertises zstd, br, gzip and deflate and decodes the body itself, and its brotli
    // decoder dereferences a freed state when more data follows the end of a brotli stream (a
    // crash on roughly one random body in 28; tst_compressed_bodies). Its decoders also report
    // failures as an empty "Decompression failed: " and can leave a reply silently open. A
    // server that compresses anyway is refused with a clear error (handleMetaData).
    request.setRawHeader("Accept-Encoding", "identity");
    if (m_effectiveMode == Mode::Sse && isReconnectAttempt() && !m_decoder->lastEventId().isEmpty())
        request.setRawHeader("Last-Event-ID", m_decoder->lastEventId());

    if (!m_pool)
        m_pool = NetworkPool::forCurrentThread();
    m_poolUrl = m_currentUrl;
    m_manager = m_pool->acquire(m_poolUrl);
    qCDebug(lcHttp).noquote() << (m_hopBody ? "POST" : "GET") << redactedUrl(m_currentUrl)
                              << HttpHeaders::forLog(m_hopHeaders, cfg.secretHeaders);
    m_reply = m_hopBody ? m_manager->post(request, *m_hopBody) : m_manager->get(request);
    m_reply->setReadBufferSize(ReadBufferBytes);
    if (cfg.insecureTls)
        m_reply->ignoreSslErrors();

    connect(m_reply, &QNetworkReply::metaDataChanged, this, &HttpStreamTransport::handleMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpStreamTransport::handleReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpStreamTransport::handleFinished);
    connect(m_reply, &QNetworkReply::sslErrors, this, &HttpStreamTransport::handleSslErrors);
}

void HttpStreamTransport::teardownReply()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        disconnect(reply, nullptr, this, nullptr);
        // Never abort(): for a 4xx/5xx Qt has already queued its own error report when
        // metaDataChanged reaches us, and abort() would report a second one ("QNetworkReplyImpl
        // Private::error: Internal problem, this method must only be called once", printed on
        // every refused response). Deleting the reply cancels the request without an error
        // report, and drops the events Qt still had queued for it.
        reply->deleteLater();
    }
    if (m_manager) {
        if (m_pool)
            m_pool->release(m_manager, m_poolUrl);
        m_manager = nullptr;
    }
    m_connectionOpen = false;
}

bool HttpStreamTransport::followRedirect(int status)
{
    const QByteArray location = m_reply->rawHeader("Location");
    if (location.trimmed().isEmpty()) {
        fail(TransportError{TransportError::Kind::Protocol,
                            QStringLiteral("HTTP %1 redirect without a Location header").arg(status),
                            false, status});
        return false;
    }
    const QUrl target = m_currentUrl.resolved(QUrl::fromEncoded(location.trimmed()));
    const QString scheme = target.scheme().toLower();
    if (!target.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        fail(TransportError{TransportError::Kind::Protocol,
                            QStringLiteral("HTTP %1 redirect to an unusable location: %2")
                                .arg(status)
                                .arg(wire(location)),
                            false, status});
        return false;
    }
    if (m_currentUrl.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0
        && scheme == QLatin1String("http")) {
        fail(TransportError{TransportError::Kind::Protocol,
                            QStringLiteral("refused a redirect from https to plain http: %1")
                                .arg(Printable::escaped(redactedUrl(target))),
                            false, status});
        return false;
    }
    if (++m_redirects > MaxRedirects) {
        fail(TransportError{TransportError::Kind::Protocol,
                            QStringLiteral("more than %1 redirects (last to %2)")
                                .arg(MaxRedirects)
                                .arg(Printable::escaped(redactedUrl(target))),
                            false, status});
        return false;
    }
    if (!HttpHeaders::sameOrigin(config().url, target)) {
        // Once a hop leaves the original origin, credentials stay behind for good (Fetch
        // standard "CORS-unsafe request-header names" / curl --location without --location-trusted).
        m_hopHeaders = HttpHeaders::withoutCredentials(m_hopHeaders, config().secretHeaders);
    }
    if (status == 303 || ((status == 301 || status == 302) && m_hopBody))
        m_hopBody.reset();
    qCDebug(lcHttp).noquote() << sourceId() << "HTTP" << status << "redirect to"
                              << Printable::escaped(redactedUrl(target));
    m_currentUrl = target;
    sendRequest();
    return true;
}

void HttpStreamTransport::handleMetaData()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_headersDone)
        return;
    const QVariant statusValue = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusValue.isValid())
        return;
    const int status = statusValue.toInt();
    if (status >= 100 && status < 200 && status != 101) {
        // Interim response: the final one follows. Qt 6.4 skips 100 Continue itself; it reports
        // 102 and 103 as if they were final and then finishes the reply (handleFinished).
        m_interimStatus = status;
        return;
    }
    if (isRedirect(status)) {
        m_headersDone = true;
        followRedirect(status);
        return;
    }
    m_headersDone = true;
    stopConnectTimer();

    const QString reason = Printable::escaped(
        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    const QByteArray contentType = reply->rawHeader("Content-Type");
    const QByteArray essence = HttpHeaders::mimeEssence(contentType);
    const bool success = status >= 200 && status < 300;
    if (m_effectiveMode == Mode::Auto && success && status != 204) {
        if (isDocumentType(essence)) {
            refuse(TransportError{TransportError::Kind::ContentType,
                                QStringLiteral("expected a stream (text/event-stream, NDJSON or text "
                                               "lines), got %1: this URL serves a document")
                                    .arg(wire(contentType)),
                                false, status});
            return;
        }
        m_effectiveMode = modeForContentType(contentType);
        m_decoder->configure(formatFor(m_effectiveMode), config().maxLineBytes);
        qCDebug(lcHttp).noquote() << sourceId() << "Content-Type" << wire(contentType) << "chooses"
                                  << QMetaEnum::fromType<Mode>().valueToKey(int(m_effectiveMode));
    }

    if (status == 204) {
        stopByServer(QStringLiteral("HTTP 204 No Content: the server asked not to reconnect"));
        return;
    }
    const bool sse = m_effectiveMode == Mode::Sse;
    const bool statusOk = sse ? status == 200 : (success && status != 205);
    if (!statusOk) {
        const QString text = reason.isEmpty() ? QStringLiteral("HTTP %1").arg(status)
                                              : QStringLiteral("HTTP %1 %2").arg(status).arg(reason);
        refuse(TransportError{TransportError::Kind::HttpStatus, text, false, status});
        return;
    }
    if (sse && essence != "text/event-stream") {
        const QString got = contentType.trimmed().isEmpty() ? QStringLiteral("got no Content-Type")
                                                            : QStringLiteral("got ") + wire(contentType);
        refuse(TransportError{TransportError::Kind::ContentType,
                            QStringLiteral("expected text/event-stream, ") + got, false, status});
        return;
    }
    const QByteArray encoding = reply->rawHeader("Content-Encoding").trimmed().toLower();
    if (!encoding.isEmpty() && encoding != "identity") {
        fail(TransportError{TransportError::Kind::ContentType,
                            QStringLiteral("the server compressed the stream (Content-Encoding: %1) "
                                           "although the request asked for identity; a compressed "
                                           "live stream cannot be read")
                                .arg(wire(encoding)),
                            false, status});
        return;
    }
    markOpen();
}

void HttpStreamTransport::markOpen()
{
    m_connectionOpen = true;
    connectionOpened();
    clearLastError();
    const bool http2 = m_reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
    setProtocolInfo(http2 ? QStringLiteral("HTTP/2") : QStringLiteral("HTTP/1.1"));
    setState(State::Open);
    if (state() != State::Open)
        return;
    const bool sse = m_effectiveMode == Mode::Sse;
    const QByteArray id = sse ? m_decoder->lastEventId() : QByteArray();
    if (std::optional<StreamEvent> gap = takeGapEvent(
            id, sse && !id.isEmpty() ? QStringLiteral("resumed from id %1").arg(QString::fromUtf8(id))
                                     : QString())) {
        QList<StreamEvent> batch{*gap};
        deliver(batch);
    }
}

void HttpStreamTransport::handleReadyRead()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    if (!m_headersDone)
        handleMetaData();
    if (m_reply != reply)
        return;
    if (m_refusal) {
        collectRefusedBody();
        return;
    }
    if (!m_connectionOpen) {
        reply->readAll(); // body of a redirect or an interim response
        return;
    }
    const QByteArray chunk = reply->readAll();
    if (chunk.isEmpty())
        return;
    noteActivity();
    decodeChunk(chunk);
}

void HttpStreamTransport::decodeChunk(QByteArrayView chunk)
{
    QList<StreamEvent> batch;
    const BodyDecoder::Context context{sourceId(), QDateTime::currentMSecsSinceEpoch(), sequenceCounter()};
    m_decoder->feed(chunk, context, batch);
    deliver(batch);
}

void HttpStreamTransport::handleFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    const QNetworkReply::NetworkError error = reply->error();
    if (!m_headersDone)
        handleMetaData();
    if (m_reply != reply)
        return;
    if (m_connectionOpen && reply->bytesAvailable() > 0) {
        handleReadyRead();
        if (m_reply != reply)
            return;
    }

    if (m_refusal) { // the refused response's body is complete
        collectRefusedBody();
        if (m_refusal)
            completeRefusal();
        return;
    }
    if (error == QNetworkReply::NoError) {
        if (m_connectionOpen) {
            QList<StreamEvent> batch;
            const BodyDecoder::Context context{sourceId(), QDateTime::currentMSecsSinceEpoch(),
                                               sequenceCounter()};
            m_decoder->finish(context, batch);
            deliver(batch);
            if (m_reply != reply)
                return;
            drop(QStringLiteral("server closed the stream"));
        } else if (!m_headersDone && m_interimStatus) {
            drop(QStringLiteral("the server sent the interim response HTTP %1 and Qt 6.4 ends the "
                                "request there instead of waiting for the final response")
                     .arg(m_interimStatus));
        } else if (!m_headersDone) {
            drop(QStringLiteral("no HTTP response"));
        }
        return;
    }

    const QString errorText = Printable::escaped(reply->errorString());
    if (error == QNetworkReply::OperationCanceledError) {
        teardownReply();
        return;
    }
    if (error == QNetworkReply::SslHandshakeFailedError || !m_sslErrors.isEmpty()) {
        fail(TransportError{TransportError::Kind::Tls,
                            QStringLiteral("TLS handshake failed: %1")
                                .arg(m_sslErrors.isEmpty() ? errorText : m_sslErrors),
                            false, 0});
        return;
    }
    if (error == QNetworkReply::ProtocolUnknownError || error == QNetworkReply::ProtocolInvalidOperationError) {
        fail(TransportError{TransportError::Kind::Config, errorText, false, 0});
        return;
    }
    if (m_refusal) {
        collectRefusedBody();
        if (m_refusal)
            completeRefusal();
        return;
    }
    if (m_headersDone && !m_connectionOpen)
        return;
    if (m_connectionOpen) {
        drop(QStringLiteral("connection lost mid-body: %1").arg(errorText));
        return;
    }
    if (error == QNetworkReply::ConnectionRefusedError)
        drop(QStringLiteral("connection refused"));
    else if (error == QNetworkReply::RemoteHostClosedError)
        drop(QStringLiteral("server closed the connection before responding"));
    else
        drop(errorText);
}

void HttpStreamTransport::handleSslErrors(const QList<QSslError> &errors)
{
    if (config().insecureTls) {
        if (m_reply)
            m_reply->ignoreSslErrors();
        return;
    }
    QStringList texts;
    for (const QSslError &error : errors)
        texts.append(error.errorString());
    m_sslErrors = Printable::escaped(texts.join(QStringLiteral("; ")));
}

const QLoggingCategory &HttpStreamTransport::log() const
{
    return m_effectiveMode == Mode::Sse ? lcSse() : lcHttp();
}

void HttpStreamTransport::stopByServer(const QString &reason)
{
    qCInfo(log()).noquote() << sourceId() << reason;
    stopTimers();
    teardownReply();
    markStopped(reason);
    setState(State::Closed);
}

void HttpStreamTransport::refuse(const TransportError &error)
{
    // Keep the response for the user to look at: its headers now, and its body (an error page,
    // a JSON problem report) as far as it arrives within RefusalBodyWaitMs and BodyExcerptBytes.
    m_refusal = error;
    m_refusal->responseHeaders.clear();
    for (const auto &header : m_reply->rawHeaderPairs())
        m_refusal->responseHeaders.append({header.first, HttpHeaders::isSensitive(header.first)
                                                             ? QByteArrayLiteral("<redacted>")
                                                             : header.second});
    m_refusalBody.clear();
    stopConnectTimer();
    m_refusalTimer.start(RefusalBodyWaitMs);
    collectRefusedBody();
}

void HttpStreamTransport::collectRefusedBody()
{
    if (!m_reply || !m_refusal)
        return;
    const qsizetype room = TransportError::BodyExcerptBytes + 4 - m_refusalBody.size();
    if (room > 0)
        m_refusalBody += m_reply->read(room);
    m_reply->readAll(); // anything beyond the excerpt is not kept
    if (m_refusalBody.size() > TransportError::BodyExcerptBytes)
        completeRefusal();
}

void HttpStreamTransport::completeRefusal()
{
    if (!m_refusal)
        return;
    m_refusalTimer.stop();
    TransportError error = *m_refusal;
    m_refusal.reset();
    QByteArrayView body(m_refusalBody);
    if (body.size() > TransportError::BodyExcerptBytes) {
        body = body.first(TransportError::BodyExcerptBytes);
        body.chop(Utf8::incompleteTail(body));
    }
    error.responseBody = Utf8::sanitized(body);
    m_refusalBody.clear();
    fail(error);
}

void HttpStreamTransport::fail(const TransportError &error)
{
    qCWarning(log()).noquote() << sourceId() << Printable::escaped(error.message);
    stopTimers();
    teardownReply();
    reportError(error);
    setState(State::Closed);
}

void HttpStreamTransport::drop(const QString &reason)
{
    teardownReply();
    std::optional<qint64> serverRetry;
    if (m_effectiveMode == Mode::Sse)
        serverRetry = m_decoder->retryMs();
    scheduleReconnect(reason, serverRetry);
}
