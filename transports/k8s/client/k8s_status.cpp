#include "k8s_status.h"

#include "printable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

std::optional<K8sStatus> K8sStatus::parse(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("kind")).toString() != u"Status")
        return std::nullopt;
    K8sStatus s;
    s.code = o.value(QLatin1String("code")).toInt();
    s.status = Printable::escaped(o.value(QLatin1String("status")).toString());
    s.reason = Printable::escaped(o.value(QLatin1String("reason")).toString());
    s.message = Printable::escaped(o.value(QLatin1String("message")).toString());
    const QJsonObject details = o.value(QLatin1String("details")).toObject();
    s.detailsKind = Printable::escaped(details.value(QLatin1String("kind")).toString());
    s.detailsName = Printable::escaped(details.value(QLatin1String("name")).toString());
    s.detailsGroup = Printable::escaped(details.value(QLatin1String("group")).toString());
    s.retryAfterSeconds = details.value(QLatin1String("retryAfterSeconds")).toInt();
    for (const QJsonValue &cause : details.value(QLatin1String("causes")).toArray())
        s.causeReasons << Printable::escaped(cause.toObject().value(QLatin1String("reason")).toString());
    return s;
}

namespace {

K8sError::Kind kindFor(int status)
{
    switch (status) {
    case 400: return K8sError::Kind::BadRequest;
    case 401: return K8sError::Kind::Unauthorized;
    case 403: return K8sError::Kind::Forbidden;
    case 404: return K8sError::Kind::NotFound;
    case 410: return K8sError::Kind::Gone;
    case 429: return K8sError::Kind::TooManyRequests;
    default: return K8sError::Kind::Server;
    }
}

} // namespace

K8sError K8sStatus::errorFor(int status, const QString &reasonPhrase, const QByteArray &body,
                             const QString &verb, const QString &path)
{
    K8sError error;
    error.kind = kindFor(status);
    error.httpStatus = status;
    const std::optional<K8sStatus> parsed = parse(body);
    QString detail;
    if (parsed) {
        error.reason = parsed->reason;
        error.statusMessage = parsed->message;
        error.retryAfterSeconds = parsed->retryAfterSeconds;
        if (parsed->causeReasons.contains(QLatin1String("ResourceVersionTooLarge")))
            error.reason = QStringLiteral("ResourceVersionTooLarge");
        detail = parsed->message;
    } else if (!body.trimmed().isEmpty()) {
        detail = Printable::fromWire(body.left(300).trimmed());
    }
    const QString head = QStringLiteral("HTTP %1%2").arg(status).arg(reasonPhrase.isEmpty() ? QString() : u' ' + reasonPhrase);
    const QString what = QStringLiteral("%1 %2").arg(verb, Printable::escaped(path));
    switch (error.kind) {
    case K8sError::Kind::Unauthorized:
        error.message = QStringLiteral("%1 for %2: the credential was rejected or has expired%3")
                            .arg(head, what, detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail));
        error.retryable = false;
        break;
    case K8sError::Kind::Forbidden:
        // The Status message names user, verb and resource: 'pods is forbidden: User "x" cannot list ...'.
        error.message = QStringLiteral("%1: %2").arg(head, detail.isEmpty() ? QStringLiteral("forbidden: %1").arg(what) : detail);
        error.retryable = false;
        break;
    case K8sError::Kind::NotFound:
        error.message = QStringLiteral("%1: %2").arg(head, detail.isEmpty() ? what : detail);
        error.retryable = false;
        break;
    case K8sError::Kind::TooManyRequests:
        error.message = QStringLiteral("%1: the API server asks to slow down%2")
                            .arg(head, detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail));
        break;
    case K8sError::Kind::BadRequest:
        error.message = QStringLiteral("%1 for %2: %3").arg(head, what, detail.isEmpty() ? QStringLiteral("bad request") : detail);
        break;
    default:
        error.message = QStringLiteral("%1 for %2%3").arg(head, what, detail.isEmpty() ? QString() : QStringLiteral(": %1").arg(detail));
    }
    return error;
}

QString K8sError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Config: return QStringLiteral("config");
    case Kind::Credentials: return QStringLiteral("credentials");
    case Kind::Network: return QStringLiteral("network");
    case Kind::Tls: return QStringLiteral("tls");
    case Kind::Unauthorized: return QStringLiteral("unauthorized");
    case Kind::Forbidden: return QStringLiteral("forbidden");
    case Kind::NotFound: return QStringLiteral("not found");
    case Kind::Gone: return QStringLiteral("gone");
    case Kind::TooManyRequests: return QStringLiteral("too many requests");
    case Kind::BadRequest: return QStringLiteral("bad request");
    case Kind::Server: return QStringLiteral("server");
    case Kind::Decode: return QStringLiteral("decode");
    }
    return {};
}
