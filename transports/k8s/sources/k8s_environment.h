#pragma once

#include "k8s_error.h"
#include "kubeconfig.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <optional>

class K8sClient;
class K8sDiscovery;

/// The clusters one LiveDash process talks to: the kubeconfig (loaded once, as kubectl would
/// find it) and one K8sClient + K8sDiscovery per context, created on first use and shared by
/// every Kubernetes source of that context (so a context has one connection pool, one credential
/// cache and one discovery cache). The composition root (headless runner, window) owns one.
///
/// Defaults: `--context` and `--namespace` given on the command line apply to sources that do
/// not name their own (context=, namespace=).
class K8sEnvironment : public QObject
{
    Q_OBJECT
public:
    explicit K8sEnvironment(KubeconfigLoadOptions options = {}, QObject *parent = nullptr);
    ~K8sEnvironment() override;

    void setDefaultContext(const QString &context) { m_defaultContext = context; }
    void setDefaultNamespace(const QString &ns) { m_defaultNamespace = ns; }
    QString defaultContext() const { return m_defaultContext; }
    const KubeconfigLoadOptions &loadOptions() const { return m_options; }

    /// The merged kubeconfig; nullopt (with *error) when it cannot be loaded. Loaded once.
    const Kubeconfig *kubeconfig(K8sError *error);
    /// The client for `context` (empty: the default context, else current-context); the
    /// namespace is `namespaceOverride`, else the default namespace, else the context's.
    /// nullptr with *error when the context cannot be resolved.
    K8sClient *client(const QString &context, K8sError *error);
    K8sDiscovery *discovery(K8sClient *client);
    /// The namespace a source uses: its own, else --namespace, else the context's.
    QString namespaceFor(K8sClient *client, const QString &sourceNamespace) const;

Q_SIGNALS:
    /// A client's warning (insecure TLS, exec plugin stderr), with the context name.
    void warning(const QString &context, const QString &text);

private:
    KubeconfigLoadOptions m_options;
    QString m_defaultContext;
    QString m_defaultNamespace;
    std::optional<Kubeconfig> m_kubeconfig;
    std::optional<K8sError> m_loadError;
    bool m_loaded = false;
    QHash<QString, K8sClient *> m_clients;        ///< by context name; children
    QHash<K8sClient *, K8sDiscovery *> m_discovery;
};
