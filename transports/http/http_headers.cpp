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

bool isSecret(QByteArrayView name, const QList<QByteArray> &userSecrets)
{
    if (isSensitive(name))
        return true;
    for (const QByteArray &secret : userSecrets)
        if (secret.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    const QString scheme = a.scheme().toLower();
    if (scheme != b.scheme().toLower())
        return false;
    if (a.host().compare(b.host(), Qt::CaseInsensitive) != 0)
        return false;
    const int defaultPort = (scheme == QLatin1String("https") || scheme == QLatin1String("wss")) ? 443 : 80;
    return a.port(defaultPort) == b.port(defaultPort);
}

QList<QPair<QByteArray, QByteArray>> withoutCredentials(const QList<QPair<QByteArray, QByteArray>> &headers,
                                                         const QList<QByteArray> &userSecrets)
{
    QList<QPair<QByteArray, QByteArray>> out;
    for (const auto &header : headers)
        if (!isSecret(header.first, userSecrets))
            out.append(header);
    return out;
}

QByteArray forLog(QByteArrayView name, QByteArrayView value)
{
    return name.toByteArray() + ": "
        + (isSensitive(name) ? QByteArrayLiteral("<redacted>") : value.toByteArray());
}

QByteArray forLog(const QList<QPair<QByteArray, QByteArray>> &headers,
                  const QList<QByteArray> &userSecrets)
{
    QByteArray out;
    for (const auto &header : headers) {
        if (!out.isEmpty())
            out += "; ";
        out += isSecret(header.first, userSecrets) ? header.first + ": <redacted>"
                                                   : forLog(header.first, header.second);
    }
    return out;
}

} // namespace HttpHeaders
