#pragma once

#include "k8s_error.h"
#include "kube_context.h"

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <optional>

class QProcess;
class QTimer;

/// What an exec credential plugin printed (protocols.md 5.3): a bearer token and/or a client
/// certificate + key (PEM), valid until `expiry` when set. Secret: never print or log it.
struct ExecCredential
{
    QByteArray token;
    QByteArray clientCertificatePem;
    QByteArray clientKeyPem;
    std::optional<QDateTime> expiry; ///< status.expirationTimestamp (UTC); nullopt = no expiry
};

Q_DECLARE_METATYPE(ExecCredential)

/// Parses a plugin's stdout: it must be an ExecCredential of `expectedApiVersion` whose status
/// holds a token, or clientCertificateData + clientKeyData (both), and optionally an RFC 3339
/// expirationTimestamp. Returns nullopt and sets *error (never containing the secrets) when it is
/// not. Pure.
std::optional<ExecCredential> parseExecCredential(const QByteArray &stdoutBytes,
                                                  const QString &expectedApiVersion, QString *error);

/// The KUBERNETES_EXEC_INFO value for `plugin` (spec.interactive false; spec.cluster when
/// provideClusterInfo). Pure.
QByteArray execInfoJson(const ExecPluginConfig &plugin, const KubeContext &cluster);

/// Runs one kubeconfig user's exec credential plugin and caches what it returns, as client-go's
/// exec authenticator does.
///
/// fetch() starts the command asynchronously with QProcess (never blocks the calling thread): the
/// parent environment + the plugin's env + KUBERNETES_EXEC_INFO, stdin closed (a GUI has no
/// terminal, so interactiveMode Always fails with "needs an interactive terminal"), killed after
/// timeoutMs() (60 s). A command with a '/' is relative to the kubeconfig's directory, any other
/// is looked up in PATH. Exactly one of ready() / failed() follows each run; a fetch() while a run
/// is under way does not start another.
///
/// Threading: lives on one thread; signals are emitted there.
class ExecCredentialProvider : public QObject
{
    Q_OBJECT
public:
    ExecCredentialProvider(const ExecPluginConfig &plugin, const KubeContext &cluster,
                           QObject *parent = nullptr);
    ~ExecCredentialProvider() override;

    /// The last credential, if it does not expire within the next 10 s.
    std::optional<ExecCredential> cached() const;
    /// Drops the cached credential (after a 401): the next fetch() runs the plugin again.
    void invalidate();
    /// Runs the plugin unless a run is under way. Emits ready() or failed() later, never inside
    /// this call.
    void fetch();
    /// True from fetch() until the run's ready() / failed().
    bool isRunning() const { return m_process != nullptr; }

    /// How long a run may take before it is killed and reported as failed (default 60 000).
    int timeoutMs() const { return m_timeoutMs; }
    /// Changes the timeout of the next run (tests use short ones).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

Q_SIGNALS:
    /// A run succeeded; `credential` is now cached() (unless it already expires). Secret.
    void ready(const ExecCredential &credential);
    /// A run failed (Kind Credentials): command not found (with the installHint), non-zero exit
    /// (exit code and the plugin's stderr tail, escaped), timeout, or unusable output (what was
    /// wrong, never the output itself). The cache is left as it was.
    void failed(const K8sError &error);
    /// What a successful run wrote to stderr (escaped, at most ~2 KiB), for the log.
    void stderrText(const QString &text);

private:
    void failLater(const QString &message);
    QString label() const;

    ExecPluginConfig m_plugin;
    KubeContext m_cluster;
    std::optional<ExecCredential> m_cached;
    QProcess *m_process = nullptr;
    QTimer *m_timer = nullptr;
    QByteArray m_stdout;     ///< of the run under way, capped at 1 MiB
    QByteArray m_stderr;     ///< its tail
    bool m_timedOut = false;
    bool m_overflow = false;
    int m_timeoutMs = 60000;
};
