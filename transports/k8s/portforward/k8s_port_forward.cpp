#include "k8s_port_forward.h"

#include "k8s_client.h"
#include "k8s_environment.h"
#include "k8s_logging.h"
#include "k8s_websocket.h"
#include "printable.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QWebSocket>

namespace {

const QString Subprotocol = QStringLiteral("v4.channel.k8s.io");

/// Local peers get this much read buffer; beyond it Qt stops reading and the kernel pushes back.
constexpr qint64 LocalReadBufferBytes = 4 * K8sPortForward::ReadChunkBytes;

} // namespace

K8sPortForward::K8sPortForward(K8sClient *client, const QString &namespaceName, const QString &pod,
                               K8sExecSpec::PortMapping mapping, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_namespace(namespaceName)
    , m_pod(pod)
    , m_mapping(mapping)
{
    connect(&m_server, &QTcpServer::newConnection, this, &K8sPortForward::handleNewConnection);
}

QList<K8sPortForward *> K8sPortForward::create(K8sEnvironment *environment, const K8sExecSpec &spec,
                                               QString *error, QObject *parent)
{
    K8sError clientError;
    K8sClient *client = environment->client(spec.context, &clientError);
    if (!client) {
        if (error)
            *error = clientError.message;
        return {};
    }
    const QString ns = environment->namespaceFor(client, spec.namespaceName);
    QList<K8sPortForward *> out;
    for (const K8sExecSpec::PortMapping &mapping : spec.ports)
        out.append(new K8sPortForward(client, ns, spec.pod, mapping, parent));
    return out;
}

K8sPortForward::~K8sPortForward()
{
    stop();
}

bool K8sPortForward::listen(QString *error)
{
    if (m_server.isListening())
        return true;
    if (!m_server.listen(QHostAddress::LocalHost, m_mapping.local)) {
        if (error)
            *error = QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(m_mapping.local).arg(m_server.errorString());
        return false;
    }
    return true;
}

void K8sPortForward::stop()
{
    m_server.close();
    std::vector<int> ids;
    for (const auto &[id, link] : m_links)
        ids.push_back(id);
    for (int id : ids)
        closeLink(id, QString());
}

QString K8sPortForward::path() const
{
    return QStringLiteral("/api/v1/namespaces/%1/pods/%2/portforward")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_namespace)),
             QString::fromLatin1(QUrl::toPercentEncoding(m_pod)));
}

K8sPortForward::Link *K8sPortForward::link(int id)
{
    const auto it = m_links.find(id);
    return it == m_links.end() ? nullptr : it->second.get();
}

QList<K8sPortForward::Connection> K8sPortForward::connections() const
{
    QList<Connection> out = m_closed;
    for (const auto &[id, l] : m_links)
        out.append(l->stats);
    return out;
}

std::optional<K8sPortForward::Connection> K8sPortForward::connection(int id) const
{
    const auto it = m_links.find(id);
    if (it != m_links.end())
        return it->second->stats;
    for (const Connection &c : m_closed)
        if (c.id == id)
            return c;
    return std::nullopt;
}

int K8sPortForward::activeCount() const
{
    return int(m_links.size());
}

void K8sPortForward::handleNewConnection()
{
    while (QTcpSocket *local = m_server.nextPendingConnection()) {
        local->setParent(this);
        local->setReadBufferSize(LocalReadBufferBytes);
        const int id = m_nextId++;
        auto l = std::make_unique<Link>();
        l->stats.id = id;
        l->stats.peer = QStringLiteral("%1:%2").arg(local->peerAddress().toString()).arg(local->peerPort());
        l->stats.openedAt = QDateTime::currentDateTimeUtc();
        l->local = local;
        l->codec = PortForwardCodec({m_mapping.remote});
        m_links.emplace(id, std::move(l));
        connect(local, &QTcpSocket::readyRead, this, [this, id] { pumpLocal(id); });
        connect(local, &QTcpSocket::disconnected, this, [this, id] {
            pumpLocal(id); // what the peer sent before it closed
            closeLink(id, QString());
        });
        Q_EMIT connectionOpened(id);
        openWebSocket(id);
    }
}

void K8sPortForward::openWebSocket(int id)
{
    m_client->withCredentials(this, [this, id](const std::optional<K8sError> &error) {
        Link *l = link(id);
        if (!l)
            return;
        if (error) {
            Q_EMIT notice(error->message);
            closeLink(id, error->message);
            return;
        }
        auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        l->socket = socket;
        connect(socket, &QWebSocket::connected, this, [this, id] { handleWebSocketConnected(id); });
        connect(socket, &QWebSocket::binaryMessageReceived, this,
                [this, id](const QByteArray &message) { handleWebSocketMessage(id, message); });
        connect(socket, &QWebSocket::bytesWritten, this, [this, id] { pumpLocal(id); });
        connect(socket, &QWebSocket::disconnected, this, [this, id] {
            Link *current = link(id);
            if (current && current->stats.state == ConnectionState::Open)
                closeLink(id, QString());
        });
        connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, [this, id, socket] {
            Link *current = link(id);
            if (!current || current->stats.state != ConnectionState::Connecting || current->closing)
                return;
            current->closing = true; // described once
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("ports"), QString::number(m_mapping.remote));
            K8sWebSocket::describeFailure(m_client, socket, path(), query, this, [this, id](const K8sError &failure) {
                Q_EMIT notice(QStringLiteral("forward to %1:%2: %3").arg(m_pod).arg(m_mapping.remote).arg(failure.message));
                closeLink(id, failure.message);
            });
        });
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("ports"), QString::number(m_mapping.remote));
        K8sWebSocket::open(socket, m_client, m_client->apiUrl(path(), query), {Subprotocol});
    });
}

void K8sPortForward::handleWebSocketConnected(int id)
{
    Link *l = link(id);
    if (!l || !l->socket)
        return;
    const QString chosen = l->socket->subprotocol();
    if (!chosen.isEmpty() && chosen != Subprotocol) {
        const QString text = QStringLiteral("the server chose subprotocol '%1', not %2")
                                 .arg(Printable::escaped(chosen), Subprotocol);
        Q_EMIT notice(text);
        closeLink(id, text);
        return;
    }
    l->stats.state = ConnectionState::Open;
    Q_EMIT connectionChanged(id);
    pumpLocal(id);
}

void K8sPortForward::handleWebSocketMessage(int id, const QByteArray &message)
{
    Link *l = link(id);
    if (!l || l->closing)
        return;
    const PortForwardCodec::Decoded decoded = l->codec.decode(message);
    switch (decoded.kind) {
    case PortForwardCodec::Decoded::Kind::Ignored:
        return;
    case PortForwardCodec::Decoded::Kind::Invalid:
        Q_EMIT notice(QStringLiteral("forward to %1:%2: protocol error: %3").arg(m_pod).arg(m_mapping.remote).arg(decoded.error));
        closeLink(id, QStringLiteral("protocol error: ") + decoded.error);
        return;
    case PortForwardCodec::Decoded::Kind::Error: {
        if (decoded.payload.isEmpty())
            return;
        const QString text = Printable::fromWire(decoded.payload.trimmed());
        Q_EMIT notice(QStringLiteral("forward to %1:%2: %3").arg(m_pod).arg(m_mapping.remote).arg(text));
        closeLink(id, text);
        return;
    }
    case PortForwardCodec::Decoded::Kind::Data:
        break;
    }
    if (decoded.payload.isEmpty() || !l->local)
        return;
    l->local->write(decoded.payload);
    l->stats.bytesIn += decoded.payload.size();
    Q_EMIT connectionChanged(id);
}

void K8sPortForward::pumpLocal(int id)
{
    Link *l = link(id);
    if (!l || l->closing || l->stats.state != ConnectionState::Open || !l->local || !l->socket)
        return;
    qint64 moved = 0;
    while (l->local->bytesAvailable() > 0 && l->socket->bytesToWrite() < HighWaterBytes) {
        const QByteArray chunk = l->local->read(ReadChunkBytes);
        if (chunk.isEmpty())
            break;
        l->socket->sendBinaryMessage(l->codec.encodeData(0, chunk));
        moved += chunk.size();
    }
    if (moved > 0) {
        l->stats.bytesOut += moved;
        Q_EMIT connectionChanged(id);
    }
}

void K8sPortForward::closeLink(int id, const QString &error)
{
    const auto it = m_links.find(id);
    if (it == m_links.end())
        return;
    std::unique_ptr<Link> l = std::move(it->second);
    m_links.erase(it);
    l->closing = true;
    l->stats.state = ConnectionState::Closed;
    l->stats.closedAt = QDateTime::currentDateTimeUtc();
    l->stats.error = error;
    if (QTcpSocket *local = l->local) {
        disconnect(local, nullptr, this, nullptr);
        // Written first: what the pod sent before the end (or before its error) reaches the peer.
        connect(local, &QTcpSocket::disconnected, local, &QObject::deleteLater);
        local->disconnectFromHost();
        if (local->state() == QAbstractSocket::UnconnectedState)
            local->deleteLater();
    }
    if (QWebSocket *socket = l->socket) {
        disconnect(socket, nullptr, this, nullptr);
        socket->close();
        socket->deleteLater();
    }
    qCDebug(lcK8s).noquote() << "forward: connection" << id << "closed" << error;
    m_closed.append(l->stats);
    while (m_closed.size() > MaxClosedKept)
        m_closed.removeFirst();
    Q_EMIT connectionClosed(id);
}
