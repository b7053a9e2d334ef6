#include "watch_decoder.h"

#include "object_json_p.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool isSpecial(char c)
{
    return c == '"' || c == '\\' || c == '{' || c == '}';
}

/// The first of '"', '\\', '{', '}' in [p, end), or end: what the splitter must look at.
const char *nextSpecial(const char *p, const char *end)
{
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i open = _mm_set1_epi8('{');
    const __m128i close = _mm_set1_epi8('}');
    for (; end - p >= 16; p += 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                                          _mm_or_si128(_mm_cmpeq_epi8(chunk, open), _mm_cmpeq_epi8(chunk, close)));
        if (const int mask = _mm_movemask_epi8(hits))
            return p + __builtin_ctz(unsigned(mask));
    }
#endif
    while (p < end && !isSpecial(*p))
        ++p;
    return p;
}

} // namespace

WatchEvent::Type WatchEvent::typeFromText(QByteArrayView text)
{
    if (text == "ADDED")
        return Type::Added;
    if (text == "MODIFIED")
        return Type::Modified;
    if (text == "DELETED")
        return Type::Deleted;
    if (text == "BOOKMARK")
        return Type::Bookmark;
    if (text == "ERROR")
        return Type::Error;
    return Type::Unknown;
}

struct WatchDecoder::Impl
{
    simdjson::dom::parser parser;
    ObjectJson::Interners interners;
    QByteArray scratch; ///< padded copy of an object that has too few bytes after it
};

WatchDecoder::WatchDecoder(qsizetype maxObjectBytes)
    : m_impl(std::make_unique<Impl>()), m_maxObjectBytes(maxObjectBytes)
{
}

WatchDecoder::~WatchDecoder() = default;

void WatchDecoder::reset()
{
    m_pending.clear();
    m_depth = 0;
    m_inString = false;
    m_escaped = false;
    m_skipping = false;
}

void WatchDecoder::report(std::vector<WatchDecodeError> *errors, WatchDecodeError::Kind kind,
                          QString message, qsizetype beforeEvent)
{
    ++m_errorCount;
    if (errors)
        errors->push_back({kind, std::move(message), beforeEvent});
}

namespace {

/// The text of the "object" value when the event is written the way the API server writes it,
/// `{"type":"<type>","object":{...}}` with nothing else: then it is a slice of the input and
/// needs no serialization. Empty otherwise.
std::string_view objectSlice(std::string_view text, std::string_view typeText, size_t keyCount)
{
    if (keyCount != 2)
        return {};
    constexpr std::string_view Head = "{\"type\":\"";
    constexpr std::string_view Middle = "\",\"object\":";
    const size_t objectStart = Head.size() + typeText.size() + Middle.size();
    if (text.size() < objectStart + 3 || text.substr(0, Head.size()) != Head
        || text.substr(Head.size(), typeText.size()) != typeText
        || text.substr(Head.size() + typeText.size(), Middle.size()) != Middle || text[objectStart] != '{'
        || text.back() != '}' || text[text.size() - 2] != '}')
        return {};
    return text.substr(objectStart, text.size() - 1 - objectStart);
}

} // namespace

bool WatchDecoder::decodeObject(const char *padded, size_t size, WatchEvent &event, WatchDecodeError &error)
{
    using namespace simdjson;
    dom::element root;
    const auto bad = [&](QString why) {
        error.kind = WatchDecodeError::Kind::BadJson;
        error.message = QStringLiteral("watch event is not valid JSON (%1): %2")
                            .arg(why, ObjectJson::excerpt(QByteArrayView(padded, qsizetype(size)), ExcerptBytes));
        return false;
    };
    if (const auto code = m_impl->parser.parse(padded, size, false).get(root); code != SUCCESS)
        return bad(QString::fromUtf8(error_message(code)));
    dom::object fields;
    if (root.get(fields) != SUCCESS)
        return bad(QStringLiteral("not an object"));
    bool hasObject = false;
    bool hasType = false;
    std::string_view typeText;
    dom::element objectValue;
    for (const auto field : fields) {
        if (field.key == "type") {
            hasType = field.value.get(typeText) == SUCCESS;
        } else if (field.key == "object") {
            hasObject = field.value.is_object();
            objectValue = field.value;
        }
    }
    ObjectJson::StatusFields status;
    const auto missing = [&](const char *what) {
        error.kind = WatchDecodeError::Kind::MissingField;
        error.message = QStringLiteral("watch event without %1: %2")
                            .arg(QLatin1String(what),
                                 ObjectJson::excerpt(QByteArrayView(padded, qsizetype(size)), ExcerptBytes));
        return false;
    };
    if (!hasType)
        return missing("\"type\"");
    if (!hasObject)
        return missing("\"object\"");
    ObjectJson::ObjectViews views;
    ObjectJson::readViews(objectValue, views, &status);
    event.typeText = m_impl->interners.type.get(typeText);
    event.type = WatchEvent::typeFromText(event.typeText);
    switch (event.type) {
    case WatchEvent::Type::Added:
    case WatchEvent::Type::Modified:
    case WatchEvent::Type::Deleted:
        // A Table (as=Table watch) names its objects in its rows, not in its own metadata.
        if (views.name.empty() && views.kind != "Table")
            return missing("metadata.name");
        break;
    case WatchEvent::Type::Bookmark:
        if (views.resourceVersion.empty())
            return missing("metadata.resourceVersion");
        break;
    case WatchEvent::Type::Error:
        event.code = status.code;
        event.reason = std::move(status.reason);
        event.message = std::move(status.message);
        break;
    case WatchEvent::Type::Unknown:
        break;
    }
    const std::string_view slice = objectSlice(std::string_view(padded, size), typeText, fields.size());
    if (slice.empty()) {
        const std::string json = simdjson::to_string(objectValue);
        ObjectJson::assemble(event, json, ObjectJson::JsonForm::Compact, views, m_impl->interners);
    } else {
        ObjectJson::assemble(event, slice, ObjectJson::JsonForm::MaybeSpaced, views, m_impl->interners);
    }
    return true;
}

void WatchDecoder::decodeAndAppend(const char *data, size_t size, size_t available,
                                   std::vector<WatchEvent> &out, std::vector<WatchDecodeError> *errors)
{
    const char *padded = data;
    if (available < size + simdjson::SIMDJSON_PADDING) {
        QByteArray &scratch = m_impl->scratch;
        if (scratch.size() < qsizetype(size + simdjson::SIMDJSON_PADDING))
            scratch.resize(qsizetype(size + simdjson::SIMDJSON_PADDING));
        std::memcpy(scratch.data(), data, size);
        padded = scratch.constData();
    }
    WatchDecodeError error;
    out.emplace_back();
    if (!decodeObject(padded, size, out.back(), error)) {
        out.pop_back();
        error.beforeEvent = qsizetype(out.size());
        ++m_errorCount;
        if (errors)
            errors->push_back(std::move(error));
    }
}

/// Byte-wise splitter: starts an object at pos (m_depth == 0, *pos == '{') or continues the one
/// in m_pending (m_depth > 0) with [pos, end). Returns where it stopped: just after the object's
/// '}' (m_depth back to 0), after the byte that crossed the cap (skipping to the next newline),
/// or `end`.
const char *WatchDecoder::scan(const char *pos, const char *end, std::vector<WatchEvent> &out,
                               std::vector<WatchDecodeError> *errors)
{
    const qsizetype room = m_maxObjectBytes - m_pending.size();
    const char *limit = end - pos > room ? pos + room : end;
    const char *p = pos;
    int depth = m_depth;
    bool inString = m_inString;
    bool escaped = m_escaped;
    while (p < limit) {
        if (escaped) {
            escaped = false;
            ++p;
            continue;
        }
        p = nextSpecial(p, limit);
        if (p == limit)
            break;
        const char c = *p++;
        if (inString) {
            if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && --depth == 0) {
            break;
        }
    }
    m_inString = inString;
    m_escaped = escaped;
    m_depth = depth;
    if (depth == 0) {
        // Complete. Decode in place when nothing was buffered before.
        if (m_pending.isEmpty()) {
            decodeAndAppend(pos, size_t(p - pos), size_t(end - pos), out, errors);
        } else {
            m_pending.append(pos, p - pos);
            decodeAndAppend(m_pending.constData(), size_t(m_pending.size()), size_t(m_pending.size()), out,
                            errors);
            m_pending.clear();
        }
        return p;
    }
    if (p < end) {
        // The cap was reached with more of the object still to come.
        QByteArray head = m_pending.left(ExcerptBytes + 1);
        head.append(pos, std::min<qsizetype>(p - pos, ExcerptBytes + 1 - head.size()));
        report(errors, WatchDecodeError::Kind::TooLarge,
               QStringLiteral("watch event larger than %1 bytes skipped: %2")
                   .arg(m_maxObjectBytes)
                   .arg(ObjectJson::excerpt(head, ExcerptBytes)),
               qsizetype(out.size()));
        reset();
        m_skipping = true;
        return p;
    }
    m_pending.append(pos, p - pos);
    return p;
}

void WatchDecoder::feed(QByteArrayView bytes, std::vector<WatchEvent> &out,
                        std::vector<WatchDecodeError> *errors)
{
    const char *pos = bytes.data();
    const char *const end = pos + bytes.size();
    while (pos < end) {
        if (m_skipping) {
            const void *nl = std::memchr(pos, '\n', size_t(end - pos));
            if (!nl)
                return;
            pos = static_cast<const char *>(nl) + 1;
            m_skipping = false;
            continue;
        }
        if (m_depth > 0) {
            pos = scan(pos, end, out, errors);
            continue;
        }
        while (pos < end && isJsonSpace(*pos))
            ++pos;
        if (pos == end)
            return;
        if (*pos != '{') {
            report(errors, WatchDecodeError::Kind::BadJson,
                   QStringLiteral("watch stream holds something that is not a JSON object (starting "
                                  "with '%1'); skipped to the next newline")
                       .arg(ObjectJson::excerpt(QByteArrayView(pos, 1), 1)),
                   qsizetype(out.size()));
            m_skipping = true;
            continue;
        }
        // Fast path: a whole line that is exactly one object, decoded in place.
        const void *nl = std::memchr(pos, '\n', size_t(end - pos));
        if (nl) {
            const char *lineEnd = static_cast<const char *>(nl);
            while (lineEnd > pos && isJsonSpace(lineEnd[-1]))
                --lineEnd;
            const size_t size = size_t(lineEnd - pos);
            if (lineEnd[-1] == '}' && qsizetype(size) <= m_maxObjectBytes) {
                const size_t available = size_t(end - pos);
                const char *padded = pos;
                if (available < size + simdjson::SIMDJSON_PADDING) {
                    QByteArray &scratch = m_impl->scratch;
                    if (scratch.size() < qsizetype(size + simdjson::SIMDJSON_PADDING))
                        scratch.resize(qsizetype(size + simdjson::SIMDJSON_PADDING));
                    std::memcpy(scratch.data(), pos, size);
                    padded = scratch.constData();
                }
                WatchDecodeError error;
                out.emplace_back();
                if (decodeObject(padded, size, out.back(), error)) {
                    pos = static_cast<const char *>(nl) + 1;
                    continue;
                }
                out.pop_back();
                // Not exactly one valid event: let the splitter decide where objects end and
                // what to report.
            }
        }
        m_depth = 0;
        m_inString = false;
        m_escaped = false;
        m_pending.clear();
        pos = scan(pos, end, out, errors);
    }
}

void WatchDecoder::finish(std::vector<WatchEvent> &out, std::vector<WatchDecodeError> *errors)
{
    Q_UNUSED(out);
    if (m_depth > 0) {
        report(errors, WatchDecodeError::Kind::Truncated,
               QStringLiteral("watch stream ended inside an object (%1 bytes discarded): %2")
                   .arg(m_pending.size())
                   .arg(ObjectJson::excerpt(m_pending, ExcerptBytes)),
               qsizetype(out.size()));
    }
    reset();
}
