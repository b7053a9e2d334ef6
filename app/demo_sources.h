#pragma once

#include "transport_config.h"

#include <QList>

class DemoServer;

/// One TransportConfig per feed of the built-in demo server, in its display order.
QList<TransportConfig> demoSourceConfigs(const DemoServer &server);
