#include "series_buffer.h"

#include "models_logging.h"

#include <QDateTime>

#include <simdjson.h>

#include <algorithm>

struct SeriesBuffer::JsonParser
{
    simdjson::dom::parser parser;
};

namespace {

bool looksLikeJson(const QByteArray &payload)
{
    for (const char c : payload) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

/// Appends `key` to `pointer` as one RFC 6901 reference token ("~" → "~0", "/" → "~1").
void appendToken(QByteArray &pointer, std::string_view key)
{
    pointer += '/';
    for (const char c : key) {
        if (c == '~')
            pointer += "~0";
        else if (c == '/')
            pointer += "~1";
        else
            pointer += c;
    }
}

} // namespace

/// Walks one parsed document depth-first and feeds its numeric leaves into the buffer.
class SeriesBufferWalker
{
public:
    SeriesBufferWalker(SeriesBuffer &buffer, const StreamEvent &event,
                       SeriesBuffer::SourceFields &fields, QList<SeriesKey> &newFields)
        : m_buffer(buffer)
        , m_event(event)
        , m_fields(fields)
        , m_newFields(newFields)
    {
    }

    void walk(simdjson::dom::element element, int depth)
    {
        if (m_leaves >= SeriesBuffer::MaxLeavesPerEvent || depth > SeriesBuffer::MaxDepth)
            return;
        using Type = simdjson::dom::element_type;
        switch (element.type()) {
        case Type::OBJECT: {
            simdjson::dom::object object;
            if (element.get_object().get(object))
                return;
            for (const simdjson::dom::key_value_pair field : object) {
                const qsizetype mark = m_pointer.size();
                appendToken(m_pointer, field.key);
                walk(field.value, depth + 1);
                m_pointer.truncate(mark);
            }
            return;
        }
        case Type::ARRAY: {
            simdjson::dom::array array;
            if (element.get_array().get(array))
                return;
            qsizetype index = 0;
            for (const simdjson::dom::element item : array) {
                const qsizetype mark = m_pointer.size();
                m_pointer += '/';
                m_pointer += QByteArray::number(index++);
                walk(item, depth + 1);
                m_pointer.truncate(mark);
            }
            return;
        }
        case Type::INT64: {
            int64_t value = 0;
            if (!element.get_int64().get(value))
                leaf(double(value));
            return;
        }
        case Type::UINT64: {
            uint64_t value = 0;
            if (!element.get_uint64().get(value))
                leaf(double(value));
            return;
        }
        case Type::DOUBLE: {
            double value = 0;
            if (!element.get_double().get(value))
                leaf(value);
            return;
        }
        case Type::BOOL: {
            bool value = false;
            if (!element.get_bool().get(value))
                leaf(value ? 1.0 : 0.0);
            return;
        }
        case Type::STRING:
        case Type::NULL_VALUE:
            return;
        }
    }

private:
    void leaf(double value)
    {
        ++m_leaves;
        const int series = m_buffer.seriesFor(m_event.source, m_fields, m_pointer, m_newFields);
        if (series >= 0)
            m_buffer.addPoint(series, m_event.receivedMs, value);
    }

    SeriesBuffer &m_buffer;
    const StreamEvent &m_event;
    SeriesBuffer::SourceFields &m_fields;
    QList<SeriesKey> &m_newFields;
    QByteArray m_pointer;
    int m_leaves = 0;
};

SeriesBuffer::SeriesBuffer(QObject *parent)
    : QObject(parent)
    , m_parser(std::make_unique<JsonParser>())
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &SeriesBuffer::flushNow);
}

SeriesBuffer::~SeriesBuffer() = default;

void SeriesBuffer::append(const QList<StreamEvent> &events)
{
    QList<SeriesKey> newFields;
    for (const StreamEvent &event : events) {
        if (event.kind != StreamEvent::Kind::Data || !looksLikeJson(event.payload))
            continue;
        parsePayload(event, newFields);
    }
    if (!newFields.isEmpty())
        Q_EMIT fieldsDiscovered(newFields);
}

void SeriesBuffer::parsePayload(const StreamEvent &event, QList<SeriesKey> &newFields)
{
    simdjson::dom::element root;
    // realloc_if_needed (the default) copies into the parser's reused, padded buffer:
    // QByteArray does not guarantee SIMDJSON_PADDING readable bytes after the payload.
    const auto error = m_parser->parser
                           .parse(event.payload.constData(), size_t(event.payload.size()))
                           .get(root);
    if (error) {
        qCDebug(lcModels) << "not JSON:" << event.source << simdjson::error_message(error);
        return;
    }
    SourceFields &fields = m_sources[event.source];
    SeriesBufferWalker walker(*this, event, fields, newFields);
    walker.walk(root, 0);
}

int SeriesBuffer::seriesFor(const QString &source, SourceFields &fields, const QByteArray &pointer,
                            QList<SeriesKey> &newFields)
{
    const auto it = fields.byPointer.constFind(pointer);
    if (it != fields.byPointer.constEnd())
        return it.value();
    if (fields.byPointer.size() >= MaxFieldsPerSource)
        return -1;
    SeriesKey key{source, QString::fromUtf8(pointer)};
    const int index = int(m_series.size());
    m_series.emplace_back(key);
    fields.byPointer.insert(pointer, index);
    m_index.insert(key, index);
    m_known.append(key);
    newFields.append(key);
    if (fields.byPointer.size() == MaxFieldsPerSource)
        qCInfo(lcModels) << "source" << source << "reached" << MaxFieldsPerSource
                         << "numeric fields; further fields are ignored";
    return index;
}

void SeriesBuffer::addPoint(int series, qint64 x, double y)
{
    Series &s = m_series[size_t(series)];
    s.points.push_back(QPointF(double(x), y));
    if (s.selected)
        m_selectedDirty = true;
    scheduleFlush();
}

void SeriesBuffer::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void SeriesBuffer::setSelected(const SeriesKey &key, bool on)
{
    const auto it = m_index.constFind(key);
    if (it == m_index.constEnd())
        return;
    Series &s = m_series[size_t(it.value())];
    if (s.selected == on)
        return;
    s.selected = on;
    m_selectedDirty = true;
    scheduleFlush();
}

bool SeriesBuffer::isSelected(const SeriesKey &key) const
{
    const auto it = m_index.constFind(key);
    return it != m_index.constEnd() && m_series[size_t(it.value())].selected;
}

QList<SeriesKey> SeriesBuffer::selectedFields() const
{
    QList<SeriesKey> out;
    for (const Series &s : m_series)
        if (s.selected)
            out.append(s.key);
    return out;
}

QList<QPointF> SeriesBuffer::points(const SeriesKey &key) const
{
    const auto it = m_index.constFind(key);
    if (it == m_index.constEnd())
        return {};
    const RingBuffer<QPointF> &ring = m_series[size_t(it.value())].points;
    const double cutoff = double(QDateTime::currentMSecsSinceEpoch() - m_windowMs);
    qsizetype first = 0;
    while (first < ring.size() && ring.at(first).x() < cutoff)
        ++first;
    QList<QPointF> out;
    out.reserve(ring.size() - first);
    for (qsizetype i = first; i < ring.size(); ++i)
        out.append(ring.at(i));
    return out;
}

void SeriesBuffer::setWindowMs(int windowMs)
{
    windowMs = std::clamp(windowMs, 1'000, 24 * 3'600'000);
    if (windowMs == m_windowMs)
        return;
    m_windowMs = windowMs;
    m_selectedDirty = true;
    scheduleFlush();
}

void SeriesBuffer::clear()
{
    m_flushTimer.stop();
    m_series.clear();
    m_known.clear();
    m_index.clear();
    m_sources.clear();
    m_selectedDirty = false;
    Q_EMIT cleared();
}

void SeriesBuffer::flushNow()
{
    m_flushTimer.stop();
    const double cutoff = double(QDateTime::currentMSecsSinceEpoch() - m_windowMs);
    for (Series &s : m_series) {
        qsizetype stale = 0;
        while (stale < s.points.size() && s.points.at(stale).x() < cutoff)
            ++stale;
        if (stale == 0)
            continue;
        s.points.pop_front(stale);
        if (s.selected)
            m_selectedDirty = true;
    }
    if (!m_selectedDirty)
        return;
    m_selectedDirty = false;
    Q_EMIT seriesUpdated();
}
