#include "demo_server.h"

#include "demo_feeds.h"
#include "demo_logging.h"
#include "fake_cluster.h"
#include "http_server.h"

#include <QDateTime>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace {

constexpr int TickerIntervalMs = 200; // 5 Hz

QUrl makeUrl(const QString &scheme, quint16 port, const QString &pathAndQuery)
{
    QString text = scheme + QStringLiteral("://127.0.0.1:") + QString::number(port);
    if (!pathAndQuery.isEmpty() && !pathAndQuery.startsWith(QLatin1Char('/')))
        text += QLatin1Char('/');
    text += pathAndQuery;
    return QUrl(text);
}

} // namespace

DemoServer::DemoServer(QObject *parent)
    : QObject(parent)
    , m_http(new HttpServer(this))
    , m_ws(new QWebSocketServer(QStringLiteral("LiveDash demo"), QWebSocketServer::NonSecureMode, this))
{
    m_http->setRequestHandler([this](const HttpRequest &request, HttpResponder *responder) {
        handleHttpRequest(request, responder);
    });
    setUpWebSocketServer(m_ws);
    m_feeds = new DemoFeeds(this);
    m_cluster = new FakeCluster(this);
}

DemoServer::~DemoServer()
{
    closeTls();
    m_ws->close();
    m_http->close();
}

void DemoServer::setUpWebSocketServer(QWebSocketServer *server)
{
    server->setSupportedSubprotocols({QStringLiteral("livedash.v1"), QStringLiteral("chat")});
    connect(server, &QWebSocketServer::newConnection, this,
            [this, server] { handleWebSocketConnections(server); });
    connect(server, &QWebSocketServer::acceptError, this, [server](QAbstractSocket::SocketError) {
        qCWarning(lcDemo) << "WebSocket accept failed:" << server->errorString();
    });
}

void DemoServer::closeTls()
{
    if (m_wss) {
        m_wss->close();
        delete m_wss;
        m_wss = nullptr;
    }
    if (m_https) {
        m_https->close();
        delete m_https;
        m_https = nullptr;
    }
}

bool DemoServer::listenTls(const QSslConfiguration &config, quint16 httpsPort, quint16 wssPort)
{
    closeTls();
    m_errorString.clear();
    if (config.localCertificate().isNull() || config.privateKey().isNull()) {
        m_errorString = QStringLiteral("TLS: the configuration needs a local certificate and a private key");
        return false;
    }
    QSslConfiguration serverConfig = config;
    serverConfig.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates

    m_https = new HttpServer(serverConfig, this);
    m_https->setRequestHandler([this](const HttpRequest &request, HttpResponder *responder) {
        handleHttpRequest(request, responder);
    });
    m_wss = new QWebSocketServer(QStringLiteral("LiveDash demo (TLS)"), QWebSocketServer::SecureMode, this);
    m_wss->setSslConfiguration(serverConfig);
    setUpWebSocketServer(m_wss);

    if (!m_https->listen(QHostAddress::LocalHost, httpsPort)) {
        m_errorString = QStringLiteral("HTTPS port %1: %2").arg(httpsPort).arg(m_https->errorString());
        closeTls();
        return false;
    }
    if (!m_wss->listen(QHostAddress::LocalHost, wssPort)) {
        m_errorString = QStringLiteral("WSS port %1: %2").arg(wssPort).arg(m_wss->errorString());
        closeTls();
        return false;
    }
    qCInfo(lcDemo) << "demo server (TLS) on" << httpsUrl().toString() << "and" << wssUrl().toString();
    return true;
}

quint16 DemoServer::httpsPort() const
{
    return m_https ? m_https->serverPort() : 0;
}

quint16 DemoServer::wssPort() const
{
    return m_wss ? m_wss->serverPort() : 0;
}

QUrl DemoServer::httpsUrl(const QString &pathAndQuery) const
{
    return makeUrl(QStringLiteral("https"), httpsPort(), pathAndQuery);
}

QUrl DemoServer::wssUrl(const QString &pathAndQuery) const
{
    return makeUrl(QStringLiteral("wss"), wssPort(), pathAndQuery);
}

int DemoServer::httpsHandshakesStarted() const
{
    return m_https ? m_https->tlsHandshakesStarted() : 0;
}

bool DemoServer::listen(quint16 httpPort, quint16 wsPort)
{
    m_http->close();
    m_ws->close();
    m_errorString.clear();
    if (!m_http->listen(QHostAddress::LocalHost, httpPort)) {
        m_errorString = QStringLiteral("HTTP port %1: %2").arg(httpPort).arg(m_http->errorString());
        return false;
    }
    if (!m_ws->listen(QHostAddress::LocalHost, wsPort)) {
        m_errorString = QStringLiteral("WebSocket port %1: %2").arg(wsPort).arg(m_ws->errorString());
        m_http->close();
        return false;
    }
    qCInfo(lcDemo) << "demo server on" << httpUrl().toString() << "and" << wsUrl().toString();
    return true;
}

QString DemoServer::errorString() const
{
    return m_errorString;
}

quint16 DemoServer::httpPort() const
{
    return m_http->serverPort();
}

quint16 DemoServer::wsPort() const
{
    return m_ws->serverPort();
}

QHostAddress DemoServer::httpAddress() const
{
    return m_http->serverAddress();
}

QHostAddress DemoServer::wsAddress() const
{
    return m_ws->serverAddress();
}

QUrl DemoServer::httpUrl(const QString &pathAndQuery) const
{
    return makeUrl(QStringLiteral("http"), httpPort(), pathAndQuery);
}

QUrl DemoServer::wsUrl(const QString &pathAndQuery) const
{
    return makeUrl(QStringLiteral("ws"), wsPort(), pathAndQuery);
}

void DemoServer::addRoute(const QString &path, Handler handler)
{
    m_routes.insert(path, std::move(handler));
}

void DemoServer::addPrefixRoute(const QString &prefix, Handler handler)
{
    m_prefixRoutes.insert(prefix, std::move(handler));
}

const DemoServer::Handler *DemoServer::findRoute(const QString &path) const
{
    const auto exact = m_routes.constFind(path);
    if (exact != m_routes.constEnd())
        return &exact.value();
    const Handler *best = nullptr;
    qsizetype bestLength = -1;
    for (auto it = m_prefixRoutes.constBegin(); it != m_prefixRoutes.constEnd(); ++it) {
        const QString &prefix = it.key();
        const bool matches = path == prefix
            || (path.startsWith(prefix) && (prefix.endsWith(QLatin1Char('/')) || path.at(prefix.size()) == QLatin1Char('/')));
        if (matches && prefix.size() > bestLength) {
            best = &it.value();
            bestLength = prefix.size();
        }
    }
    return best;
}

QList<HttpRequest> DemoServer::requests(const QString &path) const
{
    return m_requests.value(path);
}

int DemoServer::activeConnections() const
{
    return m_http->activeConnections() + (m_https ? m_https->activeConnections() : 0) + m_wsActive;
}

QList<DemoServer::Feed> DemoServer::demoFeeds() const
{
    return {
        {QStringLiteral("Metrics"), httpUrl(QStringLiteral("/sse/metrics")), QStringLiteral("sse"),
         QStringLiteral("Server-Sent Events, 20 Hz: CPU, memory, requests/s, latency, queue depth")},
        {QStringLiteral("Notifications"), httpUrl(QStringLiteral("/sse/notifications")), QStringLiteral("sse"),
         QStringLiteral("Server-Sent Events with named types (deploy, alert, info), every 0.5-2 s")},
        {QStringLiteral("Logs (NDJSON)"), httpUrl(QStringLiteral("/ndjson/logs")), QStringLiteral("ndjson"),
         QStringLiteral("Streaming HTTP, newline-delimited JSON log records, 10 lines/s")},
        {QStringLiteral("Logs (text)"), httpUrl(QStringLiteral("/lines/logs")), QStringLiteral("lines"),
         QStringLiteral("Streaming HTTP, plain text log lines, 5 lines/s")},
        {QStringLiteral("Ticker"), wsUrl(QStringLiteral("/ws/ticker")), QStringLiteral("websocket"),
         QStringLiteral("WebSocket, JSON price ticks at 5 Hz; echoes what you send")},
    };
}

void DemoServer::record(const HttpRequest &request)
{
    QList<HttpRequest> &log = m_requests[request.path];
    if (log.size() >= MaxRequestsPerPath)
        log.removeFirst();
    log.append(request);
    Q_EMIT requestReceived(request);
}

void DemoServer::handleHttpRequest(const HttpRequest &request, HttpResponder *responder)
{
    record(request);
    const Handler *route = findRoute(request.path);
    if (!route) {
        responder->respond(404, "text/plain; charset=utf-8", "no route for " + request.path.toUtf8());
        return;
    }
    // Copy: the handler may replace its own route (addRoute) while it runs.
    const Handler handler = *route;
    handler(request, responder);
}

void DemoServer::handleWebSocketConnections(QWebSocketServer *server)
{
    while (QWebSocket *socket = server->nextPendingConnection()) {
        socket->setParent(this);
        const QNetworkRequest handshake = socket->request();
        HttpRequest request;
        request.method = "GET";
        request.setTarget(handshake.url().toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority));
        if (request.target.isEmpty())
            request.setTarget("/");
        for (const QByteArray &name : handshake.rawHeaderList())
            request.headers.append({name, handshake.rawHeader(name)});
        request.receivedMs = QDateTime::currentMSecsSinceEpoch();

        ++m_wsActive;
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            --m_wsActive;
            socket->deleteLater();
        });
        record(request);
        serveWebSocket(socket, request);
    }
}

void DemoServer::serveWebSocket(QWebSocket *socket, const HttpRequest &handshake)
{
    const auto echo = [socket] {
        connect(socket, &QWebSocket::textMessageReceived, socket,
                [socket](const QString &message) { socket->sendTextMessage(message); });
        connect(socket, &QWebSocket::binaryMessageReceived, socket,
                [socket](const QByteArray &message) { socket->sendBinaryMessage(message); });
    };

    if (handshake.path == QLatin1String("/ws/echo")) {
        echo();
    } else if (handshake.path == QLatin1String("/ws/ticker")) {
        echo();
        auto *timer = new QTimer(socket);
        auto seq = std::make_shared<quint64>(1);
        connect(timer, &QTimer::timeout, socket, [socket, seq] {
            socket->sendTextMessage(QString::fromLatin1(DemoFeeds::tickerJson((*seq)++)));
        });
        timer->start(TickerIntervalMs);
    } else if (handshake.path == QLatin1String("/ws/close")) {
        bool ok = false;
        int code = handshake.query.queryItemValue(QStringLiteral("code")).toInt(&ok);
        if (!ok || code < 1000 || code > 4999)
            code = int(QWebSocketProtocol::CloseCodeNormal);
        const QString reason = handshake.query.queryItemValue(QStringLiteral("reason"), QUrl::FullyDecoded);
        QTimer::singleShot(0, socket, [socket, code, reason] {
            socket->close(QWebSocketProtocol::CloseCode(code), reason);
        });
    } else {
        const QString reason = QStringLiteral("no route for ") + handshake.path;
        QTimer::singleShot(0, socket, [socket, reason] {
            socket->close(QWebSocketProtocol::CloseCode(4404), reason);
        });
    }
}
