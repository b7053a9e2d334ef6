#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

/// How a container's generated log lines look.
enum class FakeLogStyle { Text, Json };

/// One container of a fake pod: its state machine and its log generator settings (value type).
struct FakeContainer
{
    enum class State { Waiting, Running, Terminated };

    QString name;
    QString image;
    State state = State::Running;
    QString reason;              ///< waiting reason (ContainerCreating) or terminated reason (Completed)
    int exitCode = 0;            ///< when Terminated
    qint64 startedMs = 0;
    qint64 finishedMs = 0;       ///< when Terminated
    int restartCount = 0;
    bool hasLastState = false;   ///< lastState.terminated after a restart
    qint64 lastStartedMs = 0;
    qint64 lastFinishedMs = 0;
    int lastExitCode = 0;
    QString lastReason;
    double linesPerSecond = 0;   ///< generated log rate (0 = silent)
    FakeLogStyle style = FakeLogStyle::Text;
};

/// One fake pod (value type). Its JSON is rebuilt from this on every change (podJson()).
struct FakePod
{
    QString ns;
    QString name;
    QString uid;
    QMap<QString, QString> labels;
    QString ownerKind;           ///< ReplicaSet, StatefulSet or empty
    QString ownerName;
    QString nodeName = QStringLiteral("demo-node");
    QString podIp;
    QString phase = QStringLiteral("Running"); ///< Pending or Running
    qint64 createdMs = 0;
    qint64 deletionMs = 0;       ///< non-zero while Terminating
    QList<FakeContainer> initContainers;
    QList<FakeContainer> containers;

    QString key() const { return ns + QLatin1Char('/') + name; }
    const FakeContainer *container(const QString &containerName) const; ///< main or init; nullptr if none
    FakeContainer *container(const QString &containerName);
};

/// JSON builders and small formatting helpers of the fake cluster (pure).
namespace FakeObjects {

QString rfc3339(qint64 epochMs);                 ///< "2026-12-01T23:10:01Z" (second precision, like metadata)
QByteArray rfc3339Nanos(qint64 epochNs);         ///< "2026-12-01T23:10:01.123456789Z"
/// Parses an RFC 3339 time (any fraction, Z or ±hh:mm) to epoch seconds; false when invalid.
bool parseRfc3339Seconds(const QString &text, qint64 *epochSeconds);
QString humanAge(qint64 ageMs);                   ///< kubectl's short form: "42s", "3m12s", "5h", "2d"

/// metadata {name, uid, creationTimestamp[, namespace][, labels]}; resourceVersion is added on publish.
QJsonObject metadata(const QString &ns, const QString &name, const QString &uid, qint64 createdMs,
                     const QMap<QString, QString> &labels = {});
/// The full v1 Pod (spec, status with container states, lastState, conditions, ownerReferences).
QJsonObject podJson(const FakePod &pod);
/// Status string the way kubectl shows it: Running, Pending, ContainerCreating, Terminating, Init:0/1.
QString podStatusText(const FakePod &pod);
/// v1 Namespace, phase Active.
QJsonObject namespaceJson(const QString &name, qint64 createdMs);
/// v1 Node, Ready, with addresses and nodeInfo.
QJsonObject nodeJson(const QString &name, qint64 createdMs);
/// v1 Service of type ClusterIP with one TCP port.
QJsonObject serviceJson(const QString &ns, const QString &name, const QString &clusterIp, int port,
                        const QMap<QString, QString> &selector, qint64 createdMs);
/// apps/v1 Deployment with one container "main"; status from the counts given.
QJsonObject deploymentJson(const QString &ns, const QString &name, int replicas, int ready, int updated,
                           const QMap<QString, QString> &selector, const QString &image, qint64 createdMs);
/// apps/v1 ReplicaSet owned by `deployment`.
QJsonObject replicaSetJson(const QString &ns, const QString &name, const QString &deployment, int replicas,
                           int ready, const QMap<QString, QString> &labels, const QString &image, qint64 createdMs);
/// apps/v1 StatefulSet selecting app=<name>.
QJsonObject statefulSetJson(const QString &ns, const QString &name, int replicas, int ready, qint64 createdMs);
/// demo.livedash.io/v1 Widget (the custom resource) with spec.color and spec.size.
QJsonObject widgetJson(const QString &ns, const QString &name, const QString &color, int size, qint64 createdMs);
/// v1 Event about `pod`, reported by the kubelet.
QJsonObject eventJson(const QString &ns, const QString &name, const FakePod &pod, const QString &type,
                      const QString &reason, const QString &message, qint64 timeMs);
/// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":..,"reason":..,"code":..}
QJsonObject status(int code, const QString &reason, const QString &message);
/// status() as compact JSON.
QByteArray statusBytes(int code, const QString &reason, const QString &message);

} // namespace FakeObjects
