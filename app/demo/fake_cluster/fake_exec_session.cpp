#include "fake_exec_session.h"

#include "demo_logging.h"
#include "fake_pty.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>

#include <csignal>
#include <pwd.h>
#include <unistd.h>

using namespace FakeExecProtocol;

namespace {

constexpr qsizetype MaxMessage = 32 * 1024;

QStringList hostPath()
{
    const QString path = qEnvironmentVariable("PATH");
    return (path.isEmpty() ? QStringLiteral("/usr/local/bin:/usr/bin:/bin") : path).split(QLatin1Char(':'), Qt::SkipEmptyParts);
}

QString randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

/// The executable for argv[0] as a container runtime would find it, or an empty string and the
/// containerd-style message.
QString resolveExecutable(const QString &name, bool hasBash, QString *error)
{
    const bool isBash = QFileInfo(name).fileName() == QLatin1String("bash");
    QString found;
    if (!(isBash && !hasBash)) {
        if (name.contains(QLatin1Char('/'))) {
            const QFileInfo info(name);
            if (info.isFile() && info.isExecutable())
                found = info.absoluteFilePath();
        } else {
            found = QStandardPaths::findExecutable(name, hostPath());
        }
    }
    if (!found.isEmpty())
        return found;
    const QString why = name.contains(QLatin1Char('/'))
        ? QStringLiteral("exec: \"%1\": stat %1: no such file or directory").arg(name)
        : QStringLiteral("exec: \"%1\": executable file not found in $PATH").arg(name);
    *error = QStringLiteral("Internal error occurred: error executing command in container: failed to exec in container: "
                            "failed to start exec \"%1\": OCI runtime exec failed: exec failed: unable to start container "
                            "process: %2: unknown")
                 .arg(randomHex(32), why);
    return {};
}

} // namespace

FakeExecSession::FakeExecSession(QWebSocket *socket, const FakeStreamRequest &request, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_request(request)
{
    setUpSocket();
    sendInitialFrame();
    if (m_request.tty) {
        // kubectl and our client send the size right after the upgrade; wait briefly for it.
        m_resizeWait = new QTimer(this);
        m_resizeWait->setSingleShot(true);
        connect(m_resizeWait, &QTimer::timeout, this, &FakeExecSession::startExec);
        m_resizeWait->start(FirstResizeWaitMs);
    } else {
        startExec();
    }
}

FakeExecSession::FakeExecSession(QWebSocket *socket, const FakeStreamRequest &request, FakePtyProcess *mainProcess,
                                 QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_request(request)
    , m_pty(mainProcess)
    , m_attach(true)
    , m_started(true)
{
    setUpSocket();
    sendInitialFrame();
    const quint8 channel = m_request.stdoutOpen ? StdoutChannel : StderrChannel;
    if (m_request.stdoutOpen || m_request.stderrOpen) {
        connect(mainProcess, &FakePtyProcess::output, this, [this, channel](const QByteArray &bytes) {
            if (m_socket->bytesToWrite() > MaxBufferedOutput) {
                m_droppedOutput += bytes.size();
                return;
            }
            sendOutput(channel, bytes);
        });
    }
    connect(mainProcess, &FakePtyProcess::finished, this, &FakeExecSession::handleExit);
}

FakeExecSession::~FakeExecSession()
{
    if (!m_attach && m_process && m_process->state() != QProcess::NotRunning)
        killAndReap(m_process);
}

void FakeExecSession::killAndReap(QProcess *process)
{
    const qint64 pid = process->processId();
    if (pid > 0)
        ::kill(pid_t(-pid), SIGKILL);
    process->kill();
    process->waitForFinished(2000);
}

void FakeExecSession::setUpSocket()
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingMessageSize(4 * 1024 * 1024);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &FakeExecSession::handleMessage);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { handleMessage(text.toUtf8()); });
    connect(m_socket, &QWebSocket::disconnected, this, &FakeExecSession::handleDisconnected);
    connect(m_socket, &QWebSocket::bytesWritten, this, &FakeExecSession::updateBackpressure);
}

void FakeExecSession::sendInitialFrame()
{
    const quint8 channel = m_request.stdoutOpen ? StdoutChannel : m_request.stderrOpen ? StderrChannel : ErrorChannel;
    send(channel, QByteArray());
}

void FakeExecSession::send(quint8 channel, const QByteArray &payload)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const QByteArray message = encode(m_request.dialect, channel, payload);
    if (isBase64(m_request.dialect))
        m_socket->sendTextMessage(QString::fromLatin1(message));
    else
        m_socket->sendBinaryMessage(message);
}

void FakeExecSession::sendOutput(quint8 channel, const QByteArray &bytes)
{
    if (m_finished)
        return;
    for (qsizetype at = 0; at < bytes.size(); at += MaxMessage)
        send(channel, bytes.mid(at, MaxMessage));
    updateBackpressure();
}

void FakeExecSession::updateBackpressure()
{
    if (m_attach || !m_pty)
        return;
    const qint64 pending = m_socket->bytesToWrite();
    if (pending > MaxBufferedOutput)
        m_pty->setOutputPaused(true);
    else if (pending < MaxBufferedOutput / 2)
        m_pty->setOutputPaused(false);
}

void FakeExecSession::handleMessage(const QByteArray &message)
{
    quint8 channel = 0;
    QByteArray payload;
    if (m_finished || !decode(m_request.dialect, message, &channel, &payload))
        return;
    switch (channel) {
    case StdinChannel:
        if (!m_request.stdinOpen || payload.isEmpty())
            return;
        if (m_pty)
            m_pty->write(payload);
        else if (m_process)
            m_process->write(payload);
        return;
    case ResizeChannel:
        if (const auto size = parseResize(payload); size && m_request.tty) {
            m_size = *size;
            if (m_pty)
                m_pty->resize(size->columns, size->rows);
            if (!m_started)
                startExec();
        }
        return;
    case CloseChannel:
        if (m_request.dialect == Dialect::V5 && payload.size() == 1 && payload.at(0) == char(StdinChannel) && !m_attach)
            closeInput();
        return;
    default:
        return; // unknown channels are ignored
    }
}

void FakeExecSession::closeInput()
{
    if (m_process) {
        m_process->closeWriteChannel();
    } else if (m_pty) {
        m_pty->sendEndOfInput();
    }
}

void FakeExecSession::startExec()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    if (m_resizeWait)
        m_resizeWait->stop();

    QString error;
    const QString program = resolveExecutable(m_request.command.value(0), m_request.hasBash, &error);
    if (program.isEmpty()) {
        finish(failureStatus(error, QStringLiteral("InternalError"), 500));
        return;
    }
    QStringList argv = m_request.command;
    const bool isBash = QFileInfo(program).fileName() == QLatin1String("bash");
    if (isBash)
        argv = QStringList{argv.first(), QStringLiteral("--norc"), QStringLiteral("--noprofile")} + argv.mid(1);

    const QString pattern = QDir::temp().filePath(QStringLiteral("livedash-exec-XXXXXX"));
    m_home = std::make_unique<QTemporaryDir>(pattern);
    const QString home = m_home->isValid() ? m_home->path() : QDir::tempPath();
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty()) {
        const struct passwd *entry = ::getpwuid(::geteuid());
        user = entry ? QString::fromLocal8Bit(entry->pw_name) : QStringLiteral("user");
    }
    QString lang = qEnvironmentVariable("LANG");
    if (lang.isEmpty())
        lang = QStringLiteral("C.UTF-8");
    QStringList env = {
        QStringLiteral("PATH=") + hostPath().join(QLatin1Char(':')),
        QStringLiteral("HOME=") + home,
        QStringLiteral("PWD=") + home,
        QStringLiteral("HOSTNAME=") + m_request.pod,
        QStringLiteral("USER=") + user,
        QStringLiteral("LOGNAME=") + user,
        QStringLiteral("LANG=") + lang,
        QStringLiteral("KUBERNETES_SERVICE_HOST=10.96.0.1"),
        QStringLiteral("KUBERNETES_SERVICE_PORT=443"),
        // bash expands the backslash escapes; a POSIX sh (dash) expands the parameters.
        QStringLiteral("PS1=") + (isBash ? QStringLiteral("\\u@%1:\\w\\$ ") : QStringLiteral("$USER@%1:$PWD$ ")).arg(m_request.pod),
    };
    if (m_request.tty)
        env.append(QStringLiteral("TERM=xterm-256color"));

    if (m_request.tty)
        startPty(program, argv, env);
    else
        startPipes(program, argv, env);
}

void FakeExecSession::startPty(const QString &program, const QStringList &argv, const QStringList &environment)
{
    auto *pty = new FakePtyProcess(this);
    m_pty = pty;
    connect(pty, &FakePtyProcess::output, this, [this](const QByteArray &bytes) {
        if (m_request.stdoutOpen)
            sendOutput(StdoutChannel, bytes);
    });
    connect(pty, &FakePtyProcess::finished, this, &FakeExecSession::handleExit);
    QString error;
    FakePtyProcess::Spec spec;
    spec.program = program;
    spec.argv = argv;
    spec.environment = environment;
    spec.workingDirectory = m_home && m_home->isValid() ? m_home->path() : QDir::tempPath();
    spec.columns = m_size.columns;
    spec.rows = m_size.rows;
    if (!pty->start(spec, &error)) {
        qCWarning(lcDemo) << "exec: cannot start a pty:" << error;
        finish(failureStatus(QStringLiteral("Internal error occurred: ") + error, QStringLiteral("InternalError"), 500));
    }
}

void FakeExecSession::startPipes(const QString &program, const QStringList &argv, const QStringList &environment)
{
    auto *process = new QProcess(this);
    m_process = process;
    process->setProgram(program);
    process->setArguments(argv.mid(1));
    QProcessEnvironment env;
    for (const QString &entry : environment) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        env.insert(entry.left(eq), entry.mid(eq + 1));
    }
    process->setProcessEnvironment(env);
    process->setWorkingDirectory(m_home && m_home->isValid() ? m_home->path() : QDir::tempPath());
    process->setChildProcessModifier([] {
        ::setsid(); // its own process group, so a hangup reaches its children too
        ::signal(SIGPIPE, SIG_DFL);
    });
    if (!m_request.stdinOpen)
        process->setStandardInputFile(QProcess::nullDevice());
    connect(process, &QProcess::readyReadStandardOutput, this, [this, process] {
        const QByteArray bytes = process->readAllStandardOutput();
        if (m_request.stdoutOpen)
            sendOutput(StdoutChannel, bytes);
    });
    connect(process, &QProcess::readyReadStandardError, this, [this, process] {
        const QByteArray bytes = process->readAllStandardError();
        if (m_request.stderrOpen)
            sendOutput(StderrChannel, bytes);
    });
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        if (m_request.stdoutOpen)
            sendOutput(StdoutChannel, process->readAllStandardOutput());
        if (m_request.stderrOpen)
            sendOutput(StderrChannel, process->readAllStandardError());
        handleExit(status == QProcess::CrashExit ? 128 + exitCode : exitCode);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(failureStatus(QStringLiteral("Internal error occurred: ") + process->errorString(),
                                 QStringLiteral("InternalError"), 500));
    });
    process->start(QIODevice::ReadWrite);
}

void FakeExecSession::handleExit(int exitCode)
{
    if (m_attach || exitCode == 0)
        finish(exitCode == 0 ? successStatus() : exitCodeStatus(exitCode, {QStringLiteral("attach")}));
    else
        finish(exitCodeStatus(exitCode, m_request.command));
}

void FakeExecSession::finish(const QByteArray &statusJson)
{
    if (m_finished)
        return;
    m_finished = true;
    const QByteArray payload = hasStatusJson(m_request.dialect) ? statusJson : plainErrorText(statusJson);
    if (!payload.isEmpty() || hasStatusJson(m_request.dialect))
        send(ErrorChannel, payload);
    m_socket->close(QWebSocketProtocol::CloseCodeNormal);
    QTimer::singleShot(CloseTimeoutMs, m_socket, [socket = m_socket] { socket->abort(); });
}

void FakeExecSession::drop()
{
    m_socket->abort();
}

void FakeExecSession::handleDisconnected()
{
    if (m_ended)
        return;
    m_ended = true;
    m_finished = true;
    if (!m_attach) {
        // The client went away while the command runs: hang it up, keep the object until reaped.
        QObject *keeper = parent();
        if (m_pty && !m_pty->hasFinished()) {
            FakePtyProcess *pty = m_pty;
            pty->disconnect(this);
            pty->setParent(keeper);
            connect(pty, &FakePtyProcess::finished, pty, &QObject::deleteLater);
            pty->hangup();
        }
        if (m_process && m_process->state() != QProcess::NotRunning) {
            QProcess *process = m_process;
            process->disconnect(this);
            process->setParent(keeper);
            connect(process, &QProcess::finished, process, &QObject::deleteLater);
            const qint64 pid = process->processId();
            if (pid > 0)
                ::kill(pid_t(-pid), SIGHUP);
            QTimer::singleShot(FakePtyProcess::KillAfterHangupMs, process, [process, pid] {
                if (pid > 0 && process->state() != QProcess::NotRunning)
                    ::kill(pid_t(-pid), SIGKILL);
                process->kill();
            });
        }
    }
    Q_EMIT ended();
    deleteLater();
}
