#include "asciicast_writer.h"

#include "utf8.h"

#include <cmath>

namespace {

constexpr char HexDigits[] = "0123456789abcdef";

void appendEscaped(QByteArray &out, QByteArrayView valid)
{
    out.reserve(out.size() + valid.size() + 2);
    out.append('"');
    for (const char ch : valid) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                out.append("\\u00");
                out.append(HexDigits[c >> 4]);
                out.append(HexDigits[c & 0xf]);
            } else {
                out.append(ch);
            }
        }
    }
    out.append('"');
}

QByteArray utf8Of(const QString &text) { return text.toUtf8(); }

} // namespace

QByteArray AsciicastWriter::jsonString(QByteArrayView utf8)
{
    QByteArray out;
    appendEscaped(out, Utf8::sanitized(utf8));
    return out;
}

QByteArray AsciicastWriter::formatTime(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        seconds = 0;
    return QByteArray::number(seconds, 'f', 6);
}

QByteArray AsciicastWriter::headerLine(const AsciicastHeader &header)
{
    QByteArray line = "{\"version\":2,\"width\":" + QByteArray::number(header.width)
                      + ",\"height\":" + QByteArray::number(header.height);
    if (header.timestamp)
        line += ",\"timestamp\":" + QByteArray::number(*header.timestamp);
    if (header.idleTimeLimit && std::isfinite(*header.idleTimeLimit))
        line += ",\"idle_time_limit\":" + QByteArray::number(*header.idleTimeLimit, 'g', 10);
    if (!header.title.isEmpty()) {
        line += ",\"title\":";
        appendEscaped(line, utf8Of(header.title));
    }
    if (!header.env.isEmpty()) {
        line += ",\"env\":{";
        bool first = true;
        for (const auto &[name, value] : header.env) {
            if (!first)
                line += ',';
            first = false;
            appendEscaped(line, utf8Of(name));
            line += ':';
            appendEscaped(line, utf8Of(value));
        }
        line += '}';
    }
    line += "}\n";
    return line;
}

QByteArray AsciicastWriter::eventLine(double time, char code, QByteArrayView validUtf8)
{
    QByteArray line;
    line.reserve(validUtf8.size() + 32);
    line += '[';
    line += formatTime(time);
    line += ",\"";
    line += code;
    line += "\",";
    appendEscaped(line, validUtf8);
    line += "]\n";
    return line;
}

QByteArray AsciicastWriter::takeComplete(QByteArray &carry, QByteArrayView bytes)
{
    QByteArray all;
    if (carry.isEmpty()) {
        all = bytes.toByteArray();
    } else {
        all = carry + bytes;
        carry.clear();
    }
    const qsizetype tail = Utf8::incompleteTail(all);
    if (tail > 0) {
        carry = all.right(tail);
        all.chop(tail);
    }
    return Utf8::sanitized(all);
}

QByteArray AsciicastWriter::outputLine(double time, QByteArrayView bytes)
{
    const QByteArray text = takeComplete(m_outputCarry, bytes);
    return text.isEmpty() ? QByteArray() : eventLine(time, 'o', text);
}

QByteArray AsciicastWriter::inputLine(double time, QByteArrayView bytes)
{
    const QByteArray text = takeComplete(m_inputCarry, bytes);
    return text.isEmpty() ? QByteArray() : eventLine(time, 'i', text);
}

QByteArray AsciicastWriter::resizeLine(double time, int columns, int rows)
{
    const QByteArray size = QByteArray::number(columns) + 'x' + QByteArray::number(rows);
    return eventLine(time, 'r', size);
}

QByteArray AsciicastWriter::markerLine(double time, QByteArrayView label)
{
    return eventLine(time, 'm', Utf8::sanitized(label));
}

QByteArray AsciicastWriter::flushPending(double time)
{
    QByteArray lines;
    if (!m_outputCarry.isEmpty())
        lines += eventLine(time, 'o', Utf8::sanitized(std::exchange(m_outputCarry, {})));
    if (!m_inputCarry.isEmpty())
        lines += eventLine(time, 'i', Utf8::sanitized(std::exchange(m_inputCarry, {})));
    return lines;
}
