// FakeCluster: the object store, the watch history and the initial content.

#include "fake_cluster.h"

#include "fake_objects.h"

#include <QDateTime>

namespace {

constexpr qint64 Minute = 60'000;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

/// A Deployment and the one ReplicaSet that owns its pods.
struct Workload
{
    const char *ns;
    const char *name;
    const char *hash;
    const char *image;
    int replicas;
};

constexpr Workload Workloads[] = {
    {"default", "web", "5d8f7c9b6d", "ghcr.io/livedash/web:1.4.2", 3},
    {"shop", "checkout", "7f9c6b8d4b", "ghcr.io/livedash/checkout:2.0.1", 1},
};

QMap<QString, QString> appLabels(const QString &app)
{
    return {{QStringLiteral("app"), app}};
}

FakeContainer container(const QString &name, const QString &image, double rate, FakeLogStyle style, qint64 startedMs)
{
    FakeContainer c;
    c.name = name;
    c.image = image;
    c.state = FakeContainer::State::Running;
    c.startedMs = startedMs;
    c.linesPerSecond = rate;
    c.style = style;
    return c;
}

} // namespace

QString FakeCluster::storeKey(const QJsonObject &object) const
{
    const QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    const QString ns = meta.value(QLatin1String("namespace")).toString();
    const QString name = meta.value(QLatin1String("name")).toString();
    return ns.isEmpty() ? name : ns + QLatin1Char('/') + name;
}

void FakeCluster::publish(const QString &resource, QByteArray type, QJsonObject object)
{
    ++m_rv;
    QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    meta.insert(QStringLiteral("resourceVersion"), QString::number(m_rv));
    object.insert(QStringLiteral("metadata"), meta);
    const QString key = storeKey(object);
    if (type == "DELETED")
        m_store[resource].remove(key);
    else
        m_store[resource].insert(key, object);
    m_history.push_back({m_rv, resource, type, object});
    while (qsizetype(m_history.size()) > m_historyLimit) {
        m_compactedRv = m_history.front().rv;
        m_history.pop_front();
    }
    notifyWatches(m_history.back());
}

void FakeCluster::publishPod(const FakePod &pod, const QByteArray &type)
{
    publish(QStringLiteral("pods"), type, FakeObjects::podJson(pod));
    Q_EMIT podChanged(QString::fromLatin1(type), pod.ns, pod.name);
    updateWorkloads();
}

void FakeCluster::recordEvent(const FakePod &pod, const QString &type, const QString &reason, const QString &message,
                              qint64 timeMs)
{
    const QString name = pod.name + QLatin1Char('.') + QString::number(0x17d0000000LL + ++m_eventCounter, 16);
    const QJsonObject event = FakeObjects::eventJson(pod.ns, name, pod, type, reason, message,
                                                     timeMs > 0 ? timeMs : QDateTime::currentMSecsSinceEpoch());
    publish(QStringLiteral("events"), "ADDED", event);
    m_eventKeys.push_back(pod.ns + QLatin1Char('/') + name);
    while (qsizetype(m_eventKeys.size()) > MaxEvents) {
        const QJsonObject old = m_store.value(QStringLiteral("events")).value(m_eventKeys.front());
        m_eventKeys.pop_front();
        if (!old.isEmpty())
            publish(QStringLiteral("events"), "DELETED", old);
    }
}

void FakeCluster::updateWorkloads()
{
    for (const Workload &w : Workloads) {
        const QString ns = QString::fromLatin1(w.ns), name = QString::fromLatin1(w.name);
        const QString rsName = name + QLatin1Char('-') + QString::fromLatin1(w.hash);
        int ready = 0, current = 0;
        for (const FakePod &pod : std::as_const(m_pods)) {
            if (pod.ns != ns || pod.ownerName != rsName)
                continue;
            ++current;
            bool allRunning = pod.deletionMs == 0;
            for (const FakeContainer &c : pod.containers)
                allRunning = allRunning && c.state == FakeContainer::State::Running;
            ready += allRunning ? 1 : 0;
        }
        const QMap<QString, QString> labels{{QStringLiteral("app"), name}, {QStringLiteral("pod-template-hash"), QString::fromLatin1(w.hash)}};
        const QString key = ns + QLatin1Char('/') + name;
        const QJsonObject oldDeploy = m_store.value(QStringLiteral("deployments")).value(key);
        const qint64 createdMs = oldDeploy.isEmpty() ? m_startMs - 2 * Day
            : QDateTime::fromString(oldDeploy.value(QLatin1String("metadata")).toObject().value(QLatin1String("creationTimestamp")).toString(),
                                    Qt::ISODate).toMSecsSinceEpoch();
        const QJsonObject deploy = FakeObjects::deploymentJson(ns, name, w.replicas, ready, std::min(current, w.replicas),
                                                               appLabels(name), QString::fromLatin1(w.image), createdMs);
        if (oldDeploy.value(QLatin1String("status")) != deploy.value(QLatin1String("status")))
            publish(QStringLiteral("deployments"), oldDeploy.isEmpty() ? "ADDED" : "MODIFIED", deploy);
        const QJsonObject oldRs = m_store.value(QStringLiteral("replicasets")).value(ns + QLatin1Char('/') + rsName);
        const QJsonObject rs = FakeObjects::replicaSetJson(ns, rsName, name, w.replicas, ready, labels,
                                                           QString::fromLatin1(w.image), createdMs);
        if (oldRs.value(QLatin1String("status")) != rs.value(QLatin1String("status")))
            publish(QStringLiteral("replicasets"), oldRs.isEmpty() ? "ADDED" : "MODIFIED", rs);
    }
    const FakePod *db = findPod(QStringLiteral("db-0"), QStringLiteral("default"));
    int dbReady = 0;
    if (db) {
        dbReady = 1;
        for (const FakeContainer &c : db->containers)
            dbReady = dbReady && c.state == FakeContainer::State::Running ? 1 : 0;
    }
    const QString stsKey = QStringLiteral("default/db");
    const QJsonObject oldSts = m_store.value(QStringLiteral("statefulsets")).value(stsKey);
    const QJsonObject sts = FakeObjects::statefulSetJson(QStringLiteral("default"), QStringLiteral("db"), 1, dbReady, m_startMs - Day);
    if (oldSts.value(QLatin1String("status")) != sts.value(QLatin1String("status")))
        publish(QStringLiteral("statefulsets"), oldSts.isEmpty() ? "ADDED" : "MODIFIED", sts);
}

FakePod *FakeCluster::findPod(const QString &name, const QString &ns)
{
    if (!ns.isEmpty()) {
        const auto it = m_pods.find(ns + QLatin1Char('/') + name);
        return it == m_pods.end() ? nullptr : &it.value();
    }
    for (FakePod &pod : m_pods) {
        if (pod.name == name)
            return &pod;
    }
    return nullptr;
}

QString FakeCluster::newPodSuffix()
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    QString suffix;
    for (int i = 0; i < 5; ++i)
        suffix += QLatin1Char(alphabet[m_random.bounded(int(sizeof(alphabet) - 1))]);
    return suffix;
}

FakePod FakeCluster::makeWebPod(bool running)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    FakePod pod;
    pod.ns = QStringLiteral("default");
    pod.name = m_webRs + QLatin1Char('-') + newPodSuffix();
    pod.uid = QStringLiteral("uid-pod-") + pod.name;
    pod.labels = {{QStringLiteral("app"), QStringLiteral("web")}, {QStringLiteral("pod-template-hash"), QStringLiteral("5d8f7c9b6d")}};
    pod.ownerKind = QStringLiteral("ReplicaSet");
    pod.ownerName = m_webRs;
    pod.createdMs = now;
    pod.podIp = QStringLiteral("10.244.0.") + QString::number(m_ipCounter++ % 250 + 2);
    FakeContainer main = container(QStringLiteral("main"), QStringLiteral("ghcr.io/livedash/web:1.4.2"), 5, FakeLogStyle::Json, now);
    if (!running) {
        pod.phase = QStringLiteral("Pending");
        pod.nodeName.clear();
        pod.podIp.clear();
        main.state = FakeContainer::State::Waiting; // no reason yet: kubectl shows "Pending"
        main.reason.clear();
        main.startedMs = 0;
    }
    pod.containers = {main};
    return pod;
}

void FakeCluster::seed()
{
    m_startMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 now = m_startMs;
    for (const char *ns : {"default", "shop", "kube-system", "bench"})
        publish(QStringLiteral("namespaces"), "ADDED", FakeObjects::namespaceJson(QString::fromLatin1(ns), now - 3 * Day));
    publish(QStringLiteral("nodes"), "ADDED", FakeObjects::nodeJson(QStringLiteral("demo-node"), now - 3 * Day));

    QList<FakePod> pods;
    for (int i = 0; i < 3; ++i) {
        FakePod pod = makeWebPod(true);
        pod.createdMs = now - (12 - 3 * i) * Minute;
        pod.containers[0].startedMs = pod.createdMs + 3000;
        pods.append(pod);
    }
    FakePod db;
    db.ns = QStringLiteral("default");
    db.name = QStringLiteral("db-0");
    db.uid = QStringLiteral("uid-pod-db-0");
    db.labels = {{QStringLiteral("app"), QStringLiteral("db")}, {QStringLiteral("statefulset.kubernetes.io/pod-name"), QStringLiteral("db-0")}};
    db.ownerKind = QStringLiteral("StatefulSet");
    db.ownerName = QStringLiteral("db");
    db.createdMs = now - Day;
    db.podIp = QStringLiteral("10.244.0.5");
    FakeContainer init = container(QStringLiteral("init-schema"), QStringLiteral("ghcr.io/livedash/db-migrate:3"), 0, FakeLogStyle::Text, db.createdMs + 2000);
    init.state = FakeContainer::State::Terminated;
    init.reason = QStringLiteral("Completed");
    init.finishedMs = db.createdMs + 5000;
    db.initContainers = {init};
    db.containers = {container(QStringLiteral("main"), QStringLiteral("postgres:16"), 2, FakeLogStyle::Text, db.createdMs + 6000),
                     container(QStringLiteral("metrics"), QStringLiteral("prometheuscommunity/postgres-exporter:0.15"), 1, FakeLogStyle::Text, db.createdMs + 6000)};
    pods.append(db);

    FakePod checkout;
    checkout.ns = QStringLiteral("shop");
    checkout.name = QStringLiteral("checkout-7f9c6b8d4b-") + newPodSuffix();
    checkout.uid = QStringLiteral("uid-pod-") + checkout.name;
    checkout.labels = {{QStringLiteral("app"), QStringLiteral("checkout")}, {QStringLiteral("pod-template-hash"), QStringLiteral("7f9c6b8d4b")}};
    checkout.ownerKind = QStringLiteral("ReplicaSet");
    checkout.ownerName = QStringLiteral("checkout-7f9c6b8d4b");
    checkout.createdMs = now - 5 * Hour;
    checkout.podIp = QStringLiteral("10.244.0.7");
    checkout.containers = {container(QStringLiteral("main"), QStringLiteral("ghcr.io/livedash/checkout:2.0.1"), 20, FakeLogStyle::Json, checkout.createdMs + 4000)};
    pods.append(checkout);

    FakePod bench;
    bench.ns = QStringLiteral("bench");
    bench.name = QStringLiteral("bench");
    bench.uid = QStringLiteral("uid-pod-bench");
    bench.labels = appLabels(QStringLiteral("bench"));
    bench.createdMs = now - Hour;
    bench.podIp = QStringLiteral("10.244.0.9");
    bench.containers = {container(QStringLiteral("bench"), QStringLiteral("bench:1"), 0, FakeLogStyle::Text, bench.createdMs)};
    pods.append(bench);

    for (const FakePod &pod : std::as_const(pods)) {
        m_pods.insert(pod.key(), pod);
        backfillLogs(pod, std::max(pod.createdMs, now - 30'000), now);
        publishPod(pod, "ADDED");
        recordEvent(pod, QStringLiteral("Normal"), QStringLiteral("Scheduled"),
                    QStringLiteral("Successfully assigned %1/%2 to demo-node").arg(pod.ns, pod.name), pod.createdMs);
        recordEvent(pod, QStringLiteral("Normal"), QStringLiteral("Started"), QStringLiteral("Started container ") + pod.containers.first().name,
                    pod.containers.first().startedMs);
    }

    const QMap<QString, QString> none;
    publish(QStringLiteral("services"), "ADDED", FakeObjects::serviceJson(QStringLiteral("default"), QStringLiteral("kubernetes"), QStringLiteral("10.96.0.1"), 443, none, now - 3 * Day));
    publish(QStringLiteral("services"), "ADDED", FakeObjects::serviceJson(QStringLiteral("default"), QStringLiteral("web"), QStringLiteral("10.96.0.20"), 80, appLabels(QStringLiteral("web")), now - 2 * Day));
    publish(QStringLiteral("services"), "ADDED", FakeObjects::serviceJson(QStringLiteral("default"), QStringLiteral("db"), QStringLiteral("10.96.0.30"), 5432, appLabels(QStringLiteral("db")), now - Day));
    publish(QStringLiteral("services"), "ADDED", FakeObjects::serviceJson(QStringLiteral("shop"), QStringLiteral("checkout"), QStringLiteral("10.96.0.40"), 8080, appLabels(QStringLiteral("checkout")), now - Day));
    publish(QStringLiteral("widgets"), "ADDED", FakeObjects::widgetJson(QStringLiteral("default"), QStringLiteral("alpha"), QStringLiteral("blue"), 3, now - Day));
    publish(QStringLiteral("widgets"), "ADDED", FakeObjects::widgetJson(QStringLiteral("default"), QStringLiteral("beta"), QStringLiteral("green"), 5, now - Hour));
    publish(QStringLiteral("widgets"), "ADDED", FakeObjects::widgetJson(QStringLiteral("shop"), QStringLiteral("gamma"), QStringLiteral("red"), 8, now - Hour));
}

bool FakeCluster::addPod(const QString &name, const QStringList &containers, const QMap<QString, QString> &labels, const QString &ns)
{
    ensureStarted();
    if (m_pods.contains(ns + QLatin1Char('/') + name) || containers.isEmpty())
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    FakePod pod;
    pod.ns = ns;
    pod.name = name;
    pod.uid = QStringLiteral("uid-pod-") + name;
    pod.labels = labels;
    pod.createdMs = now;
    pod.podIp = QStringLiteral("10.244.1.") + QString::number(m_ipCounter++ % 250 + 2);
    for (const QString &c : containers)
        pod.containers.append(container(c, QStringLiteral("ghcr.io/livedash/test:1"), 0, FakeLogStyle::Text, now));
    m_pods.insert(pod.key(), pod);
    publishPod(pod, "ADDED");
    return true;
}

bool FakeCluster::deletePod(const QString &name, const QString &ns)
{
    ensureStarted();
    FakePod *pod = findPod(name, ns);
    if (!pod)
        return false;
    const FakePod copy = *pod;
    m_pods.remove(copy.key());
    for (const QList<FakeContainer> *list : {&copy.containers, &copy.initContainers}) {
        for (const FakeContainer &c : *list)
            m_logs.remove(copy.key() + QLatin1Char('/') + c.name);
    }
    endFollows(copy.key());
    publishPod(copy, "DELETED");
    return true;
}

QStringList FakeCluster::podNames(const QString &ns) const
{
    ensureStarted();
    QStringList names;
    for (const FakePod &pod : m_pods) {
        if (ns.isEmpty() || pod.ns == ns)
            names.append(pod.name);
    }
    names.sort();
    return names;
}

bool FakeCluster::setLogRate(const QString &pod, const QString &containerName, double linesPerSecond, const QString &ns)
{
    ensureStarted();
    FakePod *p = findPod(pod, ns);
    FakeContainer *c = p ? p->container(containerName) : nullptr;
    if (!c)
        return false;
    c->linesPerSecond = std::max(0.0, linesPerSecond);
    return true;
}
