#include "secret_store.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QTimer>

namespace {

const QString Service = QStringLiteral("livedash");

/// Runs `job` to completion (or TimeoutMs) in a local event loop; true when it succeeded.
bool runJob(QKeychain::Job *job)
{
    QEventLoop loop;
    bool done = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    QTimer::singleShot(KeychainSecretStore::TimeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!done)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return done && job->error() == QKeychain::NoError;
}

} // namespace

SecretStore::~SecretStore() = default;

QString SecretStore::keyFor(const QString &dashboardPath, const QString &sourceName, const QByteArray &header)
{
    return dashboardPath + QLatin1Char('#') + sourceName + QLatin1Char('#') + QString::fromLatin1(header);
}

bool KeychainSecretStore::write(const QString &key, const QByteArray &value)
{
    auto *job = new QKeychain::WritePasswordJob(Service);
    job->setAutoDelete(false);
    job->setKey(key);
    job->setBinaryData(value);
    const bool ok = runJob(job);
    job->deleteLater();
    return ok;
}

std::optional<QByteArray> KeychainSecretStore::read(const QString &key)
{
    auto *job = new QKeychain::ReadPasswordJob(Service);
    job->setAutoDelete(false);
    job->setKey(key);
    std::optional<QByteArray> value;
    if (runJob(job))
        value = job->binaryData();
    job->deleteLater();
    return value;
}

bool MemorySecretStore::write(const QString &key, const QByteArray &value)
{
    if (!m_available)
        return false;
    m_values.insert(key, value);
    return true;
}

std::optional<QByteArray> MemorySecretStore::read(const QString &key)
{
    const auto it = m_values.constFind(key);
    if (!m_available || it == m_values.constEnd())
        return std::nullopt;
    return *it;
}
