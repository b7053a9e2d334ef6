#include "http_request.h"

#include <QUrl>

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &entry : headers) {
        if (name.compare(entry.first, Qt::CaseInsensitive) == 0)
            return entry.second;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &entry : headers) {
        if (name.compare(entry.first, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool HttpRequest::setTarget(const QByteArray &rawTarget)
{
    target = rawTarget;
    QByteArray originForm = rawTarget;
    if (!originForm.startsWith('/')) {
        const QUrl absolute = QUrl::fromEncoded(rawTarget, QUrl::StrictMode);
        if (!absolute.isValid() || absolute.scheme().isEmpty() || absolute.host().isEmpty())
            return false;
        originForm = absolute.path(QUrl::FullyEncoded).toLatin1();
        if (originForm.isEmpty())
            originForm = "/";
        if (absolute.hasQuery())
            originForm += '?' + absolute.query(QUrl::FullyEncoded).toLatin1();
    }
    const qsizetype queryStart = originForm.indexOf('?');
    const QByteArray rawPath = queryStart < 0 ? originForm : originForm.left(queryStart);
    path = QUrl::fromPercentEncoding(rawPath);
    query = queryStart < 0 ? QUrlQuery() : QUrlQuery(QString::fromLatin1(originForm.mid(queryStart + 1)));
    return true;
}
