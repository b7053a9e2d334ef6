#include "object_json_p.h"

#include "printable.h"

namespace ObjectJson {

namespace {

using simdjson::dom::element;

void readMetadata(element metadata, WatchObject &target)
{
    simdjson::dom::object fields;
    if (metadata.get(fields) != simdjson::SUCCESS)
        return;
    for (const auto field : fields) {
        const std::string_view key = field.key;
        if (key == "name") {
            target.name = stringOf(field.value);
        } else if (key == "namespace") {
            target.namespaceName = stringOf(field.value);
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

void readObject(element value, WatchObject &target, StatusFields *status)
{
    simdjson::dom::object fields;
    if (value.get(fields) != simdjson::SUCCESS)
        return;
    for (const auto field : fields) {
        const std::string_view key = field.key;
        if (key == "metadata") {
            readMetadata(field.value, target);
        } else if (key == "kind") {
            target.kind = stringOf(field.value);
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
