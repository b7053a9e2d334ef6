#include "container_log_stream.h"

#include "k8s_client.h"
#include "k8s_logging.h"
#include "pod_status.h"
#include "printable.h"

#include <QNetworkReply>
#include <QTimer>

#include <algorithm>

namespace {

constexpr qsizetype MaxErrorBody = 64 * 1024;

bool isWaitingToStart(const K8sError &error)
{
    const QString text = error.statusMessage + QLatin1Char(' ') + error.message;
    return text.contains(QLatin1String("is waiting to start"))
           || text.contains(QLatin1String("ContainerCreating"))
           || text.contains(QLatin1String("PodInitializing"));
}

int httpStatus(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

ContainerLogStream::ContainerLogStream(K8sClient *client, const QString &namespaceName,
                                       const QString &podName, const ContainerLogOptions &options,
                                       QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_namespace(namespaceName)
    , m_pod(podName)
    , m_options(options)
    , m_backoff(BackoffPolicy{1000, 30'000, 2.0, 0.2})
    , m_retryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &ContainerLogStream::connectLog);
    m_replayQuietTimer = new QTimer(this);
    m_replayQuietTimer->setSingleShot(true);
    m_replayQuietTimer->setInterval(ReplayQuietMs);
    connect(m_replayQuietTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Following)
            emitResumedIfDone(true);
    });
}

ContainerLogStream::~ContainerLogStream()
{
    stop();
}

std::optional<QString> ContainerLogStream::validate(const ContainerLogOptions &options)
{
    if (options.sinceSeconds && options.sinceTime)
        return QStringLiteral("sinceSeconds and sinceTime cannot be used together");
    if (options.sinceSeconds && *options.sinceSeconds < 1)
        return QStringLiteral("sinceSeconds must be at least 1");
    if (options.sinceTime && !KubeTimestamp::parse(options.sinceTime->toLatin1()))
        return QStringLiteral("sinceTime is not an RFC 3339 time: %1").arg(Printable::escaped(*options.sinceTime));
    if (options.tailLines && *options.tailLines < 0)
        return QStringLiteral("tailLines must not be negative");
    if (options.limitBytes && *options.limitBytes < 1)
        return QStringLiteral("limitBytes must be at least 1");
    return std::nullopt;
}

QUrlQuery ContainerLogStream::firstQuery(const ContainerLogOptions &options)
{
    QUrlQuery query;
    if (options.follow && !options.previous)
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
    if (!options.container.isEmpty())
        query.addQueryItem(QStringLiteral("container"), options.container);
    if (options.tailLines)
        query.addQueryItem(QStringLiteral("tailLines"), QString::number(*options.tailLines));
    if (options.sinceSeconds)
        query.addQueryItem(QStringLiteral("sinceSeconds"), QString::number(*options.sinceSeconds));
    if (options.sinceTime)
        query.addQueryItem(QStringLiteral("sinceTime"), *options.sinceTime);
    if (options.previous)
        query.addQueryItem(QStringLiteral("previous"), QStringLiteral("true"));
    if (options.limitBytes)
        query.addQueryItem(QStringLiteral("limitBytes"), QString::number(*options.limitBytes));
    return query;
}

QUrlQuery ContainerLogStream::currentQuery() const
{
    if (m_firstConnection && m_phase == Phase::Normal)
        return firstQuery(m_options);
    QUrlQuery query;
    const bool previous = m_phase == Phase::Previous || m_options.previous;
    if (m_options.follow && !previous)
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
    if (!m_options.container.isEmpty())
        query.addQueryItem(QStringLiteral("container"), m_options.container);
    if (m_phase != Phase::Fresh) {
        // Resume from the cursor; before any line, repeat the first request's start (nothing was
        // shown yet, so nothing can double). Never tailLines once a line was delivered.
        if (const auto since = m_cursor.sinceTime())
            query.addQueryItem(QStringLiteral("sinceTime"), *since);
        else if (m_options.sinceTime)
            query.addQueryItem(QStringLiteral("sinceTime"), *m_options.sinceTime);
        else if (m_options.sinceSeconds)
            query.addQueryItem(QStringLiteral("sinceSeconds"), QString::number(*m_options.sinceSeconds));
        else if (m_options.tailLines && m_phase == Phase::Normal)
            query.addQueryItem(QStringLiteral("tailLines"), QString::number(*m_options.tailLines));
    }
    if (previous)
        query.addQueryItem(QStringLiteral("previous"), QStringLiteral("true"));
    if (m_options.limitBytes)
        query.addQueryItem(QStringLiteral("limitBytes"),
                           QString::number(std::max<qint64>(1, *m_options.limitBytes - m_bytesThisInstance)));
    return query;
}

QString ContainerLogStream::logPath() const
{
    return podPath() + QStringLiteral("/log");
}

QString ContainerLogStream::podPath() const
{
    return QStringLiteral("/api/v1/namespaces/%1/pods/%2").arg(m_namespace, m_pod);
}

void ContainerLogStream::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

bool ContainerLogStream::start()
{
    if (const auto problem = validate(m_options)) {
        K8sError error;
        error.kind = K8sError::Kind::Config;
        error.retryable = false;
        error.message = QStringLiteral("log of %1/%2: %3").arg(m_namespace, m_pod, *problem);
        setState(State::Failed);
        Q_EMIT errorOccurred(error);
        return false;
    }
    if (!m_client) {
        setState(State::Failed);
        return false;
    }
    m_stopped = false;
    setState(State::Connecting);
    const bool needRestartCount = !m_options.restartCount && m_options.follow && !m_options.previous;
    if (!needRestartCount) {
        connectLog();
        return true;
    }
    // Learn the restart count first, so a restart during the follow can be recognised.
    m_client->get(podPath(), {}, QByteArrayLiteral("application/json"), false, this,
                  [this](QNetworkReply *reply, const std::optional<K8sError> &) {
                      if (!reply) {
                          connectLog();
                          return;
                      }
                      m_podReply = reply;
                      connect(reply, &QNetworkReply::finished, this, [this, reply] {
                          reply->deleteLater();
                          if (httpStatus(reply) == 200) {
                              const auto pod = PodStatusInfo::parse(reply->readAll());
                              const ContainerStatusInfo *c = pod ? pod->container(m_options.container) : nullptr;
                              if (c == nullptr && pod && pod->containers.size() == 1)
                                  c = &pod->containers.first();
                              if (c != nullptr)
                                  m_options.restartCount = c->restartCount;
                          }
                          connectLog();
                      });
                  });
    return true;
}

void ContainerLogStream::stop()
{
    m_stopped = true;
    m_retryTimer->stop();
    m_replayQuietTimer->stop();
    for (QPointer<QNetworkReply> *reply : {&m_reply, &m_podReply}) {
        if (*reply) {
            (*reply)->disconnect(this);
            (*reply)->abort();
            (*reply)->deleteLater();
        }
        *reply = nullptr;
    }
}

void ContainerLogStream::setContainerRunning(bool running)
{
    m_runningHint = running;
}

void ContainerLogStream::retryIn(int delayMs)
{
    m_lastDelayMs = delayMs;
    m_retryTimer->start(delayMs);
}

void ContainerLogStream::connectLog()
{
    if (m_stopped || !m_client)
        return;
    m_statusChecked = false;
    m_refused = false;
    m_errorBody.clear();
    m_newLinesThisConnection = 0;
    m_client->get(logPath(), currentQuery(), QByteArrayLiteral("text/plain, */*"), true, this,
                  [this](QNetworkReply *reply, const std::optional<K8sError> &error) {
                      if (m_stopped) {
                          if (reply)
                              reply->deleteLater();
                          return;
                      }
                      if (!reply) {
                          K8sError e = error.value_or(K8sError{});
                          if (e.retryable) {
                              Q_EMIT errorOccurred(e);
                              setState(State::Resuming);
                              retryIn(m_backoff.next(std::nullopt));
                          } else {
                              setState(State::Failed);
                              Q_EMIT errorOccurred(e);
                          }
                          return;
                      }
                      handleReply(reply);
                  });
}

void ContainerLogStream::handleReply(QNetworkReply *reply)
{
    m_reply = reply;
    reply->setReadBufferSize(1024 * 1024);
    connect(reply, &QNetworkReply::readyRead, this, &ContainerLogStream::handleReadyRead);
    // A follow of a quiet container sends its 200 and then nothing: "following" must not wait
    // for the first line.
    connect(reply, &QNetworkReply::metaDataChanged, this, &ContainerLogStream::handleReadyRead);
    connect(reply, &QNetworkReply::finished, this, &ContainerLogStream::handleFinished);
}

void ContainerLogStream::handleReadyRead()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    if (!m_statusChecked) {
        const int status = httpStatus(reply);
        if (status == 0)
            return; // no head yet
        m_statusChecked = true;
        m_refused = status != 200;
        if (!m_refused) {
            m_firstConnection = false;
            m_retriedUnauthorized = false;
            setState(State::Following);
            if (m_resumePending)
                m_replayQuietTimer->start();
        }
    }
    if (m_refused) {
        const QByteArray more = reply->read(MaxErrorBody - m_errorBody.size());
        m_errorBody += more;
        reply->readAll(); // beyond the cap: not needed for the message
        return;
    }
    const QByteArray bytes = reply->readAll();
    if (bytes.isEmpty())
        return;
    m_bytesThisInstance += bytes.size();
    QList<KubeLogLine> batch;
    m_cursor.feed(bytes, batch);
    if (!batch.isEmpty()) {
        m_newLinesThisConnection += batch.size();
        Q_EMIT lines(batch);
    }
    emitResumedIfDone(false);
    if (m_resumePending)
        m_replayQuietTimer->start();
}

void ContainerLogStream::handleFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    handleReadyRead();
    m_reply = nullptr;
    reply->deleteLater();
    if (m_stopped)
        return;
    const int status = httpStatus(reply);
    if (status != 0 && status != 200) {
        handleRefused(K8sClient::errorFor(reply, m_errorBody));
        return;
    }
    if (status == 0 && reply->error() != QNetworkReply::NoError) {
        const K8sError error = m_client ? m_client->networkErrorFor(reply) : K8sError{};
        if (!error.retryable) {
            setState(State::Failed);
            Q_EMIT errorOccurred(error);
            return;
        }
        handleStreamEnded(QStringLiteral("connection failed: %1").arg(error.message));
        return;
    }
    if (reply->error() != QNetworkReply::NoError)
        handleStreamEnded(QStringLiteral("connection lost: %1").arg(Printable::escaped(reply->errorString())));
    else
        handleStreamEnded(QStringLiteral("end of stream"));
}

void ContainerLogStream::handleRefused(const K8sError &error)
{
    switch (error.httpStatus) {
    case 400:
        if (isWaitingToStart(error)) {
            setState(State::Waiting);
            retryIn(m_backoff.next(std::nullopt));
            return;
        }
        break;
    case 401:
        if (!m_retriedUnauthorized && m_client) {
            m_retriedUnauthorized = true;
            m_client->credentialRejected();
            connectLog();
            return;
        }
        break;
    case 403:
        setState(State::Forbidden);
        Q_EMIT errorOccurred(error);
        return;
    case 404:
        if (m_phase == Phase::Previous) { // no previous instance log: go on with the new one
            m_phase = Phase::Fresh;
            m_cursor.startFresh();
            m_bytesThisInstance = 0;
            emitResumedIfDone(true);
            connectLog();
            return;
        }
        if (m_firstConnection)
            Q_EMIT errorOccurred(error);
        finishEnded();
        return;
    case 429:
        retryIn(std::max(error.retryAfterSeconds * 1000, Backoff::FloorMs));
        return;
    default:
        if (error.httpStatus >= 500) {
            Q_EMIT errorOccurred(error);
            resumeLater(QStringLiteral("server error %1").arg(error.httpStatus), m_backoff.next(std::nullopt));
            return;
        }
        break;
    }
    setState(State::Failed);
    Q_EMIT errorOccurred(error);
}

void ContainerLogStream::handleStreamEnded(const QString &reason)
{
    if (m_phase == Phase::Previous) {
        // The old instance's tail is complete: deliver its last (partial) line, then follow the
        // new instance from its start.
        QList<KubeLogLine> batch;
        m_cursor.finish(batch);
        if (!batch.isEmpty())
            Q_EMIT lines(batch);
        emitResumedIfDone(true);
        m_phase = Phase::Fresh;
        m_cursor.startFresh();
        m_bytesThisInstance = 0;
        connectLog();
        return;
    }
    const bool limitReached = m_options.limitBytes && m_bytesThisInstance >= *m_options.limitBytes;
    if (!m_options.follow || m_options.previous || limitReached
        || (m_runningHint && !*m_runningHint)) {
        finishEnded();
        return;
    }
    if (m_runningHint && *m_runningHint) {
        const bool progressed = m_newLinesThisConnection > 0;
        if (progressed)
            m_backoff.reset();
        resumeLater(reason, progressed ? Backoff::FloorMs : m_backoff.next(std::nullopt));
        return;
    }
    checkPodThenContinue(reason);
}

void ContainerLogStream::checkPodThenContinue(const QString &reason)
{
    if (!m_client)
        return;
    const bool progressed = m_newLinesThisConnection > 0;
    m_client->get(podPath(), {}, QByteArrayLiteral("application/json"), false, this,
                  [this, reason, progressed](QNetworkReply *reply, const std::optional<K8sError> &) {
                      if (m_stopped) {
                          if (reply)
                              reply->deleteLater();
                          return;
                      }
                      if (!reply) {
                          resumeLater(reason, m_backoff.next(std::nullopt));
                          return;
                      }
                      m_podReply = reply;
                      connect(reply, &QNetworkReply::finished, this, [this, reply, reason, progressed] {
                          reply->deleteLater();
                          m_podReply = nullptr;
                          const int status = httpStatus(reply);
                          if (status == 404) {
                              finishEnded();
                              return;
                          }
                          if (status == 200) {
                              if (progressed)
                                  m_backoff.reset();
                              continueAfterPod(reply->readAll(), reason);
                              return;
                          }
                          // The pod cannot be read (RBAC, network): assume it still runs.
                          resumeLater(reason, progressed ? Backoff::FloorMs : m_backoff.next(std::nullopt));
                      });
                  });
}

void ContainerLogStream::continueAfterPod(const QByteArray &podJson, const QString &reason)
{
    const auto pod = PodStatusInfo::parse(podJson);
    const ContainerStatusInfo *c = pod ? pod->container(m_options.container) : nullptr;
    if (c == nullptr && pod && m_options.container.isEmpty() && pod->containers.size() == 1)
        c = &pod->containers.first();
    if (c == nullptr) {
        finishEnded();
        return;
    }
    const bool restarted = m_options.restartCount && c->restartCount > *m_options.restartCount;
    if (restarted) {
        // protocols.md 3 step 4: the rest of the old instance (previous=true, since the cursor),
        // then the new instance from its start.
        m_options.restartCount = c->restartCount;
        m_phase = Phase::Previous;
        m_cursor.resume();
        m_resumePending = true;
        m_resumeReason = QStringLiteral("container restarted");
        ++m_resumes;
        setState(State::Resuming);
        connectLog();
        return;
    }
    if (!m_options.restartCount)
        m_options.restartCount = c->restartCount;
    if (c->state == ContainerStatusInfo::State::Running) {
        resumeLater(reason, m_newLinesThisConnection > 0 ? Backoff::FloorMs : m_backoff.next(std::nullopt));
        return;
    }
    finishEnded();
}

void ContainerLogStream::resumeLater(const QString &reason, int delayMs)
{
    m_cursor.resume();
    if (!m_resumePending) {
        m_resumePending = true;
        m_resumeReason = reason;
        ++m_resumes;
    }
    setState(State::Resuming);
    retryIn(delayMs);
}

void ContainerLogStream::finishEnded()
{
    QList<KubeLogLine> batch;
    m_cursor.finish(batch);
    if (!batch.isEmpty())
        Q_EMIT lines(batch);
    emitResumedIfDone(true);
    setState(State::Ended);
}

void ContainerLogStream::emitResumedIfDone(bool force)
{
    if (!m_resumePending)
        return;
    const LogResumeReport report = m_cursor.report();
    if (!report.complete && !force)
        return;
    m_resumePending = false;
    m_replayQuietTimer->stop();
    qCInfo(lcK8s) << "log of" << m_namespace << m_pod << m_options.container << "resumed after"
                  << m_resumeReason << report.describe();
    Q_EMIT resumed(m_resumeReason, report.lost, report.duplicatesSkipped);
}
