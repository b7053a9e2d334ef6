#pragma once

#include "demo_server.h"
#include "fake_cluster.h"
#include "k8s_environment.h"
#include "k8s_transports.h"
#include "transport.h"

#include <QHash>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

/// For window tests: the demo server's fake cluster, its kubeconfig in a temporary directory, a
/// K8sEnvironment on it and a registry with the built-in and the k8s transports. Header-only: the
/// tests that use it link dash_app (which brings dash_k8s and dash_demo).
struct K8sFixture
{
    DemoServer server;
    QTemporaryDir dir;
    std::shared_ptr<K8sEnvironment> env;
    TransportRegistry registry;

    bool start(QString *error)
    {
        if (!server.listen() || !server.cluster() || !dir.isValid()) {
            *error = QStringLiteral("cannot start the demo server");
            return false;
        }
        const QString path = server.cluster()->writeKubeconfig(dir.filePath(QStringLiteral("kubeconfig")), error);
        if (path.isEmpty())
            return false;
        KubeconfigLoadOptions options;
        options.explicitPath = path;
        env = std::make_shared<K8sEnvironment>(options);
        registerBuiltinTransports(registry);
        registerK8sTransports(registry, env);
        return true;
    }
    /// {demo-http} / {demo-ws} for the demo dashboard's source URLs.
    QHash<QString, QString> substitutions() const
    {
        auto base = [](const QUrl &url) { return url.toString(QUrl::StripTrailingSlash); };
        return {{QStringLiteral("{demo-http}"), base(server.httpUrl())}, {QStringLiteral("{demo-ws}"), base(server.wsUrl())}};
    }
};
