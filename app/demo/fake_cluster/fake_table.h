#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

/// Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`, what kubectl get
/// asks for): a meta.k8s.io/v1 Table with the column definitions the real API server uses for
/// pods, deployments, replicasets, statefulsets, services, nodes, namespaces and events, and Name +
/// Age for everything else (custom resources). Pure.
namespace FakeTable {

/// What a row carries in `object` (the includeObject query parameter).
enum class IncludeObject { None, Metadata, Object };

/// Whether an Accept header asks for a meta.k8s.io/v1 Table.
bool wantsTable(const QByteArray &accept);
/// `includeObject` query value ("None", "Metadata" default, "Object").
IncludeObject parseInclude(const QString &value);
/// columnDefinitions for a resource (plural name), with the real server's names and priorities.
QJsonArray columns(const QString &resource);
/// One row: its cells in columns() order and, unless `include` is None, the object or its metadata.
QJsonObject row(const QString &resource, const QJsonObject &object, IncludeObject include, qint64 nowMs);
/// The whole Table; `resourceVersion` and `continueToken` go to its list metadata.
QJsonObject table(const QString &resource, const QList<QJsonObject> &objects, IncludeObject include, qint64 nowMs,
                  const QString &resourceVersion, const QString &continueToken = QString());

} // namespace FakeTable
