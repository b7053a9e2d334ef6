#pragma once

#include "http_request.h"
#include "http_responder.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class DemoFeeds;
class FakeCluster;
class HttpServer;
class QSslConfiguration;
class QWebSocket;
class QWebSocketServer;

/// The built-in demo server behind `livedash --demo`, and the server every transport integration
/// test talks to. Listens on 127.0.0.1 only: plain HTTP/1.1 (streaming bodies, one request per
/// connection) on one port and WebSocket (QWebSocketServer, NonSecureMode) on a second port.
///
/// Routes (registered by the constructor; tests add or replace routes with addRoute):
///   demo:  /sse/metrics, /sse/notifications, /ndjson/logs, /lines/logs   (see demo_feeds.h)
///   test:  /test/... only in the tests' TestServer (tests/support/test_server.h): what ships
///          serves no misbehaving routes
///   k8s:   /api, /apis, /version, /openapi: the fake Kubernetes API server (fake_cluster.h),
///          prefix routes, bearer-token protected; its pods/{name}/exec|attach|portforward
///          upgrade to WebSocket on the HTTP(S) port itself (fake_exec_service.h), not on the
///          WebSocket port below
///   ws:    /ws/ticker, /ws/echo, /ws/close?code=&reason=  (subprotocols "livedash.v1", "chat")
/// An unknown HTTP path gets 404 text/plain "no route for /x"; an unknown WebSocket path is
/// accepted and closed at once with code 4404 and the same reason.
///
/// TLS (tests only): listenTls() adds an HTTPS port (QSslServer) and a WSS port (QWebSocketServer
/// in SecureMode), also on 127.0.0.1 only, serving exactly the same routes and recording requests
/// in the same log. No ALPN is offered, so clients use HTTP/1.1 over TLS. listen() is unaffected.
///
/// Every request (HTTP, and WebSocket handshakes with the headers QWebSocket::request() exposes)
/// is recorded before its handler runs and announced with requestReceived(). The log keeps the
/// last MaxRequestsPerPath requests of each path.
///
/// Single-threaded: create, use and destroy it on one thread with an event loop. Destroying it
/// closes every connection.
class DemoServer : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxRequestsPerPath = 10'000;

    explicit DemoServer(QObject *parent = nullptr);
    ~DemoServer() override;

    /// Listens on 127.0.0.1 only (0 = a free port for each). Returns false (see errorString())
    /// when either port cannot be bound; then neither listens.
    bool listen(quint16 httpPort = 0, quint16 wsPort = 0);
    QString errorString() const;
    QUrl httpUrl(const QString &pathAndQuery = QString()) const; ///< http://127.0.0.1:<port><pathAndQuery>
    QUrl wsUrl(const QString &pathAndQuery = QString()) const;   ///< ws://127.0.0.1:<wsport><pathAndQuery>
    quint16 httpPort() const;
    quint16 wsPort() const;
    QHostAddress httpAddress() const; ///< the bound address (always 127.0.0.1 while listening)
    QHostAddress wsAddress() const;

    /// Also serves the routes over TLS on 127.0.0.1: HTTPS on httpsPort and WSS on wssPort (0 = a
    /// free port for each). `config` must carry the local certificate and private key; clients
    /// are not asked for certificates. Independent of listen(): either may be called first, and
    /// calling listenTls() again restarts both TLS ports. Returns false (see errorString()) when
    /// a port cannot be bound or the configuration has no certificate or key; then neither TLS
    /// port listens.
    bool listenTls(const QSslConfiguration &config, quint16 httpsPort = 0, quint16 wssPort = 0);
    QUrl httpsUrl(const QString &pathAndQuery = QString()) const; ///< https://127.0.0.1:<port><pathAndQuery>
    QUrl wssUrl(const QString &pathAndQuery = QString()) const;   ///< wss://127.0.0.1:<port><pathAndQuery>
    quint16 httpsPort() const; ///< 0 unless listenTls() succeeded
    quint16 wssPort() const;   ///< 0 unless listenTls() succeeded
    /// TCP connections on the HTTPS port whose TLS handshake started, including the ones the
    /// client aborted (an untrusted certificate): counts connection attempts that never become
    /// requests.
    int httpsHandshakesStarted() const;

    using Handler = std::function<void(const HttpRequest &, HttpResponder *)>;
    /// Exact path match; replaces an existing one. The handler runs once per request, after the
    /// whole request (including a Content-Length body) was read; it may answer at once or keep
    /// the responder and stream (parent timers to the responder so they stop with it).
    void addRoute(const QString &path, Handler handler);
    bool hasRoute(const QString &path) const { return m_routes.contains(path); }
    /// Serves `prefix` and everything below it ("/api" matches "/api" and "/api/v1/pods", not
    /// "/apis"). Exact routes win; among prefixes the longest match wins. Replaces an existing one.
    void addPrefixRoute(const QString &prefix, Handler handler);
    /// The fake Kubernetes API server mounted on this server (always present).
    FakeCluster *cluster() const { return m_cluster; }
    /// Every request received for that path, in order (WebSocket handshakes too, with their headers).
    QList<HttpRequest> requests(const QString &path) const;
    void clearRequests() { m_requests.clear(); }
    /// Open HTTP connections plus open WebSocket connections.
    int activeConnections() const;

    struct Feed
    {
        QString name;
        QUrl url;
        QString transportId;
        QString description;
    };
    /// What `livedash --demo` opens, in display order.
    QList<Feed> demoFeeds() const;

Q_SIGNALS:
    void requestReceived(const HttpRequest &request);

private:
    void handleHttpRequest(const HttpRequest &request, HttpResponder *responder);
    void setUpWebSocketServer(QWebSocketServer *server);
    void closeTls();
    void handleWebSocketConnections(QWebSocketServer *server);
    void record(const HttpRequest &request);
    void serveWebSocket(QWebSocket *socket, const HttpRequest &handshake);

    HttpServer *m_http = nullptr;
    QWebSocketServer *m_ws = nullptr;
    HttpServer *m_https = nullptr;      ///< created by listenTls()
    QWebSocketServer *m_wss = nullptr;  ///< created by listenTls()
    const Handler *findRoute(const QString &path) const;

    DemoFeeds *m_feeds = nullptr;
    FakeCluster *m_cluster = nullptr;
    QHash<QString, Handler> m_routes;
    QHash<QString, Handler> m_prefixRoutes;
    QHash<QString, QList<HttpRequest>> m_requests;
    QString m_errorString;
    int m_wsActive = 0;
};
