#include "k8s_websocket.h"

#include "k8s_client.h"
#include "k8s_status.h"
#include "printable.h"

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QSslError>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace {

constexpr auto TlsErrorsProperty = "dashK8sTlsErrors";

QByteArray userAgent()
{
    return QByteArrayLiteral("livedash/" LIVEDASH_VERSION);
}

} // namespace

namespace K8sWebSocket {

QUrl webSocketUrl(const QUrl &apiUrl)
{
    QUrl url = apiUrl;
    if (url.scheme() == u"https")
        url.setScheme(QStringLiteral("wss"));
    else if (url.scheme() == u"http")
        url.setScheme(QStringLiteral("ws"));
    return url;
}

void open(QWebSocket *socket, K8sClient *client, const QUrl &apiUrl, const QStringList &subprotocols)
{
    const KubeContext &context = client->context();
    const QUrl url = webSocketUrl(apiUrl);
    QNetworkRequest request(url);
    request.setRawHeader("User-Agent", userAgent());
    const QByteArray authorization = client->authorizationHeader();
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    if (url.scheme() == u"wss") {
        socket->setSslConfiguration(client->sslConfiguration());
        if (!context.tlsServerName.isEmpty())
            request.setPeerVerifyName(context.tlsServerName);
    }
    if (context.proxyUrl.isValid() && !context.proxyUrl.isEmpty()) {
        const bool socks = context.proxyUrl.scheme().startsWith(u"socks");
        socket->setProxy(QNetworkProxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy,
                                       context.proxyUrl.host(), quint16(context.proxyUrl.port(socks ? 1080 : 8080)),
                                       context.proxyUrl.userName(), context.proxyUrl.password()));
    }
    const bool insecure = context.insecureSkipTlsVerify;
    QObject::connect(socket, &QWebSocket::sslErrors, socket, [socket, insecure](const QList<QSslError> &errors) {
        if (insecure) {
            socket->ignoreSslErrors();
            return;
        }
        QStringList texts;
        for (const QSslError &e : errors)
            texts << Printable::escaped(e.errorString());
        texts.removeDuplicates();
        socket->setProperty(TlsErrorsProperty, texts.join(QStringLiteral("; ")));
    });
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(subprotocols);
    socket->open(request, options);
}

QString tlsErrorText(const QWebSocket *socket)
{
    return socket->property(TlsErrorsProperty).toString();
}

int handshakeStatus(const QString &errorString, QString *reasonPhrase)
{
    static const QRegularExpression re(QStringLiteral("status code:?\\s*(\\d{3})(?:\\s*\\(([^)]*)\\))?"),
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = re.match(errorString);
    if (!match.hasMatch())
        return 0;
    if (reasonPhrase)
        *reasonPhrase = match.captured(2).trimmed();
    return match.captured(1).toInt();
}

void describeFailure(K8sClient *client, QWebSocket *socket, const QString &path, const QUrlQuery &query,
                     QObject *context, std::function<void(const K8sError &)> done)
{
    const QString server = client->context().server.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery);
    const QString socketError = Printable::escaped(socket->errorString());
    QString reasonPhrase;
    const int status = handshakeStatus(socketError, &reasonPhrase);
    // Qt 6.4 does not always name the status (over TLS a refused upgrade can come back as
    // "Unknown error condition encountered"): any handshake error is asked again below.
    const bool handshakeRefused = status != 0 || socketError.contains(QLatin1String("processHandshake"));
    if (!handshakeRefused) {
        K8sError error;
        const QString tls = tlsErrorText(socket);
        if (!tls.isEmpty() || socket->error() == QAbstractSocket::SslHandshakeFailedError) {
            error.kind = K8sError::Kind::Tls;
            error.retryable = false;
            error.message = QStringLiteral("TLS to %1 failed: %2").arg(server, tls.isEmpty() ? socketError : tls);
        } else if (socket->error() == QAbstractSocket::ConnectionRefusedError) {
            error.message = QStringLiteral("cannot reach %1 (cluster %2): connection refused — is the API server running?")
                                .arg(server, client->context().clusterName);
        } else {
            error.message = QStringLiteral("WebSocket to %1 failed: %2").arg(server, socketError);
        }
        done(error);
        return;
    }
    // The refused upgrade's body is gone (Qt 6.4 does not keep it): ask again without the upgrade.
    QPointer<QObject> guard(context);
    client->get(path, query, "application/json", false, context,
                [path, status, reasonPhrase, socketError, guard, done](QNetworkReply *reply, const std::optional<K8sError> &credentialError) {
                    if (!reply) {
                        done(credentialError ? *credentialError : K8sError{});
                        return;
                    }
                    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, path, status, reasonPhrase, socketError, guard, done] {
                        reply->deleteLater();
                        if (!guard)
                            return;
                        const QByteArray body = reply->read(64 * 1024);
                        const int again = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                        if (again == status || (status == 0 && again >= 300)) {
                            done(K8sClient::errorFor(reply, body));
                            return;
                        }
                        if (status == 0) {
                            K8sError error;
                            error.message = QStringLiteral("the WebSocket upgrade of %1 failed: %2").arg(path, socketError);
                            done(error);
                            return;
                        }
                        done(K8sStatus::errorFor(status, reasonPhrase, QByteArray(), QStringLiteral("GET"), path));
                    });
                });
}

} // namespace K8sWebSocket
