#include "sse_parser.h"

#include "utf8.h"

#include <algorithm>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace {

constexpr char Bom[3] = {'\xEF', '\xBB', '\xBF'};

/// Bytes kept of an overlong line: enough for a field name, colon and space plus a full
/// ExcerptBytes of its value.
constexpr qsizetype LineExcerptBytes = SseParser::ExcerptBytes + 8;

/// First CR or LF in [p, end), or end.
inline const char *findEol(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    while (end - p >= 32) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16));
        const __m128i ma = _mm_or_si128(_mm_cmpeq_epi8(a, lf), _mm_cmpeq_epi8(a, cr));
        const __m128i mb = _mm_or_si128(_mm_cmpeq_epi8(b, lf), _mm_cmpeq_epi8(b, cr));
        const unsigned mask = unsigned(_mm_movemask_epi8(ma)) | (unsigned(_mm_movemask_epi8(mb)) << 16);
        if (mask != 0)
            return p + __builtin_ctz(mask);
        p += 32;
    }
    if (end - p >= 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const unsigned mask = unsigned(_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(a, lf), _mm_cmpeq_epi8(a, cr))));
        if (mask != 0)
            return p + __builtin_ctz(mask);
        p += 16;
    }
#endif
    while (p < end && *p != '\n' && *p != '\r')
        ++p;
    return p;
}

/// Offset of the last LF in [p, end), or -1.
inline qsizetype findLastLf(const char *p, const char *end)
{
    const char *q = end;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    while (q - p >= 16) {
        q -= 16;
        const unsigned mask = unsigned(_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(q)), lf)));
        if (mask != 0)
            return (q - p) + 31 - __builtin_clz(mask);
    }
#endif
    while (q > p) {
        if (*--q == '\n')
            return q - p;
    }
    return -1;
}

inline bool equals(QByteArrayView a, const char *literal, qsizetype literalSize)
{
    return a.size() == literalSize && std::memcmp(a.data(), literal, size_t(literalSize)) == 0;
}

inline bool equals(QByteArrayView a, const QByteArray &b)
{
    return a.size() == b.size() && (a.isEmpty() || std::memcmp(a.data(), b.constData(), size_t(a.size())) == 0);
}

/// The first `max` bytes of `bytes`, cut back so no UTF-8 sequence is split, then repaired.
QByteArray excerptOf(QByteArrayView bytes, qsizetype max)
{
    QByteArrayView head = bytes.first(std::min(bytes.size(), max));
    if (head.size() < bytes.size())
        head.chop(Utf8::incompleteTail(head));
    return Utf8::sanitized(head);
}

const QByteArray &messageType()
{
    static const QByteArray type = QByteArrayLiteral("message");
    return type;
}

} // namespace

SseParser::SseParser(qsizetype maxLineBytes)
    : m_maxLineBytes(std::max<qsizetype>(maxLineBytes, 1))
{
}

const char *SseParser::afterLineEnd(const char *eol, const char *end)
{
    const char *p = eol + 1;
    if (*eol == '\r') {
        if (p == end)
            m_pendingCr = true; // may be the first half of a CRLF split across feeds
        else if (*p == '\n')
            ++p;
    }
    return p;
}

void SseParser::feed(QByteArrayView chunk, QList<SseEvent> &out)
{
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (p == end)
        return;

    if (!m_bomDone) {
        while (p < end && m_bomMatched < 3 && *p == Bom[m_bomMatched]) {
            ++p;
            ++m_bomMatched;
        }
        if (m_bomMatched == 3) {
            m_bomDone = true;
        } else if (p == end) {
            return; // still a possible BOM prefix: wait for more bytes
        } else {
            // Not a BOM: the bytes held back are ordinary line content.
            m_bomDone = true;
            if (m_bomMatched > 0)
                appendPartial(Bom, m_bomMatched);
        }
        if (p == end)
            return;
    }

    if (m_pendingCr) {
        m_pendingCr = false;
        if (*p == '\n' && ++p == end)
            return;
    }

    if (m_hasPartial) {
        const char *eol = findEol(p, end);
        appendPartial(p, eol - p);
        if (eol == end)
            return;
        completePartial(out);
        p = afterLineEnd(eol, end);
    }

    // Events are rarely smaller than ~128 bytes; grow `out` once instead of step by step, and
    // geometrically so that a caller collecting many feeds into one list stays linear.
    const qsizetype expected = (end - p) / 128;
    if (expected > 8 && out.capacity() - out.size() < expected)
        out.reserve(std::max(out.size() + expected, out.capacity() * 2));

    // Validate the UTF-8 of all complete lines of this chunk in one SIMD pass (up to its last LF;
    // a region ending at an ASCII byte cuts no sequence, and neither does any line inside it).
    // Values taken from it need no further check; anything else is checked when dispatched.
    const qsizetype lastLf = findLastLf(p, end);
    const char *const trustedEnd = lastLf > 0 && Utf8::isValid(QByteArrayView(p, lastLf)) ? p + lastLf : p;

    while (p < end) {
        const char *eol = findEol(p, end);
        if (eol == end) {
            appendPartial(p, end - p);
            break;
        }
        const qsizetype size = eol - p;
        if (size > m_maxLineBytes)
            processOverlongLine(QByteArrayView(p, std::min(size, LineExcerptBytes)), size);
        else
            processLine(p, size, eol <= trustedEnd, out);
        p = afterLineEnd(eol, end);
    }
}

void SseParser::appendPartial(const char *bytes, qsizetype size)
{
    m_hasPartial = true;
    m_lineLength += size;
    if (m_lineOverflow) {
        if (m_line.size() < LineExcerptBytes)
            m_line.append(bytes, std::min(size, LineExcerptBytes - m_line.size()));
        return;
    }
    if (m_lineLength <= m_maxLineBytes) {
        m_line.append(bytes, size);
        return;
    }
    // The line is over the cap: keep only its first LineExcerptBytes, count the rest.
    m_lineOverflow = true;
    QByteArray head = m_line.first(std::min(m_line.size(), LineExcerptBytes));
    if (head.size() < LineExcerptBytes)
        head.append(bytes, std::min(size, LineExcerptBytes - head.size()));
    m_line = head;
}

void SseParser::completePartial(QList<SseEvent> &out)
{
    if (m_lineOverflow)
        processOverlongLine(m_line, m_lineLength);
    else
        processLine(m_line.constData(), m_line.size(), false, out);
    clearLine();
}

void SseParser::clearLine()
{
    // Keep a modest buffer for the next split line; give back what a huge line needed.
    if (m_line.capacity() > 64 * 1024)
        m_line = QByteArray();
    else
        m_line.resize(0);
    m_lineLength = 0;
    m_hasPartial = false;
    m_lineOverflow = false;
}

void SseParser::processLine(const char *line, qsizetype size, bool validUtf8, QList<SseEvent> &out)
{
    if (size == 0) {
        dispatch(out);
        return;
    }
    if (line[0] == ':')
        return; // comment

    // Known field names have at most 5 bytes, so the colon that matters is within the first 6
    // bytes; a longer name is an unknown field, which is ignored.
    constexpr qsizetype LongestName = 5;
    qsizetype nameSize = 0;
    const qsizetype scan = std::min(size, LongestName + 1);
    while (nameSize < scan && line[nameSize] != ':')
        ++nameSize;
    if (nameSize > LongestName)
        return;
    const QByteArrayView name(line, nameSize);
    QByteArrayView value;
    if (nameSize < size) {
        const char *v = line + nameSize + 1;
        const char *lineEnd = line + size;
        if (v < lineEnd && *v == ' ')
            ++v;
        value = QByteArrayView(v, lineEnd - v);
    }

    switch (name.size()) {
    case 4:
        if (equals(name, "data", 4))
            handleData(value, validUtf8);
        break;
    case 5:
        if (equals(name, "event", 5))
            handleEvent(value, validUtf8);
        else if (equals(name, "retry", 5))
            handleRetry(value);
        break;
    case 2:
        if (equals(name, "id", 2))
            handleId(value, validUtf8);
        break;
    default:
        break;
    }
}

void SseParser::processOverlongLine(QByteArrayView excerpt, qsizetype length)
{
    // The field name is known when its colon lies inside the excerpt (or the whole line fits).
    const qsizetype colon = excerpt.indexOf(':');
    QByteArrayView name;
    if (colon >= 0)
        name = excerpt.first(colon);
    else if (excerpt.size() == length)
        name = excerpt;
    const bool isData = equals(name, "data", 4);
    if (!isData && !equals(name, "event", 5) && !equals(name, "id", 2) && !equals(name, "retry", 5))
        return; // comments and unknown fields have no effect, however long they are

    if (isData) {
        startDrop(QStringLiteral("data line of %1 bytes exceeds the limit of %2 bytes")
                      .arg(length)
                      .arg(m_maxLineBytes));
        QByteArrayView value = colon >= 0 ? excerpt.sliced(colon + 1) : QByteArrayView();
        if (value.startsWith(' '))
            value = value.sliced(1);
        appendDataExcerpt(value);
        return;
    }
    if (m_dropReason.isEmpty() && !m_hasData)
        m_dropExcerpt = excerpt.toByteArray();
    startDrop(QStringLiteral("%1 line of %2 bytes exceeds the limit of %3 bytes")
                  .arg(QLatin1String(name.data(), name.size()))
                  .arg(length)
                  .arg(m_maxLineBytes));
}

void SseParser::appendDataExcerpt(QByteArrayView value)
{
    // Keeps at most ExcerptBytes + 1 bytes (the extra byte tells that the data goes on).
    if (m_hasData) {
        if (m_data.size() <= ExcerptBytes)
            m_data.append('\n');
    } else {
        m_data = QByteArray();
        m_hasData = true;
    }
    const qsizetype room = ExcerptBytes + 1 - m_data.size();
    if (room > 0)
        m_data.append(value.first(std::min(value.size(), room)));
}

void SseParser::startDrop(QString reason)
{
    if (!m_dropReason.isEmpty())
        return;
    m_dropReason = std::move(reason);
    if (m_data.size() > ExcerptBytes + 1) {
        m_data.truncate(ExcerptBytes + 1);
        m_data.squeeze();
    }
}

void SseParser::handleData(QByteArrayView value, bool validUtf8)
{
    if (!m_dropReason.isEmpty()) {
        appendDataExcerpt(value);
        return;
    }
    if (!m_hasData) {
        m_data = value.toByteArray();
        m_hasData = true;
        m_dataValid = validUtf8;
        return;
    }
    const qsizetype newSize = m_data.size() + 1 + value.size();
    if (newSize > m_maxLineBytes) {
        startDrop(QStringLiteral("event data exceeds the limit of %1 bytes").arg(m_maxLineBytes));
        appendDataExcerpt(value);
        return;
    }
    m_data.append('\n');
    m_data.append(value);
    m_dataValid = m_dataValid && validUtf8;
}

void SseParser::handleEvent(QByteArrayView value, bool validUtf8)
{
    if (value.isEmpty()) {
        m_type = QByteArray();
        return;
    }
    if (!equals(value, m_typeCache))
        m_typeCache = validUtf8 ? value.toByteArray() : Utf8::sanitized(value);
    if (!m_type.isSharedWith(m_typeCache))
        m_type = QByteArray(m_typeCache);
}

void SseParser::handleId(QByteArrayView value, bool validUtf8)
{
    if (value.contains('\0'))
        return; // an id containing NUL is ignored (and a bare `id` has a null value view)
    if (!equals(value, m_id))
        m_id = validUtf8 ? value.toByteArray() : Utf8::sanitized(value);
}

void SseParser::handleRetry(QByteArrayView value)
{
    if (value.isEmpty())
        return;
    constexpr qint64 Max = std::numeric_limits<qint64>::max();
    qint64 ms = 0;
    for (const char c : value) {
        if (c < '0' || c > '9')
            return;
        const int digit = c - '0';
        ms = ms > (Max - digit) / 10 ? Max : ms * 10 + digit;
    }
    m_retryMs = ms;
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    // Copy construction and move assignment of QByteArray are inline; copy assignment is an
    // out-of-line call into QtCore. This function runs once per event, so it sticks to the former.
    if (!m_lastEventId.isSharedWith(m_id))
        m_lastEventId = QByteArray(m_id);
    if (!m_dropReason.isEmpty()) {
        QByteArray excerpt = excerptOf(m_hasData ? QByteArrayView(m_data) : QByteArrayView(m_dropExcerpt),
                                       ExcerptBytes);
        out.emplaceBack(SseEvent{m_type.isEmpty() ? messageType() : m_type, std::move(excerpt),
                                 m_lastEventId, m_dropReason + QLatin1String(": event dropped")});
        ++m_droppedEvents;
        clearBlock();
        return;
    }
    if (!m_hasData) {
        m_type = QByteArray();
        return;
    }
    if (!m_dataValid && !Utf8::isValid(m_data))
        m_data = Utf8::sanitized(m_data);
    out.emplaceBack(SseEvent{m_type.isEmpty() ? messageType() : m_type, std::move(m_data), m_lastEventId, QString()});
    clearBlock();
}

void SseParser::clearBlock()
{
    m_data = QByteArray();
    m_hasData = false;
    m_type = QByteArray();
    if (!m_dropReason.isEmpty()) {
        m_dropReason = QString();
        m_dropExcerpt = QByteArray();
    }
}

void SseParser::finish()
{
    clearLine();
    clearBlock();
    m_pendingCr = false;
}

void SseParser::reset()
{
    finish();
    m_bomDone = false;
    m_bomMatched = 0;
    m_id = m_lastEventId;
}

void SseParser::setLastEventId(const QByteArray &id)
{
    if (id.contains('\0') || id.contains('\n') || id.contains('\r'))
        return;
    m_lastEventId = Utf8::sanitized(id);
    m_id = m_lastEventId;
}
