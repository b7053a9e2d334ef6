#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

/// One resource the fake cluster serves (pure data).
struct FakeResource
{
    QString group;      ///< "" for the core group
    QString version;    ///< "v1"
    QString name;       ///< plural, "pods"; also the key of the object store
    QString singular;   ///< "pod"
    QString kind;       ///< "Pod"
    bool namespaced = true;
    QStringList shortNames;

    QString groupVersion() const { return group.isEmpty() ? version : group + QLatin1Char('/') + version; }
    QString apiVersion() const { return groupVersion(); }
};

/// The discovery documents of the fake cluster: /version, /api, /api/v1, /apis and
/// /apis/{group}/{version}. Plain (non-aggregated) discovery only: an aggregated-discovery Accept
/// header still gets the plain form with Content-Type application/json, which client-go
/// recognises and falls back from (kubectl then fetches each group version).
namespace FakeDiscovery {

/// Every resource served, in discovery order.
const QList<FakeResource> &resources();
/// The resource with that plural name in that group version, or nullptr.
const FakeResource *find(const QString &groupVersion, const QString &name);
/// The JSON document for a discovery path, or an empty array when the path is none of them.
QByteArray document(const QString &path);

} // namespace FakeDiscovery
