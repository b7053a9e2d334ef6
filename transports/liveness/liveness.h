#pragma once

#include <QtGlobal>

/// A snapshot of how alive a source's connection looks. Plain value type.
struct Liveness
{
    qint64 lastActivityMs = 0;   ///< epoch ms of the last byte, frame or pong received; 0 = none yet
    qint64 usualIntervalMs = 0;  ///< learned heartbeat: how long this stream is usually silent; 0 = not learned
    qint64 silentForMs = 0;      ///< time since lastActivityMs (0 when not open)
    bool stalled = false;        ///< open, but silent for several usual intervals
};
