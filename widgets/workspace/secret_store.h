#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

/// Where dashboard secrets (secret header values) live instead of the dashboard file.
/// Keys are "<dashboard file path>#<source name>#<header>". Synchronous by design: reading
/// happens while a dashboard opens, before any source is added.
class SecretStore
{
public:
    virtual ~SecretStore();
    /// False when the value could not be stored (no keyring); the caller then records "prompt".
    virtual bool write(const QString &key, const QByteArray &value) = 0;
    /// std::nullopt when there is no value or no keyring.
    virtual std::optional<QByteArray> read(const QString &key) = 0;

    static QString keyFor(const QString &dashboardPath, const QString &sourceName, const QByteArray &header);
};

/// The system keyring through QtKeychain (service "livedash"). Each call runs the QtKeychain job
/// in a local event loop, bounded by TimeoutMs, so a keyring that never answers cannot hang the
/// window. With no keyring at all (no D-Bus secret service) every call fails quickly.
class KeychainSecretStore : public SecretStore
{
public:
    static constexpr int TimeoutMs = 5'000;
    bool write(const QString &key, const QByteArray &value) override;
    std::optional<QByteArray> read(const QString &key) override;
};

/// In memory, for tests (and a stand-in when the keyring is not wanted).
class MemorySecretStore : public SecretStore
{
public:
    bool write(const QString &key, const QByteArray &value) override;
    std::optional<QByteArray> read(const QString &key) override;
    /// Refuse every write (a machine without keyring).
    void setAvailable(bool available) { m_available = available; }
    QHash<QString, QByteArray> values() const { return m_values; }

private:
    QHash<QString, QByteArray> m_values;
    bool m_available = true;
};
