#pragma once

#include "http/line_framer.h"
#include "sse/sse_parser.h"
#include "stream_event.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

class JsonValidator;

/// Turns the bytes of one HTTP response body into StreamEvents: Server-Sent Events, text lines
/// or NDJSON values. The network-free half of HttpStreamTransport, so the hot path can be tested
/// and benchmarked without sockets. Not a QObject; one decoder per transport, one thread.
///
/// Events are stamped with `context`: the source id, one receive time for the whole read, and
/// the transport's running sequence number (Data and Error events take the next one).
///
/// Output rules (the transport's contract downstream):
/// - SSE: type = event type, id = last event ID at dispatch, payload = data (valid UTF-8).
/// - Lines: type "line", payload = the line (UTF-8 repaired).
/// - NDJSON: type "json" for a valid value, blank lines skipped, otherwise an Error event of type
///   "error" with the raw text (repaired) and the reason.
/// - A line or event over maxLineBytes becomes an Error event (type "error", payload an excerpt,
///   detail e.g. "data line exceeds the 16 MiB limit; event dropped" or "line exceeds the 16 MiB
///   limit; line dropped") in the read that crosses the cap, not at the end of the line or event
///   (which may never come); the rest is skipped with bounded memory and the stream continues.
class BodyDecoder
{
public:
    enum class Format { Sse, Lines, Ndjson };

    struct Context
    {
        QString source;
        qint64 receivedMs = 0;
        quint64 *seq = nullptr; ///< incremented for each Data/Error event
    };

    explicit BodyDecoder(Format format = Format::Lines,
                         qsizetype maxLineBytes = 16 * 1024 * 1024);
    ~BodyDecoder();
    BodyDecoder(const BodyDecoder &) = delete;
    BodyDecoder &operator=(const BodyDecoder &) = delete;

    /// Switches format (Auto decided) and cap; drops buffered state but keeps the SSE last event
    /// ID and retry value.
    void configure(Format format, qsizetype maxLineBytes);
    Format format() const { return m_format; }
    qsizetype maxLineBytes() const { return m_maxLineBytes; }

    /// New connection: drops partial lines/events (SSE keeps lastEventId, rule 1.4.7).
    void reset();
    /// Any slice of the body; appends the events it completes.
    void feed(QByteArrayView chunk, const Context &context, QList<StreamEvent> &out);
    /// Clean end of body: a final line without newline is emitted (lines/NDJSON); an SSE event
    /// without its blank line is discarded.
    void finish(const Context &context, QList<StreamEvent> &out);

    /// SSE state that outlives a connection.
    QByteArray lastEventId() const;
    std::optional<qint64> retryMs() const;

private:
    void appendLine(FramedLine &line, const Context &context, QList<StreamEvent> &out);

    Format m_format;
    qsizetype m_maxLineBytes;
    std::unique_ptr<SseParser> m_sse;
    QList<SseEvent> m_sseEvents; ///< the parser's output, reused from read to read
    QList<FramedLine> m_lines;   ///< the framer's output, reused from read to read
    std::unique_ptr<LineFramer> m_framer;
    std::unique_ptr<JsonValidator> m_json;
};
