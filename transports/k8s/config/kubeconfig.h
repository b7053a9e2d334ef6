#pragma once

#include "k8s_error.h"
#include "kube_context.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

/// Where to look for kubeconfig files; the defaults read the process environment like kubectl.
struct KubeconfigLoadOptions
{
    QString explicitPath;                  ///< --kubeconfig; empty = not given
    std::optional<QString> kubeconfigEnv;  ///< KUBECONFIG value; nullopt = read the environment
    QString homeDir;                       ///< empty = QDir::homePath()
};

/// The kubeconfig files kubectl would use, loaded and merged the way client-go's clientcmd does
/// it (protocols.md 5), so a context resolves to the same server, namespace and credentials as
/// `kubectl --context X`.
///
/// Precedence: an explicit --kubeconfig path is used alone (it must exist and is not merged);
/// otherwise every file the KUBECONFIG list names (':'-separated, empty entries, duplicates and
/// missing files skipped) is merged; otherwise ~/.kube/config. Merge rule: for clusters, users and
/// contexts the FIRST file defining a name wins wholesale (later definitions of that name are
/// discarded, even for fields the first left empty), and the first non-empty current-context wins.
///
/// Relative paths (certificate-authority, client-certificate, client-key, tokenFile, and an exec
/// command containing a '/') are relative to the file that defines the stanza. A file that does
/// not parse is an error naming file:line:column. When no file exists at all the configuration is
/// empty and resolve() says so. Error texts never contain secret values.
///
/// Value type; load() reads files, resolve() reads the CA, certificate and key files it names.
class Kubeconfig
{
public:
    /// Finds, reads and merges the files. Returns nullopt with *error (Kind Config) filled when the
    /// explicit file is missing or a file cannot be read or parsed.
    static std::optional<Kubeconfig> load(const KubeconfigLoadOptions &options, K8sError *error);

    /// The files that were read, in merge order, as absolute paths.
    QStringList files() const { return m_files; }
    /// Every context name of the merged configuration, sorted.
    QStringList contextNames() const;
    /// The merged current-context; empty when no file sets one.
    QString currentContext() const { return m_currentContext; }
    /// Load-time notes (every KUBECONFIG file missing, a list entry without a name). Notes about
    /// one context (insecure TLS, data and file both set) are in KubeContext::warnings.
    QStringList warnings() const { return m_warnings; }

    /// The context `contextName` (empty: current-context) with everything a client needs: files
    /// read, *-data decoded, paths absolute, namespace = namespaceOverride, else the context's,
    /// else "default". Returns nullopt with *error (Kind Config, or Credentials for unreadable or
    /// unsupported credentials) naming the context, stanza and file at fault.
    std::optional<KubeContext> resolve(const QString &contextName, const QString &namespaceOverride,
                                       K8sError *error) const;

private:
    struct Cluster
    {
        QString sourceFile;
        QString server;
        QString certificateAuthority;         ///< absolute
        QByteArray certificateAuthorityData;  ///< base64 as written
        bool insecureSkipTlsVerify = false;
        QString tlsServerName;
        QString proxyUrl;
        bool disableCompression = false;
        QByteArray execExtensionJson;         ///< extensions[client.authentication.k8s.io/exec]
    };
    struct Exec
    {
        QString apiVersion, command, installHint, interactiveMode;
        QStringList args;
        QList<QPair<QString, QString>> env;
        bool provideClusterInfo = false;
    };
    struct User
    {
        QString sourceFile;
        QString clientCertificate, clientKey, tokenFile; ///< absolute
        QByteArray clientCertificateData, clientKeyData; ///< base64 as written
        QString token, username, password;
        std::optional<QString> authProvider;             ///< the provider's name
        std::optional<Exec> exec;
        bool impersonates = false;
    };
    struct Context
    {
        QString sourceFile;
        QString cluster, user, namespaceName;
    };

    friend struct KubeconfigReader;

    bool parseFile(const QString &path, const QByteArray &bytes, QString *error);

    QStringList m_files;
    QString m_currentContext;
    QStringList m_warnings;
    QString m_noConfigReason; ///< set when no file existed
    QMap<QString, Cluster> m_clusters;
    QMap<QString, User> m_users;
    QMap<QString, Context> m_contexts;
};
