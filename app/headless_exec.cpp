#include "headless_exec.h"

#include "cli_options.h"
#include "headless_forward.h"
#include "k8s_exec_session.h"
#include "printable.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace {

void printError(const QString &text)
{
    const QByteArray line = "livedash: " + Printable::escaped(text).toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

/// Everything to `fd`, retrying short writes and EINTR; false when the descriptor refuses.
bool writeAll(int fd, const QByteArray &bytes)
{
    const char *p = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return false;
        }
        p += n;
        left -= n;
    }
    return true;
}

} // namespace

bool isHeadlessK8sSession(const CliOptions &options)
{
    for (const QUrl &url : options.urls)
        if (K8sExecSpec::isSessionUrl(url))
            return true;
    return false;
}

int runHeadlessK8sSession(const CliOptions &options, K8sEnvironment *environment, QCoreApplication &app)
{
    if (options.urls.size() != 1) {
        printError(QStringLiteral("k8s:exec/, k8s:attach/ and k8s:forward/ run alone, without other sources"));
        return 2;
    }
    QString error;
    const std::optional<K8sExecSpec> spec = K8sExecSpec::parse(options.urls.first(), &error);
    if (!spec) {
        printError(error);
        return 2;
    }
    if (spec->kind == K8sExecSpec::Kind::Forward) {
        HeadlessForward forward(environment, *spec, options.durationSeconds);
        QObject::connect(&forward, &HeadlessForward::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
        if (!forward.start())
            return 1;
        return app.exec();
    }
    if (options.durationSeconds || options.count) {
        printError(QStringLiteral("--duration and --count do not apply to k8s:exec/ and k8s:attach/"));
        return 2;
    }
    HeadlessExec exec(environment, *spec);
    QObject::connect(&exec, &HeadlessExec::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    if (!exec.start())
        return 1;
    return app.exec();
}

HeadlessExec::HeadlessExec(K8sEnvironment *environment, const K8sExecSpec &spec, QObject *parent)
    : QObject(parent)
    , m_environment(environment)
    , m_spec(spec)
{
    m_resumeInput.setInterval(10);
    connect(&m_resumeInput, &QTimer::timeout, this, [this] {
        if (!m_session || m_session->pendingInputBytes() > MaxPendingInputBytes / 2)
            return;
        m_resumeInput.stop();
        if (m_stdin && !m_stdinEof)
            m_stdin->setEnabled(true);
    });
}

HeadlessExec::~HeadlessExec() = default;

bool HeadlessExec::start()
{
    QString error;
    m_session = K8sExecSession::create(m_environment, m_spec, /*defaultTty=*/false, &error, this);
    if (!m_session) {
        printError(error);
        return false;
    }
    connect(m_session, &TerminalBackend::opened, this, &HeadlessExec::handleOpened);
    connect(m_session, &TerminalBackend::output, this, [](const QByteArray &bytes, TerminalBackend::Stream stream) {
        writeAll(stream == TerminalBackend::Stream::Stderr ? STDERR_FILENO : STDOUT_FILENO, bytes);
    });
    connect(m_session, &TerminalBackend::notice, this, [](const QString &text) { printError(text); });
    connect(m_session, &TerminalBackend::finished, this, &HeadlessExec::handleFinished);
    m_session->open(80, 24);
    return true;
}

void HeadlessExec::handleOpened()
{
    if (!m_session->acceptsInput() || m_stdin)
        return;
    m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_stdin, &QSocketNotifier::activated, this, &HeadlessExec::handleStdin);
}

void HeadlessExec::handleStdin()
{
    char buffer[64 * 1024];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        // EOF (or an unreadable stdin): the remote process reads EOF too, where the protocol can say so.
        m_stdinEof = true;
        m_stdin->setEnabled(false);
        m_session->closeInput();
        return;
    }
    m_session->write(QByteArray(buffer, qsizetype(n)));
    if (m_session->pendingInputBytes() > MaxPendingInputBytes) {
        m_stdin->setEnabled(false);
        m_resumeInput.start();
    }
}

void HeadlessExec::handleFinished(const TerminalExit &exit)
{
    if (m_stdin)
        m_stdin->setEnabled(false);
    m_resumeInput.stop();
    switch (exit.kind) {
    case TerminalExit::Kind::Exited:
        Q_EMIT finished(exit.exitCode.value_or(1));
        return;
    case TerminalExit::Kind::Failed:
    case TerminalExit::Kind::Dropped:
        printError(exit.message);
        Q_EMIT finished(1);
        return;
    case TerminalExit::Kind::Closed:
        Q_EMIT finished(0);
        return;
    }
}
