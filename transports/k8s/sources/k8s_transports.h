#pragma once

#include <memory>

class K8sEnvironment;
class TransportRegistry;

/// Registers "k8s" (every k8s: source, see k8s_source_spec.h) with the clusters of `environment`.
void registerK8sTransports(TransportRegistry &registry, std::shared_ptr<K8sEnvironment> environment);
