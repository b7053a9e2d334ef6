#include "source_name.h"

#include <QUrl>

QString shortSourceName(const QString &sourceId)
{
    const QUrl url(sourceId, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return sourceId;
    QString out = url.host();
    if (url.port() != -1)
        out += QLatin1Char(':') + QString::number(url.port());
    const QString path = url.path();
    if (path != QLatin1String("/"))
        out += path;
    return out;
}
