#include "http_headers.h"

namespace HttpHeaders {

QByteArray mimeEssence(QByteArrayView contentType)
{
    qsizetype end = contentType.indexOf(';');
    if (end < 0)
        end = contentType.size();
    return contentType.first(end).trimmed().toByteArray().toLower();
}

bool isSensitive(QByteArrayView name)
{
    const QByteArray lower = name.toByteArray().toLower();
    static constexpr const char *Exact[] = {"authorization", "proxy-authorization", "cookie",
                                            "set-cookie"};
    for (const char *exact : Exact)
        if (lower == exact)
            return true;
    static constexpr const char *Parts[] = {"token", "secret", "api-key", "apikey", "password",
                                            "session"};
    for (const char *part : Parts)
        if (lower.contains(part))
            return true;
    return false;
}

QByteArray forLog(QByteArrayView name, QByteArrayView value)
{
    return name.toByteArray() + ": "
        + (isSensitive(name) ? QByteArrayLiteral("<redacted>") : value.toByteArray());
}

QByteArray forLog(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray out;
    for (const auto &header : headers) {
        if (!out.isEmpty())
            out += "; ";
        out += forLog(header.first, header.second);
    }
    return out;
}

} // namespace HttpHeaders
