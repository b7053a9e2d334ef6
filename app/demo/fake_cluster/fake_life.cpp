// FakeCluster: the cluster's life (pod replacement by the deployment, container restarts).

#include "fake_cluster.h"

#include <QDateTime>
#include <QTimer>

void FakeCluster::replaceOnePod()
{
    // The oldest web pod that is not already terminating goes; a new one comes.
    FakePod *oldest = nullptr;
    for (FakePod &pod : m_pods) {
        if (pod.ownerName == m_webRs && pod.deletionMs == 0 && (!oldest || pod.createdMs < oldest->createdMs))
            oldest = &pod;
    }
    const int step = std::max(0, m_periods.transitionMs);
    if (oldest) {
        oldest->deletionMs = QDateTime::currentMSecsSinceEpoch();
        const FakePod terminating = *oldest;
        publishPod(terminating, "MODIFIED");
        recordEvent(terminating, QStringLiteral("Normal"), QStringLiteral("Killing"), QStringLiteral("Stopping container main"));
        const QString name = terminating.name, ns = terminating.ns;
        QTimer::singleShot(step, this, [this, name, ns] { deletePod(name, ns); });
    }
    FakePod fresh = makeWebPod(false);
    m_pods.insert(fresh.key(), fresh);
    publishPod(fresh, "ADDED");
    const QString key = fresh.key();
    QTimer::singleShot(step / 3, this, [this, key] {
        const auto it = m_pods.find(key);
        if (it == m_pods.end())
            return;
        it->nodeName = QStringLiteral("demo-node");
        it->podIp = QStringLiteral("10.244.0.") + QString::number(m_ipCounter++ % 250 + 2);
        it->containers[0].reason = QStringLiteral("ContainerCreating");
        const FakePod copy = *it;
        publishPod(copy, "MODIFIED");
        recordEvent(copy, QStringLiteral("Normal"), QStringLiteral("Scheduled"),
                    QStringLiteral("Successfully assigned %1/%2 to demo-node").arg(copy.ns, copy.name));
    });
    QTimer::singleShot(step, this, [this, key] { startPod(key); });
}

void FakeCluster::startPod(const QString &key)
{
    const auto it = m_pods.find(key);
    if (it == m_pods.end())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    it->phase = QStringLiteral("Running");
    if (it->nodeName.isEmpty())
        it->nodeName = QStringLiteral("demo-node");
    for (FakeContainer &c : it->containers) {
        c.state = FakeContainer::State::Running;
        c.reason.clear();
        c.startedMs = now;
    }
    const FakePod copy = *it;
    m_logs[key + QStringLiteral("/main")];
    publishPod(copy, "MODIFIED");
    recordEvent(copy, QStringLiteral("Normal"), QStringLiteral("Started"), QStringLiteral("Started container main"));
}

void FakeCluster::restartOneContainer()
{
    QList<QString> candidates;
    for (const FakePod &pod : std::as_const(m_pods)) {
        if (pod.deletionMs == 0 && pod.ns != QLatin1String("bench") && pod.phase == QLatin1String("Running"))
            candidates.append(pod.key());
    }
    if (candidates.isEmpty())
        return;
    FakePod &pod = m_pods[candidates[m_restartTurn++ % candidates.size()]];
    FakeContainer &container = pod.containers[m_restartTurn % pod.containers.size()];
    if (container.state == FakeContainer::State::Running)
        doRestart(pod, container);
}

bool FakeCluster::restartContainer(const QString &pod, const QString &container, const QString &ns)
{
    ensureStarted();
    FakePod *p = findPod(pod, ns);
    if (!p)
        return false;
    for (FakeContainer &c : p->containers) {
        if (c.name == container) {
            doRestart(*p, c);
            return true;
        }
    }
    return false;
}

void FakeCluster::doRestart(FakePod &pod, FakeContainer &container)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString logKey = pod.key() + QLatin1Char('/') + container.name;
    ContainerLog &log = m_logs[logKey];
    appendLine(pod, container, log, {std::max(now * 1'000'000, log.lastNs), QByteArrayLiteral("fatal: out of memory, exiting")});
    endFollows(pod.key(), container.name); // the kubelet ends a follow when its container exits
    log.previous = std::move(log.current);
    log.current.clear();
    log.hasPrevious = true;

    container.hasLastState = true;
    container.lastStartedMs = container.startedMs;
    container.lastFinishedMs = now;
    container.lastExitCode = 137;
    container.lastReason = QStringLiteral("OOMKilled");
    container.restartCount += 1;
    container.startedMs = now;
    container.state = FakeContainer::State::Running;
    const FakePod copy = pod;
    const QString name = container.name;
    publishPod(copy, "MODIFIED");
    recordEvent(copy, QStringLiteral("Warning"), QStringLiteral("BackOff"),
                QStringLiteral("Back-off restarting failed container %1 in pod %2").arg(name, copy.name));
    recordEvent(copy, QStringLiteral("Normal"), QStringLiteral("Started"), QStringLiteral("Started container ") + name);
}
