#include "log_export.h"

#include "event_json.h"

#include <QCoreApplication>
#include <QSaveFile>

namespace {

QByteArray kindName(StreamEvent::Kind kind)
{
    switch (kind) {
    case StreamEvent::Kind::Data: return "data";
    case StreamEvent::Kind::Error: return "error";
    case StreamEvent::Kind::Gap: return "gap";
    case StreamEvent::Kind::Sent: return "sent";
    }
    return "data";
}

bool isPlainNumber(QByteArrayView text)
{
    bool ok = false;
    QByteArray(text.data(), text.size()).toDouble(&ok);
    return ok;
}

void appendField(QByteArrayView text, QByteArray &out)
{
    const bool formula = !text.isEmpty() && QByteArrayView("=+-@\t\r").contains(text.front()) && !isPlainNumber(text);
    bool quote = formula;
    for (const char c : text) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        out.append(text);
        return;
    }
    out.append('"');
    if (formula)
        out.append('\'');
    for (const char c : text) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

QByteArray utf8Text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toUtf8(); // invalid sequences become U+FFFD
}

} // namespace

namespace LogExport {

QByteArray csvHeader()
{
    return QByteArrayLiteral("time,source,direction,kind,type,id,seq,data,detail\n");
}

void appendCsvRow(const StreamEvent &event, QByteArray &out)
{
    out.append(rfc3339Ms(event.receivedMs));
    out.append(',');
    appendField(event.source.toUtf8(), out);
    out.append(',');
    out.append(event.kind == StreamEvent::Kind::Sent ? "sent" : "received");
    out.append(',');
    out.append(kindName(event.kind));
    out.append(',');
    appendField(utf8Text(event.type), out);
    out.append(',');
    appendField(utf8Text(event.id), out);
    out.append(',');
    out.append(QByteArray::number(event.seq));
    out.append(',');
    appendField(event.type == "binary" ? event.payload.toBase64() : utf8Text(event.payload), out);
    out.append(',');
    appendField(event.detail.toUtf8(), out);
    out.append('\n');
}

bool write(const QString &path, Format format, const QList<StreamEvent> &events, QString *error)
{
    QSaveFile file(path);
    auto fail = [&](const QString &why) {
        if (error)
            *error = QCoreApplication::translate("LogExport", "could not write %1: %2").arg(path, why);
        return false;
    };
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    QByteArray chunk;
    if (format == Format::Csv)
        chunk = csvHeader();
    for (const StreamEvent &event : events) {
        if (format == Format::Csv)
            appendCsvRow(event, chunk);
        else
            appendEventJson(event, chunk);
        if (chunk.size() >= 1 << 20) {
            if (file.write(chunk) != chunk.size())
                return fail(file.errorString());
            chunk.clear();
        }
    }
    if (file.write(chunk) != chunk.size() || !file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace LogExport
