#include "log_source_url.h"

#include <QUrl>

namespace {

const QStringList &workloads()
{
    static const QStringList names = {QStringLiteral("deployments"), QStringLiteral("statefulsets"),
                                      QStringLiteral("daemonsets"), QStringLiteral("replicasets"),
                                      QStringLiteral("jobs")};
    return names;
}

} // namespace

namespace LogSourceUrl {

QString encoded(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value, "=,!()/:@~._-"));
}

QString query(const QString &context, const QString &namespaceName, const QString &first)
{
    QStringList items;
    if (!first.isEmpty())
        items << first;
    if (!namespaceName.isEmpty())
        items << QStringLiteral("namespace=") + encoded(namespaceName);
    if (!context.isEmpty())
        items << QStringLiteral("context=") + encoded(context);
    return items.isEmpty() ? QString() : QString(u'?' + items.join(u'&'));
}

QString forPod(const QString &context, const QString &namespaceName, const QString &pod, const QString &container)
{
    QString url = QStringLiteral("k8s:logs/") + pod;
    if (!container.isEmpty())
        url += u'/' + container;
    return url + query(context, namespaceName);
}

QString forWorkload(const QString &context, const QString &namespaceName, const QString &kind, const QString &name)
{
    return QStringLiteral("k8s:logs/") + singularOf(kind) + u'/' + name + query(context, namespaceName);
}

QString forSelector(const QString &context, const QString &namespaceName, const QString &selector)
{
    return QStringLiteral("k8s:logs") + query(context, namespaceName, QStringLiteral("selector=") + encoded(selector));
}

bool isWorkload(const QString &plural)
{
    return workloads().contains(plural);
}

QString singularOf(const QString &plural)
{
    if (isWorkload(plural))
        return plural.chopped(1);
    return plural;
}

} // namespace LogSourceUrl
