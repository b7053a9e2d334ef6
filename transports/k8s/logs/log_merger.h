#pragma once

#include "log_line.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

#include <deque>
#include <queue>
#include <vector>

/// One line of a merged multi-container log. Plain value type.
struct MergedLogLine
{
    QString streamKey;          ///< "namespace/pod/container"
    KubeTimestamp timestamp;
    QByteArray text;
    qint64 arrivalMs = 0;       ///< the monotonic clock when it was pushed
    bool late = false;          ///< released after a line with a later timestamp (out of order)
};

Q_DECLARE_METATYPE(MergedLogLine)

/// A k-way merge of many containers' log lines into one timestamp-ordered list, with a reorder
/// window. Pure: no QObject, no timer, no clock (the caller passes monotonic milliseconds).
///
/// Each stream's lines arrive in its own order (a kubelet stream is time-ordered per container);
/// streams arrive independently. A line is held until it is `windowMs` old (by arrival), so a
/// slower stream's earlier line can still be put before it; then it and every buffered line with
/// a smaller timestamp (of any stream) are released, in timestamp order. Ties: by stream key,
/// then arrival. One stream's lines are never reordered (only its front line competes).
///
/// Window: 300 ms by default. A kubelet's log reader sees a container's output within a few
/// milliseconds of it being written, the apiserver proxies it through at once, and one network
/// read carries what arrived meanwhile; what spreads two containers' lines apart is scheduling
/// and network jitter between two HTTP streams, typically tens of milliseconds, with occasional
/// 100-200 ms stalls on a loaded node. 300 ms covers those, and stays below what a person
/// watching a live tail perceives as a lag (the log pane itself batches every 50 ms).
///
/// A line older than a line already released (it missed the window) is released at the next
/// takeReady() and marked late, never dropped (lateLines()). Memory: at most maxBuffered lines
/// are held; pushing past the cap releases the oldest-by-timestamp lines at once
/// (forcedReleases()), so a flood never grows the buffer.
///
/// Cost: O(log s) per line for s streams (two binary heaps over the streams' front lines).
class LogMerger
{
public:
    static constexpr int DefaultWindowMs = 300;
    static constexpr qsizetype DefaultMaxBuffered = 50'000;

    explicit LogMerger(int windowMs = DefaultWindowMs, qsizetype maxBuffered = DefaultMaxBuffered);
    Q_DISABLE_COPY_MOVE(LogMerger) // the heap's comparator points at m_streams

    /// Adds one line. `arrivalMs` must not go backwards across calls (a monotonic clock); lines
    /// of one stream keep their push order. May release lines into the next takeReady() when
    /// the cap is reached.
    void push(const QString &streamKey, KubeTimestamp timestamp, const QByteArray &text,
              qint64 arrivalMs);
    /// Appends every line due at `nowMs`, in merge order.
    void takeReady(qint64 nowMs, QList<MergedLogLine> &out);
    /// Appends every buffered line (end of the follow), in merge order.
    void flushAll(QList<MergedLogLine> &out);
    /// When the next line becomes due (monotonic ms); -1 when nothing is buffered. Not const:
    /// it drops stale heap entries on the way.
    qint64 nextDueMs();

    int windowMs() const { return m_windowMs; }
    qsizetype bufferedLines() const { return m_buffered; }
    qint64 lateLines() const { return m_late; }
    qint64 forcedReleases() const { return m_forced; }

private:
    struct Entry
    {
        KubeTimestamp timestamp;
        QByteArray text;
        qint64 arrivalMs;
        quint64 seq;
    };
    struct Stream
    {
        QString key;
        std::deque<Entry> lines;
    };
    struct HeadRef
    {
        KubeTimestamp timestamp;
        int stream;
        quint64 seq;
    };
    struct ArrivalRef
    {
        qint64 arrivalMs;
        quint64 seq;
        int stream;
    };
    struct HeadAfter
    {
        const std::vector<Stream> *streams;
        bool operator()(const HeadRef &a, const HeadRef &b) const;
    };
    struct ArrivalAfter
    {
        bool operator()(const ArrivalRef &a, const ArrivalRef &b) const
        {
            return a.seq > b.seq;
        }
    };

    void pushHead(int stream);
    void releaseFront(QList<MergedLogLine> &out);
    qint64 oldestArrival();
    void dropStaleArrivals();

    int m_windowMs;
    qsizetype m_maxBuffered;
    std::vector<Stream> m_streams;
    QHash<QString, int> m_streamIndex;
    /// The streams' front lines, smallest timestamp on top.
    std::priority_queue<HeadRef, std::vector<HeadRef>, HeadAfter> m_heads;
    /// The streams' front lines, oldest arrival on top; entries whose line is no longer a front
    /// are stale and dropped lazily.
    std::priority_queue<ArrivalRef, std::vector<ArrivalRef>, ArrivalAfter> m_arrivals;
    QList<MergedLogLine> m_forcedOut; ///< released by the cap, handed out by the next takeReady
    qsizetype m_buffered = 0;
    quint64 m_seq = 0;
    qint64 m_lastArrival = 0;
    KubeTimestamp m_lastReleased;
    bool m_released = false;
    qint64 m_late = 0;
    qint64 m_forced = 0;
};
