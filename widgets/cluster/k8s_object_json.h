#pragma once

#include <QByteArray>
#include <QJsonObject>
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
/// A service's spec.selector or a workload's spec.selector.matchLabels as "k=v,k2=v2" (sorted).
QString selector(const QByteArray &json);
/// The object as indented JSON (the Table row's object for a row).
QString pretty(const QByteArray &json);

} // namespace K8sObjectJson
