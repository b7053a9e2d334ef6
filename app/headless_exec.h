#pragma once

#include "k8s_exec_spec.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class K8sEnvironment;
class K8sExecSession;
class QCoreApplication;
class QSocketNotifier;
struct CliOptions;
struct TerminalExit;

/// True when the command line names a k8s:exec/, k8s:attach/ or k8s:forward/ source: main() then
/// runs runHeadlessK8sSession() instead of the HeadlessRunner.
bool isHeadlessK8sSession(const CliOptions &options);
/// Runs that source (exec/attach: HeadlessExec; forward: HeadlessForward) until it ends and
/// returns the process exit code. 2 when the source is not usable or not alone.
int runHeadlessK8sSession(const CliOptions &options, K8sEnvironment *environment, QCoreApplication &app);

/// `livedash --headless 'k8s:exec/POD[/CONTAINER]?command=...'` behaves like `kubectl exec`
/// without -t: our stdin → the remote stdin (read once the session is open; on EOF the input is
/// half-closed under v5.channel.k8s.io, under v4 it stays open), remote stdout → our stdout,
/// remote stderr → our stderr, and the exit code is the remote one (`sh -c 'exit 3'` → 3).
/// A failure before or instead of running, or a dropped connection (unknown outcome), prints
/// "livedash: MESSAGE" on stderr and exits 1. tty defaults to false, stdin to true
/// (tty=true / stdin=false in the source change that). Notices ("bash not found in the
/// container, using sh") go to stderr as "livedash: TEXT".
///
/// Input backpressure: stdin is not read while more than MaxPendingInputBytes wait to be sent.
class HeadlessExec : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 MaxPendingInputBytes = 4 << 20;

    HeadlessExec(K8sEnvironment *environment, const K8sExecSpec &spec, QObject *parent = nullptr);
    ~HeadlessExec() override;

    /// False (after printing why) when the session cannot be created; then finished() never comes.
    bool start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void handleOpened();
    void handleStdin();
    void handleFinished(const TerminalExit &exit);

    K8sEnvironment *m_environment;
    K8sExecSpec m_spec;
    K8sExecSession *m_session = nullptr;
    QSocketNotifier *m_stdin = nullptr;
    QTimer m_resumeInput; ///< re-enables stdin once the socket drained
    bool m_stdinEof = false;
};
