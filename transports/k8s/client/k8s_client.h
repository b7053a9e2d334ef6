#pragma once

#include "k8s_error.h"
#include "kube_context.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

class ExecCredentialProvider;
class NetworkPool;
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

/// One API client per kubeconfig context, the way client-go's rest.Config + transport are one:
/// it turns a context into TLS settings, credentials and request URLs, and maps refused responses
/// to K8sError. Every watch, log follow and REST call of a context goes through one K8sClient.
///
/// Requests: get() builds the request (server prefix kept, Accept, User-Agent livedash/<version>,
/// bearer token or basic auth, client certificate, CA / insecure / tls-server-name), obtains the
/// credentials first (token file re-read when its mtime changed; exec plugin run off the UI
/// thread via QProcess and cached until its expirationTimestamp), then starts the GET and hands
/// the reply to the callback. The caller reads and deletes the reply (deleteLater).
///
/// Connections: long-lived streams (stream = true) take their QNetworkAccessManager from the
/// thread's NetworkPool (at most 4 streams per manager and host:port, so Qt 6.4's 6 HTTP/1.1
/// connections per host never starve a follow); REST calls use the client's own manager. HTTP/2
/// is allowed on every request, so over TLS with ALPN all streams share one connection.
///
/// 401: a caller that gets 401 calls credentialRejected() and may retry once; with an exec
/// plugin that re-runs the plugin (protocols.md 5.3, K7). 429: the caller waits
/// error.retryAfterSeconds (see errorFor()).
///
/// Threading: lives on one thread; callbacks run there.
class K8sClient : public QObject
{
    Q_OBJECT
public:
    using ReplyCallback = std::function<void(QNetworkReply *reply, const std::optional<K8sError> &error)>;

    explicit K8sClient(const KubeContext &context, QObject *parent = nullptr);
    ~K8sClient() override;

    const KubeContext &context() const { return m_context; }
    QString namespaceName() const { return m_context.namespaceName; }

    /// server + path (server's path prefix kept) + query.
    QUrl apiUrl(const QString &path, const QUrlQuery &query = {}) const;

    /// Starts a GET of `path` once credentials are ready. `callback` runs exactly once, on this
    /// thread, either with a started reply (error empty) or with nullptr and the credential error.
    /// Nothing is called after `context` is destroyed (the reply is then aborted and deleted).
    void get(const QString &path, const QUrlQuery &query, const QByteArray &accept, bool stream,
             QObject *context, ReplyCallback callback);

    /// A response came back 401 with the credential this client holds: drop the cached exec
    /// credential (re-run on the next request) and re-read the token file.
    void credentialRejected();

    /// The K8sError for a refused response: status, the Status JSON body's reason/message
    /// (403: verb and resource), Retry-After. `body` is what the caller read of the body.
    static K8sError errorFor(QNetworkReply *reply, const QByteArray &body);
    /// The K8sError for a reply that finished with a network or TLS error before any status.
    K8sError networkErrorFor(QNetworkReply *reply) const;

    /// The TLS configuration requests use (CA, client certificate and key); for WebSocket
    /// clients (exec, attach, port-forward) that open their own connections.
    QSslConfiguration sslConfiguration() const { return m_ssl; }
    /// The Authorization header value for the current credential; empty when none. Secret: never
    /// log it.
    QByteArray authorizationHeader() const;

    /// Obtains the current credential (token file re-read, exec plugin run or cached), then calls
    /// `then` once on this thread: with nullopt when authorizationHeader() and sslConfiguration()
    /// are ready, else with the credential error. For clients that open their own connections
    /// (WebSocket exec, attach, port-forward). May call `then` before returning.
    void withCredentials(QObject *context, std::function<void(const std::optional<K8sError> &)> then);

    /// "HTTP/2" or "HTTP/1.1" as last negotiated by a stream of this client (empty before).
    QString negotiatedProtocol() const { return m_protocol; }

Q_SIGNALS:
    /// A non-fatal note for the user (insecure TLS, exec plugin stderr).
    void warning(const QString &text);

private:
    void reloadTokenFileIfChanged(std::optional<K8sError> *error);
    QNetworkRequest buildRequest(const QUrl &url, const QByteArray &accept) const;
    void watchSslErrors(QNetworkReply *reply) const;

    KubeContext m_context;
    QSslConfiguration m_ssl;
    std::optional<K8sError> m_configError; ///< set when the context cannot work at all
    QNetworkAccessManager *m_rest = nullptr;
    std::shared_ptr<NetworkPool> m_pool;
    ExecCredentialProvider *m_exec = nullptr;
    QByteArray m_token;                    ///< static token, token file contents or exec token
    QDateTime m_tokenFileMtime;
    mutable QString m_protocol;
};
