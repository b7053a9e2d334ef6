#include "demo_tls.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QStandardPaths>

std::optional<DemoTls> DemoTls::create(const QString &directory, QString *error)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *error = QStringLiteral("openssl is not installed (Debian package openssl)");
        return std::nullopt;
    }
    const QDir dir(directory);
    const QString keyPath = dir.filePath(QStringLiteral("demo-tls.key"));
    const QString certPath = dir.filePath(QStringLiteral("demo-tls.crt"));
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                            QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"), certPath,
                            QStringLiteral("-days"), QStringLiteral("30"),
                            QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1/O=LiveDash demo"),
                            QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
                            QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE,pathlen:0"),
                            QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,digitalSignature,keyCertSign"),
                            QStringLiteral("-addext"), QStringLiteral("extendedKeyUsage=serverAuth")});
    if (!process.waitForFinished(20'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("openssl could not make a certificate: %1")
                     .arg(QString::fromLocal8Bit(process.readAll().right(500)).trimmed());
        return std::nullopt;
    }
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the certificate openssl made in %1").arg(directory);
        return std::nullopt;
    }
    DemoTls tls;
    tls.certificatePem = certFile.readAll();
    const QSslCertificate certificate(tls.certificatePem, QSsl::Pem);
    const QSslKey key(keyFile.readAll(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (certificate.isNull() || key.isNull()) {
        *error = QStringLiteral("openssl's certificate or key could not be loaded");
        return std::nullopt;
    }
    tls.serverConfiguration = QSslConfiguration::defaultConfiguration();
    tls.serverConfiguration.setLocalCertificate(certificate);
    tls.serverConfiguration.setPrivateKey(key);
    return tls;
}
