#include "k8s_watch_engine.h"

#include "informer.h"
#include "k8s_discovery.h"
#include "k8s_environment.h"

K8sWatchEngine::K8sWatchEngine(K8sSourceTransport *transport)
    : K8sSourceEngine(transport)
{
}

K8sWatchEngine::~K8sWatchEngine()
{
    stop();
}

void K8sWatchEngine::stop()
{
    m_stopped = true;
    if (m_informer)
        m_informer->stop();
}

void K8sWatchEngine::start()
{
    K8sDiscovery *discovery = transport()->environment()->discovery(transport()->client());
    discovery->whenReady(this, [this, discovery](const std::optional<K8sError> &error) {
        if (m_stopped)
            return;
        if (error) {
            K8sError e = *error;
            e.message = QStringLiteral("discovery failed: %1").arg(e.message);
            transport()->failWith(e);
            return;
        }
        const K8sSourceSpec &spec = transport()->spec();
        QString findError;
        const std::optional<ApiResource> resource = discovery->find(spec.resource, &findError);
        if (!resource) {
            K8sError e;
            e.kind = K8sError::Kind::NotFound;
            e.message = findError;
            transport()->failWith(e);
            return;
        }
        if (!resource->can(QStringLiteral("watch")) || !resource->can(QStringLiteral("list"))) {
            K8sError e;
            e.kind = K8sError::Kind::BadRequest;
            e.message = QStringLiteral("%1 cannot be listed and watched (verbs: %2)")
                            .arg(resource->qualifiedName(), resource->verbs.join(QStringLiteral(", ")));
            transport()->failWith(e);
            return;
        }
        m_resource = *resource;
        const QString ns = transport()->namespaceName();
        m_namespace = (!m_resource.namespaced || ns == u"*") ? QString() : ns;
        startInformer();
    });
}

void K8sWatchEngine::startInformer()
{
    const K8sSourceSpec &spec = transport()->spec();
    InformerOptions options;
    if (!spec.name.isEmpty())
        options.fieldSelector = QStringLiteral("metadata.name=") + spec.name;
    m_informer = new Informer(transport()->client(), m_resource, m_namespace, options, this);
    connect(m_informer, &Informer::changes, this, [this](const QList<WatchChange> &batch) {
        if (m_stopped)
            return;
        QList<StreamEvent> events;
        events.reserve(batch.size());
        for (const WatchChange &change : batch) {
            QByteArray type;
            switch (change.kind) {
            case WatchChange::Kind::Added: type = QByteArrayLiteral("ADDED"); break;
            case WatchChange::Kind::Modified: type = QByteArrayLiteral("MODIFIED"); break;
            case WatchChange::Kind::Deleted: type = QByteArrayLiteral("DELETED"); break;
            }
            events.append(transport()->dataEvent(type, change.object.key(), change.object.object));
        }
        transport()->noteStreamActivity();
        transport()->deliverEvents(events);
    });
    connect(m_informer, &Informer::synced, this, [this](int count) {
        if (m_stopped)
            return;
        transport()->markOpen();
        transport()->emitNotice(QStringLiteral("%1: %2 %3").arg(m_synced ? QStringLiteral("relisted") : QStringLiteral("synced"))
                                    .arg(count).arg(m_resource.plural));
        m_synced = true;
    });
    connect(m_informer, &Informer::errorOccurred, this, [this](const K8sError &error) {
        if (m_stopped)
            return;
        if (error.retryable)
            transport()->reportRetrying(error);
        else
            transport()->failWith(error);
    });
    m_informer->start();
}

void K8sWatchEngine::pause()
{
    // Idle timeout: drop the watch; resume() re-watches from the stored resourceVersion.
    if (m_informer)
        m_informer->stop();
}

void K8sWatchEngine::resume()
{
    if (m_informer)
        m_informer->start();
}
