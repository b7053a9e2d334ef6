#include "pod_log_set.h"

#include "k8s_client.h"
#include "k8s_error.h"

#include <QTimer>

#include <algorithm>

PodLogSet::PodLogSet(K8sClient *client, const PodLogSetOptions &options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(options)
    , m_merger(options.windowMs, options.maxBufferedLines)
    , m_releaseTimer(new QTimer(this))
{
    m_clock.start();
    m_releaseTimer->setSingleShot(true);
    m_releaseTimer->setTimerType(Qt::PreciseTimer);
    connect(m_releaseTimer, &QTimer::timeout, this, &PodLogSet::releaseReady);
}

PodLogSet::~PodLogSet()
{
    for (Container &c : m_containers) {
        if (c.stream)
            c.stream->stop();
    }
}

bool PodLogSet::wanted(const ContainerStatusInfo &container) const
{
    if (container.init && !m_options.includeInitContainers)
        return false;
    if (m_options.containerFilter.pattern().isEmpty())
        return true;
    return m_options.containerFilter.match(container.name).hasMatch();
}

void PodLogSet::applyPod(const QByteArray &podJson)
{
    const auto pod = PodStatusInfo::parse(podJson);
    if (!pod)
        return;
    for (const ContainerStatusInfo &container : pod->containers) {
        if (wanted(container))
            applyContainer(*pod, container);
    }
}

void PodLogSet::applyContainer(const PodStatusInfo &pod, const ContainerStatusInfo &container)
{
    const QString key = pod.namespaceName + QLatin1Char('/') + pod.name + QLatin1Char('/') + container.name;
    Container &entry = m_containers[key];
    if (!entry.stream) {
        if (container.hasLogs()) {
            startStream(pod, container, false);
        } else if (container.state == ContainerStatusInfo::State::Waiting
                   || container.state == ContainerStatusInfo::State::Unknown) {
            const QString reason = container.reason.isEmpty() ? QStringLiteral("pending") : container.reason;
            if (reason != entry.waitingReason) {
                entry.waitingReason = reason;
                Q_EMIT statusChanged(key, QStringLiteral("waiting: %1 is not started (%2)").arg(key, reason));
            }
        }
        return;
    }
    // A stream that ended (its instance terminated) gets a successor when the container restarts.
    const bool ended = entry.stream->state() == ContainerLogStream::State::Ended;
    if (ended && container.hasLogs() && container.restartCount > entry.stream->restartCount()) {
        entry.stream->deleteLater();
        entry.stream = nullptr;
        startStream(pod, container, true);
    }
}

void PodLogSet::startStream(const PodStatusInfo &pod, const ContainerStatusInfo &container, bool fromStart)
{
    const QString key = pod.namespaceName + QLatin1Char('/') + pod.name + QLatin1Char('/') + container.name;
    ContainerLogOptions options;
    options.container = container.name;
    options.restartCount = container.restartCount;
    options.follow = true;
    if (!fromStart) {
        options.tailLines = m_options.tailLines;
        options.sinceSeconds = m_options.sinceSeconds;
    }
    auto *stream = new ContainerLogStream(m_client, pod.namespaceName, pod.name, options, this);
    m_containers[key].stream = stream;
    m_containers[key].waitingReason.clear();
    connect(stream, &ContainerLogStream::lines, this,
            [this, key](const QList<KubeLogLine> &batch) { handleLines(key, batch); });
    connect(stream, &ContainerLogStream::stateChanged, this, [this, key](ContainerLogStream::State state) {
        switch (state) {
        case ContainerLogStream::State::Following:
            // Once per stream: later Following states are resumes, reported by resumed().
            if (auto it = m_containers.constFind(key); it != m_containers.cend() && it->stream
                                                        && it->stream->resumeCount() == 0)
                Q_EMIT statusChanged(key, QStringLiteral("following %1").arg(key));
            break;
        case ContainerLogStream::State::Waiting:
            Q_EMIT statusChanged(key, QStringLiteral("waiting: %1 is not started").arg(key));
            break;
        case ContainerLogStream::State::Ended:
            Q_EMIT statusChanged(key, QStringLiteral("ended %1").arg(key));
            break;
        default:
            break;
        }
    });
    connect(stream, &ContainerLogStream::resumed, this,
            [this, key](const QString &reason, int lost, int duplicates) {
                Q_EMIT statusChanged(key, QStringLiteral("resumed %1 after %2: %3 lost, %4 duplicates skipped")
                                              .arg(key, reason).arg(lost).arg(duplicates));
            });
    connect(stream, &ContainerLogStream::errorOccurred, this, [this, key](const K8sError &error) {
        Q_EMIT statusChanged(key, QStringLiteral("%1: %2").arg(key, error.message));
    });
    stream->start();
}

void PodLogSet::removePod(const QString &podKey)
{
    const QString prefix = podKey + QLatin1Char('/');
    for (auto it = m_containers.begin(); it != m_containers.end();) {
        if (it.key().startsWith(prefix)) {
            if (it->stream) {
                it->stream->stop();
                it->stream->deleteLater();
            }
            it = m_containers.erase(it);
        } else {
            ++it;
        }
    }
    Q_EMIT statusChanged(podKey, QStringLiteral("pod %1 deleted").arg(podKey));
}

void PodLogSet::applyChanges(const QList<WatchChange> &batch)
{
    for (const WatchChange &change : batch) {
        if (change.kind == WatchChange::Kind::Deleted)
            removePod(QString::fromUtf8(change.object.key()));
        else
            applyPod(change.object.object);
    }
}

void PodLogSet::stop()
{
    for (Container &c : m_containers) {
        if (c.stream)
            c.stream->stop();
    }
    m_releaseTimer->stop();
    QList<MergedLogLine> out;
    m_merger.flushAll(out);
    if (!out.isEmpty())
        Q_EMIT lines(out);
}

QStringList PodLogSet::streamKeys() const
{
    QStringList keys;
    for (auto it = m_containers.cbegin(); it != m_containers.cend(); ++it) {
        if (it->stream)
            keys.append(it.key());
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

void PodLogSet::handleLines(const QString &key, const QList<KubeLogLine> &batch)
{
    const qint64 now = m_clock.elapsed();
    bool untimestamped = false;
    for (const KubeLogLine &line : batch) {
        untimestamped = untimestamped || !line.hasTimestamp;
        m_merger.push(key, line.timestamp, line.text, now);
    }
    if (untimestamped) {
        auto it = m_containers.find(key);
        if (it != m_containers.end() && !it->untimestampedReported) {
            it->untimestampedReported = true;
            Q_EMIT statusChanged(key, QStringLiteral("%1: lines without a timestamp (kept in place)").arg(key));
        }
    }
    releaseReady();
}

void PodLogSet::releaseReady()
{
    QList<MergedLogLine> out;
    m_merger.takeReady(m_clock.elapsed(), out);
    if (!out.isEmpty())
        Q_EMIT lines(out);
    scheduleRelease();
}

void PodLogSet::scheduleRelease()
{
    const qint64 due = m_merger.nextDueMs();
    if (due < 0) {
        m_releaseTimer->stop();
        return;
    }
    m_releaseTimer->start(int(std::clamp<qint64>(due - m_clock.elapsed(), 0, m_options.windowMs + 1)));
}
