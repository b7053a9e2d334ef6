#include "terminal_source_url.h"

#include "log_source_url.h"

namespace {

QString podPath(const QString &verb, const QString &pod, const QString &container)
{
    QString path = QStringLiteral("k8s:") + verb + u'/' + pod;
    if (!container.isEmpty())
        path += u'/' + container;
    return path;
}

} // namespace

namespace TerminalSourceUrl {

QString forShell(const QString &context, const QString &namespaceName, const QString &pod, const QString &container)
{
    return podPath(QStringLiteral("exec"), pod, container) + LogSourceUrl::query(context, namespaceName);
}

QString forCommand(const QString &context, const QString &namespaceName, const QString &pod, const QString &container,
                   const QStringList &command)
{
    QStringList args;
    for (const QString &arg : command)
        args << QStringLiteral("command=") + LogSourceUrl::encoded(arg);
    return podPath(QStringLiteral("exec"), pod, container) + LogSourceUrl::query(context, namespaceName, args.join(u'&'));
}

QString forAttach(const QString &context, const QString &namespaceName, const QString &pod, const QString &container)
{
    return podPath(QStringLiteral("attach"), pod, container) + LogSourceUrl::query(context, namespaceName);
}

QString forForward(const QString &context, const QString &namespaceName, const QString &pod, const QStringList &mappings)
{
    return QStringLiteral("k8s:forward/") + pod + u'/' + mappings.join(u',') + LogSourceUrl::query(context, namespaceName);
}

} // namespace TerminalSourceUrl
