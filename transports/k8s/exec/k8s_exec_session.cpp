#include "k8s_exec_session.h"

#include "k8s_client.h"
#include "k8s_environment.h"
#include "k8s_logging.h"
#include "k8s_websocket.h"
#include "printable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QWebSocket>

namespace {

const QStringList Offered = {QStringLiteral("v5.channel.k8s.io"), QStringLiteral("v4.channel.k8s.io")};

/// What a runtime says when the executable does not exist (containerd, CRI-O, Docker).
bool isExecutableMissing(const QString &message)
{
    return message.contains(QLatin1String("executable file not found"), Qt::CaseInsensitive)
           || message.contains(QLatin1String("no such file or directory"), Qt::CaseInsensitive);
}

QString seconds(qint64 ms)
{
    return ms % 1000 == 0 ? QString::number(ms / 1000) : QString::number(double(ms) / 1000.0, 'f', 1);
}

} // namespace

K8sExecSession::K8sExecSession(K8sClient *client, const QString &namespaceName, const K8sExecSpec &spec,
                               bool defaultTty, QObject *parent)
    : TerminalBackend(parent)
    , m_client(client)
    , m_namespace(namespaceName)
    , m_spec(spec)
    , m_tty(spec.tty.value_or(defaultTty))
    , m_stdin(spec.stdinEnabled.value_or(true))
{
    connect(&m_pingTimer, &QTimer::timeout, this, &K8sExecSession::handlePingTimer);
    m_lateTimer.setSingleShot(true);
    connect(&m_lateTimer, &QTimer::timeout, this, [this] {
        m_lateNoticed = true;
        Q_EMIT notice(QStringLiteral("no answer to ping for %1 s").arg(seconds(m_sinceActivity.elapsed() / 100 * 100)));
    });
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &K8sExecSession::handleDeadline);
}

K8sExecSession *K8sExecSession::create(K8sEnvironment *environment, const K8sExecSpec &spec, bool defaultTty,
                                       QString *error, QObject *parent)
{
    K8sError clientError;
    K8sClient *client = environment->client(spec.context, &clientError);
    if (!client) {
        if (error)
            *error = clientError.message;
        return nullptr;
    }
    return new K8sExecSession(client, environment->namespaceFor(client, spec.namespaceName), spec, defaultTty, parent);
}

K8sExecSession::~K8sExecSession()
{
    teardownSocket();
}

void K8sExecSession::setKeepAlive(int intervalMs, int timeoutMs)
{
    m_keepAliveIntervalMs = intervalMs;
    m_keepAliveTimeoutMs = timeoutMs;
}

QString K8sExecSession::path() const
{
    return QStringLiteral("/api/v1/namespaces/%1/pods/%2/%3")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_namespace)),
             QString::fromLatin1(QUrl::toPercentEncoding(m_spec.pod)),
             m_spec.kind == K8sExecSpec::Kind::Attach ? QStringLiteral("attach") : QStringLiteral("exec"));
}

QUrlQuery K8sExecSession::query() const
{
    auto flag = [](bool on) { return on ? QStringLiteral("true") : QStringLiteral("false"); };
    QUrlQuery q;
    if (m_spec.kind == K8sExecSpec::Kind::Exec)
        for (const QString &arg : command())
            q.addQueryItem(QStringLiteral("command"), QString::fromLatin1(QUrl::toPercentEncoding(arg)));
    if (!m_spec.container.isEmpty())
        q.addQueryItem(QStringLiteral("container"), m_spec.container);
    q.addQueryItem(QStringLiteral("stdin"), flag(m_stdin));
    q.addQueryItem(QStringLiteral("stdout"), flag(true));
    q.addQueryItem(QStringLiteral("stderr"), flag(!m_tty));
    q.addQueryItem(QStringLiteral("tty"), flag(m_tty));
    return q;
}

QString K8sExecSession::title() const
{
    QString target = m_spec.pod;
    if (!m_spec.container.isEmpty())
        target += u'/' + m_spec.container;
    const QString what = m_spec.kind == K8sExecSpec::Kind::Attach ? QStringLiteral("attach") : command().join(u' ');
    return Printable::escaped(QString(target + QStringLiteral(": ") + what));
}

QString K8sExecSession::reconnectHint() const
{
    if (m_spec.kind == K8sExecSpec::Kind::Attach)
        return QStringLiteral("reconnect attaches again");
    return m_spec.isShell() ? QStringLiteral("reconnect opens a new shell") : QStringLiteral("reconnect runs the command again");
}

qint64 K8sExecSession::pendingInputBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void K8sExecSession::open(int columns, int rows)
{
    if (state() == State::Connecting || state() == State::Open)
        return;
    m_columns = columns;
    m_rows = rows;
    m_openedEmitted = false;
    setState(State::Connecting);
    connectSocket();
}

void K8sExecSession::connectSocket()
{
    teardownSocket();
    const quint64 generation = m_generation;
    m_codec = ExecChannelCodec();
    m_subprotocol.clear();
    m_status.clear();
    m_sawOutput = false;
    m_failing = false;
    m_inputClosed = false;
    m_client->withCredentials(this, [this, generation](const std::optional<K8sError> &error) {
        if (generation != m_generation || state() != State::Connecting)
            return;
        if (error) {
            finish({TerminalExit::Kind::Failed, std::nullopt, error->message});
            return;
        }
        if (m_spec.container.isEmpty() && !m_containerResolved)
            resolveDefaultContainer(generation);
        else
            openSocket(generation);
    });
}

void K8sExecSession::resolveDefaultContainer(quint64 generation)
{
    // As kubectl: without a container, the pod's kubectl.kubernetes.io/default-container, else
    // its first container (a two-container pod refuses an exec that names none). If the pod
    // cannot be read, the exec goes out without a container and the server's answer is shown.
    m_containerResolved = true;
    const QString podPath = QStringLiteral("/api/v1/namespaces/%1/pods/%2")
                                .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_namespace)),
                                     QString::fromLatin1(QUrl::toPercentEncoding(m_spec.pod)));
    m_client->get(podPath, {}, QByteArrayLiteral("application/json"), false, this,
                  [this, generation](QNetworkReply *reply, const std::optional<K8sError> &) {
                      if (!reply) {
                          if (generation == m_generation && state() == State::Connecting)
                              openSocket(generation);
                          return;
                      }
                      connect(reply, &QNetworkReply::finished, this, [this, reply, generation] {
                          reply->deleteLater();
                          if (generation != m_generation || state() != State::Connecting)
                              return;
                          if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200) {
                              const QJsonObject pod = QJsonDocument::fromJson(reply->readAll()).object();
                              QStringList names;
                              for (const QJsonValue &c : pod.value(QLatin1String("spec")).toObject()
                                                             .value(QLatin1String("containers")).toArray())
                                  names << c.toObject().value(QLatin1String("name")).toString();
                              const QString annotated = pod.value(QLatin1String("metadata")).toObject()
                                                            .value(QLatin1String("annotations")).toObject()
                                                            .value(QLatin1String("kubectl.kubernetes.io/default-container"))
                                                            .toString();
                              const QString chosen = names.contains(annotated) ? annotated : names.value(0);
                              if (!chosen.isEmpty()) {
                                  m_spec.container = chosen;
                                  if (names.size() > 1)
                                      Q_EMIT notice(QStringLiteral("defaulted container \"%1\" out of: %2")
                                                        .arg(Printable::escaped(chosen),
                                                             Printable::escaped(names.join(QStringLiteral(", ")))));
                              }
                          }
                          openSocket(generation);
                      });
                  });
}

void K8sExecSession::openSocket(quint64 generation)
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, [this, generation] {
        if (generation == m_generation)
            handleConnected();
    });
    connect(socket, &QWebSocket::disconnected, this, [this, generation] {
        if (generation == m_generation)
            handleDisconnected();
    });
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, [this, generation] {
        if (generation == m_generation)
            handleSocketError();
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, generation](const QByteArray &message) {
        if (generation == m_generation)
            handleMessage(message, true);
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, generation](const QString &message) {
        if (generation == m_generation)
            handleMessage(message.toUtf8(), false);
    });
    connect(socket, &QWebSocket::pong, this, [this, generation] {
        if (generation == m_generation)
            noteActivity();
    });
    qCDebug(lcK8s).noquote() << "exec: opening" << path() << "of context" << m_client->context().contextName;
    K8sWebSocket::open(socket, m_client, m_client->apiUrl(path(), query()), Offered);
}

void K8sExecSession::handleConnected()
{
    m_subprotocol = m_socket->subprotocol();
    const std::optional<ExecChannelCodec::Protocol> protocol = ExecChannelCodec::protocolFor(m_subprotocol.toUtf8());
    if (!Offered.contains(m_subprotocol) || !protocol) {
        const QString chosen = m_subprotocol.isEmpty() ? QStringLiteral("none")
                                                       : QStringLiteral("'%1'").arg(Printable::escaped(m_subprotocol));
        finish({TerminalExit::Kind::Failed, std::nullopt,
                QStringLiteral("the server chose subprotocol %1, not one of %2 (server too old for WebSocket exec?)")
                    .arg(chosen, Offered.join(QStringLiteral(", ")))});
        return;
    }
    m_codec = ExecChannelCodec(*protocol);
    // The size goes out before any output is read, so `stty size` is right at once.
    if (m_tty)
        send(m_codec.encodeResize(m_columns, m_rows));
    setState(State::Open);
    if (m_keepAliveIntervalMs > 0) {
        m_pingTimer.start(m_keepAliveIntervalMs);
        noteActivity();
    }
    if (!m_openedEmitted) {
        m_openedEmitted = true;
        Q_EMIT opened();
    }
    if (!m_codec.canCloseInput() && m_stdin)
        Q_EMIT notice(QStringLiteral("server chose %1: stdin cannot be closed without ending the session").arg(m_subprotocol));
}

void K8sExecSession::handleMessage(QByteArrayView message, bool binary)
{
    if (state() != State::Open)
        return;
    noteActivity();
    const ExecChannelCodec::Decoded decoded = m_codec.decode(message, binary);
    switch (decoded.kind) {
    case ExecChannelCodec::Decoded::Kind::Connected:
    case ExecChannelCodec::Decoded::Kind::Ignored:
        return;
    case ExecChannelCodec::Decoded::Kind::Invalid:
        qCDebug(lcK8s).noquote() << "exec: ignored message:" << decoded.error;
        return;
    case ExecChannelCodec::Decoded::Kind::Data:
        break;
    }
    if (decoded.channel == ExecChannelCodec::ErrorChannel) {
        m_status += decoded.payload;
        const ExecStatus status = ExecChannelCodec::decodeStatus(m_status, m_codec.protocol());
        if (status.kind != ExecStatus::Kind::ProtocolError)
            handleStatus(status); // else wait: the Status may come in more than one message
        return;
    }
    if (decoded.payload.isEmpty())
        return;
    m_sawOutput = true;
    const Stream stream = decoded.channel == ExecChannelCodec::StderrChannel && !m_tty ? Stream::Stderr : Stream::Stdout;
    Q_EMIT output(decoded.payload, stream);
}

void K8sExecSession::handleStatus(const ExecStatus &status)
{
    if (status.kind == ExecStatus::Kind::Failure && m_spec.isShell() && !m_bashMissing && !m_sawOutput
        && isExecutableMissing(status.message)) {
        m_bashMissing = true;
        Q_EMIT notice(QStringLiteral("bash not found in the container, using sh"));
        m_pingTimer.stop();
        m_lateTimer.stop();
        m_deadline.stop();
        setState(State::Connecting);
        connectSocket();
        return;
    }
    switch (status.kind) {
    case ExecStatus::Kind::Success:
    case ExecStatus::Kind::ExitCode:
        finish({TerminalExit::Kind::Exited, status.exitCode, status.exitCode == 0 ? QString() : status.message});
        return;
    case ExecStatus::Kind::Failure:
        finish({TerminalExit::Kind::Failed, std::nullopt, status.message});
        return;
    case ExecStatus::Kind::ProtocolError:
        finish({TerminalExit::Kind::Failed, std::nullopt, QStringLiteral("protocol error: ") + status.message});
        return;
    }
}

void K8sExecSession::handleSocketError()
{
    if (state() == State::Connecting && !m_failing) {
        m_failing = true;
        const quint64 generation = m_generation;
        K8sWebSocket::describeFailure(m_client, m_socket, path(), query(), this, [this, generation](const K8sError &error) {
            if (generation != m_generation || state() == State::Finished)
                return;
            finish({TerminalExit::Kind::Failed, std::nullopt, error.message});
        });
        return;
    }
    // Open: the disconnected() that follows decides (status seen or not).
    QMetaObject::invokeMethod(this, [this, generation = m_generation] {
        if (generation == m_generation)
            handleDisconnected();
    }, Qt::QueuedConnection);
}

void K8sExecSession::handleDisconnected()
{
    if (state() == State::Connecting) {
        handleSocketError();
        return;
    }
    if (state() != State::Open)
        return;
    if (!m_status.isEmpty()) {
        const ExecStatus status = ExecChannelCodec::decodeStatus(m_status, m_codec.protocol());
        handleStatus(status);
        return;
    }
    finish({TerminalExit::Kind::Dropped, std::nullopt,
            QStringLiteral("connection closed without an exit status (unknown outcome)")});
}

void K8sExecSession::noteActivity()
{
    m_sinceActivity.restart();
    if (m_keepAliveIntervalMs <= 0 || state() != State::Open)
        return;
    m_deadline.start(m_keepAliveIntervalMs + m_keepAliveTimeoutMs);
    m_lateTimer.stop();
    if (m_lateNoticed) {
        m_lateNoticed = false;
        Q_EMIT notice(QStringLiteral("the connection answers again"));
    }
}

void K8sExecSession::handlePingTimer()
{
    if (!m_socket || state() != State::Open)
        return;
    m_socket->ping();
    if (!m_lateTimer.isActive() && !m_lateNoticed)
        m_lateTimer.start(std::max(1, std::min(m_keepAliveIntervalMs, m_keepAliveTimeoutMs) / 2));
}

void K8sExecSession::handleDeadline()
{
    if (state() != State::Open)
        return;
    teardownSocket();
    finish({TerminalExit::Kind::Dropped, std::nullopt,
            QStringLiteral("connection lost: no answer to ping for %1 s")
                .arg(seconds(qint64(m_keepAliveIntervalMs) + m_keepAliveTimeoutMs))});
}

void K8sExecSession::send(const ExecChannelCodec::Outgoing &message)
{
    if (!m_socket)
        return;
    if (message.binary)
        m_socket->sendBinaryMessage(message.bytes);
    else
        m_socket->sendTextMessage(QString::fromLatin1(message.bytes));
}

void K8sExecSession::write(const QByteArray &bytes)
{
    if (state() != State::Open || !m_stdin || m_inputClosed || bytes.isEmpty())
        return;
    send(m_codec.encodeStdin(bytes));
}

void K8sExecSession::resize(int columns, int rows)
{
    m_columns = columns;
    m_rows = rows;
    if (state() == State::Open && m_tty)
        send(m_codec.encodeResize(columns, rows));
}

bool K8sExecSession::closeInput()
{
    if (state() != State::Open || !m_codec.canCloseInput())
        return false;
    if (!m_inputClosed) {
        m_inputClosed = true;
        send(*m_codec.encodeCloseStdin());
    }
    return true;
}

void K8sExecSession::close()
{
    if (state() == State::Idle || state() == State::Finished)
        return;
    finish({TerminalExit::Kind::Closed, std::nullopt, QString()});
}

void K8sExecSession::finish(const TerminalExit &exit)
{
    if (state() == State::Finished)
        return;
    m_pingTimer.stop();
    m_lateTimer.stop();
    m_deadline.stop();
    teardownSocket();
    setState(State::Finished);
    Q_EMIT finished(exit);
}

void K8sExecSession::teardownSocket()
{
    ++m_generation;
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}
