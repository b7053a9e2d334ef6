#include "pod_status.h"

#include "printable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

void readStatus(const QJsonObject &status, ContainerStatusInfo &info)
{
    info.restartCount = status.value(QLatin1String("restartCount")).toInt();
    const QJsonObject state = status.value(QLatin1String("state")).toObject();
    if (state.contains(QLatin1String("running"))) {
        info.state = ContainerStatusInfo::State::Running;
    } else if (state.contains(QLatin1String("terminated"))) {
        info.state = ContainerStatusInfo::State::Terminated;
        info.reason = Printable::escaped(state.value(QLatin1String("terminated")).toObject()
                                             .value(QLatin1String("reason")).toString());
    } else if (state.contains(QLatin1String("waiting"))) {
        info.state = ContainerStatusInfo::State::Waiting;
        info.reason = Printable::escaped(state.value(QLatin1String("waiting")).toObject()
                                             .value(QLatin1String("reason")).toString());
    }
}

void readContainers(const QJsonObject &spec, const QJsonObject &status, bool init,
                    QList<ContainerStatusInfo> &out)
{
    const QJsonArray specs = spec.value(init ? QLatin1String("initContainers") : QLatin1String("containers")).toArray();
    const QJsonArray statuses = status.value(init ? QLatin1String("initContainerStatuses")
                                                  : QLatin1String("containerStatuses")).toArray();
    for (const QJsonValue &value : specs) {
        ContainerStatusInfo info;
        info.name = value.toObject().value(QLatin1String("name")).toString();
        info.init = init;
        for (const QJsonValue &s : statuses) {
            if (s.toObject().value(QLatin1String("name")).toString() == info.name) {
                readStatus(s.toObject(), info);
                break;
            }
        }
        if (!info.name.isEmpty())
            out.append(info);
    }
}

} // namespace

const ContainerStatusInfo *PodStatusInfo::container(const QString &containerName) const
{
    for (const ContainerStatusInfo &c : containers) {
        if (c.name == containerName)
            return &c;
    }
    return nullptr;
}

std::optional<PodStatusInfo> PodStatusInfo::parse(const QByteArray &json)
{
    const QJsonObject pod = QJsonDocument::fromJson(json).object();
    const QJsonObject metadata = pod.value(QLatin1String("metadata")).toObject();
    PodStatusInfo info;
    info.name = metadata.value(QLatin1String("name")).toString();
    if (info.name.isEmpty())
        return std::nullopt;
    info.namespaceName = metadata.value(QLatin1String("namespace")).toString();
    info.deleting = metadata.contains(QLatin1String("deletionTimestamp"));
    const QJsonObject spec = pod.value(QLatin1String("spec")).toObject();
    const QJsonObject status = pod.value(QLatin1String("status")).toObject();
    info.phase = status.value(QLatin1String("phase")).toString();
    readContainers(spec, status, true, info.containers);
    readContainers(spec, status, false, info.containers);
    return info;
}
