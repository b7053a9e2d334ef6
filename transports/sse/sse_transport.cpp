#include "sse_transport.h"

SseTransport::SseTransport(QObject *parent)
    : HttpStreamTransport(Mode::Sse, parent)
{
}

SseTransport::~SseTransport() = default;
