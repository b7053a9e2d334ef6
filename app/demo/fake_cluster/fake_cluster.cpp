#include "fake_cluster.h"

#include "demo_logging.h"
#include "demo_server.h"
#include "fake_discovery.h"
#include "fake_exec_service.h"
#include "http_request.h"
#include "http_responder.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#include <QFile>
#endif

namespace {

QByteArray randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return bytes.toHex();
}

bool isTrue(const QString &value)
{
    return value == QLatin1String("true") || value == QLatin1String("1");
}

} // namespace

FakeCluster::FakeCluster(DemoServer *server)
    : QObject(server)
    , m_server(server)
    , m_token(randomToken())
    , m_logTimer(new QTimer(this))
    , m_replaceTimer(new QTimer(this))
    , m_restartTimer(new QTimer(this))
{
    m_exec = new FakeExecService([this](const QString &ns, const QString &name) { return m_pods.contains(ns + QLatin1Char('/') + name); },
                                 this);
    connect(this, &FakeCluster::podChanged, this, [this](const QString &type, const QString &ns, const QString &name) {
        if (type == QLatin1String("DELETED"))
            m_exec->handlePodDeleted(ns, name);
    });
    const auto handler = [this](const HttpRequest &request, HttpResponder *responder) { handle(request, responder); };
    for (const char *prefix : {"/api", "/apis", "/version", "/openapi"})
        server->addPrefixRoute(QString::fromLatin1(prefix), handler);

    m_logTimer->setInterval(50);
    connect(m_logTimer, &QTimer::timeout, this, &FakeCluster::generateLogs);
    connect(m_replaceTimer, &QTimer::timeout, this, &FakeCluster::replaceOnePod);
    connect(m_restartTimer, &QTimer::timeout, this, &FakeCluster::restartOneContainer);
}

void FakeCluster::ensureStarted() const
{
    if (m_started)
        return;
    auto *self = const_cast<FakeCluster *>(this);
    self->m_started = true;
    self->seed();
    self->m_logTimer->start();
    if (m_periods.replacePodMs > 0)
        self->m_replaceTimer->start(m_periods.replacePodMs);
    if (m_periods.restartContainerMs > 0)
        self->m_restartTimer->start(m_periods.restartContainerMs);
}

qint64 FakeCluster::resourceVersion() const
{
    ensureStarted();
    return m_rv;
}

FakeCluster::~FakeCluster() = default;

QString FakeCluster::serverUrl() const
{
    if (!m_caPem.isEmpty() && m_server->httpsPort() != 0)
        return QStringLiteral("https://127.0.0.1:") + QString::number(m_server->httpsPort());
    return QStringLiteral("http://127.0.0.1:") + QString::number(m_server->httpPort());
}

QString FakeCluster::kubeconfigYaml() const
{
    return QStringLiteral("apiVersion: v1\n"
                          "kind: Config\n"
                          "clusters:\n"
                          "- name: livedash-demo\n"
                          "  cluster:\n"
                          "    server: %1\n"
                          "%3"
                          "contexts:\n"
                          "- name: livedash-demo\n"
                          "  context:\n"
                          "    cluster: livedash-demo\n"
                          "    user: livedash-demo\n"
                          "    namespace: default\n"
                          "current-context: livedash-demo\n"
                          "users:\n"
                          "- name: livedash-demo\n"
                          "  user:\n"
                          "    token: %2\n"
                          "preferences: {}\n")
        .arg(serverUrl(), QString::fromLatin1(m_token),
             serverUrl().startsWith(QLatin1String("https:"))
                 ? QStringLiteral("    certificate-authority-data: ") + QString::fromLatin1(m_caPem.toBase64()) + QLatin1Char('\n')
                 : QString());
}

QString FakeCluster::writeKubeconfig(const QString &path, QString *error) const
{
    QString target = path;
    if (target.isEmpty()) {
        // The runtime directory is private to the user (0700); /tmp is shared.
        QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
        if (dir.isEmpty())
            dir = QDir::tempPath();
        target = QDir(dir).filePath(QStringLiteral("livedash-demo-%1.kubeconfig").arg(m_server->httpPort()));
    }
    target = QFileInfo(target).absoluteFilePath();
    const QByteArray bytes = kubeconfigYaml().toUtf8();
#ifdef Q_OS_UNIX
    const QByteArray native = QFile::encodeName(target);
    // Created 0600 (umask can only narrow it); an existing file is truncated and narrowed to 0600
    // before a byte of the token is written.
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        if (error)
            *error = QStringLiteral("cannot create %1: %2").arg(target, QString::fromLocal8Bit(std::strerror(errno)));
        return {};
    }
    bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0;
    qsizetype done = 0;
    while (ok && done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? n : 0;
    }
    const QString reason = QString::fromLocal8Bit(std::strerror(errno));
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(target, reason);
        return {};
    }
#else
    QFile file(target);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) || file.write(bytes) != bytes.size()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(target, file.errorString());
        return {};
    }
#endif
    return target;
}

void FakeCluster::sendJson(HttpResponder *responder, int status, const QJsonObject &object)
{
    responder->respond(status, "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void FakeCluster::sendStatus(HttpResponder *responder, int code, const QString &reason, const QString &message)
{
    responder->respond(code, "application/json", FakeObjects::statusBytes(code, reason, message));
}

void FakeCluster::trackStream(HttpResponder *responder)
{
    m_streams.removeIf([](const QPointer<HttpResponder> &r) { return r.isNull() || !r->isConnected(); });
    m_streams.append(responder);
    if (m_randomCuts) {
        QTimer::singleShot(int(m_cutRandom.bounded(200, 3000)), responder, [responder] { responder->abort(); });
    }
}

int FakeCluster::openStreams() const
{
    int n = 0;
    for (const QPointer<HttpResponder> &r : m_streams)
        n += (r && r->isConnected()) ? 1 : 0;
    return n;
}

void FakeCluster::handle(const HttpRequest &request, HttpResponder *responder)
{
    if (m_silent) {
        m_silenced.append(responder);
        return;
    }
    ensureStarted();
    if (m_authRequired && request.header("Authorization") != "Bearer " + m_token
        && !(request.hasHeader("Upgrade")
             && FakeExecProtocol::bearerTokenFromProtocols(FakeExecProtocol::offeredProtocols(request.header("Sec-WebSocket-Protocol")))
                 == m_token)) {
        sendStatus(responder, 401, QStringLiteral("Unauthorized"), QStringLiteral("Unauthorized"));
        return;
    }
    const bool streamSubresource = request.path.endsWith(QLatin1String("/exec")) || request.path.endsWith(QLatin1String("/attach"))
        || request.path.endsWith(QLatin1String("/portforward"));
    if (request.method != "GET" && !streamSubresource) {
        sendStatus(responder, 405, QStringLiteral("MethodNotAllowed"),
                   QStringLiteral("the server does not allow this method on the requested resource"));
        return;
    }
    const QString path = request.path.endsWith(QLatin1Char('/')) && request.path.size() > 1 ? request.path.chopped(1)
                                                                                             : request.path;
    const QByteArray discovery = FakeDiscovery::document(path);
    if (!discovery.isEmpty()) {
        responder->respond(200, "application/json", discovery);
        return;
    }

    QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString groupVersion;
    if (parts.size() >= 2 && parts[0] == QLatin1String("api")) {
        groupVersion = parts[1];
        parts = parts.mid(2);
    } else if (parts.size() >= 3 && parts[0] == QLatin1String("apis")) {
        groupVersion = parts[1] + QLatin1Char('/') + parts[2];
        parts = parts.mid(3);
    } else {
        sendStatus(responder, 404, QStringLiteral("NotFound"), QStringLiteral("the server could not find the requested resource"));
        return;
    }
    QString ns;
    if (parts.size() >= 3 && parts[0] == QLatin1String("namespaces")) {
        ns = parts[1];
        parts = parts.mid(2);
    }
    const FakeResource *resource = parts.isEmpty() ? nullptr : FakeDiscovery::find(groupVersion, parts[0]);
    if (!resource || parts.size() > 3 || (!ns.isEmpty() && !resource->namespaced)) {
        sendStatus(responder, 404, QStringLiteral("NotFound"), QStringLiteral("the server could not find the requested resource"));
        return;
    }
    const QString name = parts.value(1);
    if (parts.size() == 3 && resource->name == QLatin1String("pods") && !ns.isEmpty()
        && (parts[2] == QLatin1String("exec") || parts[2] == QLatin1String("attach") || parts[2] == QLatin1String("portforward"))) {
        const FakePod *pod = findPod(name, ns);
        if (!pod) {
            QJsonObject body = FakeObjects::status(404, QStringLiteral("NotFound"), QStringLiteral("pods \"%1\" not found").arg(name));
            body.insert(QStringLiteral("details"), QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("kind"), QStringLiteral("pods")}});
            sendJson(responder, 404, body);
            return;
        }
        m_exec->serve(request, responder, *pod, parts[2]);
        return;
    }
    if (request.method != "GET") {
        sendStatus(responder, 405, QStringLiteral("MethodNotAllowed"),
                   QStringLiteral("the server does not allow this method on the requested resource"));
        return;
    }
    if (parts.size() == 3) {
        if (resource->name != QLatin1String("pods") || parts[2] != QLatin1String("log") || ns.isEmpty()) {
            sendStatus(responder, 404, QStringLiteral("NotFound"), QStringLiteral("the server could not find the requested resource"));
            return;
        }
        serveLog(request, responder, ns, name);
        return;
    }
    serveResource(request, responder, *resource, ns, name);
}

void FakeCluster::serveResource(const HttpRequest &request, HttpResponder *responder, const FakeResource &resource,
                                const QString &ns, const QString &name)
{
    FakeSelector selector;
    QString error;
    if (!selector.parse(request.query.queryItemValue(QStringLiteral("labelSelector"), QUrl::FullyDecoded),
                        request.query.queryItemValue(QStringLiteral("fieldSelector"), QUrl::FullyDecoded), &error)) {
        sendStatus(responder, 400, QStringLiteral("BadRequest"), error);
        return;
    }
    const bool watch = isTrue(request.query.queryItemValue(QStringLiteral("watch")));
    if (name.isEmpty()) {
        if (watch)
            serveWatch(request, responder, resource, ns, selector);
        else
            serveList(request, responder, resource, ns, selector);
        return;
    }
    const QString key = resource.namespaced ? ns + QLatin1Char('/') + name : name;
    const auto objects = m_store.value(resource.name);
    const auto it = objects.constFind(key);
    if (it == objects.constEnd()) {
        QJsonObject body = FakeObjects::status(404, QStringLiteral("NotFound"),
                                               QStringLiteral("%1 \"%2\" not found").arg(resource.name, name));
        body.insert(QStringLiteral("details"), QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("kind"), resource.name}});
        sendJson(responder, 404, body);
        return;
    }
    if (FakeTable::wantsTable(request.header("Accept"))) {
        const auto include = FakeTable::parseInclude(request.query.queryItemValue(QStringLiteral("includeObject")));
        sendJson(responder, 200, FakeTable::table(resource.name, {it.value()}, include, QDateTime::currentMSecsSinceEpoch(),
                                                  QString::number(m_rv)));
        return;
    }
    sendJson(responder, 200, it.value());
}

void FakeCluster::cutStreams()
{
    const auto streams = m_streams;
    m_streams.clear();
    for (const QPointer<HttpResponder> &r : streams) {
        if (r)
            r->abort();
    }
}

void FakeCluster::cutStreamsRandomly(bool enabled, quint32 seed)
{
    m_randomCuts = enabled;
    m_cutRandom.seed(seed);
}

void FakeCluster::compactHistory()
{
    ensureStarted();
    m_history.clear();
    m_compactedRv = m_rv;
}

void FakeCluster::setExecProtocols(const QStringList &protocols)
{
    m_exec->setExecProtocols(protocols);
}

int FakeCluster::openExecSessions() const
{
    return m_exec->openSessions();
}

void FakeCluster::dropExecSessions()
{
    m_exec->dropSessions();
}

void FakeCluster::restart()
{
    cutStreams();
    dropExecSessions();
    const auto held = m_silenced;
    m_silenced.clear();
    for (const QPointer<HttpResponder> &r : held) {
        if (r)
            r->abort();
    }
}

void FakeCluster::setSilent(bool silent)
{
    m_silent = silent;
    m_silenced.removeIf([](const QPointer<HttpResponder> &r) { return r.isNull(); });
}

void FakeCluster::setLifePeriods(const LifePeriods &periods)
{
    ensureStarted();
    m_periods = periods;
    m_replaceTimer->stop();
    m_restartTimer->stop();
    if (periods.replacePodMs > 0)
        m_replaceTimer->start(periods.replacePodMs);
    if (periods.restartContainerMs > 0)
        m_restartTimer->start(periods.restartContainerMs);
}

void FakeCluster::setLogRates(double factor)
{
    m_logFactor = std::max(0.0, factor);
}
