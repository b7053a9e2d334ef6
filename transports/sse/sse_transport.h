#pragma once

#include "http/http_stream_transport.h"

/// Server-Sent Events source: HttpStreamTransport in Mode::Sse (registry id "sse"). Request,
/// response checks (200 + text/event-stream only; 204 stops), Last-Event-ID resume, `retry:` as
/// the reconnect base and the signal contract are documented on HttpStreamTransport.
class SseTransport : public HttpStreamTransport
{
    Q_OBJECT
public:
    explicit SseTransport(QObject *parent = nullptr);
    ~SseTransport() override;
};
