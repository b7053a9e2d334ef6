#include "line_framer.h"

#include <algorithm>
#include <cstring>

LineFramer::LineFramer(qsizetype maxLineBytes)
    : m_maxLineBytes(std::max<qsizetype>(maxLineBytes, 1))
{
}

void LineFramer::emitLine(const char *line, qsizetype size, QList<FramedLine> &out) const
{
    FramedLine &framed = out.emplaceBack();
    framed.length = size;
    if (size > m_maxLineBytes) {
        framed.tooLong = true;
        framed.text = QByteArray(line, std::min(size, ExcerptBytes));
    } else {
        framed.text = QByteArray(line, size);
    }
}

void LineFramer::feed(QByteArrayView chunk, QList<FramedLine> &out)
{
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (p == end)
        return;

    if (m_lineLength > 0) {
        const auto *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (lf == nullptr) {
            appendPartial(p, end - p);
            return;
        }
        appendPartial(p, lf - p);
        const qsizetype length = m_lineLength - (m_lastIsCr ? 1 : 0);
        if (m_overflow) {
            FramedLine &framed = out.emplaceBack();
            // The excerpt may end with the CR of this line's CRLF: that CR is not line content.
            framed.text = m_line.first(std::min(m_line.size(), length));
            framed.tooLong = true;
            framed.length = length;
        } else {
            emitLine(m_line.constData(), length, out);
        }
        reset();
        p = lf + 1;
    }

    while (p < end) {
        const auto *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (lf == nullptr) {
            appendPartial(p, end - p);
            break;
        }
        qsizetype size = lf - p;
        if (size > 0 && lf[-1] == '\r')
            --size;
        emitLine(p, size, out);
        p = lf + 1;
    }
}

void LineFramer::appendPartial(const char *bytes, qsizetype size)
{
    if (size == 0)
        return;
    m_lineLength += size;
    m_lastIsCr = bytes[size - 1] == '\r';
    if (m_overflow) {
        if (m_line.size() < ExcerptBytes)
            m_line.append(bytes, std::min(size, ExcerptBytes - m_line.size()));
        return;
    }
    if (m_lineLength <= m_maxLineBytes || (m_lineLength == m_maxLineBytes + 1 && m_lastIsCr)) {
        m_line.append(bytes, size);
        return;
    }
    m_overflow = true;
    QByteArray head = m_line.first(std::min(m_line.size(), ExcerptBytes));
    if (head.size() < ExcerptBytes)
        head.append(bytes, std::min(size, ExcerptBytes - head.size()));
    m_line = head;
}

void LineFramer::finish(QList<FramedLine> &out)
{
    if (m_lineLength > 0) {
        // No LF follows, so a trailing CR is content.
        FramedLine &framed = out.emplaceBack();
        framed.length = m_lineLength;
        framed.tooLong = m_overflow || m_lineLength > m_maxLineBytes;
        framed.text = framed.tooLong ? m_line.first(std::min(m_line.size(), ExcerptBytes)) : m_line;
    }
    reset();
}

void LineFramer::reset()
{
    if (m_line.capacity() > 64 * 1024)
        m_line = QByteArray();
    else
        m_line.resize(0);
    m_lineLength = 0;
    m_lastIsCr = false;
    m_overflow = false;
}
