#include "object_json_p.h"

#include "printable.h"

#include <cstring>

namespace ObjectJson {

namespace {

using simdjson::dom::element;

QByteArray interned(element value, Interner *interner)
{
    std::string_view s;
    if (value.get(s) != simdjson::SUCCESS)
        return {};
    return interner ? interner->get(s) : bytes(s);
}

void readMetadata(element metadata, WatchObject &target, Interners *interners)
{
    simdjson::dom::object fields;
    if (metadata.get(fields) != simdjson::SUCCESS)
        return;
    for (const auto field : fields) {
        const std::string_view key = field.key;
        if (key == "name") {
            target.name = stringOf(field.value);
        } else if (key == "namespace") {
            target.namespaceName = interned(field.value, interners ? &interners->namespaceName : nullptr);
        } else if (key == "uid") {
            target.uid = stringOf(field.value);
        } else if (key == "resourceVersion") {
            target.resourceVersion = stringOf(field.value);
        } else if (key == "creationTimestamp") {
            target.creationTimestamp = stringOf(field.value);
        } else if (key == "annotations") {
            std::string_view end;
            if (field.value["k8s.io/initial-events-end"].get(end) == simdjson::SUCCESS)
                target.initialEventsEnd = end == "true";
        }
    }
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

void readObject(element value, WatchObject &target, StatusFields *status, Interners *interners)
{
    simdjson::dom::object fields;
    if (value.get(fields) != simdjson::SUCCESS)
        return;
    for (const auto field : fields) {
        const std::string_view key = field.key;
        if (key == "metadata") {
            readMetadata(field.value, target, interners);
        } else if (key == "kind") {
            target.kind = interned(field.value, interners ? &interners->kind : nullptr);
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
