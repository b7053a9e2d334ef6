#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

/// An exec credential plugin as a kubeconfig user names it (protocols.md 5.3). Plain value type.
struct ExecPluginConfig
{
    enum class InteractiveMode { Never, IfAvailable, Always };

    QString apiVersion;  ///< client.authentication.k8s.io/v1 or /v1beta1
    QString command;     ///< as written; resolved via PATH, or against baseDir if it has a '/'
    QStringList args;
    QList<QPair<QString, QString>> env;
    QString installHint; ///< shown when the command cannot be started
    InteractiveMode interactiveMode = InteractiveMode::IfAvailable; ///< v1 requires it to be set
    bool provideClusterInfo = false;
    QString baseDir;     ///< directory of the kubeconfig file that defines the user
};

/// One kubeconfig context resolved to everything a client needs: which server, how to trust it,
/// which credentials, which namespace. Built by Kubeconfig::resolve() (kubeconfig.h); file
/// references are already read (CA, client certificate and key as PEM bytes), except tokenFile
/// which is re-read by the client when it changes. Plain value type.
///
/// Secrets (token, password, client key, exec output) must never be printed or logged; use
/// describe() for anything shown.
struct KubeContext
{
    QString contextName;
    QString clusterName;
    QString userName;
    QString namespaceName = QStringLiteral("default"); ///< the context's namespace, else "default"
    QString sourceFile;  ///< the kubeconfig file that defines the context

    // cluster
    QUrl server;                      ///< https://host:port[/prefix]; the prefix is kept
    QByteArray caPem;                 ///< certificate-authority(-data); empty = system CAs
    QString caOrigin;                 ///< "/path/ca.crt" or "certificate-authority-data" (for errors)
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;            ///< overrides the name verified (and SNI)
    QUrl proxyUrl;                    ///< empty: HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment
    bool disableCompression = false;
    /// JSON of the cluster's extension "client.authentication.k8s.io/exec"; exec plugins with
    /// provideClusterInfo get it as spec.cluster.config. Empty when the cluster has none.
    QByteArray execClusterConfig;

    // user
    QByteArray clientCertificatePem;  ///< client-certificate(-data)
    QByteArray clientKeyPem;          ///< client-key(-data)
    QString clientCertificateOrigin;  ///< path or "client-certificate-data" (for errors)
    QByteArray token;                 ///< static bearer token (wins over tokenFile)
    QString tokenFile;                ///< absolute path; re-read by the client when it changes
    QString username;
    QByteArray password;
    std::optional<ExecPluginConfig> exec;

    /// Things kubectl would also warn about (insecure-skip-tls-verify, both -data and file set).
    QStringList warnings;

    bool hasClientCertificate() const { return !clientCertificatePem.isEmpty(); }
    /// "context prod (cluster c1 at https://h:6443, user admin, namespace web)": no secrets.
    QString describe() const
    {
        return QStringLiteral("context %1 (cluster %2 at %3, user %4, namespace %5)")
            .arg(contextName, clusterName, server.toString(QUrl::RemoveUserInfo), userName,
                 namespaceName);
    }
};
