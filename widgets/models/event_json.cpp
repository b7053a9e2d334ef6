#include "event_json.h"

#include "utf8.h"

#include <QDateTime>

namespace {

void appendEscaped(QByteArrayView text, QByteArray &out)
{
    static constexpr char Hex[] = "0123456789abcdef";
    const char *p = text.data();
    const char *end = p + text.size();
    const char *run = p;
    for (; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        case '\b': out.append("\\b", 2); break;
        case '\f': out.append("\\f", 2); break;
        default: {
            const char escape[6] = {'\\', 'u', '0', '0', Hex[c >> 4], Hex[c & 0xF]};
            out.append(escape, 6);
        }
        }
    }
    out.append(run, end - run);
}

} // namespace

void appendJsonString(QByteArrayView text, QByteArray &out)
{
    out.append('"');
    if (Utf8::isValid(text))
        appendEscaped(text, out);
    else
        appendEscaped(Utf8::sanitized(text), out);
    out.append('"');
}

QByteArray rfc3339Ms(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

void appendEventJson(const StreamEvent &event, QByteArray &out)
{
    out.append("{\"source\":");
    appendJsonString(event.source.toUtf8(), out);
    out.append(",\"seq\":");
    out.append(QByteArray::number(event.seq));
    out.append(",\"type\":");
    appendJsonString(event.type, out);
    out.append(",\"id\":");
    appendJsonString(event.id, out);
    out.append(",\"data\":");
    if (event.type == "binary")
        appendJsonString(event.payload.toBase64(), out);
    else
        appendJsonString(event.payload, out);
    out.append(",\"ts\":\"");
    out.append(rfc3339Ms(event.receivedMs));
    out.append("\"}\n");
}
