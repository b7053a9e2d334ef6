#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

/// What a log follower needs of one container of a Pod object: its state, restart count and,
/// for a waiting container, why. Plain value type.
struct ContainerStatusInfo
{
    enum class State { Unknown, Waiting, Running, Terminated };

    QString name;
    bool init = false;        ///< an init container (spec.initContainers)
    State state = State::Unknown; ///< Unknown: no status yet (the pod is not scheduled)
    QString reason;           ///< waiting/terminated reason ("ContainerCreating", "Completed")
    int restartCount = 0;
    bool hasLogs() const { return state == State::Running || state == State::Terminated; }
};

/// The parts of a Pod (v1) JSON object the log follow uses. Pure: QJsonDocument, no I/O.
struct PodStatusInfo
{
    QString namespaceName;
    QString name;
    QString phase;             ///< "Pending", "Running", "Succeeded", "Failed"
    bool deleting = false;     ///< metadata.deletionTimestamp is set
    QList<ContainerStatusInfo> containers; ///< init containers first, then containers, in spec order

    const ContainerStatusInfo *container(const QString &name) const;
    /// nullopt when `json` is not a Pod object with metadata.name.
    static std::optional<PodStatusInfo> parse(const QByteArray &json);
};
