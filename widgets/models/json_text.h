#pragma once

#include <QByteArray>

namespace JsonText {

/// True when `payload` starts (after JSON whitespace) with '{' or '[': worth handing to a JSON
/// parser (the chart's field extraction, the log's pretty view). A cheap pre-check, not a parse.
inline bool looksLikeJson(const QByteArray &payload)
{
    for (const char c : payload) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

} // namespace JsonText
