#pragma once

#include "k8s_exec_spec.h"
#include "port_forward_codec.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

#include <map>
#include <memory>

class K8sClient;
class K8sEnvironment;
class QTcpSocket;
class QWebSocket;

/// One port-forward mapping, 127.0.0.1:LOCAL → POD:REMOTE, the way `kubectl port-forward` does it
/// over WebSocket (protocols.md 4.5, `v4.channel.k8s.io`): listens on 127.0.0.1 only (never
/// another address), and for every accepted local connection opens its own WebSocket to
/// /api/v1/namespaces/NS/pods/POD/portforward?ports=REMOTE and copies bytes both ways.
///
/// Backpressure: the local socket is read only while the WebSocket has less than HighWaterBytes
/// waiting to be written (the rest stays in the kernel, so the local peer slows down); bytes
/// from the pod are written as they come (QWebSocket 6.4 cannot pause reading).
/// Errors: text on the port's error channel (connection refused inside the pod) → notice,
/// the connection's error, and the local socket closed once what arrived before is written.
///
/// Stats per connection (connections()): bytesIn = from the pod to the local peer, bytesOut =
/// from the local peer to the pod. Closed connections stay listed (the last MaxClosedKept).
/// Single-threaded, on the thread of `client`.
class K8sPortForward : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 HighWaterBytes = 1 << 20;
    static constexpr qint64 ReadChunkBytes = 64 * 1024;
    static constexpr int MaxClosedKept = 100;

    enum class ConnectionState { Connecting, Open, Closed };
    Q_ENUM(ConnectionState)

    struct Connection
    {
        int id = 0;
        QString peer;       ///< "127.0.0.1:54012"
        QDateTime openedAt; ///< UTC
        QDateTime closedAt; ///< UTC, when Closed
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        ConnectionState state = ConnectionState::Connecting;
        QString error;      ///< empty when it ended normally
    };

    K8sPortForward(K8sClient *client, const QString &namespaceName, const QString &pod,
                   K8sExecSpec::PortMapping mapping, QObject *parent = nullptr);
    /// One forward per mapping of `spec` (a Forward spec); empty with *error when the context
    /// cannot be resolved.
    static QList<K8sPortForward *> create(K8sEnvironment *environment, const K8sExecSpec &spec, QString *error,
                                          QObject *parent = nullptr);
    ~K8sPortForward() override;

    /// Listens on 127.0.0.1:mapping.local (0: any free port). False with *error when it cannot.
    bool listen(QString *error);
    /// Stops listening and closes every connection.
    void stop();
    bool isListening() const { return m_server.isListening(); }
    quint16 localPort() const { return m_server.serverPort(); }
    quint16 remotePort() const { return m_mapping.remote; }
    QString pod() const { return m_pod; }
    QString namespaceName() const { return m_namespace; }

    QList<Connection> connections() const;
    std::optional<Connection> connection(int id) const;
    int activeCount() const;

Q_SIGNALS:
    void connectionOpened(int id);
    /// Bytes moved or the state changed (at most one per read).
    void connectionChanged(int id);
    void connectionClosed(int id);
    void notice(const QString &text);

private:
    struct Link
    {
        Connection stats;
        QPointer<QTcpSocket> local;
        QPointer<QWebSocket> socket;
        PortForwardCodec codec;
        bool closing = false;
    };

    void handleNewConnection();
    void openWebSocket(int id);
    void handleWebSocketConnected(int id);
    void handleWebSocketMessage(int id, const QByteArray &message);
    void pumpLocal(int id);
    void closeLink(int id, const QString &error);
    QString path() const;
    Link *link(int id);

    K8sClient *m_client;
    QString m_namespace;
    QString m_pod;
    K8sExecSpec::PortMapping m_mapping;
    QTcpServer m_server;
    int m_nextId = 1;
    std::map<int, std::unique_ptr<Link>> m_links; ///< open and connecting
    QList<Connection> m_closed;                   ///< oldest first, capped
};
