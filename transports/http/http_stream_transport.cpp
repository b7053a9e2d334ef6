#include "http_stream_transport.h"

#include "redaction.h"

#include "http/http_headers.h"
#include "http/json_validator.h"
#include "http/line_framer.h"
#include "http/network_pool.h"
#include "sse/sse_parser.h"
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

constexpr int MaxRedirects = 10;

bool isFollowedRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

QString sizeText(qsizetype bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    return QStringLiteral("%1-byte").arg(bytes);
}

} // namespace

HttpStreamTransport::HttpStreamTransport(Mode mode, QObject *parent)
    : Transport(parent)
    , m_mode(mode)
    , m_effectiveMode(mode)
    , m_sse(std::make_unique<SseParser>())
    , m_framer(std::make_unique<LineFramer>(TransportConfig::DefaultMaxLineBytes))
    , m_json(std::make_unique<JsonValidator>())
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &HttpStreamTransport::startRequest);
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
    return m_sse->lastEventId();
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
    m_retryTimer.stop();
    beginOpen(config);
    const qsizetype maxLine = config.maxLineBytes > 0 ? config.maxLineBytes
                                                      : TransportConfig::DefaultMaxLineBytes;
    m_sse = std::make_unique<SseParser>(maxLine);
    m_framer = std::make_unique<LineFramer>(maxLine);
    m_effectiveMode = m_mode;
    m_backoff.setPolicy(config.backoff);
    m_backoff.reset();
    m_everOpened = false;
    m_isReconnect = false;
    m_hadDrop = false;
    m_dropReason.clear();
    setProtocolInfo(QString());
    setState(State::Connecting);
    if (config.insecureTls && !m_warnedInsecure) {
        m_warnedInsecure = true;
        qCWarning(lcHttp) << "TLS certificate verification is OFF for" << sourceId();
    }
    if (!config.url.isValid() || config.url.scheme().isEmpty()) {
        fail(TransportError{TransportError::Kind::Config,
                            QStringLiteral("invalid URL: %1").arg(redactedUrl(config.url)), false, 0});
        return;
    }
    startRequest();
}

void HttpStreamTransport::close()
{
    m_retryTimer.stop();
    teardownReply();
    if (state() != State::Closed && state() != State::Idle)
        setState(State::Closed);
}

void HttpStreamTransport::reconnectNow()
{
    if (state() == State::Reconnecting) {
        m_retryTimer.stop();
        startRequest();
    } else if (state() == State::Open || state() == State::Connecting) {
        if (m_connectionOpen) {
            m_backoff.connectionEnded(m_connectionEvents, m_openClock.elapsed());
            m_hadDrop = true;
            m_isReconnect = true;
            m_dropReason = QStringLiteral("reconnect requested");
            teardownReply();
            setState(State::Reconnecting);
        }
        startRequest();
    }
}

void HttpStreamTransport::startRequest()
{
    teardownReply();
    const TransportConfig &cfg = config();
    m_headersDone = false;
    m_connectionOpen = false;
    m_connectionEvents = 0;
    m_sslErrors.clear();
    m_sse->reset();
    m_framer->reset();

    QNetworkRequest request(cfg.url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(MaxRedirects);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(0);

    switch (m_effectiveMode) {
    case Mode::Sse:
        request.setRawHeader("Accept", "text/event-stream");
        request.setRawHeader("Accept-Encoding", "identity");
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
    if (cfg.body && !request.hasRawHeader("Content-Type"))
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          cfg.body->trimmed().startsWith('{') || cfg.body->trimmed().startsWith('[')
                              ? QByteArrayLiteral("application/json")
                              : QByteArrayLiteral("text/plain; charset=utf-8"));
    for (const auto &header : cfg.headers)
        request.setRawHeader(header.first, header.second);
    if (m_effectiveMode == Mode::Sse && m_isReconnect && !m_sse->lastEventId().isEmpty())
        request.setRawHeader("Last-Event-ID", m_sse->lastEventId());

    if (!m_pool)
        m_pool = NetworkPool::forCurrentThread();
    m_poolUrl = cfg.url;
    m_manager = m_pool->acquire(m_poolUrl);
    qCDebug(lcHttp).noquote() << (cfg.body ? "POST" : "GET") << redactedUrl(cfg.url)
                              << HttpHeaders::forLog(cfg.headers);
    m_reply = cfg.body ? m_manager->post(request, *cfg.body) : m_manager->get(request);
    m_reply->setReadBufferSize(ReadBufferBytes);
    if (cfg.insecureTls)
        m_reply->ignoreSslErrors();

    connect(m_reply, &QNetworkReply::metaDataChanged, this, &HttpStreamTransport::handleMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpStreamTransport::handleReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpStreamTransport::handleFinished);
    connect(m_reply, &QNetworkReply::sslErrors, this, &HttpStreamTransport::handleSslErrors);
    connect(m_reply, &QNetworkReply::redirected, this, [this](const QUrl &url) {
        qCDebug(lcHttp).noquote() << sourceId() << "redirected to" << redactedUrl(url);
    });
}

void HttpStreamTransport::teardownReply()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        disconnect(reply, nullptr, this, nullptr);
        // A reply that already carries an error (4xx/5xx) must not be aborted again (Qt warns
        // "this method must only be called once"); deleting it closes its connection.
        if (!reply->isFinished() && reply->error() == QNetworkReply::NoError)
            reply->abort();
        reply->deleteLater();
    }
    if (m_manager) {
        if (m_pool)
            m_pool->release(m_manager, m_poolUrl);
        m_manager = nullptr;
    }
    m_connectionOpen = false;
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
    if (isFollowedRedirect(status) && !reply->isFinished())
        return; // QNetworkAccessManager follows it; the final response comes next
    m_headersDone = true;

    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QByteArray contentType = reply->rawHeader("Content-Type");
    if (m_effectiveMode == Mode::Auto && status >= 200 && status < 300 && status != 204) {
        m_effectiveMode = modeForContentType(contentType);
        qCDebug(lcHttp).noquote() << sourceId() << "Content-Type" << contentType << "chooses"
                                  << QMetaEnum::fromType<Mode>().valueToKey(int(m_effectiveMode));
    }

    if (status == 204) {
        stopByServer(QStringLiteral("HTTP 204 No Content: the server asked not to reconnect"));
        return;
    }
    const bool sse = m_effectiveMode == Mode::Sse;
    const bool statusOk = sse ? status == 200 : (status >= 200 && status < 300 && status != 205);
    if (!statusOk) {
        const QString text = reason.isEmpty() ? QStringLiteral("HTTP %1").arg(status)
                                              : QStringLiteral("HTTP %1 %2").arg(status).arg(reason);
        fail(TransportError{TransportError::Kind::HttpStatus, text, false, status});
        return;
    }
    if (sse) {
        const QByteArray essence = HttpHeaders::mimeEssence(contentType);
        if (essence != "text/event-stream") {
            const QString got = contentType.trimmed().isEmpty()
                ? QStringLiteral("got no Content-Type")
                : QStringLiteral("got %1").arg(QString::fromUtf8(Utf8::sanitized(contentType.trimmed())));
            fail(TransportError{TransportError::Kind::ContentType,
                                QStringLiteral("expected text/event-stream, ") + got, false, status});
            return;
        }
    }
    markOpen();
}

void HttpStreamTransport::markOpen()
{
    m_connectionOpen = true;
    m_everOpened = true;
    m_connectionEvents = 0;
    m_openClock.start(); // the attempt count is reset only when this connection proves healthy
    clearLastError();
    const bool http2 = m_reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
    setProtocolInfo(http2 ? QStringLiteral("HTTP/2") : QStringLiteral("HTTP/1.1"));
    setState(State::Open);
    if (m_hadDrop && state() == State::Open) {
        m_hadDrop = false;
        QList<StreamEvent> batch{makeEvent(StreamEvent::Kind::Gap, QByteArrayLiteral("gap"),
                                           m_effectiveMode == Mode::Sse ? m_sse->lastEventId()
                                                                        : QByteArray(),
                                           {}, gapDetail())};
        deliver(batch);
    }
}

QString HttpStreamTransport::gapDetail() const
{
    QString detail = QStringLiteral("reconnected after: %1").arg(m_dropReason);
    if (m_effectiveMode == Mode::Sse && !m_sse->lastEventId().isEmpty())
        detail += QStringLiteral("; resumed from id %1").arg(QString::fromUtf8(m_sse->lastEventId()));
    return detail;
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
    if (!m_connectionOpen) {
        reply->readAll(); // body of a redirect or of a response that is being refused
        return;
    }
    const QByteArray chunk = reply->readAll();
    if (chunk.isEmpty())
        return;
    QList<StreamEvent> batch;
    decode(chunk, batch);
    m_connectionEvents += quint64(batch.size());
    deliver(batch);
}

void HttpStreamTransport::decode(QByteArrayView chunk, QList<StreamEvent> &batch)
{
    switch (m_effectiveMode) {
    case Mode::Sse: {
        QList<SseEvent> events;
        m_sse->feed(chunk, events);
        batch.reserve(batch.size() + events.size());
        for (SseEvent &event : events) {
            if (event.error.isEmpty())
                batch.append(makeEvent(StreamEvent::Kind::Data, std::move(event.type),
                                       std::move(event.lastEventId), Utf8::sanitized(event.data)));
            else
                batch.append(makeEvent(StreamEvent::Kind::Error, QByteArrayLiteral("error"),
                                       std::move(event.lastEventId), Utf8::sanitized(event.data),
                                       event.error));
        }
        break;
    }
    case Mode::Lines:
    case Mode::Ndjson:
    case Mode::Auto: {
        QList<FramedLine> lines;
        m_framer->feed(chunk, lines);
        batch.reserve(batch.size() + lines.size());
        for (const FramedLine &line : lines)
            appendLine(line.text, line.tooLong, line.length, batch);
        break;
    }
    }
}

void HttpStreamTransport::appendLine(const QByteArray &text, bool tooLong, qsizetype length,
                                     QList<StreamEvent> &batch)
{
    const bool ndjson = m_effectiveMode == Mode::Ndjson;
    if (tooLong) {
        batch.append(makeEvent(StreamEvent::Kind::Error, QByteArrayLiteral("error"), {},
                               Utf8::sanitized(text),
                               QStringLiteral("line of %1 bytes exceeds the %2 limit; line dropped")
                                   .arg(length).arg(sizeText(config().maxLineBytes))));
        return;
    }
    if (!ndjson) {
        batch.append(makeEvent(StreamEvent::Kind::Data, QByteArrayLiteral("line"), {},
                               Utf8::sanitized(text)));
        return;
    }
    if (JsonValidator::isBlank(text))
        return;
    if (const std::optional<QString> problem = m_json->check(text)) {
        batch.append(makeEvent(StreamEvent::Kind::Error, QByteArrayLiteral("error"), {},
                               Utf8::sanitized(text), *problem));
        return;
    }
    batch.append(makeEvent(StreamEvent::Kind::Data, QByteArrayLiteral("json"), {}, Utf8::sanitized(text)));
}

void HttpStreamTransport::finishBody(QList<StreamEvent> &batch)
{
    if (m_effectiveMode == Mode::Sse) {
        m_sse->finish();
        return;
    }
    QList<FramedLine> lines;
    m_framer->finish(lines);
    for (const FramedLine &line : lines)
        appendLine(line.text, line.tooLong, line.length, batch);
}

void HttpStreamTransport::handleFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    const QNetworkReply::NetworkError error = reply->error();
    if (!m_headersDone && error == QNetworkReply::NoError)
        handleMetaData();
    if (m_reply != reply)
        return;
    if (m_connectionOpen && reply->bytesAvailable() > 0) {
        handleReadyRead();
        if (m_reply != reply)
            return;
    }

    if (error == QNetworkReply::NoError) {
        if (m_connectionOpen) {
            QList<StreamEvent> batch;
            finishBody(batch);
            m_connectionEvents += quint64(batch.size());
            deliver(batch);
            if (m_reply != reply)
                return;
            drop(QStringLiteral("server closed the stream"));
        } else if (!m_headersDone) {
            drop(QStringLiteral("no HTTP response"));
        }
        return;
    }

    const QString errorText = reply->errorString();
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
    if (error == QNetworkReply::TooManyRedirectsError || error == QNetworkReply::InsecureRedirectError) {
        fail(TransportError{TransportError::Kind::Protocol, errorText, false, 0});
        return;
    }
    if (error == QNetworkReply::ProtocolUnknownError || error == QNetworkReply::ProtocolInvalidOperationError) {
        fail(TransportError{TransportError::Kind::Config, errorText, false, 0});
        return;
    }
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
    m_sslErrors = texts.join(QStringLiteral("; "));
}

const QLoggingCategory &HttpStreamTransport::log() const
{
    return m_effectiveMode == Mode::Sse ? lcSse() : lcHttp();
}

void HttpStreamTransport::stopByServer(const QString &reason)
{
    qCInfo(log()).noquote() << sourceId() << reason;
    m_retryTimer.stop();
    teardownReply();
    markStopped(reason);
    setState(State::Closed);
}

void HttpStreamTransport::fail(const TransportError &error)
{
    qCWarning(log()).noquote() << sourceId() << error.message;
    m_retryTimer.stop();
    teardownReply();
    reportError(error);
    setState(State::Closed);
}

void HttpStreamTransport::drop(const QString &reason)
{
    const bool wasOpen = m_connectionOpen;
    if (wasOpen)
        m_backoff.connectionEnded(m_connectionEvents, m_openClock.elapsed());
    teardownReply();
    if (!config().reconnect) {
        fail(TransportError{TransportError::Kind::Network, reason, false, 0});
        return;
    }
    qCInfo(log()).noquote() << sourceId() << reason;
    m_isReconnect = true;
    if (wasOpen || m_everOpened)
        m_hadDrop = true;
    m_dropReason = reason;
    reportError(TransportError{TransportError::Kind::Network, reason, true, 0});
    if (state() == State::Closed)
        return; // closed from a slot connected to errorOccurred
    const std::optional<qint64> serverRetry =
        m_effectiveMode == Mode::Sse ? m_sse->retryMs() : std::nullopt;
    const int attempt = m_backoff.attempt() + 1;
    const int delay = m_backoff.next(serverRetry);
    setState(State::Reconnecting);
    setNextRetryAt(QDateTime::currentMSecsSinceEpoch() + delay);
    Q_EMIT reconnectScheduled(delay, attempt, reason);
    if (state() == State::Reconnecting)
        m_retryTimer.start(delay);
}
