#pragma once

#include "log_line.h"

#include <QByteArray>
#include <QList>
#include <QRandomGenerator>

/// One container's log as a kubelet serves it with timestamps=true: every line prefixed with its
/// nine-digit RFC 3339 timestamp and a space; sinceTime honoured at second precision exactly like
/// the kubelet (lines with timestamp >= sinceTime truncated to the second). Test helper.
struct FakeKubeletLog
{
    QList<KubeLogLine> lines;

    /// `count` lines; many share one second and runs of them share an exact timestamp.
    static FakeKubeletLog generate(int count, quint32 seed, qint64 startSecond = 1796166601)
    {
        FakeKubeletLog log;
        QRandomGenerator rng(seed);
        KubeTimestamp ts{startSecond, 0};
        for (int i = 0; i < count; ++i) {
            const quint32 step = rng.bounded(10);
            if (step >= 7) {          // 30 %: exactly the previous timestamp
            } else if (step >= 2) {   // 50 %: a bit later, usually in the same second
                ts.nanos += qint32(rng.bounded(50'000'000) + 1);
            } else {                  // 20 %: a later second
                ts.seconds += 1 + rng.bounded(2);
                ts.nanos = qint32(rng.bounded(3)) * 100'000'000;
            }
            if (ts.nanos >= 1'000'000'000) {
                ts.seconds += 1;
                ts.nanos -= 1'000'000'000;
            }
            QByteArray text = "line " + QByteArray::number(i) + " "
                              + QByteArray(int(rng.bounded(40)), char('a' + i % 26));
            log.lines.append(KubeLogLine{ts, text, true});
        }
        return log;
    }

    static QByteArray wire(const KubeLogLine &line)
    {
        return line.timestamp.toRfc3339Nanos() + ' ' + line.text + '\n';
    }

    /// What the kubelet sends for sinceTime (whole seconds; nullopt = from the start).
    QByteArray replay(std::optional<KubeTimestamp> since = std::nullopt) const
    {
        QByteArray out;
        for (const KubeLogLine &line : lines) {
            if (since && line.timestamp < since->truncatedToSecond())
                continue;
            out += wire(line);
        }
        return out;
    }
};
