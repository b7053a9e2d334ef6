#include "body_decoder.h"

#include "http/json_validator.h"
#include "http/line_framer.h"
#include "sse/sse_parser.h"
#include "text/utf8.h"

namespace {

QString sizeText(qsizetype bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    return QStringLiteral("%1-byte").arg(bytes);
}

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
    QList<FramedLine> lines;
    m_framer->feed(chunk, lines);
    out.reserve(out.size() + lines.size());
    for (const FramedLine &line : lines)
        appendLine(line.text, line.tooLong, line.length, context, out);
}

void BodyDecoder::finish(const Context &context, QList<StreamEvent> &out)
{
    if (m_format == Format::Sse) {
        m_sse->finish();
        return;
    }
    QList<FramedLine> lines;
    m_framer->finish(lines);
    for (const FramedLine &line : lines)
        appendLine(line.text, line.tooLong, line.length, context, out);
}

void BodyDecoder::appendLine(const QByteArray &text, bool tooLong, qsizetype length,
                             const Context &context, QList<StreamEvent> &out)
{
    if (tooLong) {
        out.append(stamped(context, StreamEvent::Kind::Error, QByteArrayLiteral("error"), {},
                           Utf8::sanitized(text),
                           QStringLiteral("line of %1 bytes exceeds the %2 limit; line dropped")
                               .arg(length)
                               .arg(sizeText(m_maxLineBytes))));
        return;
    }
    if (m_format == Format::Lines) {
        out.append(stamped(context, StreamEvent::Kind::Data, QByteArrayLiteral("line"), {},
                           Utf8::sanitized(text)));
        return;
    }
    if (JsonValidator::isBlank(text))
        return;
    if (const std::optional<QString> problem = m_json->check(text)) {
        out.append(stamped(context, StreamEvent::Kind::Error, QByteArrayLiteral("error"), {},
                           Utf8::sanitized(text), *problem));
        return;
    }
    // simdjson validated the UTF-8 as part of the parse.
    out.append(stamped(context, StreamEvent::Kind::Data, QByteArrayLiteral("json"), {}, text));
}
