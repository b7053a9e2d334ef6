#include "fake_pty.h"

#include <QFile>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace {

/// NUL-terminated copies of a string list and the char* array execve wants, made before fork()
/// (the child may only call async-signal-safe functions).
struct CStrings
{
    explicit CStrings(const QStringList &list)
    {
        for (const QString &s : list)
            storage.push_back(s.toLocal8Bit());
        for (QByteArray &s : storage)
            pointers.push_back(s.data());
        pointers.push_back(nullptr);
    }
    std::vector<QByteArray> storage;
    std::vector<char *> pointers;
};

int exitCodeOf(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

} // namespace

FakePtyProcess::FakePtyProcess(QObject *parent)
    : QObject(parent)
    , m_drainTimer(new QTimer(this))
    , m_killTimer(new QTimer(this))
{
    m_drainTimer->setSingleShot(true);
    m_drainTimer->setInterval(DrainMs);
    connect(m_drainTimer, &QTimer::timeout, this, [this] {
        if (m_paused) {
            m_drainTimer->start();
            return;
        }
        readMaster();
        m_masterEof = true;
        maybeFinish();
    });
    m_killTimer->setSingleShot(true);
    m_killTimer->setInterval(KillAfterHangupMs);
    connect(m_killTimer, &QTimer::timeout, this, [this] {
        if (isRunning()) {
            ::kill(pid_t(-m_pid), SIGKILL);
            ::kill(pid_t(m_pid), SIGKILL);
        }
    });
}

FakePtyProcess::~FakePtyProcess()
{
    if (isRunning()) {
        ::kill(pid_t(-m_pid), SIGKILL);
        ::kill(pid_t(m_pid), SIGKILL);
        int status = 0;
        while (::waitpid(pid_t(m_pid), &status, 0) < 0 && errno == EINTR) {
        }
        m_reaped = true;
    }
    closeMaster();
    if (m_pidfd >= 0)
        ::close(m_pidfd);
}

bool FakePtyProcess::start(const Spec &spec, QString *error)
{
    if (m_pid > 0) {
        if (error)
            *error = QStringLiteral("already started");
        return false;
    }
    m_columns = spec.columns;
    m_rows = spec.rows;
    const QByteArray program = QFile::encodeName(spec.program);
    const QByteArray cwd = QFile::encodeName(spec.workingDirectory);
    CStrings argv(spec.argv);
    CStrings env(spec.environment);
    const char execFailed[] = "exec failed\r\n";

    struct winsize size = {};
    size.ws_col = static_cast<unsigned short>(spec.columns);
    size.ws_row = static_cast<unsigned short>(spec.rows);
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
    if (pid < 0) {
        if (error)
            *error = QStringLiteral("forkpty: ") + QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    if (pid == 0) {
        // Child: async-signal-safe calls only.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        struct sigaction dfl = {};
        dfl.sa_handler = SIG_DFL;
        for (int s = 1; s < NSIG; ++s)
            sigaction(s, &dfl, nullptr);
        if (!cwd.isEmpty() && ::chdir(cwd.constData()) != 0)
            (void)::chdir("/");
        ::close_range(3, ~0U, 0);
        ::execve(program.constData(), argv.pointers.data(), env.pointers.data());
        (void)!::write(2, execFailed, sizeof(execFailed) - 1);
        ::_exit(127);
    }

    m_pid = pid;
    m_master = master;
    ::fcntl(m_master, F_SETFD, FD_CLOEXEC);
    ::fcntl(m_master, F_SETFL, ::fcntl(m_master, F_GETFL) | O_NONBLOCK);
    m_readNotifier = new QSocketNotifier(m_master, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &FakePtyProcess::readMaster);
    m_writeNotifier = new QSocketNotifier(m_master, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &FakePtyProcess::flushInput);

    // syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C".
#ifdef SYS_pidfd_open
    m_pidfd = int(::syscall(SYS_pidfd_open, pid, 0));
#endif
    if (m_pidfd >= 0) {
        ::fcntl(m_pidfd, F_SETFD, FD_CLOEXEC);
        m_exitNotifier = new QSocketNotifier(m_pidfd, QSocketNotifier::Read, this);
        connect(m_exitNotifier, &QSocketNotifier::activated, this, &FakePtyProcess::checkExited);
    } else {
        m_pollTimer = new QTimer(this);
        m_pollTimer->setInterval(50);
        connect(m_pollTimer, &QTimer::timeout, this, &FakePtyProcess::checkExited);
        m_pollTimer->start();
    }
    return true;
}

void FakePtyProcess::checkExited()
{
    if (!isRunning())
        return;
    int status = 0;
    const pid_t done = ::waitpid(pid_t(m_pid), &status, WNOHANG);
    if (done == 0 || (done < 0 && errno == EINTR))
        return;
    m_reaped = true;
    m_exitCode = done < 0 ? 255 : exitCodeOf(status);
    m_killTimer->stop();
    if (m_exitNotifier)
        m_exitNotifier->setEnabled(false);
    if (m_pollTimer)
        m_pollTimer->stop();
    if (!m_masterEof)
        readMaster();
    if (m_masterEof)
        maybeFinish();
    else
        m_drainTimer->start();
}

void FakePtyProcess::readMaster()
{
    if (m_master < 0 || m_masterEof)
        return;
    char buffer[MaxChunk];
    for (int i = 0; i < 8 && !m_paused && m_master >= 0; ++i) {
        const ssize_t n = ::read(m_master, buffer, sizeof(buffer));
        if (n > 0) {
            Q_EMIT output(QByteArray(buffer, qsizetype(n)));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        // 0 or EIO: every descriptor of the slave side is closed.
        m_masterEof = true;
        if (m_readNotifier)
            m_readNotifier->setEnabled(false);
        maybeFinish();
        return;
    }
}

void FakePtyProcess::maybeFinish()
{
    if (m_finishedEmitted || !m_reaped || !m_masterEof)
        return;
    m_finishedEmitted = true;
    m_drainTimer->stop();
    closeMaster();
    Q_EMIT finished(m_exitCode);
}

void FakePtyProcess::write(const QByteArray &bytes)
{
    if (m_master < 0 || bytes.isEmpty())
        return;
    const qsizetype room = MaxPendingInput - m_pendingInput.size();
    if (bytes.size() > room) {
        m_droppedInput += bytes.size() - std::max<qsizetype>(room, 0);
        if (room <= 0)
            return;
        m_pendingInput += bytes.first(room);
    } else {
        m_pendingInput += bytes;
    }
    flushInput();
}

void FakePtyProcess::flushInput()
{
    while (m_master >= 0 && !m_pendingInput.isEmpty()) {
        const ssize_t n = ::write(m_master, m_pendingInput.constData(), size_t(m_pendingInput.size()));
        if (n > 0) {
            m_pendingInput.remove(0, qsizetype(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            m_writeNotifier->setEnabled(true);
            return;
        }
        m_droppedInput += m_pendingInput.size();
        m_pendingInput.clear();
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
}

void FakePtyProcess::resize(int columns, int rows)
{
    m_columns = columns;
    m_rows = rows;
    if (m_master < 0)
        return;
    struct winsize size = {};
    size.ws_col = static_cast<unsigned short>(columns);
    size.ws_row = static_cast<unsigned short>(rows);
    ::ioctl(m_master, TIOCSWINSZ, &size);
}

bool FakePtyProcess::sendEndOfInput()
{
    if (m_master < 0)
        return false;
    struct termios modes = {};
    if (::tcgetattr(m_master, &modes) != 0 || !(modes.c_lflag & ICANON))
        return false;
    const cc_t eof = modes.c_cc[VEOF];
    if (eof == _POSIX_VDISABLE)
        return false;
    write(QByteArray(1, char(eof)));
    return true;
}

void FakePtyProcess::setOutputPaused(bool paused)
{
    m_paused = paused;
    if (m_readNotifier && !m_masterEof)
        m_readNotifier->setEnabled(!paused);
}

void FakePtyProcess::hangup()
{
    // Closing the master hangs the terminal up: the kernel sends SIGHUP to the session leader and
    // the foreground group, as when a terminal window closes. The group gets one as well.
    m_masterEof = true;
    closeMaster();
    if (!isRunning()) {
        maybeFinish();
        return;
    }
    ::kill(pid_t(-m_pid), SIGHUP);
    m_killTimer->start();
}

void FakePtyProcess::closeMaster()
{
    // Possibly called from a notifier's own activated(): disable now, delete later.
    for (QSocketNotifier **notifier : {&m_readNotifier, &m_writeNotifier}) {
        if (*notifier) {
            (*notifier)->setEnabled(false);
            (*notifier)->deleteLater();
            *notifier = nullptr;
        }
    }
    m_pendingInput.clear();
    if (m_master >= 0) {
        ::close(m_master);
        m_master = -1;
    }
}
