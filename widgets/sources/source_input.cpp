#include "source_input.h"

#include "transport.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QUrl>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SourceInput", text);
}

bool isHttpScheme(const QString &scheme)
{
    return scheme == QLatin1String("http") || scheme == QLatin1String("https");
}

} // namespace

namespace SourceInput {

bool isWebSocketScheme(const QString &scheme)
{
    return scheme.compare(QLatin1String("ws"), Qt::CaseInsensitive) == 0
        || scheme.compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0;
}

bool isTlsScheme(const QString &scheme)
{
    return scheme.compare(QLatin1String("https"), Qt::CaseInsensitive) == 0
        || scheme.compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0;
}

void fillTransportBox(QComboBox *box, const TransportRegistry *registry)
{
    box->clear();
    box->addItem(tr("auto"), QString());
    box->setItemData(0, tr("ws:// and wss:// use WebSocket; for http(s):// the response "
                           "Content-Type decides"), Qt::ToolTipRole);
    QStringList ids = {QStringLiteral("sse"), QStringLiteral("lines"), QStringLiteral("ndjson"),
                       QStringLiteral("websocket")};
    for (const QString &id : registry->ids())
        if (!ids.contains(id) && id != QLatin1String("http"))
            ids.append(id);
    for (const QString &id : std::as_const(ids)) {
        if (!registry->contains(id))
            continue;
        box->addItem(id, id);
        box->setItemData(box->count() - 1, registry->description(id), Qt::ToolTipRole);
    }
}

void selectTransport(QComboBox *box, const QString &transportId)
{
    const QString id = transportId == QLatin1String("http") ? QString() : transportId;
    const int index = box->findData(id);
    box->setCurrentIndex(index >= 0 ? index : 0);
}

bool parseUrl(const QString &input, const QString &transportId, QUrl *url, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty()) {
        *error = tr("Enter a URL such as http://localhost:8080/events or ws://localhost:8080/ws");
        return false;
    }
    const QUrl parsed(text, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (!parsed.isValid() || parsed.host().isEmpty() || !(isHttpScheme(scheme) || isWebSocketScheme(scheme))) {
        *error = tr("\"%1\" is not an http://, https://, ws:// or wss:// URL").arg(text);
        return false;
    }
    if (transportId == QLatin1String("websocket") && !isWebSocketScheme(scheme)) {
        *error = tr("The websocket transport needs a ws:// or wss:// URL");
        return false;
    }
    if ((transportId == QLatin1String("sse") || transportId == QLatin1String("lines")
         || transportId == QLatin1String("ndjson"))
        && !isHttpScheme(scheme)) {
        *error = tr("The %1 transport needs an http:// or https:// URL").arg(transportId);
        return false;
    }
    *url = parsed;
    return true;
}

} // namespace SourceInput
