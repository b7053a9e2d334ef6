#include "k8s_transports.h"

#include "k8s_environment.h"
#include "k8s_source_transport.h"

void registerK8sTransports(TransportRegistry &registry, std::shared_ptr<K8sEnvironment> environment)
{
    registry.add(QStringLiteral("k8s"),
                 QStringLiteral("Kubernetes: pod logs (one pod, a workload, a selector) and list-then-watch of any resource"),
                 [environment](QObject *parent) -> std::unique_ptr<Transport> {
                     return std::make_unique<K8sSourceTransport>(environment, parent);
                 });
}
