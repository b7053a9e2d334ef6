#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

/// Small pure helpers shared by the HTTP and WebSocket transports.
namespace HttpHeaders {

/// The MIME essence of a Content-Type value: "type/subtype" lower-cased, parameters and
/// surrounding whitespace removed ("Text/Event-Stream; charset=x" → "text/event-stream").
/// Empty for an empty value.
QByteArray mimeEssence(QByteArrayView contentType);

/// True for header names whose values are secrets (Authorization, Cookie, tokens, API keys).
bool isSensitive(QByteArrayView name);

/// "Name: value" for logs, with the value replaced by "<redacted>" when isSensitive(name).
QByteArray forLog(QByteArrayView name, QByteArrayView value);

/// All headers joined for a debug log line, redacted.
QByteArray forLog(const QList<QPair<QByteArray, QByteArray>> &headers);

} // namespace HttpHeaders
