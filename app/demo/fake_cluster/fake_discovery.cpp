#include "fake_discovery.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <utility>

namespace {

QJsonArray verbs(bool withLog = false)
{
    if (withLog)
        return QJsonArray{QStringLiteral("get")};
    return QJsonArray{QStringLiteral("get"), QStringLiteral("list"), QStringLiteral("watch")};
}

QJsonObject resourceEntry(const FakeResource &resource)
{
    QJsonObject entry{{QStringLiteral("name"), resource.name},
                      {QStringLiteral("singularName"), resource.singular},
                      {QStringLiteral("namespaced"), resource.namespaced},
                      {QStringLiteral("kind"), resource.kind},
                      {QStringLiteral("verbs"), verbs()}};
    if (!resource.shortNames.isEmpty())
        entry.insert(QStringLiteral("shortNames"), QJsonArray::fromStringList(resource.shortNames));
    // `kubectl get all` expands the "all" category, as the real server defines it.
    static const QStringList inAll = {QStringLiteral("pods"), QStringLiteral("services"), QStringLiteral("deployments"),
                                      QStringLiteral("replicasets"), QStringLiteral("statefulsets"), QStringLiteral("jobs")};
    if (inAll.contains(resource.name))
        entry.insert(QStringLiteral("categories"), QJsonArray{QStringLiteral("all")});
    return entry;
}

QJsonObject resourceList(const QString &groupVersion)
{
    QJsonArray entries;
    for (const FakeResource &resource : FakeDiscovery::resources()) {
        if (resource.groupVersion() != groupVersion)
            continue;
        entries.append(resourceEntry(resource));
        if (resource.name == QLatin1String("pods")) {
            entries.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("pods/log")},
                                       {QStringLiteral("singularName"), QString()},
                                       {QStringLiteral("namespaced"), true},
                                       {QStringLiteral("kind"), QStringLiteral("Pod")},
                                       {QStringLiteral("verbs"), verbs(true)}});
            // As the real API server lists them: exec and attach take create and get (the
            // WebSocket upgrade is a GET), portforward likewise; the kind is PodExecOptions etc.
            const std::pair<const char *, const char *> subresources[] = {
                {"attach", "PodAttachOptions"}, {"exec", "PodExecOptions"}, {"portforward", "PodPortForwardOptions"}};
            const QJsonArray subVerbs = QJsonArray::fromStringList({QStringLiteral("create"), QStringLiteral("get")});
            for (const auto &[sub, kindName] : subresources) {
                const QString kind = QString::fromLatin1(kindName);
                entries.append(QJsonObject{{QStringLiteral("name"), QString(QStringLiteral("pods/") + QString::fromLatin1(sub))},
                                           {QStringLiteral("singularName"), QString()},
                                           {QStringLiteral("namespaced"), true},
                                           {QStringLiteral("kind"), kind},
                                           {QStringLiteral("verbs"), subVerbs}});
            }
        }
    }
    return {{QStringLiteral("kind"), QStringLiteral("APIResourceList")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("groupVersion"), groupVersion},
            {QStringLiteral("resources"), entries}};
}

QJsonObject groupList()
{
    QJsonArray groups;
    QStringList seen;
    for (const FakeResource &resource : FakeDiscovery::resources()) {
        if (resource.group.isEmpty() || seen.contains(resource.group))
            continue;
        seen.append(resource.group);
        const QJsonObject version{{QStringLiteral("groupVersion"), resource.groupVersion()},
                                  {QStringLiteral("version"), resource.version}};
        groups.append(QJsonObject{{QStringLiteral("name"), resource.group},
                                  {QStringLiteral("versions"), QJsonArray{version}},
                                  {QStringLiteral("preferredVersion"), version}});
    }
    return {{QStringLiteral("kind"), QStringLiteral("APIGroupList")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("groups"), groups}};
}

} // namespace

namespace FakeDiscovery {

const QList<FakeResource> &resources()
{
    static const QList<FakeResource> all = {
        {QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("pod"), QStringLiteral("Pod"), true, {QStringLiteral("po")}},
        {QString(), QStringLiteral("v1"), QStringLiteral("namespaces"), QStringLiteral("namespace"), QStringLiteral("Namespace"), false, {QStringLiteral("ns")}},
        {QString(), QStringLiteral("v1"), QStringLiteral("nodes"), QStringLiteral("node"), QStringLiteral("Node"), false, {QStringLiteral("no")}},
        {QString(), QStringLiteral("v1"), QStringLiteral("services"), QStringLiteral("service"), QStringLiteral("Service"), true, {QStringLiteral("svc")}},
        {QString(), QStringLiteral("v1"), QStringLiteral("events"), QStringLiteral("event"), QStringLiteral("Event"), true, {QStringLiteral("ev")}},
        {QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("deployments"), QStringLiteral("deployment"), QStringLiteral("Deployment"), true, {QStringLiteral("deploy")}},
        {QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("replicasets"), QStringLiteral("replicaset"), QStringLiteral("ReplicaSet"), true, {QStringLiteral("rs")}},
        {QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("statefulsets"), QStringLiteral("statefulset"), QStringLiteral("StatefulSet"), true, {QStringLiteral("sts")}},
        {QStringLiteral("batch"), QStringLiteral("v1"), QStringLiteral("jobs"), QStringLiteral("job"), QStringLiteral("Job"), true, {}},
        {QStringLiteral("demo.livedash.io"), QStringLiteral("v1"), QStringLiteral("widgets"), QStringLiteral("widget"), QStringLiteral("Widget"), true, {QStringLiteral("wd")}},
    };
    return all;
}

const FakeResource *find(const QString &groupVersion, const QString &name)
{
    for (const FakeResource &resource : resources()) {
        if (resource.groupVersion() == groupVersion && resource.name == name)
            return &resource;
    }
    return nullptr;
}

QByteArray document(const QString &path)
{
    QJsonObject doc;
    if (path == QLatin1String("/version")) {
        doc = {{QStringLiteral("major"), QStringLiteral("1")},
               {QStringLiteral("minor"), QStringLiteral("32")},
               {QStringLiteral("gitVersion"), QStringLiteral("v1.32.0-livedash-demo")},
               {QStringLiteral("gitCommit"), QStringLiteral("0000000000000000000000000000000000000000")},
               {QStringLiteral("gitTreeState"), QStringLiteral("clean")},
               {QStringLiteral("buildDate"), QStringLiteral("2026-12-01T00:00:00Z")},
               {QStringLiteral("goVersion"), QStringLiteral("go1.23.0")},
               {QStringLiteral("compiler"), QStringLiteral("gc")},
               {QStringLiteral("platform"), QStringLiteral("linux/amd64")}};
    } else if (path == QLatin1String("/api")) {
        doc = {{QStringLiteral("kind"), QStringLiteral("APIVersions")},
               {QStringLiteral("versions"), QJsonArray{QStringLiteral("v1")}},
               {QStringLiteral("serverAddressByClientCIDRs"),
                QJsonArray{QJsonObject{{QStringLiteral("clientCIDR"), QStringLiteral("0.0.0.0/0")},
                                       {QStringLiteral("serverAddress"), QStringLiteral("127.0.0.1")}}}}};
    } else if (path == QLatin1String("/api/v1")) {
        doc = resourceList(QStringLiteral("v1"));
    } else if (path == QLatin1String("/apis")) {
        doc = groupList();
    } else if (path.startsWith(QLatin1String("/apis/"))) {
        const QStringList parts = path.mid(6).split(QLatin1Char('/'));
        if (parts.size() != 2)
            return {};
        const QString groupVersion = parts[0] + QLatin1Char('/') + parts[1];
        bool known = false;
        for (const FakeResource &resource : resources())
            known = known || resource.groupVersion() == groupVersion;
        if (!known)
            return {};
        doc = resourceList(groupVersion);
    } else {
        return {};
    }
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

} // namespace FakeDiscovery
