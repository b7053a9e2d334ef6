#pragma once

#include "stream_event.h"

#include <QByteArray>

/// The headless output contract (also the log export format), one compact JSON object per event:
/// {"source":"<url>","seq":<n>,"type":"<type>","id":"<id>","data":"<payload>","ts":"<RFC 3339, ms, UTC>"}
/// Payloads are UTF-8 with U+FFFD for invalid bytes; "binary" payloads are base64.
/// Appends the object and a trailing '\n' to `out`.
void appendEventJson(const StreamEvent &event, QByteArray &out);

/// Appends `text` (any bytes; invalid UTF-8 becomes U+FFFD) as a JSON string literal with quotes.
void appendJsonString(QByteArrayView text, QByteArray &out);

/// RFC 3339 UTC with milliseconds: 2026-11-21T05:19:00.123Z
QByteArray rfc3339Ms(qint64 epochMs);
