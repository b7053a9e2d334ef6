#pragma once

// Private helpers shared by the route implementations (demo_feeds.cpp, test_routes.cpp).

#include "http_request.h"
#include "http_responder.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <memory>

namespace RouteHelpers {

/// Integer query parameter `name`, `fallback` when absent or not a number, clamped to [low, high].
inline qint64 queryInt(const HttpRequest &request, const QString &name, qint64 fallback, qint64 low,
                       qint64 high)
{
    if (!request.query.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const qint64 value = request.query.queryItemValue(name).toLongLong(&ok);
    return ok ? std::clamp(value, low, high) : fallback;
}

/// Last-Event-ID as a non-negative number, or -1 when absent or not a number.
inline qint64 lastEventId(const HttpRequest &request)
{
    const QByteArray text = request.header("Last-Event-ID").trimmed();
    if (text.isEmpty())
        return -1;
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok && value >= 0 ? value : -1;
}

inline QList<QPair<QByteArray, QByteArray>> sseHeaders()
{
    return {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}};
}

/// Calls `emitDue(count)` so that on average `hz` items per second are produced since the call,
/// driven by a precise timer parented to the responder (it stops with the connection). After a
/// stall at most one second worth of items is emitted at once; the rest is skipped.
inline void pace(HttpResponder *responder, int hz, std::function<void(int)> emitDue)
{
    auto *timer = new QTimer(responder);
    timer->setTimerType(Qt::PreciseTimer);
    timer->setInterval(std::max(1, 1000 / hz));
    auto clock = std::make_shared<QElapsedTimer>();
    auto produced = std::make_shared<qint64>(0);
    clock->start();
    QObject::connect(timer, &QTimer::timeout, responder,
                     [responder, hz, clock, produced, emitDue = std::move(emitDue)] {
                         if (!responder->isConnected())
                             return;
                         const qint64 due = clock->elapsed() * hz / 1000 - *produced;
                         if (due <= 0)
                             return;
                         *produced += due;
                         emitDue(int(std::min<qint64>(due, hz)));
                     });
    timer->start();
}

/// Writes `comment` every `intervalMs` while the responder lives.
inline void keepalive(HttpResponder *responder, int intervalMs, const QByteArray &comment)
{
    auto *timer = new QTimer(responder);
    timer->setInterval(intervalMs);
    QObject::connect(timer, &QTimer::timeout, responder, [responder, comment] { responder->write(comment); });
    timer->start();
}

} // namespace RouteHelpers
