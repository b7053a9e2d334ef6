#include "line_framer.h"

#include "utf8.h"

#include <algorithm>
#include <cstring>

LineFramer::LineFramer(qsizetype maxLineBytes)
    : m_maxLineBytes(std::max<qsizetype>(maxLineBytes, 1))
{
}

void LineFramer::emitTooLong(QByteArrayView head, QList<FramedLine> &out) const
{
    // `head` holds at least maxLineBytes + 1 content bytes (or the whole line at EOF).
    const qsizetype excerpt = std::min({head.size(), ExcerptBytes, m_maxLineBytes + 1});
    out.emplaceBack(FramedLine{head.first(excerpt).toByteArray(), true, m_maxLineBytes + 1, false});
}

void LineFramer::emitArenaLines(const char *begin, qsizetype size, QList<FramedLine> &out)
{
    // [begin, begin + size) ends with LF. One copy for all of it; every line end becomes a NUL
    // (the CR of a CRLF too), so each line is a NUL-terminated slice of the arena.
    QByteArray arena(size, Qt::Uninitialized);
    char *const base = arena.data();
    std::memcpy(base, begin, size_t(size));
    const bool valid = Utf8::isValid(QByteArrayView(base, size));
    out.reserve(out.size() + size / 64);
    char *p = base;
    char *const end = base + size;
    while (p < end) {
        char *lf = static_cast<char *>(std::memchr(p, '\n', size_t(end - p)));
        qsizetype length = lf - p;
        if (length > 0 && lf[-1] == '\r')
            --length;
        if (length > m_maxLineBytes) {
            emitTooLong(QByteArrayView(p, length), out);
        } else {
            p[length] = '\0';
            QByteArray::DataPointer shared = arena.data_ptr(); // one more reference to the arena
            shared.ptr = p;
            shared.size = length;
            out.emplaceBack(FramedLine{QByteArray(std::move(shared)), false, length, valid});
        }
        p = lf + 1;
    }
}

void LineFramer::feed(QByteArrayView chunk, QList<FramedLine> &out)
{
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (p == end)
        return;

    if (m_hasPartial) {
        const auto *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (lf == nullptr) {
            appendPartial(p, end - p, out);
            return;
        }
        appendPartial(p, lf - p, out);
        if (!m_skipping) {
            // Complete now. A CR before the LF is the CR of a CRLF, not content.
            qsizetype length = m_line.size();
            if (length > 0 && m_line.endsWith('\r'))
                --length;
            if (length > m_maxLineBytes)
                emitTooLong(m_line, out);
            else
                out.emplaceBack(FramedLine{m_line.first(length), false, length, false});
        }
        reset();
        p = lf + 1;
    }
    if (p == end)
        return;

    // The complete lines of the rest of the chunk, up to its last LF.
    const char *lastLf = end;
    while (lastLf > p && lastLf[-1] != '\n')
        --lastLf;
    if (lastLf > p)
        emitArenaLines(p, lastLf - p, out);
    if (lastLf < end)
        appendPartial(lastLf, end - lastLf, out);
}

void LineFramer::appendPartial(const char *bytes, qsizetype size, QList<FramedLine> &out)
{
    m_hasPartial = true;
    if (m_skipping || size == 0)
        return;
    const qsizetype length = m_line.size() + size;
    const bool lastIsCr = bytes[size - 1] == '\r';
    // Up to maxLineBytes content bytes, plus a final CR that may still turn out to be a CRLF.
    if (length <= m_maxLineBytes || (length == m_maxLineBytes + 1 && lastIsCr)) {
        m_line.append(bytes, size);
        return;
    }
    // Certainly too long now: report it with what arrived, skip the rest.
    const qsizetype need = std::min(ExcerptBytes, m_maxLineBytes + 1);
    if (m_line.size() < need)
        m_line.append(bytes, std::min(size, need - m_line.size()));
    emitTooLong(m_line, out);
    m_skipping = true;
    m_line = QByteArray();
}

void LineFramer::finish(QList<FramedLine> &out)
{
    if (m_hasPartial && !m_skipping && !m_line.isEmpty()) {
        // No LF follows, so a trailing CR is content.
        if (m_line.size() > m_maxLineBytes)
            emitTooLong(m_line, out);
        else
            out.emplaceBack(FramedLine{m_line, false, m_line.size(), false});
    }
    reset();
}

void LineFramer::reset()
{
    if (m_line.capacity() > 64 * 1024)
        m_line = QByteArray();
    else
        m_line.resize(0);
    m_hasPartial = false;
    m_skipping = false;
}
