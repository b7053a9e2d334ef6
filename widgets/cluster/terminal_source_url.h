#pragma once

#include <QString>
#include <QStringList>

/// The k8s: URLs the cluster views hand to a terminal tab or a port forward (k8s_exec_spec.h
/// syntax), built like the log URLs (log_source_url.h):
///   k8s:exec/POD[/CONTAINER]?namespace=NS&context=CTX            an interactive shell (bash, else sh)
///   k8s:exec/POD[/CONTAINER]?command=A&command=B&...             a command, one command= per argument
///   k8s:attach/POD[/CONTAINER]?namespace=NS&context=CTX
///   k8s:forward/POD/LOCAL:REMOTE[,LOCAL:REMOTE]?namespace=NS&context=CTX
/// Pure.
namespace TerminalSourceUrl {

QString forShell(const QString &context, const QString &namespaceName, const QString &pod,
                 const QString &container = QString());
QString forCommand(const QString &context, const QString &namespaceName, const QString &pod,
                   const QString &container, const QStringList &command);
QString forAttach(const QString &context, const QString &namespaceName, const QString &pod,
                  const QString &container = QString());
/// `mappings` as "LOCAL:REMOTE" (LOCAL 0: any free port).
QString forForward(const QString &context, const QString &namespaceName, const QString &pod,
                   const QStringList &mappings);

} // namespace TerminalSourceUrl
