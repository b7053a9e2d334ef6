#include "event_json.h"

#include "utf8.h"

#include <QDateTime>

#include <array>
#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace {

constexpr char Hex[] = "0123456789abcdef";

/// Input bytes escaped per step; the output is grown for the worst case of one step at a time
/// (6 output bytes per input byte, `\u00XX`), so a 16 MiB payload never needs 96 MiB at once.
constexpr qsizetype Window = 16 * 1024;
/// Room beyond the worst case: a 16-byte SIMD store past the last escaped byte, a UTF-8 sequence
/// that starts inside a window and ends after it.
constexpr qsizetype Slack = 32;

/// First year Qt writes with more (or fewer) than four digits; outside [1970, 9999] rfc3339Ms()
/// leaves the work to QDateTime.
constexpr qint64 MaxFastMs = 253'402'300'800'000; // 10000-01-01T00:00:00Z

/// Makes at least `need` bytes writable at buf[pos] by growing buf's size (to its capacity when
/// that suffices, else geometrically); bytes between the write position and size() are scratch.
inline char *ensure(QByteArray &buf, qsizetype pos, qsizetype need)
{
    if (buf.size() < pos + need) {
        const qsizetype capacity = buf.capacity();
        buf.resize(capacity >= pos + need ? capacity : std::max(pos + need, 2 * capacity));
    }
    return buf.data() + pos;
}

inline char *put(char *o, const char *literal, size_t size)
{
    std::memcpy(o, literal, size);
    return o + size;
}

inline char *putUnicodeEscape(char *o, unsigned value)
{
    o[0] = '\\';
    o[1] = 'u';
    o[2] = '0';
    o[3] = '0';
    o[4] = Hex[(value >> 4) & 0xF];
    o[5] = Hex[value & 0xF];
    return o + 6;
}

/// The escape of every ASCII byte that needs one (controls, '"', '\\', DEL), as 8 bytes so it is
/// copied with one fixed-size store (only `size` of them count; the rest lands in scratch space).
struct AsciiEscape
{
    char text[7];
    unsigned char size;
};

constexpr std::array<AsciiEscape, 128> makeAsciiEscapes()
{
    std::array<AsciiEscape, 128> table{};
    for (unsigned c = 0; c < 128; ++c) {
        AsciiEscape &e = table[c];
        e = AsciiEscape{{'\\', 'u', '0', '0', Hex[c >> 4], Hex[c & 0xF], 0}, 6};
        const char shortForm = c == '"' ? '"' : c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r'
                             : c == '\t' ? 't' : c == '\b' ? 'b' : c == '\f' ? 'f' : 0;
        if (shortForm != 0)
            e = AsciiEscape{{'\\', shortForm, 0, 0, 0, 0, 0}, 2};
    }
    return table;
}

constexpr std::array<AsciiEscape, 128> AsciiEscapes = makeAsciiEscapes();

inline char *putAsciiEscape(char *o, unsigned char c)
{
    std::memcpy(o, &AsciiEscapes[c], sizeof(AsciiEscape));
    return o + AsciiEscapes[c].size;
}

/// Length of the valid UTF-8 sequence starting with the non-ASCII byte at `p`, or 0 when it is
/// not one (WHATWG/Unicode rules: no overlongs, no surrogates, nothing above U+10FFFF).
inline int sequenceLength(const unsigned char *p, const unsigned char *end)
{
    const unsigned char b = p[0];
    int length;
    unsigned char lower = 0x80;
    unsigned char upper = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        length = 3;
        if (b == 0xE0)
            lower = 0xA0;
        else if (b == 0xED)
            upper = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        length = 4;
        if (b == 0xF0)
            lower = 0x90;
        else if (b == 0xF4)
            upper = 0x8F;
    } else {
        return 0;
    }
    if (end - p < length || p[1] < lower || p[1] > upper)
        return 0;
    for (int i = 2; i < length; ++i) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    }
    return length;
}

/// Writes the non-ASCII character at `p` (a valid sequence of `length` bytes): C1 controls as
/// `\u00XX`, everything else as it is. Returns the new output position.
inline char *putNonAscii(const unsigned char *p, int length, char *o)
{
    if (length == 2 && p[0] == 0xC2 && p[1] <= 0x9F)
        return putUnicodeEscape(o, p[1]); // C1 control U+0080..U+009F
    o[0] = char(p[0]);
    o[1] = char(p[1]);
    if (length > 2)
        o[2] = char(p[2]);
    if (length > 3)
        o[3] = char(p[3]);
    return o + length;
}

inline bool isPlain(unsigned char c)
{
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

/// Writes the escaped contents of [s, s + n) (no quotes) at buf[pos...], growing buf as needed,
/// and advances pos. Returns false, with pos unspecified, when the text is not valid UTF-8.
///
/// 16 bytes at a time: one compare finds every byte that is not plain printable ASCII, the block
/// is stored as it is, and the scan resumes after the first such byte once it is handled (JSON
/// payloads carry many quotes, so that path stays branch-light: a table store for ASCII).
bool escapeInto(const char *s, qsizetype n, QByteArray &buf, qsizetype &pos)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s);
    const auto *const end = p + n;
    while (p < end) {
        const qsizetype window = std::min<qsizetype>(end - p, Window);
        char *const base = ensure(buf, pos, 6 * window + Slack);
        char *o = base;
        const auto *const stop = p + window;
#if defined(__SSE2__)
        const __m128i space = _mm_set1_epi8(0x20);
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i del = _mm_set1_epi8(0x7F);
        while (stop - p >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            // Signed compare: bytes >= 0x80 are negative, so "< 0x20" also catches non-ASCII.
            __m128i special = _mm_cmplt_epi8(v, space);
            special = _mm_or_si128(special, _mm_cmpeq_epi8(v, quote));
            special = _mm_or_si128(special, _mm_cmpeq_epi8(v, backslash));
            special = _mm_or_si128(special, _mm_cmpeq_epi8(v, del));
            const unsigned mask = unsigned(_mm_movemask_epi8(special));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(o), v);
            if (mask == 0) {
                p += 16;
                o += 16;
                continue;
            }
            const int plain = __builtin_ctz(mask);
            p += plain;
            o += plain;
            const unsigned char c = *p;
            if (c < 0x80) {
                o = putAsciiEscape(o, c);
                ++p;
                continue;
            }
            const int length = sequenceLength(p, end);
            if (length == 0)
                return false;
            o = putNonAscii(p, length, o);
            p += length;
        }
#endif
        while (p < stop) {
            const unsigned char c = *p;
            if (isPlain(c)) {
                *o++ = char(c);
                ++p;
            } else if (c < 0x80) {
                o = putAsciiEscape(o, c);
                ++p;
            } else {
                const int length = sequenceLength(p, end);
                if (length == 0)
                    return false;
                o = putNonAscii(p, length, o);
                p += length;
            }
        }
        pos += o - base;
    }
    return true;
}

/// Writes `text` as a JSON string literal (quotes included) at buf[pos...].
void writeJsonString(QByteArrayView text, QByteArray &buf, qsizetype &pos)
{
    const qsizetype start = pos;
    ensure(buf, pos, 1)[0] = '"';
    ++pos;
    if (!escapeInto(text.data(), text.size(), buf, pos)) {
        // Invalid UTF-8 (rare): repair it the way a browser's decoder would, then escape again.
        pos = start + 1;
        const QByteArray repaired = Utf8::sanitized(text);
        escapeInto(repaired.constData(), repaired.size(), buf, pos);
    }
    ensure(buf, pos, 1)[0] = '"';
    ++pos;
}

/// "YYYY-MM-DDTHH:MM:SS" of an epoch second in [0, MaxFastMs / 1000): the proleptic Gregorian
/// calendar, computed from the day number with the usual era/day-of-era decomposition.
void formatSecond(qint64 epochSecond, char *out)
{
    const qint64 days = epochSecond / 86400;
    const int secondOfDay = int(epochSecond % 86400);
    const qint64 z = days + 719468; // days since 0000-03-01
    const qint64 era = z / 146097;
    const qint64 dayOfEra = z - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 monthIndex = (5 * dayOfYear + 2) / 153; // 0 = March
    const int day = int(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    const int month = int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    const int year = int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    const int hour = secondOfDay / 3600;
    const int minute = secondOfDay / 60 % 60;
    const int second = secondOfDay % 60;
    auto two = [](char *o, int v) {
        o[0] = char('0' + v / 10);
        o[1] = char('0' + v % 10);
    };
    two(out, year / 100);
    two(out + 2, year % 100);
    out[4] = '-';
    two(out + 5, month);
    out[7] = '-';
    two(out + 8, day);
    out[10] = 'T';
    two(out + 11, hour);
    out[13] = ':';
    two(out + 14, minute);
    out[16] = ':';
    two(out + 17, second);
}

QByteArray slowRfc3339Ms(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

} // namespace

void EventJsonFormatter::append(const StreamEvent &event, QByteArray &out)
{
    out.resize(write(event, out, out.size()));
}

qsizetype EventJsonFormatter::write(const StreamEvent &event, QByteArray &out, qsizetype pos)
{
    if (!m_hasSource || (!m_source.isSharedWith(event.source) && m_source != event.source)) {
        m_source = event.source;
        m_hasSource = true;
        m_sourceJson.clear();
        qsizetype sourcePos = 0;
        writeJsonString(event.source.toUtf8(), m_sourceJson, sourcePos);
        m_sourceJson.resize(sourcePos);
    }

    // Fixed text, source, seq and the timestamp: one bound for all of it.
    char *o = ensure(out, pos, 96 + m_sourceJson.size());
    o = put(o, "{\"source\":", 10);
    o = put(o, m_sourceJson.constData(), size_t(m_sourceJson.size()));
    o = put(o, ",\"seq\":", 7);
    o = std::to_chars(o, o + 20, event.seq).ptr;
    o = put(o, ",\"type\":", 8);
    pos = o - out.data();
    writeJsonString(event.type, out, pos);
    o = put(ensure(out, pos, 8), ",\"id\":", 6);
    pos = o - out.data();
    writeJsonString(event.id, out, pos);
    o = put(ensure(out, pos, 10), ",\"data\":", 8);
    pos = o - out.data();
    if (event.type == "binary")
        writeJsonString(event.payload.toBase64(), out, pos);
    else
        writeJsonString(event.payload, out, pos);

    o = put(ensure(out, pos, 72), ",\"ts\":\"", 7);
    const qint64 ms = event.receivedMs;
    if (ms >= 0 && ms < MaxFastMs) {
        const qint64 second = ms / 1000;
        if (second != m_second) {
            formatSecond(second, m_secondText);
            m_second = second;
        }
        o = put(o, m_secondText, 19);
        const int milli = int(ms % 1000);
        o[0] = '.';
        o[1] = char('0' + milli / 100);
        o[2] = char('0' + milli / 10 % 10);
        o[3] = char('0' + milli % 10);
        o[4] = 'Z';
        o += 5;
    } else {
        const QByteArray ts = slowRfc3339Ms(ms);
        pos = o - out.data();
        o = put(ensure(out, pos, ts.size() + 40), ts.constData(), size_t(ts.size()));
    }
    // Only what the client sent says so (log export); received events keep the contract's shape.
    if (event.kind == StreamEvent::Kind::Sent)
        o = put(o, "\",\"direction\":\"sent", 19);
    o = put(o, "\"}\n", 3);
    return o - out.data();
}

void appendEventJson(const StreamEvent &event, QByteArray &out)
{
    thread_local EventJsonFormatter formatter;
    formatter.append(event, out);
}

void appendJsonString(QByteArrayView text, QByteArray &out)
{
    qsizetype pos = out.size();
    writeJsonString(text, out, pos);
    out.resize(pos);
}

QByteArray rfc3339Ms(qint64 epochMs)
{
    if (epochMs < 0 || epochMs >= MaxFastMs)
        return slowRfc3339Ms(epochMs);
    QByteArray text(24, Qt::Uninitialized);
    formatSecond(epochMs / 1000, text.data());
    const int milli = int(epochMs % 1000);
    char *o = text.data() + 19;
    o[0] = '.';
    o[1] = char('0' + milli / 100);
    o[2] = char('0' + milli / 10 % 10);
    o[3] = char('0' + milli % 10);
    o[4] = 'Z';
    return text;
}
