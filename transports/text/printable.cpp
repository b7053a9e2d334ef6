#include "printable.h"

#include "utf8.h"

namespace {

bool isUnsafe(char16_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E)
           || (c >= 0x2066 && c <= 0x2069);
}

} // namespace

namespace Printable {

bool needsEscaping(QStringView text)
{
    for (const QChar c : text)
        if (isUnsafe(c.unicode()))
            return true;
    return false;
}

QString escaped(QStringView text)
{
    if (!needsEscaping(text))
        return text.toString();
    static constexpr char Hex[] = "0123456789abcdef";
    QString out;
    out.reserve(text.size() + 16);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!isUnsafe(u)) {
            out.append(c);
        } else if (u < 0x80) {
            out.append(QLatin1String("\\x"));
            out.append(QLatin1Char(Hex[u >> 4]));
            out.append(QLatin1Char(Hex[u & 0xF]));
        } else {
            out.append(QLatin1String("\\u{"));
            out.append(QString::number(u, 16));
            out.append(QLatin1Char('}'));
        }
    }
    return out;
}

QString fromWire(QByteArrayView utf8)
{
    return escaped(QString::fromUtf8(Utf8::sanitized(utf8)));
}

} // namespace Printable
