#include "series_extractor.h"

#include "json_text.h"

#include "models_logging.h"

#include <simdjson.h>

#include <string>

struct SeriesExtractor::JsonParser
{
    simdjson::dom::parser parser;
};

namespace {

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

/// Walks one parsed document depth-first and turns its numeric leaves into samples.
class SeriesWalker
{
public:
    SeriesWalker(SeriesExtractor &extractor, const StreamEvent &event, SeriesExtractor::SourceFields &fields,
                 SeriesExtractor::Batch &out)
        : m_extractor(extractor)
        , m_event(event)
        , m_fields(fields)
        , m_out(out)
    {
    }

    void walk(simdjson::dom::element element, int depth)
    {
        if (m_leaves >= SeriesExtractor::MaxLeavesPerEvent || depth > SeriesExtractor::MaxDepth)
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
        std::vector<SeriesExtractor::ShapeLeaf> &shape = m_fields.shape;
        int field;
        if (k < shape.size() && shape[k].pointer == m_pointer) {
            field = shape[k].field;
        } else {
            field = m_extractor.fieldFor(m_event.source, m_fields,
                                         QByteArrayView(m_pointer.data(), qsizetype(m_pointer.size())), m_out);
            if (k < shape.size())
                shape[k] = {m_pointer, field};
            else if (k == shape.size() && shape.size() < size_t(SeriesExtractor::MaxFieldsPerSource) * 2)
                shape.push_back({m_pointer, field});
        }
        if (field >= 0)
            m_out.samples.append({field, m_event.receivedMs, value});
    }

    SeriesExtractor &m_extractor;
    const StreamEvent &m_event;
    SeriesExtractor::SourceFields &m_fields;
    SeriesExtractor::Batch &m_out;
    std::string m_pointer;
    int m_leaves = 0;
};

SeriesExtractor::SeriesExtractor()
    : m_parser(std::make_unique<JsonParser>())
{
}

SeriesExtractor::~SeriesExtractor() = default;

void SeriesExtractor::extract(const QList<StreamEvent> &events, Batch &out)
{
    out.events += events.size();
    for (const StreamEvent &event : events) {
        if (event.kind != StreamEvent::Kind::Data)
            continue;
        ++out.dataEvents;
        if (!JsonText::looksLikeJson(event.payload))
            continue;
        simdjson::dom::element root;
        // realloc_if_needed (the default) copies into the parser's reused, padded buffer:
        // QByteArray does not guarantee SIMDJSON_PADDING readable bytes after the payload.
        const auto error = m_parser->parser.parse(event.payload.constData(), size_t(event.payload.size())).get(root);
        if (error) {
            qCDebug(lcModels) << "not JSON:" << event.source << simdjson::error_message(error);
            continue;
        }
        ++out.parsedEvents;
        SeriesWalker walker(*this, event, fieldsOf(event.source), out);
        walker.walk(root, 0);
    }
}

SeriesExtractor::SourceFields &SeriesExtractor::fieldsOf(const QString &source)
{
    // Fast path: consecutive events of one transport share one QString.
    if (m_lastFields && (source.constData() == m_lastSource.constData() || source == m_lastSource))
        return *m_lastFields;
    m_lastSource = source;
    m_lastFields = &m_sources[source]; // QHash values stay put until the hash is modified
    return *m_lastFields;
}

int SeriesExtractor::fieldFor(const QString &source, SourceFields &fields, QByteArrayView pointer, Batch &out)
{
    const auto it = fields.byPointer.constFind(QByteArray::fromRawData(pointer.data(), pointer.size()));
    if (it != fields.byPointer.constEnd())
        return it.value();
    if (fields.byPointer.size() >= MaxFieldsPerSource)
        return -1;
    const int id = m_nextId++;
    fields.byPointer.insert(pointer.toByteArray(), id);
    out.newFields.append({id, source, QString::fromUtf8(pointer)});
    if (fields.byPointer.size() == MaxFieldsPerSource)
        qCInfo(lcModels) << "source" << source << "reached" << MaxFieldsPerSource
                         << "numeric fields; further fields are ignored";
    return id;
}

void SeriesExtractor::forgetSource(const QString &source)
{
    m_sources.remove(source);
    m_lastFields = nullptr;
    m_lastSource.clear();
}

void SeriesExtractor::reset()
{
    m_sources.clear();
    m_lastFields = nullptr;
    m_lastSource.clear();
    m_nextId = 0;
}
