#include "source_name.h"

#include "redaction.h"

#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

namespace {

constexpr int MaxLabelPartChars = 24;

QString shortUrlName(const QString &id)
{
    const QUrl url(id, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return QString();
    QString out = url.host();
    if (url.port() != -1)
        out += QLatin1Char(':') + QString::number(url.port());
    const QString path = url.path();
    if (path != QLatin1String("/"))
        out += path;
    return out;
}

QList<QPair<QByteArray, QByteArray>> normalisedHeaders(const TransportConfig &config)
{
    QList<QPair<QByteArray, QByteArray>> out;
    out.reserve(config.headers.size());
    for (const auto &header : config.headers)
        out.append({header.first.toLower(), header.second});
    std::sort(out.begin(), out.end());
    return out;
}

QString elidedPart(const QString &part)
{
    if (part.size() <= MaxLabelPartChars)
        return part;
    return part.left(MaxLabelPartChars - 1) + QChar(0x2026);
}

/// What tells `config` apart from each of `clashing` at a glance: the scheme, a query item the
/// other lacks, or the transport. `*needsNumber` is set when, for one of them, nothing visible
/// differs (a secret value, headers, the body): then only a number can tell them apart.
QStringList differingParts(const TransportConfig &config, const QString &transportId,
                           const QList<const NamedSource *> &clashing, bool *needsNumber)
{
    QStringList parts;
    auto add = [&parts](const QString &part) {
        if (!parts.contains(part))
            parts.append(part);
    };
    *needsNumber = false;
    const QString scheme = config.url.scheme().toLower();
    const QList<QPair<QString, QString>> items = QUrlQuery(config.url).queryItems(QUrl::PrettyDecoded);
    for (const NamedSource *other : clashing) {
        if (other->config.url.scheme().toLower() != scheme) {
            add(scheme);
            continue;
        }
        const QUrlQuery otherQuery(other->config.url);
        const QList<QPair<QString, QString>> otherItems = otherQuery.queryItems(QUrl::PrettyDecoded);
        bool found = false;
        QString secretHint;
        for (const auto &item : items) {
            if (otherItems.contains(item))
                continue;
            if (!isSensitiveQueryName(item.first)) {
                add(elidedPart(item.first + QLatin1Char('=') + item.second));
                found = true;
                break;
            }
            // A secret: its name shows, its value never does.
            if (!otherQuery.hasQueryItem(item.first)) {
                add(elidedPart(item.first) + QStringLiteral("=***"));
                found = true;
                break;
            }
            if (secretHint.isEmpty())
                secretHint = elidedPart(item.first) + QStringLiteral("=***");
        }
        if (found)
            continue;
        if (other->transportId != transportId) {
            add(transportDisplayName(transportId));
            continue;
        }
        if (!secretHint.isEmpty())
            add(secretHint);
        *needsNumber = true;
    }
    return parts;
}

} // namespace

QString shortSourceName(const QString &sourceId)
{
    // "<url> (label)": the label made by uniqueSourceName() stays.
    if (sourceId.endsWith(QLatin1Char(')'))) {
        const qsizetype open = sourceId.lastIndexOf(QStringLiteral(" ("));
        if (open > 0) {
            const QString url = shortUrlName(sourceId.left(open));
            if (!url.isEmpty())
                return url + sourceId.mid(open);
        }
    }
    const QString url = shortUrlName(sourceId);
    return url.isEmpty() ? sourceId : url;
}

QString transportDisplayName(const QString &transportId)
{
    if (transportId.isEmpty() || transportId == QLatin1String("http"))
        return QStringLiteral("auto");
    return transportId;
}

bool isSameSource(const TransportConfig &a, const QString &aTransportId,
                  const TransportConfig &b, const QString &bTransportId)
{
    return a.url == b.url && aTransportId == bTransportId && a.body == b.body
        && normalisedHeaders(a) == normalisedHeaders(b);
}

bool isSourceNameTaken(const QString &name, const QList<NamedSource> &others)
{
    const QString shortName = shortSourceName(name);
    return std::any_of(others.cbegin(), others.cend(), [&](const NamedSource &other) {
        return other.name == name || shortSourceName(other.name) == shortName;
    });
}

QString uniqueSourceName(const TransportConfig &config, const QString &transportId,
                         const QList<NamedSource> &others)
{
    const QString base = redactedUrl(config.url);
    if (!isSourceNameTaken(base, others))
        return base;

    // The sources this one would be confused with: those that look like it now. Sources with a
    // label of their own already look different.
    const QString shortBase = shortSourceName(base);
    QList<const NamedSource *> clashing;
    for (const NamedSource &other : others)
        if (shortSourceName(other.name) == shortBase)
            clashing.append(&other);

    bool needsNumber = false;
    const QStringList parts = differingParts(config, transportId, clashing, &needsNumber);
    needsNumber = needsNumber || clashing.isEmpty(); // taken by a name that is no URL of ours
    const QString label = parts.join(QLatin1Char(' '));
    if (!label.isEmpty() && !needsNumber) {
        const QString candidate = base + QStringLiteral(" (") + label + QLatin1Char(')');
        if (!isSourceNameTaken(candidate, others))
            return candidate;
    }
    // Nothing visible tells them apart (headers, body, a secret value): number them.
    for (qsizetype n = 2;; ++n) {
        const QString candidate = base + QStringLiteral(" (") + label + QLatin1Char('#')
            + QString::number(n) + QLatin1Char(')');
        if (!isSourceNameTaken(candidate, others))
            return candidate;
    }
}
