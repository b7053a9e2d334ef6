#pragma once

#include "stream_event.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

/// The headless output contract (also the log export format), one compact JSON object per event:
/// {"source":"<url>","seq":<n>,"type":"<type>","id":"<id>","data":"<payload>","ts":"<RFC 3339, ms, UTC>"}
/// Strings are UTF-8 with U+FFFD for invalid bytes; "binary" payloads are base64. A message the
/// client sent (StreamEvent::Kind::Sent, only in log exports) ends with ,"direction":"sent".
///
/// Escaping: `"` and `\` as `\"` `\\`; LF, CR, TAB, BS, FF as `\n` `\r` `\t` `\b` `\f`; every other
/// C0 control, DEL and the C1 controls U+0080–U+009F as `\u00XX` (lower-case hex). So a capture
/// never holds a byte that a terminal interprets (ESC, CSI as C2 9B, ...): `cat`-ing it is safe.
/// Everything else, including all other non-ASCII characters, is written as UTF-8.
///
/// Speed (this runs once per event in headless mode, see tests/bench/peers): a formatter writes
/// straight into the output buffer with no allocation per event. Each string is escaped and its
/// UTF-8 checked in the same SIMD pass (payloads are nearly always valid, so the repair path only
/// runs for input that needs it); the escaped source URL and the "YYYY-MM-DDTHH:MM:SS." prefix of
/// the timestamp are cached while they repeat, milliseconds and seq are formatted by hand.
class EventJsonFormatter
{
public:
    /// Appends the event's object and a trailing '\n' to `out`.
    void append(const StreamEvent &event, QByteArray &out);
    /// The same object written at out[pos] (pos <= out.size()); returns the position after it.
    /// `out` may be left longer than that (scratch space, kept for the next call): the caller
    /// truncates once after a batch instead of once per event.
    qsizetype write(const StreamEvent &event, QByteArray &out, qsizetype pos);

private:
    QString m_source;        ///< the source whose escaped form is cached
    QByteArray m_sourceJson; ///< "\"<escaped source>\"" (quotes included)
    bool m_hasSource = false;
    qint64 m_second = -1;    ///< epoch second whose text is cached (-1: none)
    char m_secondText[20] = {}; ///< "YYYY-MM-DDTHH:MM:SS" for m_second
};

/// Appends one event as above, with a formatter per thread (for callers that format now and then,
/// such as an export; a tight loop should own an EventJsonFormatter).
void appendEventJson(const StreamEvent &event, QByteArray &out);

/// Appends `text` (any bytes; invalid UTF-8 becomes U+FFFD) as a JSON string literal with quotes.
void appendJsonString(QByteArrayView text, QByteArray &out);

/// RFC 3339 UTC with milliseconds: 2026-11-21T05:19:00.123Z (what QDateTime's ISODateWithMs gives).
QByteArray rfc3339Ms(qint64 epochMs);
