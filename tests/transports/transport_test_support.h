#pragma once

// Helpers shared by the transport integration tests (header-only, test code only).

#include "stream_event.h"
#include "transport.h"

#include <QList>
#include <QSignalSpy>
#include <QTcpServer>

namespace TestSupport {

/// A config with small, jitter-free backoff so reconnect tests run fast and deterministically.
inline TransportConfig fastConfig(const QUrl &url, int initialMs = 50, int maxMs = 400)
{
    TransportConfig config;
    config.url = url;
    config.backoff = BackoffPolicy{initialMs, maxMs, 2.0, 0.0};
    return config;
}

/// Every event of every eventsReceived batch recorded by `spy`, in order.
inline QList<StreamEvent> events(const QSignalSpy &spy)
{
    QList<StreamEvent> out;
    for (const QList<QVariant> &args : spy)
        out += args.at(0).value<QList<StreamEvent>>();
    return out;
}

/// Only the Data events.
inline QList<StreamEvent> dataEvents(const QSignalSpy &spy)
{
    QList<StreamEvent> out;
    for (const StreamEvent &event : events(spy))
        if (event.kind == StreamEvent::Kind::Data)
            out.append(event);
    return out;
}

inline QByteArrayList payloads(const QList<StreamEvent> &list)
{
    QByteArrayList out;
    for (const StreamEvent &event : list)
        out.append(event.payload);
    return out;
}

inline QList<TransportError> errors(const QSignalSpy &spy)
{
    QList<TransportError> out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).value<TransportError>());
    return out;
}

inline QList<Transport::State> states(const QSignalSpy &spy)
{
    QList<Transport::State> out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).value<Transport::State>());
    return out;
}

/// A local port nobody listens on (bound once, then released).
inline quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 1;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace TestSupport
