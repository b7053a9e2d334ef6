#pragma once

#include "line_framer.h"
#include "log_line.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

/// What one resume found when the replayed stream met the cursor (see LogResumeCursor).
struct LogResumeReport
{
    int lost = 0;               ///< always 0: nothing the client can detect is lost (see below)
    int duplicatesSkipped = 0;  ///< replayed lines dropped because they were already delivered
    /// The replay held fewer lines at exactly T than were delivered before (the log file was
    /// rotated or truncated meanwhile): lines may have gone missing after T, undetectably.
    bool gapPossible = false;
    bool complete = false;      ///< the first new line was delivered (the replay is behind us)

    /// "0 lost, 3 duplicates skipped" (+ ", log rotated: a gap is possible").
    QString describe() const;
};

/// The resume cursor of protocols.md 3 for one container's `timestamps=true` log: it cuts the
/// stream into lines (LineFramer), splits each line's timestamp (LogLineParser), remembers the
/// last complete line's timestamp T and how many lines carrying exactly T were delivered (k),
/// and after a reconnect with `sinceTime = T truncated to the second` drops the replay up to
/// and including the k-th line at T, so a follow that drops any number of times delivers every
/// line once. Pure: no QObject, no I/O, no clock; one cursor per container, one thread.
///
/// Lines: only a line ended by '\n' is committed (delivered, counted in T/k). A partial last line
/// stays in the framer; when the stream ends the owner decides:
///  - resume(): the partial line is DISCARDED. The kubelet will send it again, whole, in the
///    replay (it is at or after T), so keeping the fragment would double its head. This is the
///    one choice that never doubles and never loses: a fragment cannot be counted in T/k because
///    its timestamp is not yet known to be final, nor its text.
///  - finish(): the stream really ended (container terminated, non-follow request, limitBytes
///    reached): the partial line is delivered as the log's last line, as kubectl prints it.
///
/// Filtering a replay (after resume()): a line with timestamp < T is a duplicate; a line == T is
/// a duplicate while fewer than k lines == T were dropped; the first other line ends the replay
/// and everything from it on is delivered. This is exact when the kubelet replays the same bytes
/// from the first line at or after sinceTime, which it does (it filters the CRI log file by
/// timestamp, at second precision, forwarded by the apiserver).
///
/// What cannot be known: lines are lost only if the server no longer has them. When the first
/// replayed line is already later than T, either nothing was written in [floor(T), T) (normal)
/// or the file was rotated away (lines gone): the two look the same, so `lost` stays 0 and a
/// rotation is flagged (gapPossible) only when fewer than k lines at T came back. The scheme
/// also assumes one container's timestamps never go backwards; stdout and stderr are separate
/// pipes and can be stamped a few microseconds out of order, in which case a line interleaved
/// before the last line at T could be replayed twice (never lost).
///
/// Lines without a valid timestamp (never written by a kubelet with timestamps=true) inherit the
/// previous framed line's timestamp (LogLineParser::split; dropped replay lines included), so
/// they are counted in k like any line at T and filtered identically in the replay; they are
/// counted in untimestampedLines().
///
/// Memory: the framer's partial line, bounded by maxLineBytes; a too-long line is delivered as
/// its excerpt (FramedLine::tooLong) and counted like any line.
class LogResumeCursor
{
public:
    explicit LogResumeCursor(qsizetype maxLineBytes = LineFramer::DefaultMaxLineBytes);

    /// Consumes any piece of the stream; appends the lines to deliver (never a duplicate).
    void feed(QByteArrayView chunk, QList<KubeLogLine> &out);
    /// The stream ended for good: delivers a partial last line, if any, then resets the framer.
    void finish(QList<KubeLogLine> &out);
    /// The stream ended and will be requested again with sinceTime(): discards a partial line
    /// (returns whether there was one) and starts filtering the replay. Call before reconnecting.
    bool resume();
    /// Starts a fresh stream that must not be filtered (a new container instance after a
    /// restart: its log is a different file, read from its start). T/k are kept: they only
    /// matter for the next resume, which filters against the newest delivered line.
    void startFresh();

    /// The sinceTime to request on resume: T truncated to the second; nullopt before any line.
    std::optional<QString> sinceTime() const;
    std::optional<KubeTimestamp> lastTimestamp() const { return m_hasLast ? std::optional(m_last) : std::nullopt; }
    int linesAtLast() const { return m_countAtLast; }  ///< k
    bool isFilteringReplay() const { return m_filtering; }
    bool hasPartialLine() const { return m_hasPartial; }

    /// The current (or last) resume's report.
    LogResumeReport report() const { return m_report; }
    qint64 totalDuplicatesSkipped() const { return m_totalDuplicates; }
    qint64 untimestampedLines() const { return m_untimestamped; }
    qint64 deliveredLines() const { return m_delivered; }

private:
    void take(const FramedLine &framed, QList<KubeLogLine> &out);
    void commit(KubeLogLine &&line, QList<KubeLogLine> &out);

    LineFramer m_framer;
    QList<FramedLine> m_framed;   ///< reused scratch list
    KubeTimestamp m_last;         ///< T
    KubeTimestamp m_lastSeen;     ///< the previous framed line's (replayed or not): inherited
    int m_countAtLast = 0;        ///< k: delivered lines with exactly T
    bool m_hasLast = false;
    bool m_hasPartial = false;    ///< bytes after the last '\n' are buffered in the framer
    bool m_filtering = false;     ///< dropping the replay
    KubeTimestamp m_resumeAt;     ///< T when resume() was called
    int m_resumeCount = 0;        ///< k when resume() was called
    int m_droppedAtT = 0;         ///< replayed lines == T dropped so far
    LogResumeReport m_report;
    qint64 m_totalDuplicates = 0;
    qint64 m_untimestamped = 0;
    qint64 m_delivered = 0;
};
