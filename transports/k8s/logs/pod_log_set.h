#pragma once

#include "container_log_stream.h"
#include "list_watch_machine.h"
#include "log_merger.h"
#include "pod_status.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QRegularExpression>
#include <QString>

#include <optional>

class K8sClient;
class QTimer;

/// What a multi-pod follow shows. Plain value type.
struct PodLogSetOptions
{
    QString namespaceName;               ///< informational; pods carry their own namespace
    QString labelSelector;               ///< the selector the caller's pod watch uses (for texts)
    bool includeInitContainers = false;
    QRegularExpression containerFilter;  ///< empty pattern: every container
    std::optional<int> tailLines;        ///< for a container that was already running when seen
    std::optional<int> sinceSeconds;
    int windowMs = LogMerger::DefaultWindowMs;
    qsizetype maxBufferedLines = LogMerger::DefaultMaxBuffered;
};

/// Follows the logs of a set of pods (a label selector, or a workload the caller resolved to its
/// selector), driven by pod updates, and merges them into one timestamp-ordered stream.
///
/// Input: applyPod(podJson) for every ADDED/MODIFIED pod of the caller's watch and
/// removePod("ns/name") for DELETED, or applyChanges() connected to an Informer's changes(). Per pod, one
/// ContainerLogStream per container (init containers only when asked; containerFilter), started
/// when the container is running or terminated and announced as waiting before that. A stream
/// resumes across disconnects on its own (LogResumeCursor) and handles a restart it sees at an
/// EOF (previous=true tail, then the new instance). A container whose stream has ended and whose
/// restartCount then grows gets a new stream that reads the new instance from its start. A
/// deleted pod's streams stop; what they delivered is still merged out.
///
/// Output: lines() with merged batches (LogMerger: 300 ms reorder window, late lines marked,
/// bounded memory); statusChanged() with one text per event for the UI and headless stderr:
///   "following default/web-1/main"
///   "resumed default/web-1/main after end of stream: 0 lost, 3 duplicates skipped"
///   "waiting: default/web-2/main is not started (ContainerCreating)"
///   "ended default/web-1/main", "pod default/web-1 deleted", error messages, and once per
///   stream "default/web-1/main: lines without a timestamp (kept in place)".
/// Threading: the client's thread.
class PodLogSet : public QObject
{
    Q_OBJECT
public:
    PodLogSet(K8sClient *client, const PodLogSetOptions &options, QObject *parent = nullptr);
    ~PodLogSet() override;

    /// A pod was added or changed (the Pod object's JSON). Ignored when it is not a Pod.
    void applyPod(const QByteArray &podJson);
    /// The pod "namespace/name" was deleted.
    void removePod(const QString &podKey);
    /// A pod Informer's batch (Informer::changes): Added/Modified → applyPod, Deleted →
    /// removePod. Wiring: connect(&informer, &Informer::changes, &set, &PodLogSet::applyChanges).
    void applyChanges(const QList<WatchChange> &batch);
    /// Stops every stream and releases everything buffered.
    void stop();

    /// "ns/pod/container" of every stream currently held, sorted.
    QStringList streamKeys() const;
    const LogMerger &merger() const { return m_merger; }

Q_SIGNALS:
    void lines(const QList<MergedLogLine> &batch);
    /// `streamKey` is "ns/pod/container", or "ns/pod" for pod-level news.
    void statusChanged(const QString &streamKey, const QString &text);

private:
    struct Container
    {
        ContainerLogStream *stream = nullptr;
        QString waitingReason; ///< last reported
        bool untimestampedReported = false;
    };

    void applyContainer(const PodStatusInfo &pod, const ContainerStatusInfo &container);
    void startStream(const PodStatusInfo &pod, const ContainerStatusInfo &container, bool fromStart);
    void handleLines(const QString &key, const QList<KubeLogLine> &batch);
    void releaseReady();
    void scheduleRelease();
    bool wanted(const ContainerStatusInfo &container) const;

    QPointer<K8sClient> m_client;
    PodLogSetOptions m_options;
    LogMerger m_merger;
    QElapsedTimer m_clock;
    QTimer *m_releaseTimer = nullptr;
    QHash<QString, Container> m_containers; ///< by "ns/pod/container"
};
