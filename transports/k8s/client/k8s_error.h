#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

/// Why a Kubernetes request failed, in words a person can act on (which server, which name, which
/// CA, which verb on which resource). Never holds a token, key or certificate. Plain value type.
struct K8sError
{
    enum class Kind : quint8 {
        Config,         ///< the kubeconfig cannot work (unknown context, bad file, CA + insecure)
        Credentials,    ///< exec plugin failed, token file unreadable, auth-provider unsupported
        Network,        ///< unreachable server, connection refused, dropped stream
        Tls,            ///< certificate mismatch or untrusted CA
        Unauthorized,   ///< 401: credential expired or rejected
        Forbidden,      ///< 403: RBAC said no (message names verb and resource)
        NotFound,       ///< 404
        Gone,           ///< 410 Expired / Gone: the resourceVersion is too old, relist
        TooManyRequests,///< 429 (retryAfterSeconds from Retry-After)
        BadRequest,     ///< 400 (e.g. container not started yet, needs a container name)
        Server,         ///< 5xx and any other refused status
        Decode,         ///< the server sent something that is not what the API promises
    };

    Kind kind = Kind::Network;
    QString message;           ///< one line, escaped, specific
    int httpStatus = 0;
    QString reason;            ///< Status.reason ("Expired", "Forbidden", "BadRequest", ...)
    QString statusMessage;     ///< Status.message as the server wrote it (escaped)
    int retryAfterSeconds = 0; ///< Retry-After header or Status.details.retryAfterSeconds
    bool retryable = true;     ///< whether trying again later can help

    static QString kindName(Kind kind);
};

Q_DECLARE_METATYPE(K8sError)
