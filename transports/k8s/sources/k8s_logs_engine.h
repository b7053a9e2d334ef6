#pragma once

#include "k8s_error.h"
#include "k8s_source_transport.h"
#include "log_merger.h"

#include <QList>
#include <QRegularExpression>
#include <QString>

class Informer;
class PodLogSet;
class ContainerLogStream;

/// The engine of k8s:logs/... sources: resolves what to follow to a pod watch (one pod by
/// name, a workload's selector, a label selector), feeds the watched pods into a PodLogSet (one
/// follow per container, resumed without loss or duplicates, merged in kubelet-time order) and
/// turns the merged lines into StreamEvents: type "log", id "<namespace>/<pod>/<container>",
/// payload the line without the kubelet timestamp, receivedMs that timestamp. Lines are kept or
/// dropped by include=/exclude= (regex on the line, as stern's -i/-e). Per-stream news
/// ("following …", "resumed … 0 lost, 3 duplicates skipped", "pod … deleted", "waiting: …")
/// become Transport::notice().
///
/// previous=true reads each selected container's previous instance once (no follow) and ends.
///
/// The Transport's idle timeout does not apply: a log follow is silent whenever the containers
/// are (protocols.md 6.3); each stream resumes by itself after a drop or an EOF while its
/// container runs.
class K8sLogsEngine : public K8sSourceEngine
{
    Q_OBJECT
public:
    explicit K8sLogsEngine(K8sSourceTransport *transport);
    ~K8sLogsEngine() override;

    void start() override;
    void stop() override;

    /// "app=web,tier in (a,b),!canary" from a workload's spec.selector (matchLabels +
    /// matchExpressions); empty with *error when the object has no selector. Pure.
    static QString selectorFromWorkload(const QByteArray &workloadJson, QString *error);

private:
    void resolveWorkload();
    void startFollowing(const QString &labelSelector, const QString &fieldSelector);
    void startPrevious();
    void handleLines(const QList<MergedLogLine> &batch);
    bool keep(const QByteArray &text) const;

    PodLogSet *m_logs = nullptr;
    Informer *m_pods = nullptr;
    QList<ContainerLogStream *> m_previous;
    QRegularExpression m_include;
    QRegularExpression m_exclude;
    QString m_labelSelector;
    QString m_fieldSelector;
    bool m_stopped = false;
};
