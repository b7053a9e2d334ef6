#include "network_pool.h"

#include <QNetworkAccessManager>
#include <QUrl>

#include <algorithm>

NetworkPool::NetworkPool(int streamsPerManager, QObject *parent)
    : QObject(parent)
    , m_streamsPerManager(std::max(1, streamsPerManager))
{
}

NetworkPool::~NetworkPool() = default;

std::shared_ptr<NetworkPool> NetworkPool::forCurrentThread()
{
    thread_local std::weak_ptr<NetworkPool> current;
    std::shared_ptr<NetworkPool> pool = current.lock();
    if (!pool) {
        pool = std::make_shared<NetworkPool>();
        current = pool;
    }
    return pool;
}

QString NetworkPool::hostKey(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    const int defaultPort = scheme == QLatin1String("https") ? 443 : 80;
    return scheme % QLatin1String("://") % url.host().toLower() % QLatin1Char(':')
        % QString::number(url.port(defaultPort));
}

QNetworkAccessManager *NetworkPool::acquire(const QUrl &url)
{
    const QString key = hostKey(url);
    for (Slot &slot : m_managers) {
        int &count = slot.streamsByHost[key];
        if (count < m_streamsPerManager) {
            ++count;
            return slot.manager.get();
        }
    }
    Slot slot;
    slot.manager = std::make_unique<QNetworkAccessManager>();
    slot.manager->setAutoDeleteReplies(false);
    slot.manager->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    slot.streamsByHost.insert(key, 1);
    m_managers.push_back(std::move(slot));
    return m_managers.back().manager.get();
}

void NetworkPool::release(QNetworkAccessManager *manager, const QUrl &url)
{
    const QString key = hostKey(url);
    for (Slot &slot : m_managers) {
        if (slot.manager.get() != manager)
            continue;
        auto it = slot.streamsByHost.find(key);
        if (it != slot.streamsByHost.end() && --it.value() <= 0)
            slot.streamsByHost.erase(it);
        return;
    }
}

int NetworkPool::streamCount(QNetworkAccessManager *manager, const QUrl &url) const
{
    for (const Slot &slot : m_managers)
        if (slot.manager.get() == manager)
            return slot.streamsByHost.value(hostKey(url));
    return 0;
}
