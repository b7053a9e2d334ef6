#include "fake_table.h"

#include "fake_objects.h"

#include <QDateTime>

namespace {

QJsonObject column(const QString &name, const QString &type, int priority = 0, const QString &format = QString())
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("type"), type},
            {QStringLiteral("format"), format},
            {QStringLiteral("description"), name},
            {QStringLiteral("priority"), priority}};
}

QJsonObject meta(const QJsonObject &object)
{
    return object.value(QLatin1String("metadata")).toObject();
}

QString age(const QJsonObject &object, qint64 nowMs)
{
    const QDateTime created = QDateTime::fromString(meta(object).value(QLatin1String("creationTimestamp")).toString(), Qt::ISODate);
    return created.isValid() ? FakeObjects::humanAge(nowMs - created.toMSecsSinceEpoch()) : QStringLiteral("<unknown>");
}

QString str(const QJsonObject &object, std::initializer_list<const char *> path)
{
    QJsonValue value = object;
    for (const char *part : path)
        value = value.toObject().value(QLatin1String(part));
    if (value.isDouble())
        return QString::number(value.toInteger());
    return value.toString();
}

int num(const QJsonObject &object, std::initializer_list<const char *> path)
{
    QJsonValue value = object;
    for (const char *part : path)
        value = value.toObject().value(QLatin1String(part));
    return int(value.toInteger());
}

QString selectorText(const QJsonObject &labels)
{
    QStringList parts;
    for (auto it = labels.constBegin(); it != labels.constEnd(); ++it)
        parts.append(it.key() + QLatin1Char('=') + it.value().toString());
    return parts.isEmpty() ? QStringLiteral("<none>") : parts.join(QLatin1Char(','));
}

QString podStatus(const QJsonObject &pod)
{
    if (meta(pod).contains(QLatin1String("deletionTimestamp")))
        return QStringLiteral("Terminating");
    const QJsonObject status = pod.value(QLatin1String("status")).toObject();
    const QJsonArray inits = status.value(QLatin1String("initContainerStatuses")).toArray();
    for (qsizetype i = 0; i < inits.size(); ++i) {
        if (!inits[i].toObject().value(QLatin1String("state")).toObject().contains(QLatin1String("terminated")))
            return QStringLiteral("Init:%1/%2").arg(i).arg(inits.size());
    }
    for (const QJsonValue &c : status.value(QLatin1String("containerStatuses")).toArray()) {
        const QString reason = str(c.toObject(), {"state", "waiting", "reason"});
        if (!reason.isEmpty())
            return reason;
    }
    return status.value(QLatin1String("phase")).toString();
}

QJsonArray podCells(const QJsonObject &pod, qint64 nowMs)
{
    const QJsonArray statuses = pod.value(QLatin1String("status")).toObject().value(QLatin1String("containerStatuses")).toArray();
    int ready = 0, restarts = 0;
    for (const QJsonValue &c : statuses) {
        ready += c.toObject().value(QLatin1String("ready")).toBool() ? 1 : 0;
        restarts += c.toObject().value(QLatin1String("restartCount")).toInt();
    }
    const QString ip = str(pod, {"status", "podIP"});
    const QString node = str(pod, {"spec", "nodeName"});
    return {meta(pod).value(QLatin1String("name")),
            QStringLiteral("%1/%2").arg(ready).arg(statuses.size()),
            podStatus(pod),
            restarts,
            age(pod, nowMs),
            ip.isEmpty() ? QStringLiteral("<none>") : ip,
            node.isEmpty() ? QStringLiteral("<none>") : node,
            QStringLiteral("<none>"),
            QStringLiteral("<none>")};
}

QString firstContainer(const QJsonObject &object, const char *field)
{
    const QJsonArray containers = object.value(QLatin1String("spec")).toObject().value(QLatin1String("template")).toObject()
                                      .value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray();
    return containers.isEmpty() ? QString() : containers.first().toObject().value(QLatin1String(field)).toString();
}

QJsonArray cells(const QString &resource, const QJsonObject &o, qint64 nowMs)
{
    const QJsonValue name = meta(o).value(QLatin1String("name"));
    if (resource == QLatin1String("pods"))
        return podCells(o, nowMs);
    if (resource == QLatin1String("deployments")) {
        return {name, QStringLiteral("%1/%2").arg(num(o, {"status", "readyReplicas"})).arg(num(o, {"spec", "replicas"})),
                num(o, {"status", "updatedReplicas"}), num(o, {"status", "availableReplicas"}), age(o, nowMs),
                firstContainer(o, "name"), firstContainer(o, "image"),
                selectorText(o.value(QLatin1String("spec")).toObject().value(QLatin1String("selector")).toObject()
                                 .value(QLatin1String("matchLabels")).toObject())};
    }
    if (resource == QLatin1String("replicasets")) {
        return {name, num(o, {"spec", "replicas"}), num(o, {"status", "replicas"}), num(o, {"status", "readyReplicas"}),
                age(o, nowMs), firstContainer(o, "name"), firstContainer(o, "image"),
                selectorText(o.value(QLatin1String("spec")).toObject().value(QLatin1String("selector")).toObject()
                                 .value(QLatin1String("matchLabels")).toObject())};
    }
    if (resource == QLatin1String("statefulsets"))
        return {name, QStringLiteral("%1/%2").arg(num(o, {"status", "readyReplicas"})).arg(num(o, {"spec", "replicas"})), age(o, nowMs)};
    if (resource == QLatin1String("services")) {
        const QJsonObject port = o.value(QLatin1String("spec")).toObject().value(QLatin1String("ports")).toArray().first().toObject();
        return {name, str(o, {"spec", "type"}), str(o, {"spec", "clusterIP"}), QStringLiteral("<none>"),
                QStringLiteral("%1/%2").arg(port.value(QLatin1String("port")).toInt()).arg(port.value(QLatin1String("protocol")).toString()),
                age(o, nowMs), selectorText(o.value(QLatin1String("spec")).toObject().value(QLatin1String("selector")).toObject())};
    }
    if (resource == QLatin1String("nodes"))
        return {name, QStringLiteral("Ready"), QStringLiteral("control-plane"), age(o, nowMs),
                str(o, {"status", "nodeInfo", "kubeletVersion"}), QStringLiteral("192.168.49.2"), QStringLiteral("<none>"),
                str(o, {"status", "nodeInfo", "osImage"}), str(o, {"status", "nodeInfo", "kernelVersion"}),
                str(o, {"status", "nodeInfo", "containerRuntimeVersion"})};
    if (resource == QLatin1String("namespaces"))
        return {name, str(o, {"status", "phase"}), age(o, nowMs)};
    if (resource == QLatin1String("events")) {
        const QDateTime last = QDateTime::fromString(str(o, {"lastTimestamp"}), Qt::ISODate);
        return {last.isValid() ? FakeObjects::humanAge(nowMs - last.toMSecsSinceEpoch()) : QStringLiteral("<unknown>"),
                str(o, {"type"}), str(o, {"reason"}),
                QString(QStringLiteral("pod/") + str(o, {"involvedObject", "name"})), str(o, {"message"})};
    }
    return {name, age(o, nowMs)};
}

} // namespace

namespace FakeTable {

bool wantsTable(const QByteArray &accept)
{
    for (const QByteArray &item : accept.split(',')) {
        bool table = false, group = false, version = false;
        for (const QByteArray &param : item.split(';')) {
            const QByteArray p = param.trimmed();
            table = table || p == "as=Table";
            group = group || p == "g=meta.k8s.io";
            version = version || p == "v=v1";
        }
        if (table && group && version)
            return true;
    }
    return false;
}

IncludeObject parseInclude(const QString &value)
{
    if (value == QLatin1String("None"))
        return IncludeObject::None;
    if (value == QLatin1String("Object"))
        return IncludeObject::Object;
    return IncludeObject::Metadata;
}

QJsonArray columns(const QString &resource)
{
    const QString s = QStringLiteral("string"), i = QStringLiteral("integer"), n = QStringLiteral("name");
    if (resource == QLatin1String("pods"))
        return {column(QStringLiteral("Name"), s, 0, n), column(QStringLiteral("Ready"), s), column(QStringLiteral("Status"), s),
                column(QStringLiteral("Restarts"), i), column(QStringLiteral("Age"), s), column(QStringLiteral("IP"), s, 1),
                column(QStringLiteral("Node"), s, 1), column(QStringLiteral("Nominated Node"), s, 1),
                column(QStringLiteral("Readiness Gates"), s, 1)};
    if (resource == QLatin1String("deployments"))
        return {column(QStringLiteral("Name"), s, 0, n), column(QStringLiteral("Ready"), s), column(QStringLiteral("Up-to-date"), i),
                column(QStringLiteral("Available"), i), column(QStringLiteral("Age"), s), column(QStringLiteral("Containers"), s, 1),
                column(QStringLiteral("Images"), s, 1), column(QStringLiteral("Selector"), s, 1)};
    if (resource == QLatin1String("replicasets"))
        return {column(QStringLiteral("Name"), s, 0, n), column(QStringLiteral("Desired"), i), column(QStringLiteral("Current"), i),
                column(QStringLiteral("Ready"), i), column(QStringLiteral("Age"), s), column(QStringLiteral("Containers"), s, 1),
                column(QStringLiteral("Images"), s, 1), column(QStringLiteral("Selector"), s, 1)};
    if (resource == QLatin1String("statefulsets"))
        return {column(QStringLiteral("Name"), s, 0, n), column(QStringLiteral("Ready"), s), column(QStringLiteral("Age"), s)};
    if (resource == QLatin1String("services"))
        return {column(QStringLiteral("Name"), s, 0, n), column(QStringLiteral("Type"), s), column(QStringLiteral("Cluster-IP"), s),
                column(QStringLiteral("External-IP"), s), column(QStringLiteral("Port(s)"), s), column(QStringLiteral("Age"), s),
                column(QStringLiteral("Selector"), s, 1)};
    if (resource == QLatin1String("nodes"))
        return {column(QStringLiteral("Name"), s, 0, n), column(QStringLiteral("Status"), s), column(QStringLiteral("Roles"), s),
                column(QStringLiteral("Age"), s), column(QStringLiteral("Version"), s), column(QStringLiteral("Internal-IP"), s, 1),
                column(QStringLiteral("External-IP"), s, 1), column(QStringLiteral("OS-Image"), s, 1),
                column(QStringLiteral("Kernel-Version"), s, 1), column(QStringLiteral("Container-Runtime"), s, 1)};
    if (resource == QLatin1String("namespaces"))
        return {column(QStringLiteral("Name"), s, 0, n), column(QStringLiteral("Status"), s), column(QStringLiteral("Age"), s)};
    if (resource == QLatin1String("events"))
        return {column(QStringLiteral("Last Seen"), s), column(QStringLiteral("Type"), s), column(QStringLiteral("Reason"), s),
                column(QStringLiteral("Object"), s), column(QStringLiteral("Message"), s)};
    return {column(QStringLiteral("Name"), s, 0, n), column(QStringLiteral("Age"), s)};
}

QJsonObject row(const QString &resource, const QJsonObject &object, IncludeObject include, qint64 nowMs)
{
    QJsonObject out{{QStringLiteral("cells"), cells(resource, object, nowMs)}};
    if (include == IncludeObject::Object) {
        out.insert(QStringLiteral("object"), object);
    } else if (include == IncludeObject::Metadata) {
        out.insert(QStringLiteral("object"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("PartialObjectMetadata")},
                                                         {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
                                                         {QStringLiteral("metadata"), meta(object)}});
    }
    return out;
}

QJsonObject table(const QString &resource, const QList<QJsonObject> &objects, IncludeObject include, qint64 nowMs,
                  const QString &resourceVersion, const QString &continueToken)
{
    QJsonArray rows;
    for (const QJsonObject &object : objects)
        rows.append(row(resource, object, include, nowMs));
    QJsonObject listMeta{{QStringLiteral("resourceVersion"), resourceVersion}};
    if (!continueToken.isEmpty())
        listMeta.insert(QStringLiteral("continue"), continueToken);
    return {{QStringLiteral("kind"), QStringLiteral("Table")},
            {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
            {QStringLiteral("metadata"), listMeta},
            {QStringLiteral("columnDefinitions"), columns(resource)},
            {QStringLiteral("rows"), rows}};
}

} // namespace FakeTable
