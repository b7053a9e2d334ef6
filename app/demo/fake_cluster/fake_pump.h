#pragma once

// Private helper of the fake cluster: streams a generated body with backpressure.

#include "http_responder.h"

#include <QObject>

#include <functional>
#include <memory>

namespace FakePump {

/// Keeps at most about `highWater` bytes queued in the responder's socket: writes the chunks
/// `next()` returns until that much is pending, continues on bytesWritten, and ends the response
/// when `next()` returns an empty array. The head must have been written already.
inline void start(HttpResponder *responder, std::function<QByteArray()> next, qint64 highWater = 1 << 20)
{
    auto fill = std::make_shared<std::function<void()>>();
    auto done = std::make_shared<bool>(false);
    *fill = [responder, next = std::move(next), highWater, done] {
        while (!*done && responder->isConnected() && responder->pendingBytes() < highWater) {
            const QByteArray chunk = next();
            if (chunk.isEmpty()) {
                *done = true;
                responder->end();
                return;
            }
            responder->write(chunk);
        }
    };
    QObject::connect(responder, &HttpResponder::bytesWritten, responder, [fill] { (*fill)(); });
    (*fill)();
}

} // namespace FakePump
