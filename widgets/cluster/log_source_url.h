#pragma once

#include <QString>
#include <QStringList>

/// The k8s: source URLs the cluster views hand to a log pane (k8s_source_spec.h syntax):
///   k8s:logs/POD[/CONTAINER]?namespace=NS&context=CTX
///   k8s:logs/KIND/NAME?namespace=NS&context=CTX        (KIND singular: deployment, statefulset, ...)
///   k8s:logs?selector=SEL&namespace=NS&context=CTX
/// Empty namespace or context parameters are left out. Query values are percent-encoded where
/// they would change the URL's meaning ('&', '#', '%', '+', spaces). Pure.
namespace LogSourceUrl {

QString forPod(const QString &context, const QString &namespaceName, const QString &pod,
               const QString &container = QString());
/// `kind` is the resource's plural or singular ("deployments" or "deployment").
QString forWorkload(const QString &context, const QString &namespaceName, const QString &kind, const QString &name);
QString forSelector(const QString &context, const QString &namespaceName, const QString &selector);

/// "?first&namespace=NS&context=CTX" (parts left out when empty; "" when all are); for the other
/// k8s: URL builders (terminal_source_url.h).
QString query(const QString &context, const QString &namespaceName, const QString &first = QString());
/// A query value percent-encoded where it would change the URL's meaning.
QString encoded(const QString &value);

/// Plural resource names whose objects have pods to follow by name (deployment, statefulset,
/// daemonset, replicaset, job).
bool isWorkload(const QString &plural);
/// "deployments" → "deployment" for the workload kinds; other names unchanged.
QString singularOf(const QString &plural);

} // namespace LogSourceUrl
