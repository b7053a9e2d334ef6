#include "list_watch_machine.h"

#include "printable.h"

#include <QRandomGenerator>

#include <algorithm>

namespace {

K8sError makeError(K8sError::Kind kind, const QString &message, bool retryable = true)
{
    K8sError error;
    error.kind = kind;
    error.message = message;
    error.retryable = retryable;
    return error;
}

} // namespace

ListWatchMachine::ListWatchMachine(bool streamingList, RandomSource random)
    : m_random(random ? std::move(random) : RandomSource([] { return QRandomGenerator::global()->generateDouble(); })),
      m_streamingEnabled(streamingList)
{
}

bool ListWatchMachine::isExpired(const K8sError &error)
{
    return error.httpStatus == 410 || error.kind == K8sError::Kind::Gone || error.reason == u"Expired"
        || error.reason == u"Gone";
}

bool ListWatchMachine::isTooLargeResourceVersion(const K8sError &error)
{
    return error.httpStatus == 504 || error.reason == u"ResourceVersionTooLarge"
        || error.statusMessage.contains(QLatin1String("Too large resource version"));
}

qint64 ListWatchMachine::nextBackoff(qint64 nowMs)
{
    if (m_lastFailureMs && nowMs - *m_lastFailureMs >= BackoffResetMs)
        m_backoffBaseMs = InitialBackoffMs;
    m_lastFailureMs = nowMs;
    const qint64 base = m_backoffBaseMs;
    m_backoffBaseMs = std::min(m_backoffBaseMs * 2, MaxBackoffMs);
    const double r = std::clamp(m_random(), 0.0, 0.999999);
    return base + qint64(double(base) * r);
}

WatchAction ListWatchMachine::listAction(const QByteArray &resourceVersion, qint64 delayMs) const
{
    WatchAction action;
    action.kind = WatchAction::Kind::List;
    action.resourceVersion = resourceVersion;
    action.delayMs = delayMs;
    return action;
}

WatchAction ListWatchMachine::watchAction(qint64 delayMs)
{
    WatchAction action;
    action.kind = WatchAction::Kind::Watch;
    action.resourceVersion = m_resourceVersion;
    const double r = std::clamp(m_random(), 0.0, 0.999999);
    action.timeoutSeconds = MinWatchTimeoutSeconds + int(r * (MaxWatchTimeoutSeconds - MinWatchTimeoutSeconds + 1));
    action.delayMs = delayMs;
    m_deferResourceVersion = m_resourceVersion.isEmpty() || m_resourceVersion == "0";
    m_pendingResourceVersion.clear();
    m_streamingActive = false;
    return action;
}

WatchAction ListWatchMachine::streamingAction(qint64 delayMs)
{
    WatchAction action = watchAction(delayMs);
    action.resourceVersion.clear();
    action.sendInitialEvents = true;
    m_deferResourceVersion = true;
    m_streamingActive = true;
    m_initialEventsDone = false;
    m_seen.clear();
    return action;
}

WatchStep ListWatchMachine::start(qint64 nowMs)
{
    Q_UNUSED(nowMs);
    WatchStep step;
    if (m_streamingEnabled) {
        step.next = streamingAction();
    } else {
        m_listResourceVersion = m_resourceVersion.isEmpty() ? QByteArray("0") : m_resourceVersion;
        step.next = listAction(m_listResourceVersion);
    }
    return step;
}

void ListWatchMachine::applyObject(const WatchObject &object, QList<WatchChange> &changes)
{
    const QByteArray key = object.key();
    const auto it = m_store.find(key);
    if (it == m_store.end()) {
        m_store.insert(key, object);
        changes.append({WatchChange::Kind::Added, object});
    } else if (it->resourceVersion != object.resourceVersion || it->object != object.object) {
        *it = object;
        changes.append({WatchChange::Kind::Modified, object});
    }
}

void ListWatchMachine::deleteUnseen(QList<WatchChange> &changes)
{
    for (auto it = m_store.begin(); it != m_store.end();) {
        if (m_seen.contains(it.key())) {
            ++it;
        } else {
            changes.append({WatchChange::Kind::Deleted, *it});
            it = m_store.erase(it);
        }
    }
    m_seen.clear();
}

WatchStep ListWatchMachine::listSucceeded(std::vector<WatchObject> items, const QByteArray &resourceVersion,
                                          qint64 nowMs)
{
    Q_UNUSED(nowMs);
    WatchStep step;
    m_seen.clear();
    for (const WatchObject &item : items) {
        m_seen.insert(item.key());
        applyObject(item, step.changes);
    }
    deleteUnseen(step.changes);
    m_resourceVersion = resourceVersion;
    step.synced = int(m_store.size());
    step.next = watchAction();
    return step;
}

WatchStep ListWatchMachine::listFailed(const K8sError &error, qint64 nowMs)
{
    WatchStep step;
    step.error = error;
    if ((isExpired(error) || isTooLargeResourceVersion(error)) && !m_listResourceVersion.isEmpty()) {
        // The RV we listed from is unavailable: a consistent read from etcd, at once.
        m_listResourceVersion.clear();
        step.next = listAction(m_listResourceVersion);
        return step;
    }
    qint64 delay = nextBackoff(nowMs);
    if (error.httpStatus == 429)
        delay = std::max<qint64>(delay, qint64(error.retryAfterSeconds) * 1000);
    m_listResourceVersion = m_resourceVersion.isEmpty() ? QByteArray("0") : m_resourceVersion;
    step.next = listAction(m_listResourceVersion, delay);
    return step;
}

void ListWatchMachine::watchOpened(qint64 nowMs)
{
    Q_UNUSED(nowMs);
    m_watchEvents = 0;
}

WatchStep ListWatchMachine::watchEvents(const std::vector<WatchEvent> &batch, qint64 nowMs)
{
    WatchStep step;
    for (const WatchEvent &event : batch) {
        ++m_watchEvents;
        switch (event.type) {
        case WatchEvent::Type::Added:
        case WatchEvent::Type::Modified:
            if (inInitialEvents())
                m_seen.insert(event.key());
            applyObject(event, step.changes);
            break;
        case WatchEvent::Type::Deleted: {
            const auto it = m_store.find(event.key());
            if (it != m_store.end()) {
                m_store.erase(it);
                step.changes.append({WatchChange::Kind::Deleted, event});
            }
            break;
        }
        case WatchEvent::Type::Bookmark:
            break;
        case WatchEvent::Type::Error: {
            K8sError error = makeError(event.code == 410 ? K8sError::Kind::Gone : K8sError::Kind::Server,
                                       QStringLiteral("watch error %1 %2: %3")
                                           .arg(event.code)
                                           .arg(Printable::fromWire(event.reason), Printable::fromWire(event.message)));
            error.httpStatus = event.code;
            error.reason = Printable::fromWire(event.reason);
            error.statusMessage = Printable::fromWire(event.message);
            WatchStep failed = failWatch(error, nowMs);
            failed.changes = step.changes + failed.changes;
            return failed;
        }
        case WatchEvent::Type::Unknown: {
            WatchStep failed;
            failed.changes = step.changes;
            failed.error = makeError(K8sError::Kind::Decode,
                                     QStringLiteral("watch event of unknown type \"%1\"; relisting")
                                         .arg(Printable::fromWire(event.typeText)));
            if (inInitialEvents())
                m_streamingEnabled = false;
            m_streamingActive = false;
            m_listResourceVersion = m_resourceVersion.isEmpty() ? QByteArray("0") : m_resourceVersion;
            failed.next = listAction(m_listResourceVersion, nextBackoff(nowMs));
            return failed;
        }
        }
        // The resourceVersion: kept at once, except for the synthetic ADDED events of a watch
        // from ""/"0", which arrive in arbitrary RV order.
        if (event.resourceVersion.isEmpty())
            continue;
        if (m_deferResourceVersion && event.type == WatchEvent::Type::Added) {
            m_pendingResourceVersion = event.resourceVersion;
        } else {
            m_resourceVersion = event.resourceVersion;
            m_deferResourceVersion = false;
            m_pendingResourceVersion.clear();
        }
        if (event.type == WatchEvent::Type::Bookmark && event.initialEventsEnd && inInitialEvents()) {
            m_initialEventsDone = true;
            deleteUnseen(step.changes);
            step.synced = int(m_store.size());
        }
    }
    return step;
}

WatchStep ListWatchMachine::watchDecodeFailed(const QString &message, qint64 nowMs)
{
    WatchStep step;
    step.error = makeError(K8sError::Kind::Decode, message);
    if (inInitialEvents())
        m_streamingEnabled = false;
    m_streamingActive = false;
    m_listResourceVersion = m_resourceVersion.isEmpty() ? QByteArray("0") : m_resourceVersion;
    step.next = listAction(m_listResourceVersion, nextBackoff(nowMs));
    return step;
}

WatchStep ListWatchMachine::watchEnded(bool clean, qint64 eventsSeen, qint64 elapsedMs, qint64 nowMs)
{
    WatchStep step;
    if (inInitialEvents()) {
        // The server never said the initial events were complete: it does not do streaming
        // lists (or ended early). LIST+WATCH from now on.
        m_streamingEnabled = false;
        m_streamingActive = false;
        step.error = makeError(K8sError::Kind::Server,
                               QStringLiteral("the streaming list ended before its initial-events-end "
                                              "bookmark; using LIST and WATCH"));
        m_listResourceVersion = m_resourceVersion.isEmpty() ? QByteArray("0") : m_resourceVersion;
        step.next = listAction(m_listResourceVersion, eventsSeen == 0 && elapsedMs < ShortWatchMs ? nextBackoff(nowMs) : 0);
        return step;
    }
    if (eventsSeen == 0 && elapsedMs < ShortWatchMs) {
        step.error = makeError(K8sError::Kind::Network,
                               QStringLiteral("very short watch: the stream closed after %1 ms without an event")
                                   .arg(elapsedMs));
        m_listResourceVersion = m_resourceVersion.isEmpty() ? QByteArray("0") : m_resourceVersion;
        step.next = listAction(m_listResourceVersion, nextBackoff(nowMs));
        return step;
    }
    if (!clean) {
        step.error = makeError(K8sError::Kind::Network,
                               QStringLiteral("the watch stream ended inside an event; watching again"));
    }
    step.next = watchAction();
    return step;
}

WatchStep ListWatchMachine::failWatch(const K8sError &error, qint64 nowMs)
{
    WatchStep step;
    step.error = error;
    const bool initial = inInitialEvents();
    m_streamingActive = false;
    if (initial && (error.httpStatus == 400 || error.httpStatus == 422 || error.httpStatus == 403 || error.httpStatus >= 500
                    || error.kind == K8sError::Kind::Gone)) {
        // The server does not take sendInitialEvents (or failed during it): LIST+WATCH for good.
        m_streamingEnabled = false;
        m_listResourceVersion = m_resourceVersion.isEmpty() ? QByteArray("0") : m_resourceVersion;
        step.next = listAction(m_listResourceVersion);
        return step;
    }
    if (isExpired(error)) {
        m_listResourceVersion = m_resourceVersion;
        step.next = listAction(m_listResourceVersion);
        return step;
    }
    if (isTooLargeResourceVersion(error)) {
        m_listResourceVersion.clear();
        step.next = listAction(m_listResourceVersion);
        return step;
    }
    if (error.httpStatus == 429) {
        const qint64 delay = std::max<qint64>(nextBackoff(nowMs), qint64(error.retryAfterSeconds) * 1000);
        step.next = initial ? streamingAction(delay) : watchAction(delay);
        return step;
    }
    if (error.httpStatus == 0 && error.kind == K8sError::Kind::Network) {
        // Connection refused / reset before a response: the RV is still good.
        const qint64 delay = nextBackoff(nowMs);
        step.next = initial ? streamingAction(delay) : watchAction(delay);
        return step;
    }
    m_listResourceVersion = m_resourceVersion.isEmpty() ? QByteArray("0") : m_resourceVersion;
    step.next = listAction(m_listResourceVersion, nextBackoff(nowMs));
    if (initial)
        m_streamingEnabled = false;
    return step;
}

WatchStep ListWatchMachine::watchFailed(const K8sError &error, qint64 nowMs)
{
    return failWatch(error, nowMs);
}
