#pragma once

#include "k8s_error.h"

#include <QByteArray>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

class K8sClient;
class QObject;
class QWebSocket;

/// What exec, attach and port-forward share about opening a WebSocket to the API server
/// (protocols.md 4.1): the request (https→wss, Authorization, User-Agent, client certificate and
/// CA, insecure TLS, proxy), the subprotocol check, and turning a refused upgrade into the
/// Status message the server wrote. Call after K8sClient::withCredentials().
namespace K8sWebSocket {

/// https→wss, http→ws; the rest unchanged.
QUrl webSocketUrl(const QUrl &apiUrl);

/// Opens `socket` to `apiUrl` (an http(s) URL from K8sClient::apiUrl) offering `subprotocols`.
/// Installs the TLS settings of `client` (with insecure-skip-tls-verify the certificate errors are
/// ignored in the sslErrors handler: in Qt 6.4 an ignore before open() does not survive) and
/// records other certificate errors for tlsErrorText().
void open(QWebSocket *socket, K8sClient *client, const QUrl &apiUrl, const QStringList &subprotocols);

/// The certificate errors seen on `socket` (empty when none).
QString tlsErrorText(const QWebSocket *socket);

/// Qt 6.4 reports a refused handshake only as text ("... Unhandled http status code: 403
/// (Forbidden)."): the status in it, 0 when none; *reasonPhrase gets the phrase.
int handshakeStatus(const QString &errorString, QString *reasonPhrase);

/// Why the upgrade of `path`?`query` failed, as a K8sError for the user: when the socket error names an
/// HTTP status, a plain GET of the same URL (same credentials) reads the Status body the server
/// sends with it (403 names verb and resource, 404 the pod, 400 the container); otherwise the
/// socket's own error. `done` runs once, on the client's thread, unless `context` is destroyed.
void describeFailure(K8sClient *client, QWebSocket *socket, const QString &path, const QUrlQuery &query,
                     QObject *context, std::function<void(const K8sError &)> done);

} // namespace K8sWebSocket
