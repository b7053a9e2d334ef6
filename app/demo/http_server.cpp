#include "http_server.h"

#include "demo_logging.h"
#include "http_request_parser.h"
#include "http_responder.h"

#include <QDateTime>
#include <QSslServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    setUp();
}

HttpServer::HttpServer(const QSslConfiguration &tls, QObject *parent)
    : QObject(parent)
    , m_tls(true)
{
    auto *server = new QSslServer(this);
    server->setSslConfiguration(tls);
    connect(server, &QSslServer::startedEncryptionHandshake, this, [this] { ++m_tlsHandshakes; });
    connect(server, &QSslServer::errorOccurred, this,
            [](QSslSocket *, QAbstractSocket::SocketError error) {
                qCDebug(lcDemo) << "TLS connection failed:" << error;
            });
    m_server = server;
    setUp();
}

void HttpServer::setUp()
{
    m_server->setListenBacklogSize(256);
    // QSslServer queues a connection only once its handshake is done and announces it with
    // pendingConnectionAvailable; a plain QTcpServer emits both signals. The handler drains the
    // queue, so a second notification for the same connection finds it empty.
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::handleNewConnections);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &HttpServer::handleNewConnections);
    connect(m_server, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError) {
        qCWarning(lcDemo) << "accept failed:" << m_server->errorString();
    });
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

void HttpServer::close()
{
    m_server->close();
}

void HttpServer::handleNewConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *responder = new HttpResponder(socket, this);
        if (!responder->isConnected()) {
            responder->deleteLater();
            continue;
        }
        ++m_active;
        connect(responder, &HttpResponder::disconnected, this, [this] { --m_active; });

        auto parser = std::make_shared<HttpRequestParser>();
        auto headCompleteMs = std::make_shared<qint64>(0);
        auto *headTimer = new QTimer(responder);
        headTimer->setSingleShot(true);
        connect(headTimer, &QTimer::timeout, responder, [responder] {
            responder->respond(408, "text/plain", "request head not completed in time\n");
        });
        headTimer->start(HeadTimeoutMs);

        connect(socket, &QTcpSocket::readyRead, responder, [this, socket, responder, parser, headCompleteMs, headTimer] {
            const QByteArray bytes = socket->readAll();
            if (parser->state() != HttpRequestParser::State::NeedMore)
                return; // one request per connection: anything after it is discarded
            responder->noteReceived(bytes); // for upgrades (HttpResponder::takeSocket)
            const HttpRequestParser::State state = parser->feed(bytes);
            if (*headCompleteMs == 0 && parser->hasHead())
                *headCompleteMs = QDateTime::currentMSecsSinceEpoch();
            switch (state) {
            case HttpRequestParser::State::NeedMore:
                return;
            case HttpRequestParser::State::Error:
                headTimer->stop();
                qCDebug(lcDemo) << "bad request:" << parser->errorStatus() << parser->errorMessage();
                responder->respond(parser->errorStatus(), "text/plain", parser->errorMessage() + '\n');
                return;
            case HttpRequestParser::State::Complete: {
                headTimer->stop();
                HttpRequest request = parser->request();
                request.receivedMs = *headCompleteMs;
                if (m_handler)
                    m_handler(request, responder);
                else
                    responder->respond(503, "text/plain", "no request handler\n");
                return;
            }
            }
        });
    }
}
