#include "series_buffer.h"

#include "models_logging.h"

#include <QDateTime>

#include <simdjson.h>

#include <algorithm>
#include <string>

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
void appendToken(std::string &pointer, std::string_view key)
{
    pointer += '/';
    bool plain = true;
    for (const char c : key)
        plain &= c != '~' && c != '/';
    if (plain) {
        pointer += key;
        return;
    }
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
                const size_t mark = m_pointer.size();
                appendToken(m_pointer, field.key);
                walk(field.value, depth + 1);
                m_pointer.resize(mark);
            }
            return;
        }
        case Type::ARRAY: {
            simdjson::dom::array array;
            if (element.get_array().get(array))
                return;
            qsizetype index = 0;
            for (const simdjson::dom::element item : array) {
                const size_t mark = m_pointer.size();
                m_pointer += '/';
                m_pointer += std::to_string(index++);
                walk(item, depth + 1);
                m_pointer.resize(mark);
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
        // Consecutive events of a source usually have the same shape: the k-th leaf has the same
        // pointer as last time, so one string compare replaces a hash lookup.
        const size_t k = size_t(m_leaves++);
        std::vector<SeriesBuffer::ShapeLeaf> &shape = m_fields.shape;
        int series;
        if (k < shape.size() && shape[k].pointer == m_pointer) {
            series = shape[k].series;
        } else {
            series = m_buffer.seriesFor(m_event.source, m_fields, QByteArrayView(m_pointer.data(), qsizetype(m_pointer.size())),
                                        m_newFields);
            if (k < shape.size())
                shape[k] = {m_pointer, series};
            else if (k == shape.size() && shape.size() < size_t(SeriesBuffer::MaxFieldsPerSource) * 2)
                shape.push_back({m_pointer, series});
        }
        if (series >= 0)
            m_buffer.addPoint(series, m_event.receivedMs, value);
    }

    SeriesBuffer &m_buffer;
    const StreamEvent &m_event;
    SeriesBuffer::SourceFields &m_fields;
    QList<SeriesKey> &m_newFields;
    std::string m_pointer;
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
        if (event.kind != StreamEvent::Kind::Data)
            continue;
        ++m_eventsSeen;
        if (looksLikeJson(event.payload))
            parsePayload(event, newFields);
    }
    if (!newFields.isEmpty())
        Q_EMIT fieldsDiscovered(newFields);
}

SeriesBuffer::SourceFields &SeriesBuffer::fieldsOf(const QString &source)
{
    // Fast path: consecutive events of one transport share one QString.
    if (m_lastFields && (source.constData() == m_lastSource.constData() || source == m_lastSource))
        return *m_lastFields;
    m_lastSource = source;
    m_lastFields = &m_sources[source]; // QHash values stay put until the hash is modified
    return *m_lastFields;
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
    ++m_eventsParsed;
    SourceFields &fields = fieldsOf(event.source);
    SeriesBufferWalker walker(*this, event, fields, newFields);
    walker.walk(root, 0);
}

int SeriesBuffer::seriesFor(const QString &source, SourceFields &fields, QByteArrayView pointer,
                            QList<SeriesKey> &newFields)
{
    const auto it = fields.byPointer.constFind(QByteArray::fromRawData(pointer.data(), pointer.size()));
    if (it != fields.byPointer.constEnd())
        return it.value();
    if (fields.byPointer.size() >= MaxFieldsPerSource)
        return -1;
    SeriesKey key{source, QString::fromUtf8(pointer)};
    const int index = int(m_series.size());
    m_series.push_back(std::make_unique<Series>(key));
    fields.byPointer.insert(pointer.toByteArray(), index);
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
    Series &s = *m_series[size_t(series)];
    s.samples.add(x, y);
    if (s.selected && !m_selectedDirty) {
        m_selectedDirty = true;
        scheduleFlush();
    }
}

void SeriesBuffer::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

const SeriesBuffer::Series *SeriesBuffer::find(const SeriesKey &key) const
{
    const auto it = m_index.constFind(key);
    return it == m_index.constEnd() ? nullptr : m_series[size_t(it.value())].get();
}

void SeriesBuffer::setSelected(const SeriesKey &key, bool on)
{
    const auto it = m_index.constFind(key);
    if (it == m_index.constEnd())
        return;
    Series &s = *m_series[size_t(it.value())];
    if (s.selected == on)
        return;
    s.selected = on;
    m_selectedDirty = true;
    scheduleFlush();
}

bool SeriesBuffer::isSelected(const SeriesKey &key) const
{
    const Series *s = find(key);
    return s && s->selected;
}

QList<SeriesKey> SeriesBuffer::selectedFields() const
{
    QList<SeriesKey> out;
    for (const auto &s : m_series)
        if (s->selected)
            out.append(s->key);
    return out;
}

std::pair<qint64, qint64> SeriesBuffer::windowRange(qint64 nowMs) const
{
    if (m_windowMs == AllWindow) {
        const qint64 earliest = earliestSelectedMs();
        return {earliest > 0 && earliest < nowMs ? earliest : nowMs - MinWindowMs, nowMs};
    }
    return {nowMs - m_windowMs, nowMs};
}

QList<QPointF> SeriesBuffer::points(const SeriesKey &key) const
{
    const Series *s = find(key);
    if (!s)
        return {};
    return s->samples.samples(windowRange(QDateTime::currentMSecsSinceEpoch()).first);
}

QList<QPointF> SeriesBuffer::decimated(const SeriesKey &key, qint64 fromMs, qint64 toMs, int columns) const
{
    QList<QPointF> out;
    if (const Series *s = find(key))
        s->samples.decimate(fromMs, toMs, columns, out);
    return out;
}

std::optional<QPointF> SeriesBuffer::valueAt(const SeriesKey &key, qint64 xMs) const
{
    const Series *s = find(key);
    return s ? s->samples.valueAt(xMs) : std::nullopt;
}

std::optional<QPointF> SeriesBuffer::lastValue(const SeriesKey &key) const
{
    const Series *s = find(key);
    return s ? s->samples.last() : std::nullopt;
}

qint64 SeriesBuffer::earliestSelectedMs() const
{
    qint64 earliest = 0;
    for (const auto &s : m_series) {
        if (!s->selected || s->samples.isEmpty())
            continue;
        const qint64 first = s->samples.firstMs();
        earliest = earliest == 0 ? first : std::min(earliest, first);
    }
    return earliest;
}

void SeriesBuffer::setWindowMs(int windowMs)
{
    if (windowMs != AllWindow)
        windowMs = std::clamp(windowMs, MinWindowMs, MaxWindowMs);
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
    m_lastFields = nullptr;
    m_lastSource.clear();
    m_selectedDirty = false;
    m_eventsSeen = 0;
    m_eventsParsed = 0;
    Q_EMIT cleared();
}

void SeriesBuffer::removeSource(const QString &sourceId)
{
    if (!m_sources.contains(sourceId))
        return;
    QList<SeriesKey> removed;
    bool selectedRemoved = false;
    std::vector<std::unique_ptr<Series>> kept;
    kept.reserve(m_series.size());
    for (auto &s : m_series) {
        if (s->key.source == sourceId) {
            removed.append(s->key);
            selectedRemoved |= s->selected;
        } else {
            kept.push_back(std::move(s));
        }
    }
    m_series = std::move(kept);
    m_sources.remove(sourceId);
    m_lastFields = nullptr;
    m_lastSource.clear();
    // Indices shifted: rebuild both maps.
    m_index.clear();
    m_known.clear();
    for (auto &fields : m_sources) {
        fields.byPointer.clear();
        fields.shape.clear(); // it holds series indices
    }
    for (int i = 0; i < int(m_series.size()); ++i) {
        const SeriesKey &key = m_series[size_t(i)]->key;
        m_index.insert(key, i);
        m_known.append(key);
        m_sources[key.source].byPointer.insert(key.pointer.toUtf8(), i);
    }
    if (removed.isEmpty())
        return;
    Q_EMIT fieldsRemoved(removed);
    if (selectedRemoved) {
        m_selectedDirty = true;
        scheduleFlush();
    }
}

void SeriesBuffer::flushNow()
{
    m_flushTimer.stop();
    if (!m_selectedDirty)
        return;
    m_selectedDirty = false;
    Q_EMIT seriesUpdated();
}
