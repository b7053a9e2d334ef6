#include "transport.h"

#include "http/http_stream_transport.h"
#include "sse/sse_transport.h"
#include "websocket/websocket_transport.h"

void registerBuiltinTransports(TransportRegistry &registry)
{
    registry.add(QStringLiteral("sse"),
                 QStringLiteral("Server-Sent Events (text/event-stream) with Last-Event-ID resume"),
                 [](QObject *parent) { return std::make_unique<SseTransport>(parent); });
    registry.add(QStringLiteral("lines"),
                 QStringLiteral("Streaming HTTP body, one event per text line"),
                 [](QObject *parent) {
                     return std::make_unique<HttpStreamTransport>(HttpStreamTransport::Mode::Lines, parent);
                 });
    registry.add(QStringLiteral("ndjson"),
                 QStringLiteral("Streaming HTTP body, one JSON value per line (NDJSON)"),
                 [](QObject *parent) {
                     return std::make_unique<HttpStreamTransport>(HttpStreamTransport::Mode::Ndjson, parent);
                 });
    registry.add(QStringLiteral("http"),
                 QStringLiteral("Streaming HTTP; the response Content-Type picks SSE, NDJSON or lines"),
                 [](QObject *parent) {
                     return std::make_unique<HttpStreamTransport>(HttpStreamTransport::Mode::Auto, parent);
                 });
    registry.add(QStringLiteral("websocket"),
                 QStringLiteral("WebSocket: text and binary messages, send() supported"),
                 [](QObject *parent) { return std::make_unique<WebSocketTransport>(parent); });
}
