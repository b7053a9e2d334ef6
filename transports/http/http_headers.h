#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QUrl>

/// Small pure helpers shared by the HTTP and WebSocket transports.
namespace HttpHeaders {

/// The MIME essence of a Content-Type value: "type/subtype" lower-cased, parameters and
/// surrounding whitespace removed ("Text/Event-Stream; charset=x" → "text/event-stream").
/// Empty for an empty value.
QByteArray mimeEssence(QByteArrayView contentType);

/// True for header names whose values are secrets (Authorization, Cookie, tokens, API keys).
bool isSensitive(QByteArrayView name);

/// True when `name` is sensitive (isSensitive) or listed in `userSecrets` (case-insensitive).
bool isSecret(QByteArrayView name, const QList<QByteArray> &userSecrets);

/// True when a and b have the same origin: scheme, host (case-insensitive) and port (80/443
/// when absent) all equal.
bool sameOrigin(const QUrl &a, const QUrl &b);

/// `headers` without the credentials a redirect to another origin must not carry: every
/// isSecret() header (Authorization, Proxy-Authorization, Cookie, tokens, API keys, the user's
/// secret headers), as curl and the Fetch standard do.
QList<QPair<QByteArray, QByteArray>> withoutCredentials(const QList<QPair<QByteArray, QByteArray>> &headers,
                                                         const QList<QByteArray> &userSecrets);

/// "Name: value" for logs, with the value replaced by "<redacted>" when isSensitive(name).
QByteArray forLog(QByteArrayView name, QByteArrayView value);

/// All headers joined for a debug log line, redacted.
QByteArray forLog(const QList<QPair<QByteArray, QByteArray>> &headers,
                  const QList<QByteArray> &userSecrets = {});

} // namespace HttpHeaders
