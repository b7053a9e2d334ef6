#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

class QNetworkAccessManager;
class QUrl;

/// Hands out QNetworkAccessManagers for long-lived streams so that no manager carries more than
/// `streamsPerManager` of them to one host:port.
///
/// Why: Qt 6.4 opens at most 6 HTTP/1.1 connections per host:port per QNetworkAccessManager and
/// silently queues further requests (QHttp1Configuration, settable only from Qt 6.5). A stream
/// pins its connection for its whole life, so the seventh follow to one server would never
/// start. Spreading streams over several managers keeps every one of them flowing and leaves
/// each manager two connections for ordinary requests. Over HTTP/2 streams multiplex on one
/// connection anyway; the pool is harmless there.
///
/// Threading: a pool and its managers belong to one thread. forCurrentThread() returns the
/// thread's shared pool; it lives as long as somebody holds the shared_ptr (each HTTP transport
/// holds one), so managers are destroyed before the application object.
class NetworkPool : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultStreamsPerManager = 4;

    explicit NetworkPool(int streamsPerManager = DefaultStreamsPerManager,
                         QObject *parent = nullptr);
    ~NetworkPool() override;

    /// The shared pool of the calling thread (created on first use).
    static std::shared_ptr<NetworkPool> forCurrentThread();

    /// A manager with room for one more stream to url's scheme://host:port; counts the stream.
    /// The pool keeps ownership of the manager.
    QNetworkAccessManager *acquire(const QUrl &url);
    /// Gives back a stream taken with acquire() for the same url. Unknown pairs are ignored.
    void release(QNetworkAccessManager *manager, const QUrl &url);

    int streamsPerManager() const { return m_streamsPerManager; }
    int managerCount() const { return int(m_managers.size()); }
    /// Streams currently counted against `manager` for url's host:port.
    int streamCount(QNetworkAccessManager *manager, const QUrl &url) const;

    static QString hostKey(const QUrl &url);

private:
    struct Slot
    {
        std::unique_ptr<QNetworkAccessManager> manager;
        QHash<QString, int> streamsByHost;
    };

    int m_streamsPerManager;
    std::vector<Slot> m_managers;
};
