#include "fake_exec_service.h"

#include "demo_logging.h"
#include "fake_exec_session.h"
#include "fake_pod_service.h"
#include "fake_port_forward.h"
#include "fake_pty.h"
#include "http_request.h"
#include "http_responder.h"

#include <QDir>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace FakeExecProtocol;

namespace {

bool isTrue(const QString &value)
{
    return value == QLatin1String("true") || value == QLatin1String("1");
}

/// Query values decoded the way Go's url.ParseQuery does it (the API server's): '+' is a space.
/// kubectl sends `command=echo+hi`; QUrlQuery alone would keep the '+'.
QStringList formValues(const HttpRequest &request, const QString &key)
{
    QStringList out;
    for (QString value : request.query.allQueryItemValues(key, QUrl::FullyEncoded))
        out.append(QUrl::fromPercentEncoding(value.replace(QLatin1Char('+'), QLatin1Char(' ')).toLatin1()));
    return out;
}

QString formValue(const HttpRequest &request, const QString &key)
{
    return formValues(request, key).value(0);
}

quint32 connectionKey(quint16 localPort, quint16 peerPort)
{
    return (quint32(localPort) << 16) | peerPort;
}

/// What the attach main process runs: a line per second, and what it reads, echoed.
const char MainProcessScript[] =
    "n=0\n"
    "( while :; do n=$((n+1)); printf '%s %s/%s: main process tick %d\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" "
    "\"$POD\" \"$CONTAINER\" \"$n\"; sleep 1; done ) &\n"
    "while :; do\n"
    "  while IFS= read -r line; do printf 'main process read: %s\\n' \"$line\"; done\n"
    "  sleep 1\n"
    "done\n";

QString containerList(const QList<FakeContainer> &containers)
{
    QStringList names;
    for (const FakeContainer &c : containers)
        names.append(c.name);
    return QLatin1Char('[') + names.join(QLatin1Char(' ')) + QLatin1Char(']');
}

} // namespace

FakeExecService::FakeExecService(std::function<bool(const QString &, const QString &)> podExists, QObject *parent)
    : QObject(parent)
    , m_podExists(std::move(podExists))
    , m_execProtocols(FakeExecProtocol::execProtocols())
{
}

FakeExecService::~FakeExecService()
{
    // Sessions first (their sockets close, their processes die), then the servers.
    for (const QPointer<FakeExecSession> &s : std::as_const(m_execSessions))
        delete s.data();
    for (const QPointer<FakePortForwardSession> &s : std::as_const(m_forwards))
        delete s.data();
    // Piped commands whose client went away and that are still dying (FakePtyProcess children
    // clean up in their own destructor).
    for (QProcess *process : findChildren<QProcess *>(QString(), Qt::FindDirectChildrenOnly)) {
        if (process->state() != QProcess::NotRunning)
            FakeExecSession::killAndReap(process);
    }
}

void FakeExecService::sendStatus(HttpResponder *responder, int code, const QString &reason, const QString &message)
{
    responder->respond(code, "application/json", FakeObjects::statusBytes(code, reason, message));
}

int FakeExecService::openSessions() const
{
    int n = int(m_pending.size());
    for (const auto &s : m_execSessions)
        n += s ? 1 : 0;
    for (const auto &s : m_forwards)
        n += s ? 1 : 0;
    return n;
}

void FakeExecService::dropSessions()
{
    for (const QPointer<FakeExecSession> &s : std::as_const(m_execSessions)) {
        if (s)
            s->drop();
    }
    for (const QPointer<FakePortForwardSession> &s : std::as_const(m_forwards)) {
        if (s)
            s->drop();
    }
}

bool FakeExecService::parseStreamParams(const HttpRequest &request, const FakePod &pod, FakeStreamRequest *out,
                                        HttpResponder *responder)
{
    const auto bad = [this, responder](const QString &message) {
        sendStatus(responder, 400, QStringLiteral("BadRequest"), message);
        return false;
    };
    out->ns = pod.ns;
    out->pod = pod.name;
    out->podUid = pod.uid;
    out->hasBash = pod.labels.value(QStringLiteral("app")) != QLatin1String("checkout");

    if (out->kind == FakeStreamRequest::Kind::PortForward) {
        QStringList values = formValues(request, QStringLiteral("ports"));
        values += formValues(request, QStringLiteral("port"));
        if (values.isEmpty())
            return bad(QStringLiteral("query parameter \"ports\" is required"));
        for (const QString &value : std::as_const(values)) {
            for (const QString &part : value.split(QLatin1Char(','))) {
                bool ok = false;
                const uint port = part.trimmed().toUInt(&ok);
                if (!ok || port < 1 || port > 65535)
                    return bad(QStringLiteral("unable to parse \"%1\" as a port").arg(value));
                out->ports.append(quint16(port));
            }
        }
        return true;
    }

    out->container = formValue(request, QStringLiteral("container"));
    if (out->container.isEmpty()) {
        if (pod.containers.size() != 1)
            return bad(QStringLiteral("a container name must be specified for pod %1, choose one of: %2")
                           .arg(pod.name, containerList(pod.containers)));
        out->container = pod.containers.first().name;
    }
    const FakeContainer *container = pod.container(out->container);
    if (!container)
        return bad(QStringLiteral("container %1 is not valid for pod %2").arg(out->container, pod.name));
    if (container->state != FakeContainer::State::Running)
        return bad(QStringLiteral("container not found (\"%1\")").arg(out->container));

    out->command = formValues(request, QStringLiteral("command"));
    out->stdinOpen = isTrue(formValue(request, QStringLiteral("stdin")));
    out->stdoutOpen = isTrue(formValue(request, QStringLiteral("stdout")));
    out->stderrOpen = isTrue(formValue(request, QStringLiteral("stderr")));
    out->tty = isTrue(formValue(request, QStringLiteral("tty")));
    if (out->kind == FakeStreamRequest::Kind::Exec && out->command.isEmpty())
        return bad(QStringLiteral("you must specify at least one command for the container"));
    if (!out->stdinOpen && !out->stdoutOpen && !out->stderrOpen)
        return bad(QStringLiteral("you must specify at least 1 of stdin, stdout, stderr"));
    if (out->tty)
        out->stderrOpen = false; // merged into stdout, as the kubelet does
    return true;
}

void FakeExecService::serve(const HttpRequest &request, HttpResponder *responder, const FakePod &pod,
                            const QString &subresource)
{
    FakeStreamRequest stream;
    stream.kind = subresource == QLatin1String("attach")        ? FakeStreamRequest::Kind::Attach
        : subresource == QLatin1String("portforward")           ? FakeStreamRequest::Kind::PortForward
                                                                : FakeStreamRequest::Kind::Exec;
    // Parameters first: kubectl falls back to SPDY when the WebSocket upgrade fails and shows the
    // fallback's error, so that error must name the real problem (e.g. a container not running).
    if (!parseStreamParams(request, pod, &stream, responder))
        return;
    const QByteArray upgrade = request.header("Upgrade").toLower();
    if (upgrade.contains("spdy")) {
        sendStatus(responder, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("the LiveDash demo cluster serves %1 over WebSocket only (SPDY/3.1 is not implemented)")
                       .arg(subresource));
        return;
    }
    if (request.method != "GET") {
        sendStatus(responder, 405, QStringLiteral("MethodNotAllowed"),
                   QStringLiteral("the server does not allow this method on the requested resource"));
        return;
    }
    if (upgrade != "websocket") {
        sendStatus(responder, 400, QStringLiteral("BadRequest"), QStringLiteral("Upgrade request required"));
        return;
    }

    QByteArray offeredHeader;
    for (const auto &header : request.headers) {
        if (header.first.compare("Sec-WebSocket-Protocol", Qt::CaseInsensitive) == 0)
            offeredHeader += (offeredHeader.isEmpty() ? "" : ",") + header.second;
    }
    const QStringList offered = offeredProtocols(offeredHeader);
    const QStringList supported = stream.kind == FakeStreamRequest::Kind::PortForward ? portForwardProtocols() : m_execProtocols;
    const std::optional<QString> chosen = choose(offered, supported);
    if (!chosen) {
        QStringList shown = supported;
        shown.removeAll(QString());
        sendStatus(responder, 403, QStringLiteral("Forbidden"),
                   QStringLiteral("requested protocol(s) are not supported: [%1]; supports [%2]")
                       .arg(offered.join(QLatin1Char(' ')), shown.join(QLatin1Char(' '))));
        return;
    }
    if (openSessions() >= MaxSessions) {
        sendStatus(responder, 429, QStringLiteral("TooManyRequests"),
                   QStringLiteral("the demo cluster allows %1 exec, attach and port-forward sessions at once").arg(MaxSessions));
        return;
    }
    stream.subprotocol = *chosen;
    stream.dialect = dialectOf(*chosen).value_or(Dialect::Channel);

    QTcpSocket *socket = responder->takeSocket();
    if (!socket) {
        responder->abort();
        return;
    }
    socket->setParent(this);
    const quint32 key = connectionKey(socket->localPort(), socket->peerPort());
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, socket, [socket] { socket->abort(); });
    timeout->start(HandshakeTimeoutMs);
    const QMetaObject::Connection gone = connect(socket, &QObject::destroyed, this, [this, key] { m_pending.remove(key); });
    m_pending.insert(key, Pending{stream, socket, timeout, gone});
    // The server emits readyRead itself (queued) since the request bytes are back in the buffer.
    serverFor(*chosen)->handleConnection(socket);
}

QWebSocketServer *FakeExecService::serverFor(const QString &subprotocol)
{
    if (QWebSocketServer *server = m_servers.value(subprotocol))
        return server;
    auto *server = new QWebSocketServer(QStringLiteral("LiveDash demo cluster"), QWebSocketServer::NonSecureMode, this);
    server->setSupportedSubprotocols(subprotocol.isEmpty() ? QStringList() : QStringList{subprotocol});
    connect(server, &QWebSocketServer::newConnection, this, [this, server] { handleNewConnections(server); });
    m_servers.insert(subprotocol, server);
    return server;
}

void FakeExecService::handleNewConnections(QWebSocketServer *server)
{
    while (QWebSocket *socket = server->nextPendingConnection()) {
        const quint32 key = connectionKey(socket->localPort(), socket->peerPort());
        const auto it = m_pending.find(key);
        if (it == m_pending.end() || !it->socket) {
            qCWarning(lcDemo) << "exec: an upgraded connection without a request; closing it";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        const Pending pending = it.value();
        m_pending.erase(it);
        disconnect(pending.gone);
        delete pending.timeout;
        startSession(socket, pending.socket, pending.request);
    }
}

void FakeExecService::startSession(QWebSocket *socket, QTcpSocket *tcp, const FakeStreamRequest &request)
{
    QObject *session = nullptr;
    if (request.kind == FakeStreamRequest::Kind::PortForward) {
        const QString podKey = request.ns + QLatin1Char('/') + request.pod;
        auto *forward = new FakePortForwardSession(
            socket, request, [this, podKey, name = request.pod](quint16 port) { return podServicePort(podKey, name, port); },
            this);
        m_forwards.removeIf([](const QPointer<FakePortForwardSession> &s) { return s.isNull(); });
        m_forwards.append(forward);
        session = forward;
    } else if (request.kind == FakeStreamRequest::Kind::Attach) {
        FakePtyProcess *main = mainProcess(request);
        auto *attach = new FakeExecSession(socket, request, main, this);
        connect(attach, &FakeExecSession::ended, this, &FakeExecService::retireMainProcesses, Qt::QueuedConnection);
        m_execSessions.removeIf([](const QPointer<FakeExecSession> &s) { return s.isNull(); });
        m_execSessions.append(attach);
        session = attach;
    } else {
        auto *exec = new FakeExecSession(socket, request, this);
        m_execSessions.removeIf([](const QPointer<FakeExecSession> &s) { return s.isNull(); });
        m_execSessions.append(exec);
        session = exec;
    }
    // The TCP socket outlives the QWebSocket that uses it: a child added after the socket is
    // destroyed after it (QWebSocketServer would also deleteLater it on disconnect).
    tcp->setParent(session);
}

FakePtyProcess *FakeExecService::mainProcess(const FakeStreamRequest &request)
{
    const QString key = request.key();
    if (FakePtyProcess *existing = m_mainProcesses.value(key); existing && !existing->hasFinished())
        return existing;
    auto *process = new FakePtyProcess(this);
    connect(process, &FakePtyProcess::finished, process, [this, key, process] {
        if (m_mainProcesses.value(key) == process)
            m_mainProcesses.remove(key);
        process->deleteLater();
    });
    FakePtyProcess::Spec spec;
    spec.program = QStandardPaths::findExecutable(QStringLiteral("sh"));
    if (spec.program.isEmpty())
        spec.program = QStringLiteral("/bin/sh");
    spec.argv = {QStringLiteral("sh"), QStringLiteral("-c"), QString::fromLatin1(MainProcessScript)};
    spec.environment = {QStringLiteral("PATH=") + qEnvironmentVariable("PATH", QStringLiteral("/usr/bin:/bin")),
                        QStringLiteral("HOME=/"), QStringLiteral("TERM=xterm-256color"),
                        QStringLiteral("HOSTNAME=") + request.pod, QStringLiteral("POD=") + request.pod,
                        QStringLiteral("CONTAINER=") + request.container};
    spec.workingDirectory = QDir::rootPath();
    QString error;
    if (!process->start(spec, &error))
        qCWarning(lcDemo) << "attach: cannot start the main process:" << error; // the sessions see no output
    m_mainProcesses.insert(key, process);
    return process;
}

void FakeExecService::retireMainProcesses()
{
    QSet<QString> attached;
    for (const QPointer<FakeExecSession> &s : std::as_const(m_execSessions)) {
        if (s && !s->hasEnded() && s->request().kind == FakeStreamRequest::Kind::Attach)
            attached.insert(s->request().key());
    }
    for (auto it = m_mainProcesses.begin(); it != m_mainProcesses.end();) {
        const FakePtyProcess *process = it.value();
        const QStringList parts = it.key().split(QLatin1Char('/'));
        if (process && !attached.contains(it.key()) && !m_podExists(parts.value(0), parts.value(1))) {
            it.value()->hangup(); // finished → deleteLater
            it = m_mainProcesses.erase(it);
        } else {
            ++it;
        }
    }
}

quint16 FakeExecService::podServicePort(const QString &podKey, const QString &podName, quint16 port)
{
    if (port != FakePodService::PodPort)
        return 0;
    FakePodService *service = m_podServices.value(podKey);
    if (!service) {
        service = new FakePodService(podName, this);
        if (!service->listen()) {
            qCWarning(lcDemo) << "port-forward: the pod service cannot listen";
            delete service;
            return 0;
        }
        m_podServices.insert(podKey, service);
    }
    return service->port();
}

void FakeExecService::handlePodDeleted(const QString &ns, const QString &name)
{
    const QString podKey = ns + QLatin1Char('/') + name;
    if (FakePodService *service = m_podServices.take(podKey))
        service->deleteLater();
    retireMainProcesses();
}
