#include "fake_objects.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

const FakeContainer *FakePod::container(const QString &containerName) const
{
    for (const FakeContainer &c : containers) {
        if (c.name == containerName)
            return &c;
    }
    for (const FakeContainer &c : initContainers) {
        if (c.name == containerName)
            return &c;
    }
    return nullptr;
}

FakeContainer *FakePod::container(const QString &containerName)
{
    return const_cast<FakeContainer *>(std::as_const(*this).container(containerName));
}

namespace {

QJsonObject labelsJson(const QMap<QString, QString> &labels)
{
    QJsonObject out;
    for (auto it = labels.constBegin(); it != labels.constEnd(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QJsonObject containerStatus(const FakeContainer &c, const QString &podName)
{
    QJsonObject state;
    if (c.state == FakeContainer::State::Waiting) {
        QJsonObject waiting;
        if (!c.reason.isEmpty())
            waiting.insert(QStringLiteral("reason"), c.reason);
        state.insert(QStringLiteral("waiting"), waiting);
    } else if (c.state == FakeContainer::State::Running) {
        state.insert(QStringLiteral("running"), QJsonObject{{QStringLiteral("startedAt"), FakeObjects::rfc3339(c.startedMs)}});
    } else {
        state.insert(QStringLiteral("terminated"),
                     QJsonObject{{QStringLiteral("exitCode"), c.exitCode},
                                 {QStringLiteral("reason"), c.reason},
                                 {QStringLiteral("startedAt"), FakeObjects::rfc3339(c.startedMs)},
                                 {QStringLiteral("finishedAt"), FakeObjects::rfc3339(c.finishedMs)}});
    }
    QJsonObject lastState;
    if (c.hasLastState) {
        lastState.insert(QStringLiteral("terminated"),
                         QJsonObject{{QStringLiteral("exitCode"), c.lastExitCode},
                                     {QStringLiteral("reason"), c.lastReason},
                                     {QStringLiteral("startedAt"), FakeObjects::rfc3339(c.lastStartedMs)},
                                     {QStringLiteral("finishedAt"), FakeObjects::rfc3339(c.lastFinishedMs)}});
    }
    const bool ready = c.state == FakeContainer::State::Running;
    QJsonObject out{{QStringLiteral("name"), c.name},
                    {QStringLiteral("image"), c.image},
                    {QStringLiteral("imageID"), QString()},
                    {QStringLiteral("ready"), ready},
                    {QStringLiteral("started"), ready},
                    {QStringLiteral("restartCount"), c.restartCount},
                    {QStringLiteral("state"), state},
                    {QStringLiteral("lastState"), lastState}};
    if (c.state != FakeContainer::State::Waiting)
        out.insert(QStringLiteral("containerID"), QString(QStringLiteral("containerd://") + podName + QLatin1Char('-') + c.name
                                                              + QLatin1Char('-') + QString::number(c.restartCount)));
    return out;
}

QJsonArray containerSpecs(const QList<FakeContainer> &containers)
{
    // The first container serves HTTP on 8080 (the fake cluster's port-forward target, see
    // fake_pod_service.h); services name it as their targetPort.
    QJsonArray out;
    for (const FakeContainer &c : containers) {
        QJsonObject spec{{QStringLiteral("name"), c.name}, {QStringLiteral("image"), c.image}};
        if (out.isEmpty())
            spec.insert(QStringLiteral("ports"),
                        QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("http")},
                                               {QStringLiteral("containerPort"), 8080},
                                               {QStringLiteral("protocol"), QStringLiteral("TCP")}}});
        out.append(spec);
    }
    return out;
}

QJsonObject condition(const QString &type, bool value, qint64 timeMs)
{
    return {{QStringLiteral("type"), type},
            {QStringLiteral("status"), value ? QStringLiteral("True") : QStringLiteral("False")},
            {QStringLiteral("lastTransitionTime"), FakeObjects::rfc3339(timeMs)}};
}

QJsonObject servicePort(int port, bool toPods)
{
    QJsonObject out{{QStringLiteral("port"), port}, {QStringLiteral("protocol"), QStringLiteral("TCP")}};
    if (toPods)
        out.insert(QStringLiteral("targetPort"), QStringLiteral("http"));
    return out;
}

} // namespace

namespace FakeObjects {

QString rfc3339(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss'Z'"));
}

QByteArray rfc3339Nanos(qint64 epochNs)
{
    const qint64 seconds = epochNs / 1'000'000'000;
    const qint64 nanos = epochNs % 1'000'000'000;
    const QString head = QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    return head.toLatin1() + '.' + QByteArray::number(nanos).rightJustified(9, '0') + 'Z';
}

bool parseRfc3339Seconds(const QString &text, qint64 *epochSeconds)
{
    if (text.size() < 20 || text.at(10).toUpper() != QLatin1Char('T'))
        return false;
    QDateTime base = QDateTime::fromString(text.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (!base.isValid())
        return false;
    base.setTimeZone(QTimeZone::utc());
    qsizetype pos = 19;
    if (text.at(pos) == QLatin1Char('.')) {
        ++pos;
        const qsizetype digits = pos;
        while (pos < text.size() && text.at(pos).isDigit())
            ++pos;
        if (pos == digits)
            return false;
    }
    const QString zone = text.mid(pos);
    qint64 offset = 0;
    if (zone.compare(QLatin1String("Z"), Qt::CaseInsensitive) != 0) {
        if (zone.size() != 6 || (zone[0] != QLatin1Char('+') && zone[0] != QLatin1Char('-')) || zone[3] != QLatin1Char(':'))
            return false;
        bool okH = false, okM = false;
        offset = (zone.mid(1, 2).toInt(&okH) * 60 + zone.mid(4, 2).toInt(&okM)) * 60;
        if (!okH || !okM)
            return false;
        if (zone[0] == QLatin1Char('-'))
            offset = -offset;
    }
    *epochSeconds = base.toSecsSinceEpoch() - offset;
    return true;
}

QString humanAge(qint64 ageMs)
{
    const qint64 s = std::max<qint64>(0, ageMs / 1000);
    if (s < 120)
        return QString::number(s) + QLatin1Char('s');
    const qint64 m = s / 60;
    if (m < 10)
        return QStringLiteral("%1m%2s").arg(m).arg(s % 60);
    if (m < 180)
        return QString::number(m) + QLatin1Char('m');
    const qint64 h = m / 60;
    if (h < 8)
        return QStringLiteral("%1h%2m").arg(h).arg(m % 60);
    if (h < 48)
        return QString::number(h) + QLatin1Char('h');
    return QString::number(h / 24) + QLatin1Char('d');
}

QJsonObject metadata(const QString &ns, const QString &name, const QString &uid, qint64 createdMs,
                     const QMap<QString, QString> &labels)
{
    QJsonObject out{{QStringLiteral("name"), name},
                    {QStringLiteral("uid"), uid},
                    {QStringLiteral("creationTimestamp"), rfc3339(createdMs)}};
    if (!ns.isEmpty())
        out.insert(QStringLiteral("namespace"), ns);
    if (!labels.isEmpty())
        out.insert(QStringLiteral("labels"), labelsJson(labels));
    return out;
}

QString podStatusText(const FakePod &pod)
{
    if (pod.deletionMs != 0)
        return QStringLiteral("Terminating");
    for (qsizetype i = 0; i < pod.initContainers.size(); ++i) {
        const FakeContainer &c = pod.initContainers[i];
        if (c.state != FakeContainer::State::Terminated)
            return QStringLiteral("Init:%1/%2").arg(i).arg(pod.initContainers.size());
    }
    for (const FakeContainer &c : pod.containers) {
        if (c.state == FakeContainer::State::Waiting && !c.reason.isEmpty())
            return c.reason;
    }
    return pod.phase;
}

QJsonObject podJson(const FakePod &pod)
{
    QJsonObject meta = metadata(pod.ns, pod.name, pod.uid, pod.createdMs, pod.labels);
    if (pod.deletionMs != 0) {
        meta.insert(QStringLiteral("deletionTimestamp"), rfc3339(pod.deletionMs));
        meta.insert(QStringLiteral("deletionGracePeriodSeconds"), 30);
    }
    if (!pod.ownerKind.isEmpty()) {
        meta.insert(QStringLiteral("ownerReferences"),
                    QJsonArray{QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
                                           {QStringLiteral("kind"), pod.ownerKind},
                                           {QStringLiteral("name"), pod.ownerName},
                                           {QStringLiteral("uid"), QString(QStringLiteral("uid-") + pod.ownerName)},
                                           {QStringLiteral("controller"), true}}});
    }
    if (pod.containers.size() > 1)
        meta.insert(QStringLiteral("annotations"),
                    QJsonObject{{QStringLiteral("kubectl.kubernetes.io/default-container"), pod.containers.first().name}});

    QJsonObject spec{{QStringLiteral("containers"), containerSpecs(pod.containers)},
                     {QStringLiteral("restartPolicy"), QStringLiteral("Always")}};
    if (!pod.initContainers.isEmpty())
        spec.insert(QStringLiteral("initContainers"), containerSpecs(pod.initContainers));
    if (!pod.nodeName.isEmpty())
        spec.insert(QStringLiteral("nodeName"), pod.nodeName);

    bool allReady = !pod.containers.isEmpty();
    QJsonArray statuses;
    for (const FakeContainer &c : pod.containers) {
        statuses.append(containerStatus(c, pod.name));
        allReady = allReady && c.state == FakeContainer::State::Running;
    }
    QJsonArray initStatuses;
    for (const FakeContainer &c : pod.initContainers)
        initStatuses.append(containerStatus(c, pod.name));
    QJsonObject status{{QStringLiteral("phase"), pod.phase},
                       {QStringLiteral("containerStatuses"), statuses},
                       {QStringLiteral("conditions"),
                        QJsonArray{condition(QStringLiteral("PodScheduled"), !pod.nodeName.isEmpty(), pod.createdMs),
                                   condition(QStringLiteral("Ready"), allReady, pod.createdMs)}},
                       {QStringLiteral("qosClass"), QStringLiteral("BestEffort")}};
    if (!pod.initContainers.isEmpty())
        status.insert(QStringLiteral("initContainerStatuses"), initStatuses);
    if (!pod.podIp.isEmpty()) {
        status.insert(QStringLiteral("podIP"), pod.podIp);
        status.insert(QStringLiteral("podIPs"), QJsonArray{QJsonObject{{QStringLiteral("ip"), pod.podIp}}});
        status.insert(QStringLiteral("hostIP"), QStringLiteral("192.168.49.2"));
    }
    if (pod.phase != QLatin1String("Pending") || !pod.nodeName.isEmpty())
        status.insert(QStringLiteral("startTime"), rfc3339(pod.createdMs));
    return {{QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), meta},
            {QStringLiteral("spec"), spec},
            {QStringLiteral("status"), status}};
}

QJsonObject namespaceJson(const QString &name, qint64 createdMs)
{
    return {{QStringLiteral("kind"), QStringLiteral("Namespace")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), metadata(QString(), name, QStringLiteral("uid-ns-") + name, createdMs,
                                                  {{QStringLiteral("kubernetes.io/metadata.name"), name}})},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("finalizers"), QJsonArray{QStringLiteral("kubernetes")}}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Active")}}}};
}

QJsonObject nodeJson(const QString &name, qint64 createdMs)
{
    const QJsonObject ready{{QStringLiteral("type"), QStringLiteral("Ready")},
                            {QStringLiteral("status"), QStringLiteral("True")},
                            {QStringLiteral("reason"), QStringLiteral("KubeletReady")},
                            {QStringLiteral("lastTransitionTime"), rfc3339(createdMs)}};
    return {{QStringLiteral("kind"), QStringLiteral("Node")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), metadata(QString(), name, QStringLiteral("uid-node-") + name, createdMs,
                                                  {{QStringLiteral("kubernetes.io/hostname"), name},
                                                   {QStringLiteral("node-role.kubernetes.io/control-plane"), QString()}})},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("podCIDR"), QStringLiteral("10.244.0.0/24")}}},
            {QStringLiteral("status"),
             QJsonObject{{QStringLiteral("conditions"), QJsonArray{ready}},
                         {QStringLiteral("addresses"),
                          QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("InternalIP")},
                                                 {QStringLiteral("address"), QStringLiteral("192.168.49.2")}},
                                     QJsonObject{{QStringLiteral("type"), QStringLiteral("Hostname")},
                                                 {QStringLiteral("address"), name}}}},
                         {QStringLiteral("nodeInfo"),
                          QJsonObject{{QStringLiteral("kubeletVersion"), QStringLiteral("v1.32.0")},
                                      {QStringLiteral("osImage"), QStringLiteral("LiveDash Demo OS")},
                                      {QStringLiteral("kernelVersion"), QStringLiteral("6.1.0")},
                                      {QStringLiteral("containerRuntimeVersion"), QStringLiteral("containerd://1.7.0")},
                                      {QStringLiteral("architecture"), QStringLiteral("amd64")},
                                      {QStringLiteral("operatingSystem"), QStringLiteral("linux")}}}}}};
}

QJsonObject serviceJson(const QString &ns, const QString &name, const QString &clusterIp, int port,
                        const QMap<QString, QString> &selector, qint64 createdMs)
{
    return {{QStringLiteral("kind"), QStringLiteral("Service")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), metadata(ns, name, QStringLiteral("uid-svc-") + name, createdMs)},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("ClusterIP")},
                         {QStringLiteral("clusterIP"), clusterIp},
                         {QStringLiteral("selector"), labelsJson(selector)},
                         {QStringLiteral("ports"), QJsonArray{servicePort(port, !selector.isEmpty())}}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("loadBalancer"), QJsonObject()}}}};
}

QJsonObject deploymentJson(const QString &ns, const QString &name, int replicas, int ready, int updated,
                           const QMap<QString, QString> &selector, const QString &image, qint64 createdMs)
{
    const QJsonObject templ{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("labels"), labelsJson(selector)}}},
                            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"),
                                                                  QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("main")},
                                                                                         {QStringLiteral("image"), image}}}}}}};
    return {{QStringLiteral("kind"), QStringLiteral("Deployment")},
            {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
            {QStringLiteral("metadata"), metadata(ns, name, QStringLiteral("uid-") + name, createdMs, selector)},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), replicas},
                                                 {QStringLiteral("selector"), QJsonObject{{QStringLiteral("matchLabels"), labelsJson(selector)}}},
                                                 {QStringLiteral("template"), templ}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("replicas"), replicas},
                                                   {QStringLiteral("readyReplicas"), ready},
                                                   {QStringLiteral("availableReplicas"), ready},
                                                   {QStringLiteral("updatedReplicas"), updated},
                                                   {QStringLiteral("observedGeneration"), 1}}}};
}

QJsonObject replicaSetJson(const QString &ns, const QString &name, const QString &deployment, int replicas,
                           int ready, const QMap<QString, QString> &labels, const QString &image, qint64 createdMs)
{
    QJsonObject meta = metadata(ns, name, QStringLiteral("uid-") + name, createdMs, labels);
    meta.insert(QStringLiteral("ownerReferences"),
                QJsonArray{QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
                                       {QStringLiteral("kind"), QStringLiteral("Deployment")},
                                       {QStringLiteral("name"), deployment},
                                       {QStringLiteral("uid"), QString(QStringLiteral("uid-") + deployment)},
                                       {QStringLiteral("controller"), true}}});
    const QJsonObject templ{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("labels"), labelsJson(labels)}}},
                            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"),
                                                                  QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("main")},
                                                                                         {QStringLiteral("image"), image}}}}}}};
    return {{QStringLiteral("kind"), QStringLiteral("ReplicaSet")},
            {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
            {QStringLiteral("metadata"), meta},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), replicas},
                                                 {QStringLiteral("selector"), QJsonObject{{QStringLiteral("matchLabels"), labelsJson(labels)}}},
                                                 {QStringLiteral("template"), templ}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("replicas"), replicas},
                                                   {QStringLiteral("readyReplicas"), ready},
                                                   {QStringLiteral("availableReplicas"), ready}}}};
}

QJsonObject statefulSetJson(const QString &ns, const QString &name, int replicas, int ready, qint64 createdMs)
{
    const QMap<QString, QString> labels{{QStringLiteral("app"), name}};
    return {{QStringLiteral("kind"), QStringLiteral("StatefulSet")},
            {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
            {QStringLiteral("metadata"), metadata(ns, name, QStringLiteral("uid-") + name, createdMs, labels)},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), replicas},
                                                 {QStringLiteral("serviceName"), name},
                                                 {QStringLiteral("selector"), QJsonObject{{QStringLiteral("matchLabels"), labelsJson(labels)}}}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("replicas"), replicas},
                                                   {QStringLiteral("readyReplicas"), ready}}}};
}

QJsonObject widgetJson(const QString &ns, const QString &name, const QString &color, int size, qint64 createdMs)
{
    return {{QStringLiteral("kind"), QStringLiteral("Widget")},
            {QStringLiteral("apiVersion"), QStringLiteral("demo.livedash.io/v1")},
            {QStringLiteral("metadata"), metadata(ns, name, QStringLiteral("uid-widget-") + name, createdMs)},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("color"), color}, {QStringLiteral("size"), size}}}};
}

QJsonObject eventJson(const QString &ns, const QString &name, const FakePod &pod, const QString &type,
                      const QString &reason, const QString &message, qint64 timeMs)
{
    return {{QStringLiteral("kind"), QStringLiteral("Event")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), metadata(ns, name, QStringLiteral("uid-") + name, timeMs)},
            {QStringLiteral("involvedObject"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("Pod")},
                                                           {QStringLiteral("namespace"), pod.ns},
                                                           {QStringLiteral("name"), pod.name},
                                                           {QStringLiteral("uid"), pod.uid},
                                                           {QStringLiteral("apiVersion"), QStringLiteral("v1")}}},
            {QStringLiteral("type"), type},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("message"), message},
            {QStringLiteral("source"), QJsonObject{{QStringLiteral("component"), QStringLiteral("kubelet")},
                                                   {QStringLiteral("host"), pod.nodeName}}},
            {QStringLiteral("firstTimestamp"), rfc3339(timeMs)},
            {QStringLiteral("lastTimestamp"), rfc3339(timeMs)},
            {QStringLiteral("count"), 1},
            {QStringLiteral("reportingComponent"), QStringLiteral("kubelet")}};
}

QJsonObject status(int code, const QString &reason, const QString &message)
{
    return {{QStringLiteral("kind"), QStringLiteral("Status")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), QJsonObject()},
            {QStringLiteral("status"), QStringLiteral("Failure")},
            {QStringLiteral("message"), message},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("code"), code}};
}

QByteArray statusBytes(int code, const QString &reason, const QString &message)
{
    return QJsonDocument(status(code, reason, message)).toJson(QJsonDocument::Compact);
}

} // namespace FakeObjects
