#pragma once

#include "k8s_error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

/// The API server's `Status` object (kind Status, apiVersion v1), which carries the reason of
/// every refused request and of in-stream watch ERROR events. Pure.
struct K8sStatus
{
    int code = 0;
    QString status;   ///< "Failure"
    QString reason;   ///< "Expired", "Forbidden", "NotFound", "BadRequest", "TooManyRequests", ...
    QString message;  ///< escaped (Printable)
    QString detailsKind, detailsName, detailsGroup;
    QStringList causeReasons;  ///< details.causes[].reason (e.g. "ResourceVersionTooLarge")
    int retryAfterSeconds = 0; ///< details.retryAfterSeconds

    /// nullopt unless `json` is a Status object.
    static std::optional<K8sStatus> parse(const QByteArray &json);

    /// The K8sError for a refused response: `status` is the HTTP status, `body` what arrived of
    /// the body (a Status or anything else), `verb`/`path` what was asked (for 403/404 texts).
    static K8sError errorFor(int status, const QString &reasonPhrase, const QByteArray &body,
                             const QString &verb, const QString &path);
};
