#pragma once

#include "http_request.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>

class HttpResponder;
class QSslConfiguration;

/// A small HTTP/1.1 server on QTcpServer that can stream responses (Qt 6.4's QHttpServer cannot).
/// One request per connection. For each accepted socket it creates an HttpResponder (which owns the
/// socket), parses the request with HttpRequestParser and, once the head and any Content-Length
/// body are complete, calls the request handler exactly once. Malformed requests are answered
/// here (400, 413, 431, 501, 505) without calling the handler; a connection that does not finish
/// its head within HeadTimeoutMs gets 408. Bytes after the request are read and discarded.
/// Upgrades: the responder keeps the bytes read for the request, so a handler can take the socket
/// over with HttpResponder::takeSocket() (e.g. to give it to a QWebSocketServer).
/// Single-threaded: everything runs on the thread that owns the server.
///
/// TLS: the second constructor serves HTTPS on a QSslServer with the given configuration (local
/// certificate + private key). A connection reaches the parser only after its TLS handshake
/// completed; a handshake the client aborts (e.g. because it does not trust the certificate) ends
/// there, counted by tlsHandshakesStarted(). No ALPN is offered, so clients speak HTTP/1.1.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    using RequestHandler = std::function<void(const HttpRequest &, HttpResponder *)>;
    static constexpr int HeadTimeoutMs = 30'000;

    /// Plain HTTP.
    explicit HttpServer(QObject *parent = nullptr);
    /// HTTPS with `tls` (must hold a local certificate and its private key).
    explicit HttpServer(const QSslConfiguration &tls, QObject *parent = nullptr);
    ~HttpServer() override;

    void setRequestHandler(RequestHandler handler) { m_handler = std::move(handler); }
    bool listen(const QHostAddress &address, quint16 port);
    void close();
    bool isListening() const { return m_server->isListening(); }
    quint16 serverPort() const { return m_server->serverPort(); }
    QHostAddress serverAddress() const { return m_server->serverAddress(); }
    QString errorString() const { return m_server->errorString(); }
    bool isTls() const { return m_tls; }
    /// Accepted connections whose socket has not closed yet.
    int activeConnections() const { return m_active; }
    /// TLS only: TCP connections whose server handshake started, successful or not (0 for plain).
    int tlsHandshakesStarted() const { return m_tlsHandshakes; }

private:
    void setUp();
    void handleNewConnections();

    QTcpServer *m_server = nullptr; ///< child: a QTcpServer, or a QSslServer for HTTPS
    bool m_tls = false;
    RequestHandler m_handler;
    int m_active = 0;
    int m_tlsHandshakes = 0;
};
