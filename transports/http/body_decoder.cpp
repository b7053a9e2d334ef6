#include "body_decoder.h"

#include "http/json_validator.h"
#include "http/line_framer.h"
#include "sse/sse_parser.h"
#include "text/byte_size.h"
#include "text/utf8.h"

namespace {

StreamEvent stamped(const BodyDecoder::Context &context, StreamEvent::Kind kind, QByteArray type,
                    QByteArray id, QByteArray payload, QString detail = {})
{
    StreamEvent event;
    event.kind = kind;
    event.source = context.source;
    event.seq = ++*context.seq;
    event.receivedMs = context.receivedMs;
    event.type = std::move(type);
    event.id = std::move(id);
    event.payload = std::move(payload);
    event.detail = std::move(detail);
    return event;
}

} // namespace

BodyDecoder::BodyDecoder(Format format, qsizetype maxLineBytes)
    : m_format(format)
    , m_maxLineBytes(maxLineBytes > 0 ? maxLineBytes : 16 * 1024 * 1024)
    , m_sse(std::make_unique<SseParser>(m_maxLineBytes))
    , m_framer(std::make_unique<LineFramer>(m_maxLineBytes))
    , m_json(std::make_unique<JsonValidator>())
{
}

BodyDecoder::~BodyDecoder() = default;

void BodyDecoder::configure(Format format, qsizetype maxLineBytes)
{
    m_format = format;
    if (maxLineBytes <= 0)
        maxLineBytes = 16 * 1024 * 1024;
    if (maxLineBytes != m_maxLineBytes) {
        const QByteArray id = m_sse->lastEventId();
        const std::optional<qint64> retry = m_sse->retryMs();
        m_maxLineBytes = maxLineBytes;
        m_sse = std::make_unique<SseParser>(m_maxLineBytes);
        m_sse->setLastEventId(id);
        Q_UNUSED(retry); // a new source configuration starts without the old server's retry
        m_framer = std::make_unique<LineFramer>(m_maxLineBytes);
    }
    reset();
}

void BodyDecoder::reset()
{
    m_sse->reset();
    m_framer->reset();
}

QByteArray BodyDecoder::lastEventId() const
{
    return m_sse->lastEventId();
}

std::optional<qint64> BodyDecoder::retryMs() const
{
    return m_sse->retryMs();
}

void BodyDecoder::feed(QByteArrayView chunk, const Context &context, QList<StreamEvent> &out)
{
    if (m_format == Format::Sse) {
        m_sseEvents.clear(); // keeps its capacity: no allocation per read once it has grown
        m_sse->feed(chunk, m_sseEvents);
        out.reserve(out.size() + m_sseEvents.size());
        for (SseEvent &event : m_sseEvents) {
            // The parser already guarantees valid UTF-8 in type, id and data (one pass, per chunk).
            const bool dropped = !event.error.isEmpty();
            out.emplaceBack(StreamEvent{dropped ? StreamEvent::Kind::Error : StreamEvent::Kind::Data,
                                        context.source, ++*context.seq, context.receivedMs,
                                        dropped ? QByteArray(QByteArrayLiteral("error")) : std::move(event.type),
                                        std::move(event.lastEventId), std::move(event.data),
                                        std::move(event.error)});
        }
        m_sseEvents.clear();
        return;
    }
    m_lines.clear();
    m_framer->feed(chunk, m_lines);
    out.reserve(out.size() + m_lines.size());
    for (FramedLine &line : m_lines)
        appendLine(line, context, out);
    m_lines.clear();
}

void BodyDecoder::finish(const Context &context, QList<StreamEvent> &out)
{
    if (m_format == Format::Sse) {
        m_sse->finish();
        return;
    }
    m_lines.clear();
    m_framer->finish(m_lines);
    for (FramedLine &line : m_lines)
        appendLine(line, context, out);
    m_lines.clear();
}

void BodyDecoder::appendLine(FramedLine &line, const Context &context, QList<StreamEvent> &out)
{
    if (line.tooLong) {
        out.append(stamped(context, StreamEvent::Kind::Error, QByteArrayLiteral("error"), {},
                           Utf8::sanitized(line.text),
                           QStringLiteral("line exceeds the %1 limit; line dropped")
                               .arg(ByteSize::limitText(m_maxLineBytes))));
        return;
    }
    if (m_format == Format::Lines) {
        // The framer validated the UTF-8 of the whole read at once; only split lines are checked here.
        out.emplaceBack(StreamEvent{StreamEvent::Kind::Data, context.source, ++*context.seq, context.receivedMs,
                                    QByteArrayLiteral("line"), QByteArray(),
                                    line.validUtf8 ? std::move(line.text) : Utf8::sanitized(line.text), QString()});
        return;
    }
    if (JsonValidator::isBlank(line.text))
        return;
    if (const std::optional<QString> problem = m_json->check(line.text)) {
        out.append(stamped(context, StreamEvent::Kind::Error, QByteArrayLiteral("error"), {},
                           Utf8::sanitized(line.text), *problem));
        return;
    }
    // simdjson validated the UTF-8 as part of the parse.
    out.emplaceBack(StreamEvent{StreamEvent::Kind::Data, context.source, ++*context.seq, context.receivedMs,
                                QByteArrayLiteral("json"), QByteArray(), std::move(line.text), QString()});
}
