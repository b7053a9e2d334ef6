#include "headless_forward.h"

#include "event_json.h"
#include "k8s_port_forward.h"
#include "printable.h"

#include <QDateTime>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace {

int s_signalPipe[2] = {-1, -1};

void handleSignal(int)
{
    const int saved = errno;
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(s_signalPipe[1], &byte, 1);
    errno = saved;
}

/// SIGINT and SIGTERM become a readable byte on s_signalPipe[0] (self-pipe: the handler only writes).
bool installSignalPipe()
{
    if (s_signalPipe[0] < 0 && ::pipe2(s_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = handleSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

void printError(const QString &text)
{
    const QByteArray line = "livedash: " + Printable::escaped(text).toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

QByteArray jsonString(const QString &text)
{
    QByteArray out;
    appendJsonString(text.toUtf8(), out);
    return out;
}

void writeLine(const QByteArray &line)
{
    const char *p = line.constData();
    qsizetype left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, p, size_t(left));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return;
        p += n;
        left -= n;
    }
}

} // namespace

HeadlessForward::HeadlessForward(K8sEnvironment *environment, const K8sExecSpec &spec,
                                 std::optional<double> durationSeconds, QObject *parent)
    : QObject(parent)
    , m_environment(environment)
    , m_spec(spec)
    , m_durationSeconds(durationSeconds)
{
    m_duration.setSingleShot(true);
    connect(&m_duration, &QTimer::timeout, this, [this] { finish(0); });
}

HeadlessForward::~HeadlessForward()
{
    for (K8sPortForward *forward : m_forwards)
        forward->disconnect(this);
}

bool HeadlessForward::start()
{
    QString error;
    m_forwards = K8sPortForward::create(m_environment, m_spec, &error, this);
    if (m_forwards.isEmpty()) {
        printError(error.isEmpty() ? QStringLiteral("k8s:forward needs at least one port") : error);
        return false;
    }
    for (K8sPortForward *forward : m_forwards) {
        if (!forward->listen(&error)) {
            printError(error);
            return false;
        }
    }
    if (installSignalPipe()) {
        m_signals = new QSocketNotifier(s_signalPipe[0], QSocketNotifier::Read, this);
        connect(m_signals, &QSocketNotifier::activated, this, [this] {
            char drain[16];
            while (::read(s_signalPipe[0], drain, sizeof drain) > 0) {
            }
            finish(0);
        });
    }
    for (K8sPortForward *forward : m_forwards) {
        connect(forward, &K8sPortForward::notice, this, [](const QString &text) { printError(text); });
        connect(forward, &K8sPortForward::connectionOpened, this, [this, forward](int id) {
            const auto c = forward->connection(id);
            printEvent(forward, "opened", ",\"id\":" + QByteArray::number(id) + ",\"peer\":" + jsonString(c ? c->peer : QString()));
        });
        connect(forward, &K8sPortForward::connectionClosed, this, [this, forward](int id) {
            const auto c = forward->connection(id);
            if (!c)
                return;
            QByteArray fields = ",\"id\":" + QByteArray::number(id) + ",\"bytesIn\":" + QByteArray::number(c->bytesIn)
                                + ",\"bytesOut\":" + QByteArray::number(c->bytesOut);
            if (!c->error.isEmpty())
                fields += ",\"error\":" + jsonString(c->error);
            printEvent(forward, "closed", fields);
        });
        printEvent(forward, "listening",
                   ",\"pod\":" + jsonString(forward->namespaceName() + u'/' + forward->pod()));
    }
    if (m_durationSeconds)
        m_duration.start(qRound64(*m_durationSeconds * 1000.0));
    return true;
}

void HeadlessForward::printEvent(K8sPortForward *forward, const char *event, const QByteArray &fields)
{
    QByteArray line = "{\"type\":\"forward\",\"event\":\"" + QByteArray(event) + "\",\"ts\":\""
                      + rfc3339Ms(QDateTime::currentMSecsSinceEpoch()) + "\",\"local\":\"127.0.0.1:"
                      + QByteArray::number(forward->localPort()) + "\",\"remote\":" + QByteArray::number(forward->remotePort())
                      + fields + "}\n";
    writeLine(line);
}

void HeadlessForward::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_duration.stop();
    // Connections still open are reported as closed, with what they moved.
    for (K8sPortForward *forward : m_forwards)
        forward->stop();
    Q_EMIT finished(exitCode);
}
