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
