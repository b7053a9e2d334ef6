#pragma once

#include <QString>
#include <QUrl>

#include <optional>

/// A Kubernetes source as the user writes it (headless SOURCE argument, the window's source
/// field, a dashboard file). Pure value type; parse() checks the syntax only (the cluster decides
/// whether the pod, workload or resource exists).
///
///   k8s:logs/POD[/CONTAINER]       one pod: that container, or every container
///   k8s:logs/KIND/NAME             a workload's pods as they come and go (deployment, statefulset,
///                                  daemonset, replicaset, job; kubectl's short names work too)
///   k8s:logs?selector=SELECTOR     every pod matching a label selector, as they come and go
///   k8s:watch/RESOURCE[/NAME]      list-then-watch any listed resource (pods, deployments, events,
///                                  nodes, plural.group for custom resources)
///   query parameters on any k8s: source: namespace=, context=, container= (regex), since= (10m,
///   90s, 2h), tail= (lines per container), previous=true, include= / exclude= (regex on the
///   line, as stern's -i / -e), init=true (init containers too), timestamps=false (hide them in
///   the window; headless always prints the kubelet time as "ts")
struct K8sSourceSpec
{
    enum class Kind { PodLogs, WorkloadLogs, SelectorLogs, Watch };

    Kind kind = Kind::PodLogs;
    QString pod;            ///< PodLogs
    QString container;      ///< PodLogs: the path's CONTAINER (exact name); empty = every container
    QString workloadKind;   ///< WorkloadLogs: canonical plural: deployments, statefulsets, ...
    QString workloadName;
    QString selector;       ///< SelectorLogs: label selector as typed
    QString resource;       ///< Watch: what the user typed ("pods", "deploy", "widgets.demo.livedash.io")
    QString name;           ///< Watch: one object, empty = all

    QString namespaceName;  ///< namespace=, empty = the context's (or --namespace)
    QString context;        ///< context=, empty = --context or current-context
    QString containerRegex; ///< container=
    QString include;        ///< include= regex: only lines matching
    QString exclude;        ///< exclude= regex: drop lines matching
    std::optional<qint64> sinceSeconds; ///< since=
    std::optional<int> tailLines;       ///< tail=
    bool previous = false;
    bool initContainers = false;
    bool showTimestamps = true;

    bool isLogs() const { return kind != Kind::Watch; }
    /// Parses a k8s: URL. nullopt with a specific message ("unknown workload kind 'deploymnt'
    /// (deployment, statefulset, daemonset, replicaset, job)") when it cannot be used.
    static std::optional<K8sSourceSpec> parse(const QUrl &url, QString *error);
    static bool isK8sUrl(const QUrl &url) { return url.scheme() == u"k8s"; }
    /// "10m" → 600, "90s", "2h", "1h30m", "45" (seconds); nullopt when not a duration.
    static std::optional<qint64> parseDuration(const QString &text);
    /// "deploy" → "deployments"; empty when not a workload kind with pods.
    static QString canonicalWorkloadKind(const QString &kind);
};
