#pragma once

#include "asciicast_format.h"

#include <QByteArray>
#include <QByteArrayView>

/// Produces the lines of an asciicast v2 file. Pure: no I/O, no clock (the caller passes times in
/// seconds since the start), not thread-safe.
///
/// Every returned line ends with '\n'. Times are written with 6 decimals ("1.250000").
/// JSON strings escape '"', '\\' and every control character (U+0000..U+001F, U+007F) as
/// \n \r \t \b \f or \u00XX; everything else, including non-ASCII, is written as UTF-8.
///
/// UTF-8: a JSON string must be valid UTF-8, but terminal output arrives in arbitrary chunks. The
/// writer keeps an incomplete trailing UTF-8 sequence (at most 3 bytes) of each stream ("o" and
/// "i" separately) and prepends it to the next chunk of that stream; invalid bytes become U+FFFD
/// (WHATWG maximal-subpart rule, Utf8::sanitized). So feeding "é" as C3 | A9 in two calls yields
/// one event holding "é". A call whose bytes are all carried returns an empty line (nothing to
/// write). flushPending() turns what is still carried into U+FFFD events (end of recording).
class AsciicastWriter
{
public:
    /// The header line: {"version":2,"width":W,"height":H[,"timestamp":T][,"idle_time_limit":L]
    /// [,"title":"..."][,"env":{...}]}.
    static QByteArray headerLine(const AsciicastHeader &header);
    /// [time,"o","data"] (empty result when every byte was carried over).
    QByteArray outputLine(double time, QByteArrayView bytes);
    /// [time,"i","data"] (same carry rule, own carry).
    QByteArray inputLine(double time, QByteArrayView bytes);
    /// [time,"r","COLSxROWS"].
    static QByteArray resizeLine(double time, int columns, int rows);
    /// [time,"m","label"].
    static QByteArray markerLine(double time, QByteArrayView label);
    /// Lines for the bytes still carried (each stream's incomplete tail becomes U+FFFD); may be empty.
    QByteArray flushPending(double time);

    /// `utf8` as a JSON string literal, quotes included; invalid UTF-8 is repaired first.
    static QByteArray jsonString(QByteArrayView utf8);
    /// "1.250000"
    static QByteArray formatTime(double seconds);

private:
    static QByteArray eventLine(double time, char code, QByteArrayView validUtf8);
    static QByteArray takeComplete(QByteArray &carry, QByteArrayView bytes);

    QByteArray m_outputCarry;
    QByteArray m_inputCarry;
};
