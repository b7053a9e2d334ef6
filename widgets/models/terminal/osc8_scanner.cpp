#include "osc8_scanner.h"

#include <cstring>

namespace {
constexpr char Introducer[] = "\x1b]8;";
constexpr qsizetype IntroducerSize = 4;

void emitBytes(const char *from, const char *to, QList<Osc8Piece> &out)
{
    if (to > from)
        out.append(Osc8Piece{QByteArrayView(from, to - from), false, {}});
}
} // namespace

void Osc8Scanner::reset()
{
    m_prefix.clear();
    m_joined.clear();
    m_owned.clear();
    m_body.clear();
    m_inBody = false;
    m_escInBody = false;
    m_overflow = false;
}

void Osc8Scanner::finishBody(QList<Osc8Piece> &out)
{
    m_inBody = false;
    m_escInBody = false;
    if (m_overflow) {
        m_overflow = false;
        m_body.clear();
        return;
    }
    const qsizetype semicolon = m_body.indexOf(';');
    if (semicolon >= 0)
        out.append(Osc8Piece{{}, true, m_body.mid(semicolon + 1)});
    m_body.clear();
}

void Osc8Scanner::feed(QByteArrayView chunk, QList<Osc8Piece> &out)
{
    m_owned.clear();
    if (!m_prefix.isEmpty()) {
        m_joined = m_prefix;
        m_joined.append(chunk.data(), chunk.size());
        m_prefix.clear();
        chunk = QByteArrayView(m_joined);
    }
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    const char *run = p;
    while (p < end) {
        if (m_inBody) {
            for (; p < end; ++p) {
                const char c = *p;
                if (m_escInBody) {
                    if (c == '\\') {
                        ++p;
                        finishBody(out);
                        break;
                    }
                    // Abandoned: pass ESC and this byte on to the emulator.
                    m_body.clear();
                    m_inBody = m_escInBody = m_overflow = false;
                    m_owned.append(QByteArray("\x1b", 1) + c);
                    out.append(Osc8Piece{QByteArrayView(m_owned.last()), false, {}});
                    ++p;
                    break;
                }
                if (c == '\x07') {
                    ++p;
                    finishBody(out);
                    break;
                }
                if (c == '\x1b') {
                    m_escInBody = true;
                    continue;
                }
                if (m_body.size() < MaxBody)
                    m_body.append(c);
                else
                    m_overflow = true;
            }
            run = p;
            continue;
        }
        const char *esc = static_cast<const char *>(std::memchr(p, 0x1b, size_t(end - p)));
        if (!esc)
            break;
        const qsizetype avail = end - esc;
        if (avail < IntroducerSize) {
            if (std::memcmp(esc, Introducer, size_t(avail)) == 0) {
                emitBytes(run, esc, out);
                m_prefix = QByteArray(esc, avail);
                return;
            }
            p = esc + 1;
            continue;
        }
        if (std::memcmp(esc, Introducer, IntroducerSize) == 0) {
            emitBytes(run, esc, out);
            m_inBody = true;
            m_body.clear();
            p = esc + IntroducerSize;
            run = p;
            continue;
        }
        p = esc + 1;
    }
    if (!m_inBody)
        emitBytes(run, end, out);
}
