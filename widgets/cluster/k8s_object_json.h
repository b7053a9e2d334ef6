#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// Small readers of an object's JSON for the cluster views. Accepts either the object itself or
/// a Table row (`{"cells":[...],"object":{...}}`, what a Table with includeObject=Object holds).
/// Pure; parses with QJsonDocument (called for one object at a time, on a user's action).
namespace K8sObjectJson {

/// The object (the row's "object" for a Table row); empty when `json` is not an object.
QJsonObject objectOf(const QByteArray &json);
/// spec.containers[].name of a pod, in order.
QStringList containerNames(const QByteArray &json);
/// The container kubectl picks when none is named: the kubectl.kubernetes.io/default-container
/// annotation, else the first container; empty when the pod has none.
QString defaultContainer(const QByteArray &json);
/// A declared container port of a pod (spec.containers[].ports[]).
struct ContainerPort
{
    QString container;
    int port = 0;
    QString name;     ///< the port's name, may be empty
    QString protocol; ///< "TCP" unless given
};
QList<ContainerPort> containerPorts(const QByteArray &json);
/// A service port (spec.ports[]): `targetPort` is the number it names, or 0 when it is a named
/// port (`targetPortName`) that only a pod can resolve; absent targetPort = `port`.
struct ServicePort
{
    int port = 0;
    int targetPort = 0;
    QString targetPortName;
    QString name;
};
QList<ServicePort> servicePorts(const QByteArray &json);
/// status.phase ("Running", "Pending", ...); empty when absent.
QString phase(const QByteArray &json);
/// A service's spec.selector or a workload's spec.selector.matchLabels as "k=v,k2=v2" (sorted).
QString selector(const QByteArray &json);
/// The object as indented JSON (the Table row's object for a row).
QString pretty(const QByteArray &json);

} // namespace K8sObjectJson
