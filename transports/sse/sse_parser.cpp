#include "sse_parser.h"

#include "byte_size.h"
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

/// First CR or LF in [p, end), or end. Also tells whether a byte before it is non-ASCII (for
/// free: the bytes are in registers anyway), so pure-ASCII lines need no UTF-8 check at all.
inline const char *findEol(const char *p, const char *end, bool &nonAscii)
{
    unsigned high = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    while (end - p >= 32) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16));
        const __m128i ma = _mm_or_si128(_mm_cmpeq_epi8(a, lf), _mm_cmpeq_epi8(a, cr));
        const __m128i mb = _mm_or_si128(_mm_cmpeq_epi8(b, lf), _mm_cmpeq_epi8(b, cr));
        const unsigned mask = unsigned(_mm_movemask_epi8(ma)) | (unsigned(_mm_movemask_epi8(mb)) << 16);
        const unsigned hi = unsigned(_mm_movemask_epi8(a)) | (unsigned(_mm_movemask_epi8(b)) << 16);
        if (mask != 0) {
            const int at = __builtin_ctz(mask);
            nonAscii = (high | (hi & ((1u << at) - 1))) != 0;
            return p + at;
        }
        high |= hi;
        p += 32;
    }
    if (end - p >= 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const unsigned mask = unsigned(_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(a, lf), _mm_cmpeq_epi8(a, cr))));
        const unsigned hi = unsigned(_mm_movemask_epi8(a));
        if (mask != 0) {
            const int at = __builtin_ctz(mask);
            nonAscii = (high | (hi & ((1u << at) - 1))) != 0;
            return p + at;
        }
        high |= hi;
        p += 16;
    }
#endif
    while (p < end && *p != '\n' && *p != '\r') {
        high |= unsigned(uchar(*p)) & 0x80;
        ++p;
    }
    nonAscii = high != 0;
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

/// The first `max` bytes of `bytes` (a prefix of something longer), cut back so that no UTF-8
/// sequence is split, then repaired.
QByteArray excerptOf(QByteArrayView bytes, qsizetype max)
{
    QByteArrayView head = bytes.first(std::min(bytes.size(), max));
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
    , m_lineThreshold(std::max<qsizetype>(m_maxLineBytes, 6))
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

void SseParser::beginArena(qsizetype bound)
{
    // Reuse the previous arena when no event kept it (feeds that dispatched nothing, tiny feeds).
    if (m_arenaData == nullptr || !m_arena.isDetached() || m_arena.size() < bound) {
        m_arena = QByteArray(std::max<qsizetype>(bound, 64), Qt::Uninitialized);
        m_arenaData = m_arena.data();
    }
    m_arenaUsed = 0;
    m_idTop = m_arena.size();
}

void SseParser::endArena()
{
    // A block whose data began in this feed continues in the next one: it moves to its own
    // buffer, which later data lines extend (geometrically, so a huge event stays linear).
    if (m_dataInArena) {
        m_data = QByteArray(m_arenaData + m_dataStart, m_dataSize);
        m_dataInArena = false;
    }
}

Q_ALWAYS_INLINE QByteArray SseParser::arenaSlice(const char *begin, qsizetype size)
{
    // A QByteArray that shares the arena's header (one more reference) with its own begin and
    // size: what Qt itself produces for a prefix-trimmed array. The byte after it is a NUL.
    QByteArray::DataPointer shared = m_arena.data_ptr();
    shared.ptr = const_cast<char *>(begin);
    shared.size = size;
    return QByteArray(std::move(shared));
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
                appendPartial(Bom, m_bomMatched, out);
        }
        if (p == end)
            return;
    }

    if (m_pendingCr) {
        m_pendingCr = false;
        if (*p == '\n' && ++p == end)
            return;
    }

    // Every value copied into the arena comes from a line that ends in this chunk (the first one
    // possibly started in m_line), and takes at most the line's bytes plus its line end.
    beginArena((end - p) + m_line.size() + 8);

    bool nonAscii = false;
    if (m_hasPartial) {
        const char *eol = findEol(p, end, nonAscii);
        appendPartial(p, eol - p, out);
        if (eol == end) {
            endArena();
            return;
        }
        completePartial(out);
        p = afterLineEnd(eol, end);
    }

    // Events are rarely smaller than ~128 bytes; grow `out` once instead of step by step, and
    // geometrically so that a caller collecting many feeds into one list stays linear.
    const qsizetype expected = (end - p) / 128;
    if (expected > 8 && out.capacity() - out.size() < expected)
        out.reserve(std::max(out.size() + expected, out.capacity() * 2));

    // UTF-8: a line of ASCII bytes is valid as it is (findEol tells). At the first line that is
    // not, the rest of the chunk's complete lines is validated in one SIMD pass (up to its last LF:
    // a region ending at an ASCII byte cuts no sequence, and neither does any line inside it).
    // Values from there need no further check; anything else is checked when dispatched.
    const char *trustedEnd = nullptr;
    while (p < end) {
        const char *eol = findEol(p, end, nonAscii);
        if (eol == end) {
            appendPartial(p, end - p, out);
            break;
        }
        const qsizetype size = eol - p;
        if (nonAscii && trustedEnd == nullptr) {
            const qsizetype lastLf = findLastLf(p, end);
            trustedEnd = lastLf > 0 && Utf8::isValid(QByteArrayView(p, lastLf)) ? p + lastLf : p;
        }
        if (size > m_maxLineBytes)
            processOverlongLine(QByteArrayView(p, std::min({size, LineExcerptBytes, m_lineThreshold + 1})), out);
        else
            processLine(p, size, !nonAscii || eol <= trustedEnd, out);
        p = afterLineEnd(eol, end);
    }
    endArena();
}

void SseParser::appendPartial(const char *bytes, qsizetype size, QList<SseEvent> &out)
{
    m_hasPartial = true;
    if (m_skippingLine)
        return;
    if (m_line.size() + size <= m_lineThreshold) {
        m_line.append(bytes, size);
        return;
    }
    // The line just became overlong: report it now with what arrived up to this point, then skip
    // the rest of it without buffering.
    const qsizetype excerpt = std::min(LineExcerptBytes, m_lineThreshold + 1);
    if (m_line.size() < excerpt)
        m_line.append(bytes, excerpt - m_line.size());
    processOverlongLine(QByteArrayView(m_line).first(excerpt), out);
    m_skippingLine = true;
    if (m_line.capacity() > 64 * 1024)
        m_line = QByteArray();
    else
        m_line.resize(0);
}

void SseParser::completePartial(QList<SseEvent> &out)
{
    if (!m_skippingLine) {
        const qsizetype size = m_line.size();
        if (size > m_maxLineBytes)
            processOverlongLine(QByteArrayView(m_line).first(std::min({size, LineExcerptBytes, m_lineThreshold + 1})), out);
        else
            processLine(m_line.constData(), size, false, out);
    }
    clearLine();
}

void SseParser::clearLine()
{
    // Keep a modest buffer for the next split line; give back what a huge line needed.
    if (m_line.capacity() > 64 * 1024)
        m_line = QByteArray();
    else
        m_line.resize(0);
    m_hasPartial = false;
    m_skippingLine = false;
}

Q_ALWAYS_INLINE void SseParser::processLine(const char *line, qsizetype size, bool validUtf8, QList<SseEvent> &out)
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
            handleData(value, validUtf8, out);
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

QByteArray SseParser::currentData() const
{
    if (!m_hasData)
        return QByteArray();
    if (m_dataInArena)
        return QByteArray(m_arenaData + m_dataStart, m_dataSize);
    return m_data;
}

void SseParser::processOverlongLine(QByteArrayView excerpt, QList<SseEvent> &out)
{
    if (m_dropping)
        return; // the block was already reported; its remaining lines are skipped
    // `excerpt` holds at least the 7 bytes that tell the field name (or the whole line).
    const qsizetype colon = excerpt.indexOf(':');
    const QByteArrayView name = colon >= 0 ? excerpt.first(colon) : excerpt;
    const bool isData = equals(name, "data", 4);
    if (!isData && !equals(name, "event", 5) && !equals(name, "id", 2) && !equals(name, "retry", 5))
        return; // comments and unknown fields have no effect, however long they are

    const QString limit = ByteSize::limitText(m_maxLineBytes);
    if (isData) {
        QByteArrayView value = colon >= 0 ? excerpt.sliced(colon + 1) : QByteArrayView();
        if (value.startsWith(' '))
            value = value.sliced(1);
        QByteArray joined = currentData();
        if (m_hasData)
            joined.append('\n');
        joined.append(value.first(std::min(value.size(), ExcerptBytes + 4)));
        drop(QStringLiteral("data line exceeds the %1 limit; event dropped").arg(limit), joined, out);
        return;
    }
    drop(QStringLiteral("%1 line exceeds the %2 limit; event dropped")
             .arg(QLatin1String(name.data(), name.size()), limit),
         m_hasData ? QByteArrayView(currentData()) : excerpt, out);
}

void SseParser::drop(const QString &reason, QByteArrayView excerpt, QList<SseEvent> &out)
{
    out.emplaceBack(SseEvent{m_type.isEmpty() ? messageType() : m_type, excerptOf(excerpt, ExcerptBytes), m_id, reason});
    ++m_droppedEvents;
    m_dropping = true;
    m_hasData = false;
    m_dataInArena = false;
    m_data = QByteArray();
}

Q_ALWAYS_INLINE void SseParser::handleData(QByteArrayView value, bool validUtf8, QList<SseEvent> &out)
{
    if (m_hasData || m_dropping) {
        appendMoreData(value, validUtf8, out);
        return;
    }
    // The first data line of a block: into the arena (a line is never longer than the cap here).
    m_dataStart = m_arenaUsed;
    m_dataSize = value.size();
    if (m_dataSize > 0)
        std::memcpy(m_arenaData + m_arenaUsed, value.data(), size_t(m_dataSize));
    m_arenaUsed += m_dataSize;
    m_hasData = true;
    m_dataInArena = true;
    m_dataValid = validUtf8;
}

void SseParser::appendMoreData(QByteArrayView value, bool validUtf8, QList<SseEvent> &out)
{
    if (m_dropping)
        return;
    const qsizetype newSize = m_dataSize + 1 + value.size();
    if (newSize > m_maxLineBytes) {
        QByteArray joined = currentData();
        joined.append('\n');
        joined.append(value.first(std::min(value.size(), ExcerptBytes + 4)));
        drop(QStringLiteral("event data exceeds the %1 limit; event dropped").arg(ByteSize::limitText(m_maxLineBytes)),
             joined, out);
        return;
    }
    if (m_dataInArena) {
        // The block's data is the newest thing in the data region (ids grow from the other end).
        char *o = m_arenaData + m_arenaUsed;
        *o++ = '\n';
        if (!value.isEmpty())
            std::memcpy(o, value.data(), size_t(value.size()));
        m_arenaUsed += 1 + value.size();
    } else {
        m_data.append('\n');
        m_data.append(value);
    }
    m_dataSize = newSize;
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
    // An id containing NUL is ignored (a bare `id` has a null value view: never memchr it).
    const qsizetype size = value.size();
    for (qsizetype i = 0; i < size; ++i) {
        if (value.data()[i] == '\0')
            return;
    }
    // Most servers count: when the id changed, its last byte usually did.
    if (size == m_id.size() && (size == 0 || (value.data()[size - 1] == m_id.constData()[size - 1]
                                              && std::memcmp(value.data(), m_id.constData(), size_t(size)) == 0)))
        return;
    if (m_lastIsId) {
        m_lastEventId = std::move(m_id); // the dispatched id stays what a reconnect sends
        m_lastIsId = false;
    }
    if (value.isEmpty()) {
        m_id = QByteArray();
        return;
    }
    if (!validUtf8) {
        m_id = Utf8::sanitized(value);
        return;
    }
    m_idTop -= value.size() + 1;
    char *o = m_arenaData + m_idTop;
    std::memcpy(o, value.data(), size_t(value.size()));
    o[value.size()] = '\0';
    m_id = arenaSlice(o, value.size());
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

Q_ALWAYS_INLINE void SseParser::dispatch(QList<SseEvent> &out)
{
    // lastEventId = idBuf (rule 1.4.5.1). Copy construction and move assignment of QByteArray
    // are inline; copy assignment is an out-of-line call into QtCore: this runs once per event.
    if (!m_lastIsId) {
        m_lastIsId = true;
        m_lastEventId = QByteArray();
    }
    if (m_dropping) {
        clearBlock(); // reported when the cap was crossed
        return;
    }
    if (!m_hasData) {
        if (!m_type.isNull())
            m_type = QByteArray();
        return;
    }
    QByteArray data;
    if (m_dataInArena) {
        m_arenaData[m_arenaUsed++] = '\0';
        data = arenaSlice(m_arenaData + m_dataStart, m_dataSize);
    } else {
        data = std::move(m_data);
    }
    if (!m_dataValid && !Utf8::isValid(data))
        data = Utf8::sanitized(data);
    out.emplaceBack(SseEvent{m_type.isEmpty() ? messageType() : m_type, std::move(data), m_id, QString()});
    m_hasData = false;
    m_dataInArena = false;
    if (!m_type.isNull())
        m_type = QByteArray();
}

void SseParser::clearBlock()
{
    m_hasData = false;
    m_dataInArena = false;
    m_dataSize = 0;
    m_dropping = false;
    if (!m_data.isNull())
        m_data = QByteArray();
    if (!m_type.isNull())
        m_type = QByteArray();
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
    if (!m_lastIsId) {
        m_id = std::move(m_lastEventId); // idBuf = lastEventId (rule 1.4.7)
        m_lastEventId = QByteArray();
        m_lastIsId = true;
    }
}

void SseParser::setLastEventId(const QByteArray &id)
{
    if (id.contains('\0') || id.contains('\n') || id.contains('\r'))
        return;
    m_id = Utf8::sanitized(id);
    m_lastEventId = QByteArray();
    m_lastIsId = true;
}
