#pragma once

#include <QString>
#include <QStringList>

/// One resource kind the API server lists in discovery ("pods" in core/v1, "deployments" in
/// apps/v1, "widgets" in example.com/v1). Plain value type.
struct ApiResource
{
    QString group;       ///< "" for the core group
    QString version;     ///< "v1"
    QString plural;      ///< "pods"
    QString singular;    ///< "pod"
    QString kind;        ///< "Pod"
    QStringList shortNames; ///< "po"
    QStringList verbs;   ///< "list", "watch", "get", ...
    bool namespaced = true;

    bool isValid() const { return !plural.isEmpty() && !version.isEmpty(); }
    QString groupVersion() const { return group.isEmpty() ? version : QString(group + u'/' + version); }
    /// "pods" or "deployments.apps": how kubectl names it unambiguously.
    QString qualifiedName() const { return group.isEmpty() ? plural : QString(plural + u'.' + group); }
    bool can(const QString &verb) const { return verbs.isEmpty() || verbs.contains(verb); }

    /// The collection path: /api/v1/namespaces/NS/pods, /apis/apps/v1/deployments (namespace
    /// empty or the resource cluster-scoped: all namespaces / cluster-wide).
    QString collectionPath(const QString &namespaceName) const
    {
        QString path = group.isEmpty() ? QString(QStringLiteral("/api/") + version)
                                       : QString(QStringLiteral("/apis/") + group + u'/' + version);
        if (namespaced && !namespaceName.isEmpty())
            path += QStringLiteral("/namespaces/") + namespaceName;
        return path + u'/' + plural;
    }
    /// The built-in core/v1 pods resource (what log followers watch before discovery is needed).
    static ApiResource pods()
    {
        ApiResource r;
        r.version = QStringLiteral("v1");
        r.plural = QStringLiteral("pods");
        r.singular = QStringLiteral("pod");
        r.kind = QStringLiteral("Pod");
        r.shortNames = {QStringLiteral("po")};
        r.verbs = {QStringLiteral("get"), QStringLiteral("list"), QStringLiteral("watch")};
        return r;
    }
};
