#include "redaction.h"

#include <QUrlQuery>

bool isSensitiveQueryName(QStringView name)
{
    const QString lower = name.toString().toLower();
    static const QStringList Exact = {QStringLiteral("key"), QStringLiteral("sig"), QStringLiteral("auth"),
                                      QStringLiteral("code"), QStringLiteral("pass"), QStringLiteral("pwd")};
    if (Exact.contains(lower))
        return true;
    static const QStringList Parts = {QStringLiteral("token"), QStringLiteral("secret"), QStringLiteral("password"),
                                      QStringLiteral("api_key"), QStringLiteral("apikey"), QStringLiteral("api-key"),
                                      QStringLiteral("signature"), QStringLiteral("session"),
                                      QStringLiteral("credential"), QStringLiteral("authorization")};
    for (const QString &part : Parts)
        if (lower.contains(part))
            return true;
    return false;
}

QString redactedUrl(const QUrl &url)
{
    if (!url.hasQuery())
        return url.toString(QUrl::RemovePassword);
    QUrlQuery query(url);
    QList<QPair<QString, QString>> items = query.queryItems(QUrl::PrettyDecoded);
    bool changed = false;
    for (auto &item : items) {
        if (isSensitiveQueryName(item.first) && !item.second.isEmpty()) {
            item.second = QStringLiteral("***");
            changed = true;
        }
    }
    if (!changed)
        return url.toString(QUrl::RemovePassword);
    QUrl copy(url);
    QUrlQuery redacted;
    redacted.setQueryItems(items);
    copy.setQuery(redacted);
    return copy.toString(QUrl::RemovePassword);
}
