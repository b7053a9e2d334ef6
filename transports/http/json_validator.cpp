#include "json_validator.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// simdjson reports most structural problems as the generic TAPE_ERROR. Walk the text once more
/// (only on that error path) to say what is wrong: a value cut short, something after the value,
/// or a misplaced comma/colon/bracket.
QString describeStructureError(QByteArrayView text)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n && isJsonSpace(text[i]))
        ++i;
    const char first = i < n ? text[i] : '\0';
    if (first == '}' || first == ']')
        return QStringLiteral("invalid JSON: unexpected '%1' at byte %2").arg(QLatin1Char(first)).arg(i);

    // Find the end of the first value: the matching bracket for a container, or the end of the
    // scalar token.
    qsizetype depth = 0;
    bool inString = false;
    bool escaped = false;
    qsizetype valueEnd = -1;
    for (; i < n; ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"') {
                inString = false;
                if (depth == 0) {
                    valueEnd = i + 1;
                    break;
                }
            }
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                valueEnd = i + 1;
                break;
            }
        } else if (depth == 0 && (isJsonSpace(c) || c == ',' || c == ':')) {
            valueEnd = i;
            break;
        }
    }
    if (valueEnd < 0) {
        if (depth > 0)
            return QStringLiteral("invalid JSON: truncated (%1 unclosed object/array)").arg(depth);
        valueEnd = n;
    }
    qsizetype rest = valueEnd;
    while (rest < n && isJsonSpace(text[rest]))
        ++rest;
    if (rest < n)
        return QStringLiteral("invalid JSON: trailing content at byte %1").arg(rest);
    return QStringLiteral("invalid JSON: misplaced or missing comma, colon, key or bracket");
}

QString describe(simdjson::error_code error, QByteArrayView text)
{
    switch (error) {
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::TRAILING_CONTENT:
        return describeStructureError(text);
    case simdjson::UNCLOSED_STRING:
        return QStringLiteral("invalid JSON: unclosed string");
    case simdjson::UTF8_ERROR:
        return QStringLiteral("invalid JSON: not valid UTF-8");
    case simdjson::UNESCAPED_CHARS:
        return QStringLiteral("invalid JSON: unescaped control character in a string");
    case simdjson::STRING_ERROR:
        return QStringLiteral("invalid JSON: bad string escape");
    case simdjson::NUMBER_ERROR:
        return QStringLiteral("invalid JSON: bad number");
    case simdjson::T_ATOM_ERROR:
        return QStringLiteral("invalid JSON: bad literal (expected true)");
    case simdjson::F_ATOM_ERROR:
        return QStringLiteral("invalid JSON: bad literal (expected false)");
    case simdjson::N_ATOM_ERROR:
        return QStringLiteral("invalid JSON: bad literal (expected null)");
    case simdjson::EMPTY:
        return QStringLiteral("invalid JSON: empty");
    case simdjson::DEPTH_ERROR:
        return QStringLiteral("invalid JSON: nested too deeply");
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
        return QStringLiteral("invalid JSON: document too large");
    default:
        return QStringLiteral("invalid JSON: %1").arg(QLatin1String(simdjson::error_message(error)));
    }
}

} // namespace

struct JsonValidator::Private
{
    simdjson::dom::parser parser;
    std::vector<char> padded; ///< the text copied with SIMDJSON_PADDING readable bytes after it
};

JsonValidator::JsonValidator()
    : d(std::make_unique<Private>())
{
}

JsonValidator::~JsonValidator() = default;

std::optional<QString> JsonValidator::check(QByteArrayView text)
{
    const size_t size = size_t(text.size());
    const size_t needed = size + simdjson::SIMDJSON_PADDING;
    if (d->padded.size() < needed)
        d->padded.resize(std::max(needed, d->padded.size() * 2));
    if (size > 0)
        std::memcpy(d->padded.data(), text.data(), size);
    std::memset(d->padded.data() + size, 0, simdjson::SIMDJSON_PADDING);

    simdjson::dom::element element;
    const simdjson::error_code error = d->parser.parse(d->padded.data(), size, false).get(element);
    if (error == simdjson::SUCCESS)
        return std::nullopt;
    return describe(error, text);
}

bool JsonValidator::isBlank(QByteArrayView text)
{
    for (const char c : text) {
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}
