#pragma once

#include "k8s_error.h"
#include "watch_event.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>

#include <functional>
#include <optional>
#include <vector>

/// One change of an informer's store, what the UI applies. For Deleted, `object` is the last state
/// known (the DELETED event's object, or what the store held when a relist no longer had it).
struct WatchChange
{
    enum class Kind : quint8 { Added, Modified, Deleted };
    Kind kind = Kind::Added;
    WatchObject object;
};

/// What the driver does next: LIST or WATCH, now or after `delayMs`.
struct WatchAction
{
    enum class Kind : quint8 { None, List, Watch };
    Kind kind = Kind::None;
    QByteArray resourceVersion;     ///< LIST/WATCH resourceVersion ("" = consistent read, "0" = any)
    bool sendInitialEvents = false; ///< WATCH as a streaming list (protocols.md 2.4)
    int timeoutSeconds = 0;         ///< WATCH timeoutSeconds, random in [300, 600]
    qint64 delayMs = 0;             ///< wait this long first (backoff, Retry-After)

    friend bool operator==(const WatchAction &, const WatchAction &) = default;
};

/// The outcome of one input: changes to emit (never for bookmarks), the next action (when the
/// current request is over or must be dropped; the driver aborts a running watch when it gets
/// one), the store size once a list is complete (synced), and an error to report.
struct WatchStep
{
    QList<WatchChange> changes;
    std::optional<WatchAction> next;
    std::optional<int> synced;
    std::optional<K8sError> error;
};

/// client-go's Reflector as a pure state machine (protocols.md 2.3, 2.4): the object store
/// (key "namespace/name" or "name" → last state), the stored resourceVersion and the rules that
/// turn list and watch outcomes into the next request. No Qt event loop, no I/O, no timers: the
/// driver (Informer) passes the time in (monotonic ms) and performs the actions.
///
/// Rules:
/// - start(): a streaming list (WATCH rv="" sendInitialEvents) when enabled, else LIST rv "0"
///   (or the stored RV after a restart).
/// - A list replaces the store and emits only differences: new key → Added, other RV →
///   Modified, gone → Deleted with the last known state; then Synced{count} (once per list), then
///   WATCH from the list's RV. LIST 410 → LIST rv "" at once (the stored RV is unavailable).
/// - Watch events apply and move the RV; BOOKMARK moves the RV only; the RVs of the synthetic
///   ADDED events of an rv ""/"0" watch are not kept until a non-ADDED event or a bookmark.
/// - ERROR 410 in the stream or HTTP 410 → LIST from the stored RV (then "" if it also expired);
///   504 / ResourceVersionTooLarge → LIST rv ""; HTTP 429 → wait max(Retry-After, backoff),
///   WATCH again (no LIST); network failure before any response → backoff, WATCH again;
///   clean end → WATCH again at once (W6); end inside an object → WATCH again (W8); an unknown
///   event type or undecodable event → error, backoff, LIST (W9); a watch that ended within 1 s
///   with no event → error, backoff, LIST; anything else → backoff, LIST.
/// - Streaming list: its ADDED events are diffed like a list; the bookmark annotated
///   k8s.io/initial-events-end ends it (vanished keys → Deleted, Synced{count} exactly once,
///   W10). If the server rejects it (400, 422, 403) or the watch ends before that bookmark, the
///   machine falls back to LIST+WATCH for the rest of its life.
/// - Backoff (client-go's reflector defaults): 800 ms × 2 per failure, capped at 30 s, plus jitter
///   1.0 (the wait is in [d, 2d)); the count resets after 2 min without failures. Written here
///   rather than with transports/backoff.h because that policy's jitter subtracts and its reset
///   rule is "connection stayed up 5 s", neither of which is client-go's.
class ListWatchMachine
{
public:
    /// Returns a number in [0, 1).
    using RandomSource = std::function<double()>;

    static constexpr qint64 InitialBackoffMs = 800;
    static constexpr qint64 MaxBackoffMs = 30'000;
    static constexpr qint64 BackoffResetMs = 120'000;
    static constexpr qint64 ShortWatchMs = 1000;
    static constexpr int MinWatchTimeoutSeconds = 300;
    static constexpr int MaxWatchTimeoutSeconds = 600;

    struct Stored
    {
        WatchObject object;
    };

    explicit ListWatchMachine(bool streamingList = false, RandomSource random = {});

    WatchStep start(qint64 nowMs);

    WatchStep listSucceeded(std::vector<WatchObject> items, const QByteArray &resourceVersion, qint64 nowMs);
    /// The LIST failed (HTTP status, network error with httpStatus 0, or an undecodable body).
    WatchStep listFailed(const K8sError &error, qint64 nowMs);

    /// The WATCH answered 200: events follow.
    void watchOpened(qint64 nowMs);
    /// Events of one read, in order.
    WatchStep watchEvents(const std::vector<WatchEvent> &batch, qint64 nowMs);
    /// An event could not be decoded (WatchDecodeError other than Truncated).
    WatchStep watchDecodeFailed(const QString &message, qint64 nowMs);
    /// The WATCH body ended: `clean` when it ended between objects, false when inside one
    /// (truncated) or when the connection dropped after 200.
    WatchStep watchEnded(bool clean, qint64 eventsSeen, qint64 elapsedMs, qint64 nowMs);
    /// The WATCH was refused (HTTP status) or never got a response (httpStatus 0).
    WatchStep watchFailed(const K8sError &error, qint64 nowMs);

    const QHash<QByteArray, WatchObject> &store() const { return m_store; }
    QByteArray resourceVersion() const { return m_resourceVersion; }
    bool isStreamingListEnabled() const { return m_streamingEnabled; }
    /// The delay the next failure would get before jitter (for tests and diagnostics).
    qint64 currentBackoffBaseMs() const { return m_backoffBaseMs; }

private:
    WatchAction listAction(const QByteArray &resourceVersion, qint64 delayMs = 0) const;
    WatchAction watchAction(qint64 delayMs = 0);
    WatchAction streamingAction(qint64 delayMs = 0);
    qint64 nextBackoff(qint64 nowMs);
    void applyObject(const WatchObject &object, QList<WatchChange> &changes);
    void deleteUnseen(QList<WatchChange> &changes);
    WatchStep failWatch(const K8sError &error, qint64 nowMs);
    bool inInitialEvents() const { return m_streamingActive && !m_initialEventsDone; }
    static bool isExpired(const K8sError &error);
    static bool isTooLargeResourceVersion(const K8sError &error);

    RandomSource m_random;
    QHash<QByteArray, WatchObject> m_store;
    QByteArray m_resourceVersion;       ///< the stored RV ("" before the first list)
    QByteArray m_pendingResourceVersion; ///< RV of synthetic ADDED events not yet kept
    QByteArray m_listResourceVersion;   ///< the RV the current LIST asked for
    bool m_deferResourceVersion = false; ///< watching from ""/"0": hold ADDED RVs back
    bool m_streamingEnabled = false;
    bool m_streamingActive = false;     ///< the current watch is a streaming list
    bool m_initialEventsDone = false;
    QSet<QByteArray> m_seen;            ///< keys seen in the current streaming list
    qint64 m_watchEvents = 0;
    qint64 m_backoffBaseMs = InitialBackoffMs;
    std::optional<qint64> m_lastFailureMs;
};
