#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

class QSocketNotifier;
class QTimer;

/// One child process on a pseudo terminal (forkpty): the "container process" of the demo's exec
/// with tty=true and of attach. Linux/Unix only; single-threaded (the thread that started it).
///
/// start() forks with the terminal size already set (so the first `stty size` is right), a fresh
/// session (the child is the session leader and its own process group), the given argv, a
/// complete environment and working directory, every signal disposition reset to default (Qt
/// ignores SIGPIPE; exec would keep that) and no inherited descriptors beyond 0-2. The master is
/// non-blocking: output is read on a QSocketNotifier and emitted in chunks of at most MaxChunk
/// bytes; input is written as far as the terminal takes it and the rest buffered (up to
/// MaxPendingInput; beyond that input is dropped and counted).
///
/// Exit: the child is reaped through a pidfd (pidfd_open, a QSocketNotifier; a 50 ms waitpid
/// timer where pidfds are unavailable), never through SIGCHLD, so it does not interfere with
/// QProcess. finished() comes once, after the child was reaped AND its output drained: the master
/// reports EIO (every slave descriptor closed), or DrainMs passed since the exit (a background
/// job still holds the terminal). Killed by signal N → exitCode 128+N, like a container runtime.
///
/// hangup() sends SIGHUP to the process group, and SIGKILL after KillAfterHangupMs if the child is
/// still there. The destructor SIGKILLs a child that is still running and reaps it (blocking on
/// waitpid, which a SIGKILLed process satisfies at once): no zombie outlives the object.
class FakePtyProcess : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype MaxChunk = 32 * 1024;
    static constexpr qsizetype MaxPendingInput = 4 * 1024 * 1024;
    static constexpr int KillAfterHangupMs = 2000;
    static constexpr int DrainMs = 200;

    struct Spec
    {
        QString program;          ///< absolute path of the executable (resolved by the caller)
        QStringList argv;         ///< argv[0] included
        QStringList environment;  ///< "NAME=value", the child's whole environment
        QString workingDirectory;
        int columns = 80;
        int rows = 24;
    };

    explicit FakePtyProcess(QObject *parent = nullptr);
    ~FakePtyProcess() override;

    /// Forks and execs. False (and `error`) when the pty or the fork fails; an exec failure in
    /// the child shows as a message on the terminal and exit code 127.
    bool start(const Spec &spec, QString *error = nullptr);
    qint64 pid() const { return m_pid; }
    /// Started and not yet reaped.
    bool isRunning() const { return m_pid > 0 && !m_reaped; }
    bool hasFinished() const { return m_finishedEmitted; }

    void write(const QByteArray &bytes);
    /// TIOCSWINSZ on the master: the kernel sends SIGWINCH to the terminal's foreground group.
    void resize(int columns, int rows);
    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    /// End of input on a terminal: when the line discipline is canonical (a shell reading a line,
    /// `cat`), writes its VEOF character (normally ^D) once, after any buffered input; a program
    /// in raw mode (vi, top) has no end of input, so nothing is written. Returns whether it wrote.
    bool sendEndOfInput();
    /// Backpressure: while paused the master is not read (the child blocks once the pty is full).
    void setOutputPaused(bool paused);
    void hangup();
    qint64 droppedInputBytes() const { return m_droppedInput; }

Q_SIGNALS:
    void output(const QByteArray &bytes);
    void finished(int exitCode);

private:
    void readMaster();
    void flushInput();
    void checkExited();
    void maybeFinish();
    void closeMaster();

    qint64 m_pid = -1;
    int m_master = -1;
    int m_pidfd = -1;
    int m_columns = 80;
    int m_rows = 24;
    int m_exitCode = 0;
    bool m_reaped = false;
    bool m_masterEof = false;
    bool m_paused = false;
    bool m_finishedEmitted = false;
    qint64 m_droppedInput = 0;
    QByteArray m_pendingInput;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QSocketNotifier *m_exitNotifier = nullptr;
    QTimer *m_pollTimer = nullptr;   ///< waitpid polling without pidfd
    QTimer *m_drainTimer = nullptr;
    QTimer *m_killTimer = nullptr;
};
