#pragma once

#include <QString>
#include <QUrl>

/// The URL as it may be shown, printed or logged: the password of the user-info part is removed
/// and the values of query parameters that carry secrets (token, access_token, api_key, key,
/// secret, password, sig, signature, auth, session, ...) are replaced by "***". Everything else,
/// including the order of parameters, stays as given.
QString redactedUrl(const QUrl &url);

/// True for a query parameter name whose value is a secret.
bool isSensitiveQueryName(QStringView name);
