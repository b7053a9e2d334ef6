#pragma once

#include "demo_server.h"
#include "test_routes.h"

/// The server the integration tests talk to: the demo server plus the misbehaving and scripted
/// /test/... routes (test_routes.h), which are kept out of what ships.
class TestServer : public DemoServer
{
public:
    explicit TestServer(QObject *parent = nullptr)
        : DemoServer(parent)
    {
        TestRoutes::install(*this);
    }
};
