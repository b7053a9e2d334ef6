#include "k8s_object_json.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace K8sObjectJson {

QJsonObject objectOf(const QByteArray &json)
{
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    if (root.contains(QLatin1String("cells")) && root.value(QLatin1String("object")).isObject())
        return root.value(QLatin1String("object")).toObject();
    return root;
}

QStringList containerNames(const QByteArray &json)
{
    QStringList names;
    const QJsonArray containers = objectOf(json).value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray();
    for (const QJsonValue &c : containers) {
        const QString name = c.toObject().value(QLatin1String("name")).toString();
        if (!name.isEmpty())
            names << name;
    }
    return names;
}

QString defaultContainer(const QByteArray &json)
{
    const QString annotated = objectOf(json)
                                  .value(QLatin1String("metadata")).toObject()
                                  .value(QLatin1String("annotations")).toObject()
                                  .value(QLatin1String("kubectl.kubernetes.io/default-container")).toString();
    const QStringList names = containerNames(json);
    return names.contains(annotated) ? annotated : names.value(0);
}

QList<ContainerPort> containerPorts(const QByteArray &json)
{
    QList<ContainerPort> out;
    const QJsonArray containers = objectOf(json).value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray();
    for (const QJsonValue &c : containers) {
        const QJsonObject container = c.toObject();
        for (const QJsonValue &p : container.value(QLatin1String("ports")).toArray()) {
            const QJsonObject port = p.toObject();
            ContainerPort entry;
            entry.container = container.value(QLatin1String("name")).toString();
            entry.port = port.value(QLatin1String("containerPort")).toInt();
            entry.name = port.value(QLatin1String("name")).toString();
            entry.protocol = port.value(QLatin1String("protocol")).toString(QStringLiteral("TCP"));
            if (entry.port > 0)
                out << entry;
        }
    }
    return out;
}

QList<ServicePort> servicePorts(const QByteArray &json)
{
    QList<ServicePort> out;
    const QJsonArray ports = objectOf(json).value(QLatin1String("spec")).toObject().value(QLatin1String("ports")).toArray();
    for (const QJsonValue &p : ports) {
        const QJsonObject port = p.toObject();
        ServicePort entry;
        entry.port = port.value(QLatin1String("port")).toInt();
        entry.name = port.value(QLatin1String("name")).toString();
        const QJsonValue target = port.value(QLatin1String("targetPort"));
        if (target.isString())
            entry.targetPortName = target.toString();
        else
            entry.targetPort = target.isUndefined() ? entry.port : target.toInt();
        if (entry.port > 0)
            out << entry;
    }
    return out;
}

QString phase(const QByteArray &json)
{
    return objectOf(json).value(QLatin1String("status")).toObject().value(QLatin1String("phase")).toString();
}

QString selector(const QByteArray &json)
{
    const QJsonObject spec = objectOf(json).value(QLatin1String("spec")).toObject();
    QJsonObject labels = spec.value(QLatin1String("selector")).toObject();
    if (labels.contains(QLatin1String("matchLabels")))
        labels = labels.value(QLatin1String("matchLabels")).toObject();
    QStringList parts;
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (it.value().isString())
            parts << it.key() + u'=' + it.value().toString();
    }
    return parts.join(u',');
}

QString pretty(const QByteArray &json)
{
    const QJsonObject object = objectOf(json);
    if (object.isEmpty())
        return QString::fromUtf8(json);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

} // namespace K8sObjectJson
