#pragma once

#include "api_resource.h"
#include "k8s_source_transport.h"

class Informer;

/// The engine of k8s:watch/RESOURCE[/NAME] sources: resolves RESOURCE through the context's
/// discovery (plural, singular, short name, kind or plural.group, so custom resources work), runs
/// an Informer (list-then-watch with client-go's rules) on it and turns its changes into
/// StreamEvents: type ADDED / MODIFIED / DELETED, id "<namespace>/<name>" ("<name>" when
/// cluster-scoped), payload the object as compact JSON, receivedMs the receive time. Bookmarks
/// are never events. After the initial list: notice "synced: N <resource>"; after a relist
/// (410) only the differences arrive. namespace=* watches every namespace.
class K8sWatchEngine : public K8sSourceEngine
{
    Q_OBJECT
public:
    explicit K8sWatchEngine(K8sSourceTransport *transport);
    ~K8sWatchEngine() override;

    void start() override;
    void stop() override;
    void pause() override;
    void resume() override;

private:
    void startInformer();

    Informer *m_informer = nullptr;
    ApiResource m_resource;
    QString m_namespace;
    bool m_stopped = false;
    bool m_synced = false;
};
