#include "k8s_client.h"

#include "exec_credential.h"
#include "k8s_status.h"
#include "network_pool.h"
#include "printable.h"

#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslKey>

namespace {

constexpr auto SslErrorsProperty = "dashK8sSslErrors";

QByteArray userAgent()
{
    return QByteArrayLiteral("livedash/" LIVEDASH_VERSION);
}

/// The private key in `pem`, whichever algorithm it uses.
QSslKey parseKey(const QByteArray &pem)
{
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

K8sError configError(K8sError::Kind kind, const QString &text)
{
    K8sError error;
    error.kind = kind;
    error.message = text;
    error.retryable = false;
    return error;
}

QString certificateNames(const QSslCertificate &certificate)
{
    QStringList names = certificate.subjectInfo(QSslCertificate::CommonName);
    for (const QString &name : certificate.subjectAlternativeNames().values(QSsl::DnsEntry))
        if (!names.contains(name))
            names << name;
    for (const QString &ip : certificate.subjectAlternativeNames().values(QSsl::IpAddressEntry))
        if (!names.contains(ip))
            names << ip;
    return names.isEmpty() ? QStringLiteral("no names") : names.join(QStringLiteral(", "));
}

} // namespace

K8sClient::K8sClient(const KubeContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_ssl(QSslConfiguration::defaultConfiguration())
    , m_rest(new QNetworkAccessManager(this))
    , m_token(context.token)
{
    m_rest->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);

    if (!m_context.caPem.isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromData(m_context.caPem, QSsl::Pem);
        if (cas.isEmpty())
            m_configError = configError(
                K8sError::Kind::Tls, QStringLiteral("the certificate authority from %1 holds no PEM certificate")
                                         .arg(m_context.caOrigin));
        else
            m_ssl.setCaCertificates(cas); // kubectl trusts only the cluster's CA when one is given
    }
    if (m_context.insecureSkipTlsVerify)
        m_ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (m_context.hasClientCertificate()) {
        const QList<QSslCertificate> certs = QSslCertificate::fromData(m_context.clientCertificatePem, QSsl::Pem);
        const QSslKey key = parseKey(m_context.clientKeyPem);
        if (certs.isEmpty())
            m_configError = configError(K8sError::Kind::Credentials,
                                        QStringLiteral("the client certificate from %1 holds no PEM certificate")
                                            .arg(m_context.clientCertificateOrigin));
        else if (key.isNull())
            m_configError = configError(K8sError::Kind::Credentials,
                                        QStringLiteral("the client key of user %1 is not a PEM RSA, EC or DSA private key")
                                            .arg(m_context.userName));
        else {
            m_ssl.setLocalCertificateChain(certs);
            m_ssl.setPrivateKey(key);
        }
    }
    if (!m_context.server.isValid() || m_context.server.host().isEmpty()
        || (m_context.server.scheme() != u"https" && m_context.server.scheme() != u"http"))
        m_configError = configError(K8sError::Kind::Config,
                                    QStringLiteral("cluster %1 has no usable server URL (got \"%2\")")
                                        .arg(m_context.clusterName, Printable::escaped(m_context.server.toString())));

    if (m_context.proxyUrl.isValid() && !m_context.proxyUrl.isEmpty()) {
        // One pool of our own: the thread's shared pool serves clients without a proxy.
        m_pool = std::make_shared<NetworkPool>();
    } else {
        m_pool = NetworkPool::forCurrentThread();
    }
    if (m_context.exec) {
        m_exec = new ExecCredentialProvider(*m_context.exec, m_context, this);
        connect(m_exec, &ExecCredentialProvider::stderrText, this, [this](const QString &text) {
            Q_EMIT warning(QStringLiteral("exec plugin %1: %2").arg(m_context.exec->command, text));
        });
    }
    std::optional<K8sError> tokenError;
    reloadTokenFileIfChanged(&tokenError);
}

K8sClient::~K8sClient() = default;

QUrl K8sClient::apiUrl(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_context.server;
    QString prefix = url.path();
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    url.setPath(prefix + path);
    url.setQuery(query);
    return url;
}

QByteArray K8sClient::authorizationHeader() const
{
    if (!m_token.isEmpty())
        return QByteArrayLiteral("Bearer ") + m_token;
    if (!m_context.username.isEmpty())
        return QByteArrayLiteral("Basic ")
               + QByteArray(m_context.username.toUtf8() + ':' + m_context.password).toBase64();
    return {};
}

void K8sClient::reloadTokenFileIfChanged(std::optional<K8sError> *error)
{
    if (!m_context.token.isEmpty() || m_context.tokenFile.isEmpty())
        return;
    const QFileInfo info(m_context.tokenFile);
    const QDateTime mtime = info.lastModified();
    if (!m_token.isEmpty() && mtime == m_tokenFileMtime)
        return;
    QFile file(m_context.tokenFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = configError(K8sError::Kind::Credentials,
                             QStringLiteral("cannot read tokenFile %1 of user %2: %3")
                                 .arg(m_context.tokenFile, m_context.userName, file.errorString()));
        return;
    }
    m_token = file.read(64 * 1024).trimmed();
    m_tokenFileMtime = mtime;
}

void K8sClient::credentialRejected()
{
    if (m_exec)
        m_exec->invalidate();
    if (!m_context.tokenFile.isEmpty())
        m_tokenFileMtime = {};
}

void K8sClient::withCredentials(QObject *context, std::function<void(const std::optional<K8sError> &)> then)
{
    if (m_configError) {
        then(m_configError);
        return;
    }
    if (!m_exec) {
        std::optional<K8sError> error;
        reloadTokenFileIfChanged(&error);
        then(error);
        return;
    }
    if (const auto credential = m_exec->cached()) {
        if (!credential->token.isEmpty())
            m_token = credential->token;
        then(std::nullopt);
        return;
    }
    // Wait for the plugin (one run serves every waiter); both connections end with the first signal.
    auto done = std::make_shared<bool>(false);
    auto connections = std::make_shared<QList<QMetaObject::Connection>>();
    auto finish = [done, connections, then](const std::optional<K8sError> &error) {
        if (*done)
            return;
        *done = true;
        for (const auto &c : *connections)
            QObject::disconnect(c);
        then(error);
    };
    *connections << connect(m_exec, &ExecCredentialProvider::ready, context,
                            [this, finish](const ExecCredential &credential) {
                                if (!credential.token.isEmpty())
                                    m_token = credential.token;
                                if (!credential.clientCertificatePem.isEmpty()) {
                                    m_ssl.setLocalCertificateChain(
                                        QSslCertificate::fromData(credential.clientCertificatePem, QSsl::Pem));
                                    m_ssl.setPrivateKey(parseKey(credential.clientKeyPem));
                                }
                                finish(std::nullopt);
                            });
    *connections << connect(m_exec, &ExecCredentialProvider::failed, context,
                            [finish](const K8sError &error) { finish(error); });
    m_exec->fetch();
}

QNetworkRequest K8sClient::buildRequest(const QUrl &url, const QByteArray &accept) const
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("User-Agent", userAgent());
    request.setRawHeader("Accept", accept.isEmpty() ? QByteArrayLiteral("application/json") : accept);
    // Qt's decoders cannot be bounded for streams (see HttpStreamTransport); watches are not
    // compressed by the API server anyway.
    request.setRawHeader("Accept-Encoding", "identity");
    const QByteArray authorization = authorizationHeader();
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    if (url.scheme() == u"https") {
        request.setSslConfiguration(m_ssl);
        if (!m_context.tlsServerName.isEmpty())
            request.setPeerVerifyName(m_context.tlsServerName);
    }
    return request;
}

void K8sClient::watchSslErrors(QNetworkReply *reply) const
{
    const QString caOrigin = m_context.caPem.isEmpty() ? QStringLiteral("the system's trust store")
                                                       : QStringLiteral("the CA from %1").arg(m_context.caOrigin);
    const QString expected = m_context.tlsServerName.isEmpty() ? reply->url().host() : m_context.tlsServerName;
    connect(reply, &QNetworkReply::sslErrors, reply, [reply, caOrigin, expected](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &e : errors) {
            const QSslCertificate cert = e.certificate();
            switch (e.error()) {
            case QSslError::HostNameMismatch:
                texts << QStringLiteral("the server's certificate is for %1, not %2 (set tls-server-name if that name is expected)")
                             .arg(Printable::escaped(certificateNames(cert)), expected);
                break;
            case QSslError::SelfSignedCertificate:
            case QSslError::SelfSignedCertificateInChain:
            case QSslError::UnableToGetLocalIssuerCertificate:
            case QSslError::UnableToGetIssuerCertificate:
            case QSslError::UnableToVerifyFirstCertificate:
            case QSslError::CertificateUntrusted:
                texts << QStringLiteral("the server's certificate (issued by %1) is not signed by %2")
                             .arg(Printable::escaped(cert.issuerDisplayName()), caOrigin);
                break;
            case QSslError::CertificateExpired:
                texts << QStringLiteral("the server's certificate expired on %1")
                             .arg(cert.expiryDate().toString(Qt::ISODate));
                break;
            default:
                texts << Printable::escaped(e.errorString());
            }
        }
        texts.removeDuplicates();
        reply->setProperty(SslErrorsProperty, texts.join(QStringLiteral("; ")));
    });
}

void K8sClient::get(const QString &path, const QUrlQuery &query, const QByteArray &accept, bool stream,
                    QObject *context, ReplyCallback callback)
{
    QPointer<QObject> guard(context);
    withCredentials(context, [this, path, query, accept, stream, guard, callback](const std::optional<K8sError> &error) {
        if (!guard)
            return;
        if (error) {
            callback(nullptr, error);
            return;
        }
        const QUrl url = apiUrl(path, query);
        QNetworkAccessManager *manager = m_rest;
        if (stream)
            manager = m_pool->acquire(url);
        if (m_context.proxyUrl.isValid() && !m_context.proxyUrl.isEmpty()) {
            const bool socks = m_context.proxyUrl.scheme().startsWith(u"socks");
            QNetworkProxy proxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy,
                                m_context.proxyUrl.host(), quint16(m_context.proxyUrl.port(socks ? 1080 : 8080)),
                                m_context.proxyUrl.userName(), m_context.proxyUrl.password());
            manager->setProxy(proxy);
        }
        QNetworkReply *reply = manager->get(buildRequest(url, accept));
        if (stream) {
            std::weak_ptr<NetworkPool> pool = m_pool;
            connect(reply, &QObject::destroyed, manager, [pool, manager, url] {
                if (auto p = pool.lock())
                    p->release(manager, url);
            });
        }
        watchSslErrors(reply);
        connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
            m_protocol = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool() ? QStringLiteral("HTTP/2")
                                                                                            : QStringLiteral("HTTP/1.1");
        });
        connect(guard.data(), &QObject::destroyed, reply, [reply] {
            reply->abort();
            reply->deleteLater();
        });
        callback(reply, std::nullopt);
    });
}

K8sError K8sClient::errorFor(QNetworkReply *reply, const QByteArray &body)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    K8sError error = K8sStatus::errorFor(status, Printable::fromWire(reason), body,
                                         reply->operation() == QNetworkAccessManager::GetOperation
                                             ? QStringLiteral("GET") : QStringLiteral("request"),
                                         reply->url().path());
    const QByteArray retryAfter = reply->rawHeader("Retry-After").trimmed();
    bool ok = false;
    const int seconds = retryAfter.toInt(&ok);
    if (ok && seconds >= 0)
        error.retryAfterSeconds = std::max(error.retryAfterSeconds, seconds);
    return error;
}

K8sError K8sClient::networkErrorFor(QNetworkReply *reply) const
{
    K8sError error;
    const QUrl url = reply->url();
    const QString server = url.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery);
    const QString ssl = reply->property(SslErrorsProperty).toString();
    if (!ssl.isEmpty() || reply->error() == QNetworkReply::SslHandshakeFailedError) {
        error.kind = K8sError::Kind::Tls;
        error.retryable = false;
        error.message = QStringLiteral("TLS to %1 failed: %2")
                            .arg(server, ssl.isEmpty() ? Printable::escaped(reply->errorString()) : ssl);
        return error;
    }
    error.kind = K8sError::Kind::Network;
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        error.message = QStringLiteral("cannot reach %1 (cluster %2): connection refused — is the API server running?")
                            .arg(server, m_context.clusterName);
        break;
    case QNetworkReply::HostNotFoundError:
        error.message = QStringLiteral("cannot reach %1 (cluster %2): host %3 not found")
                            .arg(server, m_context.clusterName, url.host());
        break;
    case QNetworkReply::TimeoutError:
        error.message = QStringLiteral("cannot reach %1 (cluster %2): timed out").arg(server, m_context.clusterName);
        break;
    case QNetworkReply::RemoteHostClosedError:
        error.message = QStringLiteral("%1 closed the connection").arg(server);
        break;
    default:
        error.message = QStringLiteral("%1: %2").arg(server, Printable::escaped(reply->errorString()));
    }
    return error;
}
