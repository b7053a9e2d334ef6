#include "list_decoder.h"

#include "object_json_p.h"

ListPage parseList(const QByteArray &body)
{
    using namespace simdjson;
    ListPage page;
    dom::parser parser;
    dom::element root;
    const padded_string padded(body.constData(), size_t(body.size()));
    if (const auto code = parser.parse(padded).get(root); code != SUCCESS) {
        page.error = QStringLiteral("list response is not valid JSON (%1): %2")
                         .arg(QString::fromUtf8(error_message(code)), ObjectJson::excerpt(body, 80));
        return page;
    }
    dom::object fields;
    if (root.get(fields) != SUCCESS) {
        page.error = QStringLiteral("list response is not a JSON object: %1").arg(ObjectJson::excerpt(body, 80));
        return page;
    }
    bool hasItems = false;
    for (const auto field : fields) {
        const std::string_view key = field.key;
        if (key == "kind") {
            page.kind = ObjectJson::stringOf(field.value);
        } else if (key == "metadata") {
            page.resourceVersion = ObjectJson::stringAt(field.value["resourceVersion"]);
            page.continueToken = ObjectJson::stringAt(field.value["continue"]);
        } else if (key == "items") {
            hasItems = true;
            dom::array items;
            if (field.value.get(items) != SUCCESS)
                continue; // "items": null is an empty list
            page.items.reserve(items.size());
            for (const dom::element element : items) {
                WatchObject item;
                ObjectJson::readObject(element, item, nullptr);
                item.kind.clear(); // items rarely carry it; the list kind says it
                item.object = ObjectJson::serialize(element);
                page.items.push_back(std::move(item));
            }
        }
    }
    if (!hasItems && page.kind != "Table")
        page.error = QStringLiteral("list response without \"items\" (kind \"%1\")")
                         .arg(ObjectJson::excerpt(page.kind, 80));
    return page;
}
