#pragma once

#include "backoff.h"
#include "k8s_error.h"
#include "log_line.h"
#include "log_resume.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrlQuery>

#include <optional>

class K8sClient;
class QNetworkReply;
class QTimer;

/// What to ask of one container's log (the query parameters of protocols.md 3). Plain value type.
struct ContainerLogOptions
{
    QString container;                ///< required when the pod has more than one container
    std::optional<int> tailLines;     ///< first connection only; never sent on resume
    std::optional<int> sinceSeconds;  ///< mutually exclusive with sinceTime (L3)
    std::optional<QString> sinceTime; ///< RFC 3339
    bool previous = false;            ///< the previous terminated instance (never followed)
    std::optional<qint64> limitBytes; ///< stop after about this many bytes
    bool follow = true;
    /// The container's restartCount as the owner last saw it; unset: learned from a pod GET before
    /// the first log request. A higher count on an EOF means the instance being followed ended.
    std::optional<int> restartCount;
};

/// Follows ONE container's log (GET /api/v1/namespaces/NS/pods/POD/log, follow=true,
/// timestamps=true) through a K8sClient, and keeps following across disconnects without losing
/// or doubling a line: LogResumeCursor remembers the last line, and every reconnect asks for
/// sinceTime = that line's second and drops the replayed part (never tailLines on resume).
///
/// Life cycle (stateChanged):
///   Connecting → Following; on EOF or a dropped connection: GET the pod
///     (…/pods/POD, containerStatuses[].state) unless setContainerRunning(false) said otherwise:
///       running, same restartCount → Resuming (reconnect with the cursor) → Following
///       restartCount increased → the old instance's tail (previous=true, sinceTime=cursor,
///         filtered), then the new instance from its start (protocols.md 3 step 4)
///       terminated → Ended;  pod gone (404) → Ended
///   400 "is waiting to start" (or "ContainerCreating"/"PodInitializing") → Waiting, retried
///     after 1 s, 2 s, ... 30 s; not an error.
///   400 otherwise (no container name: the Status lists the names, L4) → Failed + errorOccurred.
///   401 → client->credentialRejected() and one retry; a second 401 → Failed.
///   403 → Forbidden; 404 → Ended; 429 → waits Retry-After; network errors and 5xx → Resuming
///   with backoff (a connection that delivered new lines resets the backoff).
/// A non-follow request, a previous=true request or limitBytes reached ends at its EOF (the
/// partial last line, if any, is delivered as the last line); a followed stream's partial last
/// line is discarded on resume (it is replayed whole; LogResumeCursor).
///
/// Signals: lines() once per network read with the new lines (never empty, never a duplicate);
/// resumed() once per resume, when the replay met the cursor, or when the resumed connection
/// was quiet for ReplayQuietMs after its replay (nothing new was written meanwhile), or when the
/// stream ended first;
/// errorOccurred() with every refusal the user should see (Waiting is a state, not an error).
/// Server text in messages is escaped (Printable). Threading: the client's thread.
class ContainerLogStream : public QObject
{
    Q_OBJECT
public:
    /// A resumed follow whose replay held only duplicates reports the resume after this quiet
    /// time (the kubelet sends a replay at once; a follow then waits for new output).
    static constexpr int ReplayQuietMs = 300;

    enum class State { Idle, Connecting, Following, Resuming, Waiting, Ended, Forbidden, Failed };
    Q_ENUM(State)

    ContainerLogStream(K8sClient *client, const QString &namespaceName, const QString &podName,
                       const ContainerLogOptions &options, QObject *parent = nullptr);
    ~ContainerLogStream() override;

    /// Why these options cannot be sent (sinceSeconds with sinceTime, L3; bad numbers); nullopt
    /// when they can.
    static std::optional<QString> validate(const ContainerLogOptions &options);
    /// The query of the first request (resume: see resumeQuery()).
    static QUrlQuery firstQuery(const ContainerLogOptions &options);

    /// Starts following. Returns false (and emits errorOccurred, state Failed) when validate()
    /// refuses the options: nothing is sent then.
    bool start();
    /// Stops at once: aborts the request, cancels timers. No signal after it returns.
    void stop();
    /// The owner's knowledge of the container (from a pod watch). false: the next EOF ends the
    /// follow without asking the server; true: resume without the pod GET.
    void setContainerRunning(bool running);

    State state() const { return m_state; }
    QString podName() const { return m_pod; }
    QString containerName() const { return m_options.container; }
    const LogResumeCursor &cursor() const { return m_cursor; }
    /// The restartCount of the instance being followed; -1 while unknown.
    int restartCount() const { return m_options.restartCount.value_or(-1); }
    /// How many times the follow was resumed.
    int resumeCount() const { return m_resumes; }
    /// Milliseconds before the retry in Waiting/Resuming (exposed for status texts and tests).
    int lastRetryDelayMs() const { return m_lastDelayMs; }
    /// For tests: the backoff between retries.
    void setRetryPolicy(const BackoffPolicy &policy) { m_backoff.setPolicy(policy); }

Q_SIGNALS:
    void lines(const QList<KubeLogLine> &batch);
    void stateChanged(ContainerLogStream::State state);
    /// After a resume: reason ("end of stream", "connection lost: ...", "container restarted"),
    /// lost (always 0, see LogResumeCursor), duplicates skipped.
    void resumed(const QString &reason, int lost, int duplicatesSkipped);
    void errorOccurred(const K8sError &error);

private:
    enum class Phase { Normal, Previous, Fresh };

    void setState(State state);
    void connectLog();
    QUrlQuery currentQuery() const;
    void handleReply(QNetworkReply *reply);
    void handleReadyRead();
    void handleFinished();
    void handleRefused(const K8sError &error);
    void handleStreamEnded(const QString &reason);
    void checkPodThenContinue(const QString &reason);
    void continueAfterPod(const QByteArray &podJson, const QString &reason);
    void resumeLater(const QString &reason, int delayMs);
    void finishEnded();
    void emitResumedIfDone(bool force);
    void retryIn(int delayMs);
    QString logPath() const;
    QString podPath() const;

    QPointer<K8sClient> m_client;
    QString m_namespace;
    QString m_pod;
    ContainerLogOptions m_options;
    LogResumeCursor m_cursor;
    Backoff m_backoff;
    QTimer *m_retryTimer = nullptr;
    QTimer *m_replayQuietTimer = nullptr; ///< a replay with no new line: report it when quiet
    QPointer<QNetworkReply> m_reply;
    QPointer<QNetworkReply> m_podReply;
    State m_state = State::Idle;
    Phase m_phase = Phase::Normal;
    QByteArray m_errorBody;           ///< the body of a refused response (at most 64 KiB)
    bool m_statusChecked = false;     ///< this reply's HTTP status was looked at
    bool m_refused = false;           ///< this reply is a refusal (status != 200)
    bool m_firstConnection = true;    ///< tailLines/sinceSeconds/sinceTime only on the first
    bool m_retriedUnauthorized = false;
    bool m_resumePending = false;     ///< resumed() not emitted yet for the current resume
    QString m_resumeReason;
    std::optional<bool> m_runningHint;
    qint64 m_bytesThisInstance = 0;   ///< for limitBytes
    qint64 m_newLinesThisConnection = 0;
    int m_resumes = 0;
    int m_lastDelayMs = 0;
    bool m_stopped = false;
};
