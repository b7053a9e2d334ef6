#include "demo_sources.h"

#include "demo_server.h"

QList<TransportConfig> demoSourceConfigs(const DemoServer &server)
{
    QList<TransportConfig> configs;
    for (const DemoServer::Feed &feed : server.demoFeeds()) {
        TransportConfig config;
        config.url = feed.url;
        config.transportId = feed.transportId;
        configs.append(config);
    }
    return configs;
}
