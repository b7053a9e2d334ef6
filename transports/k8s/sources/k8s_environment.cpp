#include "k8s_environment.h"

#include "k8s_client.h"
#include "k8s_discovery.h"

K8sEnvironment::K8sEnvironment(KubeconfigLoadOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

K8sEnvironment::~K8sEnvironment() = default;

const Kubeconfig *K8sEnvironment::kubeconfig(K8sError *error)
{
    if (!m_loaded) {
        m_loaded = true;
        K8sError loadError;
        m_kubeconfig = Kubeconfig::load(m_options, &loadError);
        if (!m_kubeconfig)
            m_loadError = loadError;
    }
    if (!m_kubeconfig) {
        if (error)
            *error = *m_loadError;
        return nullptr;
    }
    return &*m_kubeconfig;
}

K8sClient *K8sEnvironment::client(const QString &context, K8sError *error)
{
    const Kubeconfig *config = kubeconfig(error);
    if (!config)
        return nullptr;
    QString name = context.isEmpty() ? m_defaultContext : context;
    if (name.isEmpty())
        name = config->currentContext();
    if (K8sClient *existing = m_clients.value(name))
        return existing;
    K8sError resolveError;
    const std::optional<KubeContext> resolved = config->resolve(name, QString(), &resolveError);
    if (!resolved) {
        if (error)
            *error = resolveError;
        return nullptr;
    }
    auto *client = new K8sClient(*resolved, this);
    const QString contextName = resolved->contextName;
    connect(client, &K8sClient::warning, this, [this, contextName](const QString &text) { Q_EMIT warning(contextName, text); });
    for (const QString &w : resolved->warnings)
        QMetaObject::invokeMethod(this, [this, contextName, w] { Q_EMIT warning(contextName, w); }, Qt::QueuedConnection);
    m_clients.insert(name, client);
    return client;
}

K8sDiscovery *K8sEnvironment::discovery(K8sClient *client)
{
    K8sDiscovery *&d = m_discovery[client];
    if (!d)
        d = new K8sDiscovery(client, this);
    return d;
}

QString K8sEnvironment::namespaceFor(K8sClient *client, const QString &sourceNamespace) const
{
    if (!sourceNamespace.isEmpty())
        return sourceNamespace;
    if (!m_defaultNamespace.isEmpty())
        return m_defaultNamespace;
    return client ? client->namespaceName() : QStringLiteral("default");
}
