#pragma once

#include "fake_objects.h"
#include "fake_stream_request.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>

class FakeExecSession;
class FakePodService;
class FakePortForwardSession;
class FakePtyProcess;
class HttpResponder;
class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;
struct HttpRequest;

/// pods/{name}/exec, /attach and /portforward of the fake cluster: WebSocket upgrades on the
/// Kubernetes API port itself (plain and TLS), served by FakeExecSession and
/// FakePortForwardSession. Owned by FakeCluster, which authenticates the request and finds the pod
/// before calling serve().
///
/// serve() answers like the API server, without upgrading, when the request is wrong: 400
/// "Upgrade request required" without `Upgrade: websocket`, 400 for bad parameters (no command,
/// none of stdin/stdout/stderr, an unknown or ambiguous container, a container that is not
/// running, bad ports; checked first, since kubectl shows the error of its SPDY fallback), 400 for
/// a SPDY (POST) upgrade (not implemented: WebSocket only), 403 when
/// none of the offered subprotocols is supported, 429 beyond MaxSessions; each with a Status body.
/// Otherwise it takes the socket from the HttpResponder (the request bytes go back into its read
/// buffer, see HttpResponder::takeSocket) and hands it to a QWebSocketServer
/// (QWebSocketServer::handleConnection, NonSecureMode also for TLS: the QSslSocket is already
/// decrypted), which answers 101 and yields the QWebSocket the session gets.
///
/// Subprotocol choice: server preference, not client order (Qt's server takes the first *client*
/// entry it supports, so there is one QWebSocketServer per chosen protocol, each supporting only
/// that one): v5.channel.k8s.io whenever offered, then v4, v4.base64, channel.k8s.io,
/// base64.channel.k8s.io; no subprotocol at all = channel.k8s.io (as the kubelet). setExecProtocols()
/// restricts exec/attach to a list (e.g. only v4, to act as an older API server). Port-forward
/// speaks v4.channel.k8s.io, v4.base64.channel.k8s.io or none; kubectl's tunnelled SPDY
/// (SPDY/3.1+portforward.k8s.io) gets 403, its SPDY fallback 400.
///
/// Attach: one main process per container (a pty running a small sh loop that prints a line per
/// second and echoes the lines it reads), started by the first attach, shared by every attach
/// session, not stopped when they detach. Port-forward: one FakePodService per pod (port 8080),
/// made on the first forward. When a pod is deleted its service closes and its main process is
/// hung up once no session is attached; exec sessions outlive their pod (a demo user's shell is
/// not killed by the fake cluster's pod replacement every 20 s).
///
/// Everything ends when the service is destroyed: sessions close, processes are killed and reaped.
class FakeExecService : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxSessions = 32;
    static constexpr int HandshakeTimeoutMs = 10'000;

    /// `podExists(ns, name)` tells whether a pod still exists (for the deleted-pod clean-up).
    FakeExecService(std::function<bool(const QString &, const QString &)> podExists, QObject *parent);
    ~FakeExecService() override;

    /// Serves one request for `subresource` ("exec", "attach" or "portforward") of `pod`.
    void serve(const HttpRequest &request, HttpResponder *responder, const FakePod &pod, const QString &subresource);
    /// Exec/attach subprotocols in server preference order; "" in the list accepts clients that
    /// offer none. Default FakeExecProtocol::execProtocols().
    void setExecProtocols(const QStringList &protocols) { m_execProtocols = protocols; }
    QStringList execProtocols() const { return m_execProtocols; }
    /// Sessions open or being upgraded.
    int openSessions() const;
    /// Drops every session's TCP connection without a close frame (a network failure).
    void dropSessions();
    /// A pod was deleted: close its service, retire its attach processes.
    void handlePodDeleted(const QString &ns, const QString &name);

private:
    struct Pending
    {
        FakeStreamRequest request;
        QPointer<QTcpSocket> socket;
        QTimer *timeout = nullptr;
        QMetaObject::Connection gone;   ///< socket destroyed → forget the entry
    };

    void sendStatus(HttpResponder *responder, int code, const QString &reason, const QString &message);
    bool parseStreamParams(const HttpRequest &request, const FakePod &pod, FakeStreamRequest *out,
                           HttpResponder *responder);
    QWebSocketServer *serverFor(const QString &subprotocol);
    void handleNewConnections(QWebSocketServer *server);
    void startSession(QWebSocket *socket, QTcpSocket *tcp, const FakeStreamRequest &request);
    FakePtyProcess *mainProcess(const FakeStreamRequest &request);
    quint16 podServicePort(const QString &podKey, const QString &podName, quint16 port);
    void retireMainProcesses();

    std::function<bool(const QString &, const QString &)> m_podExists;
    QStringList m_execProtocols;
    QHash<QString, QWebSocketServer *> m_servers;           ///< chosen subprotocol → server
    QHash<quint32, Pending> m_pending;                      ///< local port << 16 | peer port
    QList<QPointer<FakeExecSession>> m_execSessions;
    QList<QPointer<FakePortForwardSession>> m_forwards;
    QHash<QString, QPointer<FakePtyProcess>> m_mainProcesses; ///< "ns/pod/container"
    QHash<QString, QPointer<FakePodService>> m_podServices;   ///< "ns/pod"
};
