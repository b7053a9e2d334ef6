#include "object_json_p.h"

#include "printable.h"

#include <cstring>
#include <iterator>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace ObjectJson {

namespace {

using simdjson::dom::element;

std::string_view stringView(element value)
{
    std::string_view s;
    return value.get(s) == simdjson::SUCCESS ? s : std::string_view();
}

QByteArray interned(std::string_view text, Interner *interner)
{
    if (!text.data())
        return {};
    return interner ? interner->get(text) : bytes(text);
}

void readMetadataViews(element metadata, ObjectViews &views)
{
    simdjson::dom::object fields;
    if (metadata.get(fields) != simdjson::SUCCESS)
        return;
    for (const auto field : fields) {
        const std::string_view key = field.key;
        if (key == "name") {
            views.name = stringView(field.value);
        } else if (key == "namespace") {
            views.namespaceName = stringView(field.value);
        } else if (key == "uid") {
            views.uid = stringView(field.value);
        } else if (key == "resourceVersion") {
            views.resourceVersion = stringView(field.value);
        } else if (key == "creationTimestamp") {
            views.creationTimestamp = stringView(field.value);
        } else if (key == "annotations") {
            std::string_view end;
            if (field.value["k8s.io/initial-events-end"].get(end) == simdjson::SUCCESS)
                views.initialEventsEnd = end == "true";
        }
    }
}

/// A QByteArray for the `size` bytes at `at` inside `block`'s allocation, sharing it.
QByteArray share(QByteArray &block, char *at, qsizetype size)
{
    QByteArray::DataPointer d = block.data_ptr(); // takes a reference
    d.ptr = at;
    d.size = size;
    return QByteArray(std::move(d));
}

} // namespace

QByteArray stringOf(element value)
{
    std::string_view s;
    return value.get(s) == simdjson::SUCCESS ? bytes(s) : QByteArray();
}

QByteArray stringAt(const simdjson::simdjson_result<element> &lookup)
{
    std::string_view s;
    return lookup.get(s) == simdjson::SUCCESS ? bytes(s) : QByteArray();
}

void readViews(element value, ObjectViews &views, StatusFields *status)
{
    simdjson::dom::object fields;
    if (value.get(fields) != simdjson::SUCCESS)
        return;
    for (const auto field : fields) {
        const std::string_view key = field.key;
        if (key == "metadata") {
            readMetadataViews(field.value, views);
        } else if (key == "kind") {
            views.kind = stringView(field.value);
        } else if (status && key == "code") {
            int64_t code = 0;
            if (field.value.get(code) == simdjson::SUCCESS)
                status->code = int(code);
        } else if (status && key == "reason") {
            status->reason = stringOf(field.value);
        } else if (status && key == "message") {
            status->message = stringOf(field.value);
        }
    }
}

void readObject(element value, WatchObject &target, StatusFields *status, Interners *interners)
{
    ObjectViews views;
    readViews(value, views, status);
    target.kind = interned(views.kind, interners ? &interners->kind : nullptr);
    target.name = bytes(views.name);
    target.namespaceName = interned(views.namespaceName, interners ? &interners->namespaceName : nullptr);
    target.uid = bytes(views.uid);
    target.resourceVersion = bytes(views.resourceVersion);
    target.creationTimestamp = bytes(views.creationTimestamp);
    target.initialEventsEnd = views.initialEventsEnd;
}

bool copyAndFindLowBytes(char *to, const char *from, size_t size)
{
    size_t i = 0;
    bool low = false;
#ifdef __SSE2__
    // Unsigned c <= 0x20 is max(c, 0x20) == 0x20.
    const __m128i space = _mm_set1_epi8(0x20);
    __m128i found = _mm_setzero_si128();
    for (; i + 16 <= size; i += 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(from + i));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(to + i), chunk);
        found = _mm_or_si128(found, _mm_cmpeq_epi8(_mm_max_epu8(chunk, space), space));
    }
    low = _mm_movemask_epi8(found) != 0;
#endif
    for (; i < size; ++i) {
        const auto c = static_cast<unsigned char>(from[i]);
        to[i] = char(c);
        low = low || c <= 0x20;
    }
    return low;
}

void assemble(WatchObject &target, std::string_view json, JsonForm form, const ObjectViews &views,
              Interners &interners)
{
    const std::string_view *const shared[] = {&views.name, &views.uid, &views.resourceVersion,
                                              &views.creationTimestamp};
    QByteArray *const fields[] = {&target.name, &target.uid, &target.resourceVersion, &target.creationTimestamp};
    size_t metadataBytes = 0;
    for (const std::string_view *view : shared)
        metadataBytes += view->data() ? view->size() + 1 : 0;
    QByteArray block(qsizetype(json.size() + 1 + metadataBytes), Qt::Uninitialized);
    char *const base = block.data();
    size_t objectBytes = json.size();
    if (form == JsonForm::Compact) {
        std::memcpy(base, json.data(), json.size());
    } else if (copyAndFindLowBytes(base, json.data(), json.size()) && mayHaveWhitespace(json)) {
        size_t written = 0;
        if (simdjson::minify(json.data(), json.size(), base, written) == simdjson::SUCCESS)
            objectBytes = written;
        else
            std::memcpy(base, json.data(), json.size()); // minify refused: keep the raw bytes
    }
    block.resize(qsizetype(objectBytes)); // keeps the allocation, writes the NUL
    char *at = base + objectBytes + 1;
    for (size_t i = 0; i < std::size(shared); ++i) {
        const std::string_view view = *shared[i];
        if (!view.data()) {
            *fields[i] = QByteArray();
            continue;
        }
        std::memcpy(at, view.data(), view.size());
        at[view.size()] = '\0';
        *fields[i] = share(block, at, qsizetype(view.size()));
        at += view.size() + 1;
    }
    target.kind = interned(views.kind, &interners.kind);
    target.namespaceName = interned(views.namespaceName, &interners.namespaceName);
    target.initialEventsEnd = views.initialEventsEnd;
    target.object = std::move(block);
}

QByteArray compact(std::string_view span)
{
    QByteArray out(qsizetype(span.size()), Qt::Uninitialized);
    size_t written = 0;
    if (simdjson::minify(span.data(), span.size(), out.data(), written) != simdjson::SUCCESS)
        return bytes(span);
    out.truncate(qsizetype(written));
    return out;
}

bool mayHaveWhitespace(std::string_view text)
{
    const char *const begin = text.data();
    const char *const end = begin + text.size();
    for (const char c : {' ', '\t', '\r', '\n'}) {
        for (const char *p = begin; p < end; ++p) {
            p = static_cast<const char *>(std::memchr(p, c, size_t(end - p)));
            if (!p)
                break;
            const char before = p > begin ? p[-1] : '{';
            const char after = p + 1 < end ? p[1] : '}';
            if (before == '{' || before == '[' || before == ',' || before == ':' || after == '}' || after == ']'
                || after == ',' || after == ':')
                return true;
        }
    }
    return false;
}

QByteArray serialize(element value)
{
    const std::string json = simdjson::to_string(value);
    return bytes(json);
}

QString excerpt(QByteArrayView text, qsizetype limit)
{
    if (text.size() <= limit)
        return Printable::fromWire(text);
    return Printable::fromWire(text.first(limit)) + QStringLiteral("…");
}

} // namespace ObjectJson
