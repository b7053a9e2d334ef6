#pragma once

#include "fake_stream_request.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <memory>

class FakePtyProcess;
class QProcess;
class QTemporaryDir;
class QTimer;
class QWebSocket;

/// One exec or attach session of the fake cluster on an upgraded WebSocket (protocols.md 4.3),
/// created by FakeExecService after the handshake. Owns the socket; deletes itself (deleteLater)
/// after the socket closed, emitting ended() first.
///
/// Wire behaviour, like the kubelet's: an empty message on the lowest writable channel right
/// after the upgrade (stdout, else stderr, else error); stdout on 1, stderr on 2 (tty=false only;
/// with a tty the streams are merged); stdin from 0; resize `{"Width":W,"Height":H}` from 4; the
/// outcome once on 3 (metav1.Status for v4/v5, plain text for the older dialects, nothing for
/// success there), then close 1000. A message on an unknown channel is ignored.
///
/// Exec: the command (argv, no shell parsing) runs as a real local process, as the current user,
/// with a container-like environment (PATH, HOME and the working directory in a private temporary
/// directory per session, HOSTNAME=<pod>, TERM=xterm-256color with a tty, USER, LANG, PS1 naming
/// the pod); bash is started with --norc --noprofile so that PS1 sticks. An executable missing from
/// PATH (bash on pods without bash) gives the containerd "executable file not found in $PATH"
/// Failure. tty=true: a FakePtyProcess, started once the first resize arrived (or after
/// FirstResizeWaitMs, at 80x24) so its size is right from the first byte. tty=false: a QProcess
/// with separate stdout and stderr. v5 CLOSE (`ff 00`) ends input: tty=false closes the process's
/// stdin; tty=true writes the terminal's EOF character once if the terminal is in canonical mode
/// (see FakePtyProcess::sendEndOfInput), which is what a user's ^D does. Exit status 0 → Success,
/// else NonZeroExitCode (128+N when killed by signal N).
/// When the client goes away first, the process gets SIGHUP (process group; SIGKILL after 2 s) and
/// is handed to the session's parent, which keeps it until it is reaped.
///
/// Attach: the container's main process (shared, owned by the service) is not started or stopped
/// here; its output from now on goes to stdout, stdin goes to it, resizes apply to its terminal,
/// a v5 CLOSE is ignored (other sessions share the input). A client that does not keep up loses
/// attach output (counted) instead of stalling the others.
///
/// Backpressure (exec with tty): while more than MaxBufferedOutput bytes wait in the socket, the
/// pty is not read.
class FakeExecSession : public QObject
{
    Q_OBJECT
public:
    static constexpr int FirstResizeWaitMs = 100;
    static constexpr qint64 MaxBufferedOutput = 1024 * 1024;
    static constexpr int CloseTimeoutMs = 5000;

    /// Exec. `parent` must outlive the process (it adopts a dying one).
    FakeExecSession(QWebSocket *socket, const FakeStreamRequest &request, QObject *parent);
    /// Attach to `mainProcess` (not owned; may be destroyed first).
    FakeExecSession(QWebSocket *socket, const FakeStreamRequest &request, FakePtyProcess *mainProcess,
                    QObject *parent);
    ~FakeExecSession() override;

    const FakeStreamRequest &request() const { return m_request; }
    /// SIGKILL to a piped command's process group, then waits for it (the destructors' clean-up).
    static void killAndReap(QProcess *process);
    /// Drops the TCP connection without a close frame (a network failure, for tests).
    void drop();
    qint64 droppedOutputBytes() const { return m_droppedOutput; }
    /// The socket closed (ended() was emitted; the object is about to be deleted).
    bool hasEnded() const { return m_ended; }

Q_SIGNALS:
    void ended();

private:
    void setUpSocket();
    void sendInitialFrame();
    void send(quint8 channel, const QByteArray &payload);
    void sendOutput(quint8 channel, const QByteArray &bytes);
    void handleMessage(const QByteArray &message);
    void finish(const QByteArray &statusJson);
    void startExec();
    void startPty(const QString &program, const QStringList &argv, const QStringList &environment);
    void startPipes(const QString &program, const QStringList &argv, const QStringList &environment);
    void handleExit(int exitCode);
    void closeInput();
    void updateBackpressure();
    void handleDisconnected();

    QWebSocket *m_socket = nullptr;
    FakeStreamRequest m_request;
    QPointer<FakePtyProcess> m_pty;       ///< exec with tty (owned), or attach (shared)
    QPointer<QProcess> m_process;         ///< exec without tty (owned)
    std::unique_ptr<QTemporaryDir> m_home;
    QTimer *m_resizeWait = nullptr;
    FakeExecProtocol::Size m_size{80, 24};
    bool m_attach = false;
    bool m_started = false;
    bool m_finished = false;
    bool m_ended = false;
    qint64 m_droppedOutput = 0;
};
