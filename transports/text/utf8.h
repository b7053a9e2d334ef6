#pragma once

#include <QByteArray>
#include <QByteArrayView>

/// UTF-8 checks shared by the parsers. Pure functions, thread-safe, no allocation on valid input.
///
/// Every transport promises downstream consumers valid UTF-8 text (StreamEvent::payload), so
/// anything that came off the wire is either validated (fast path, SIMD) or repaired exactly the
/// way a browser's TextDecoder would repair it, so a dashboard shows the same text as a browser.
namespace Utf8 {

/// True when `bytes` is valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
/// Uses simdjson::validate_utf8, the library's runtime-dispatched SIMD validator.
bool isValid(QByteArrayView bytes);

/// `bytes` with every invalid sequence replaced by U+FFFD (EF BF BD), exactly as the WHATWG
/// Encoding Standard UTF-8 decoder does: each *maximal subpart* of an ill-formed sequence becomes
/// one U+FFFD and the byte that broke it is examined again (E2 80 41 -> FFFD 41; FF -> FFFD;
/// E0 80 -> FFFD FFFD because E0 may only be followed by A0..BF; a truncated sequence at the very
/// end -> one FFFD). Valid input is returned unchanged and shared: no copy is made.
QByteArray sanitized(const QByteArray &bytes);
/// As above; copies only when the view does not already hold valid UTF-8 in a QByteArray.
QByteArray sanitized(QByteArrayView bytes);

/// Number of bytes at the end of `bytes` that form an incomplete (but so far valid) UTF-8 sequence
/// (0..3). Cutting there keeps a prefix that does not end in the middle of a character.
qsizetype incompleteTail(QByteArrayView bytes);

} // namespace Utf8
