#pragma once

#include "k8s_exec_spec.h"

#include <QObject>
#include <QTimer>

#include <optional>

class K8sEnvironment;
class K8sPortForward;
class QSocketNotifier;

/// `livedash --headless 'k8s:forward/POD/LOCAL:REMOTE[,...]'`: forwards 127.0.0.1:LOCAL to the
/// pod's REMOTE port until --duration or SIGINT/SIGTERM (exit 0), printing one JSON object per
/// line on stdout for each event, "ts" in RFC 3339 UTC with milliseconds:
///   {"type":"forward","event":"listening","ts":T,"local":"127.0.0.1:PORT","pod":"NS/POD","remote":R}
///   {"type":"forward","event":"opened","ts":T,"local":...,"remote":R,"id":N,"peer":"127.0.0.1:P"}
///   {"type":"forward","event":"closed","ts":T,"local":...,"remote":R,"id":N,"bytesIn":B,"bytesOut":B[,"error":"..."]}
/// (bytesIn: from the pod to the local peer; ids count per mapping, "local" tells mappings apart).
/// Errors from the pod's side and other notices go to stderr as "livedash: TEXT". A port that
/// cannot be listened on, or a context that cannot be resolved: message on stderr, exit 1.
class HeadlessForward : public QObject
{
    Q_OBJECT
public:
    HeadlessForward(K8sEnvironment *environment, const K8sExecSpec &spec, std::optional<double> durationSeconds,
                    QObject *parent = nullptr);
    ~HeadlessForward() override;

    /// False (after printing why) when a forward cannot start; then finished() never comes.
    bool start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void printEvent(K8sPortForward *forward, const char *event, const QByteArray &fields);
    void finish(int exitCode);

    K8sEnvironment *m_environment;
    K8sExecSpec m_spec;
    std::optional<double> m_durationSeconds;
    QList<K8sPortForward *> m_forwards;
    QTimer m_duration;
    QSocketNotifier *m_signals = nullptr;
    bool m_finished = false;
};
