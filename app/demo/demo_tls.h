#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QString>

#include <optional>

/// The demo's TLS identity: a fresh self-signed ECDSA P-256 certificate for 127.0.0.1 (valid 30
/// days), made at start-up with Debian's openssl(1) into a private directory, so the demo's fake
/// Kubernetes API can be served over HTTPS. kubectl (client-go) never sends a bearer token to an
/// http:// server, so without TLS the real kubectl could not use the demo's kubeconfig.
/// The key never leaves `directory` (the caller's private temporary directory, mode 0700).
struct DemoTls
{
    QSslConfiguration serverConfiguration; ///< local certificate + private key, for listenTls()
    QByteArray certificatePem;             ///< what clients trust (the kubeconfig's CA)

    /// nullopt with *error when openssl is missing or fails; the demo then stays on plain HTTP.
    static std::optional<DemoTls> create(const QString &directory, QString *error);
};
