#include "table_decoder.h"

#include "object_json_p.h"

#include <simdjson.h>

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

QString text(const simdjson::simdjson_result<element> &lookup)
{
    return QString::fromUtf8(ObjectJson::stringAt(lookup));
}

QByteArray bytesOf(const simdjson::simdjson_result<element> &lookup)
{
    return ObjectJson::stringAt(lookup);
}

QString cellText(element cell)
{
    switch (cell.type()) {
    case element_type::STRING:
        return QString::fromUtf8(ObjectJson::stringOf(cell));
    case element_type::NULL_VALUE:
        return QStringLiteral("<none>");
    default: {
        const std::string json = simdjson::to_string(cell);
        return QString::fromUtf8(json.data(), qsizetype(json.size()));
    }
    }
}

void readMetadata(element metadata, WatchObject &target)
{
    simdjson::dom::object fields;
    if (metadata.get(fields) != simdjson::SUCCESS)
        return;
    for (const auto field : fields) {
        if (field.key == "name")
            target.name = ObjectJson::stringOf(field.value);
        else if (field.key == "namespace")
            target.namespaceName = ObjectJson::stringOf(field.value);
        else if (field.key == "uid")
            target.uid = ObjectJson::stringOf(field.value);
        else if (field.key == "resourceVersion")
            target.resourceVersion = ObjectJson::stringOf(field.value);
        else if (field.key == "creationTimestamp")
            target.creationTimestamp = ObjectJson::stringOf(field.value);
    }
}

} // namespace

Table parseTable(QByteArrayView json)
{
    Table table;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    const simdjson::padded_string padded(json.data(), size_t(json.size()));
    if (const auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS) {
        table.error = QStringLiteral("table is not valid JSON (%1): %2")
                          .arg(QString::fromUtf8(simdjson::error_message(error)),
                               ObjectJson::excerpt(json, 80));
        return table;
    }
    table.kind = bytesOf(root["kind"]);
    if (table.kind != "Table") {
        table.error = QStringLiteral("expected a Table, got kind \"%1\"").arg(ObjectJson::excerpt(table.kind, 80));
        return table;
    }
    simdjson::dom::object metadata;
    if (root["metadata"].get(metadata) == simdjson::SUCCESS) {
        for (const auto field : metadata) {
            if (field.key == "resourceVersion")
                table.resourceVersion = ObjectJson::stringOf(field.value);
            else if (field.key == "continue")
                table.continueToken = ObjectJson::stringOf(field.value);
        }
    }
    simdjson::dom::array columns;
    if (root["columnDefinitions"].get(columns) == simdjson::SUCCESS) {
        for (const element column : columns) {
            TableColumn c;
            c.name = text(column["name"]);
            c.type = text(column["type"]);
            c.format = text(column["format"]);
            c.description = text(column["description"]);
            int64_t priority = 0;
            if (column["priority"].get(priority) == simdjson::SUCCESS)
                c.priority = int(priority);
            table.columns.push_back(std::move(c));
        }
    }
    simdjson::dom::array rows;
    if (root["rows"].get(rows) == simdjson::SUCCESS) {
        for (const element row : rows) {
            TableRow r;
            simdjson::dom::array cells;
            if (row["cells"].get(cells) == simdjson::SUCCESS) {
                for (const element cell : cells)
                    r.cells.append(cellText(cell));
            }
            element object;
            if (row["object"].get(object) == simdjson::SUCCESS) {
                r.object.kind = bytesOf(object["kind"]);
                element rowMetadata;
                if (object["metadata"].get(rowMetadata) == simdjson::SUCCESS)
                    readMetadata(rowMetadata, r.object);
            }
            r.object.object = ObjectJson::serialize(row);
            table.rows.push_back(std::move(r));
        }
    }
    return table;
}
