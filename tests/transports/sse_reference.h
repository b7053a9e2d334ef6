#pragma once

// A deliberately naive transcription of the WHATWG event-stream interpretation rules (HTML §9.2.6),
// for differential testing of the fast SseParser. It sees the whole stream at once, works on
// decoded text line by line and makes no attempt to be fast. Not used by the application.

#include "sse_parser.h"
#include "utf8.h"

#include <QByteArray>
#include <QList>

struct SseReferenceResult
{
    QList<SseEvent> events;
    QByteArray lastEventId;
    std::optional<qint64> retryMs;
};

inline SseReferenceResult sseReferenceParse(const QByteArray &stream)
{
    SseReferenceResult result;
    // 1. Decode as UTF-8 (invalid sequences → U+FFFD), strip one leading BOM.
    QByteArray text = Utf8::sanitized(stream);
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);

    // 2. Split into lines on CRLF, CR or LF; a final line without its end is never processed.
    QList<QByteArray> lines;
    QByteArray current;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '\r' || c == '\n') {
            lines.append(current);
            current.clear();
            if (c == '\r' && i + 1 < text.size() && text.at(i + 1) == '\n')
                ++i;
        } else {
            current.append(c);
        }
    }

    QByteArray data;
    QByteArray eventType;
    QByteArray idBuffer;
    for (const QByteArray &line : lines) {
        if (line.isEmpty()) {
            // Dispatch.
            result.lastEventId = idBuffer;
            if (data.isEmpty()) {
                eventType.clear();
                continue;
            }
            if (data.endsWith('\n'))
                data.chop(1);
            SseEvent event;
            event.type = eventType.isEmpty() ? QByteArray("message") : eventType;
            event.data = data;
            event.lastEventId = result.lastEventId;
            result.events.append(event);
            data.clear();
            eventType.clear();
            continue;
        }
        if (line.startsWith(':'))
            continue;
        QByteArray name;
        QByteArray value;
        const qsizetype colon = line.indexOf(':');
        if (colon >= 0) {
            name = line.left(colon);
            value = line.mid(colon + 1);
            if (value.startsWith(' '))
                value.remove(0, 1);
        } else {
            name = line;
        }
        if (name == "event") {
            eventType = value;
        } else if (name == "data") {
            data += value;
            data += '\n';
        } else if (name == "id") {
            if (!value.contains('\0'))
                idBuffer = value;
        } else if (name == "retry") {
            bool digits = !value.isEmpty();
            for (char c : value)
                digits = digits && c >= '0' && c <= '9';
            if (digits) {
                qint64 ms = 0;
                for (char c : value)
                    ms = ms > (std::numeric_limits<qint64>::max() - 9) / 10 ? std::numeric_limits<qint64>::max()
                                                                         : ms * 10 + (c - '0');
                result.retryMs = ms;
            }
        }
    }
    return result;
}
