#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QMetaType>
#include <QString>

#include <compare>
#include <optional>

/// A kubelet log timestamp: seconds since the Unix epoch (UTC) plus nanoseconds, exactly as
/// precise as the `timestamps=true` prefix ("2026-12-01T23:10:01.123456789Z"). Plain value type,
/// totally ordered (seconds, then nanos), so lines with exactly equal timestamps can be counted.
struct KubeTimestamp
{
    qint64 seconds = 0; ///< since 1970-01-01T00:00:00Z
    qint32 nanos = 0;   ///< 0 ... 999'999'999

    friend auto operator<=>(const KubeTimestamp &, const KubeTimestamp &) = default;
    friend bool operator==(const KubeTimestamp &, const KubeTimestamp &) = default;

    /// Milliseconds since the epoch (nanoseconds truncated toward the past).
    qint64 toEpochMs() const { return seconds * 1000 + nanos / 1'000'000; }
    /// "2026-12-01T23:10:01.123Z" (UTC, milliseconds): for display and export.
    QString toRfc3339Ms() const;
    /// "2026-12-01T23:10:01.123456789Z" (UTC, always nine digits): the kubelet's own format.
    QByteArray toRfc3339Nanos() const;
    /// "2026-12-01T23:10:01Z": truncated to the second, which is all the apiserver forwards of a
    /// sinceTime to the kubelet (protocols.md 3, step 2).
    QString toSinceTime() const;
    /// This timestamp truncated to the second.
    KubeTimestamp truncatedToSecond() const { return KubeTimestamp{seconds, 0}; }

    /// Parses RFC 3339: "YYYY-MM-DDTHH:MM:SS[.f{0,9}](Z|±hh:mm)" ('t'/'z' and ' ' between date and
    /// time accepted as RFC 3339 allows). Fractions longer than nine digits are refused (the
    /// kubelet never writes them). Hand-written: no allocation, no locale, no QDateTime (which
    /// costs ~1 µs a line; this is ~20 ns). nullopt for anything else, including out-of-range
    /// fields (month 13, February 30, hour 24, second 60: Go's time, which writes the prefix,
    /// never produces a leap second).
    static std::optional<KubeTimestamp> parse(QByteArrayView text);
};

Q_DECLARE_METATYPE(KubeTimestamp)

/// One line of a `timestamps=true` log stream, split into its timestamp and its text.
struct KubeLogLine
{
    KubeTimestamp timestamp;
    QByteArray text;           ///< the container's bytes after "<timestamp> " (no newline)
    bool hasTimestamp = true;  ///< false: the line had no valid prefix; text is the whole line and
                               ///< timestamp was inherited (see LogLineParser)

    friend bool operator==(const KubeLogLine &a, const KubeLogLine &b)
    {
        return a.timestamp == b.timestamp && a.text == b.text && a.hasTimestamp == b.hasTimestamp;
    }
};

Q_DECLARE_METATYPE(KubeLogLine)

/// Splits one kubelet line "2026-12-01T23:10:01.123456789Z text" (LF already removed) into its
/// timestamp and text. Pure, no state.
///
/// A line whose prefix is not a valid RFC 3339 timestamp followed by one space (or the end of the
/// line) is not dropped: it is returned with hasTimestamp = false, the whole line as text, and
/// the timestamp `inherited` (the caller passes the previous line's), so it keeps its place in
/// the stream, in the merge and in the resume count. The caller counts and reports such lines.
///
/// The text shares the line's buffer (no copy): the returned QByteArray is a slice of `line`'s
/// implicitly shared data, like LineFramer's arena slices.
namespace LogLineParser {

KubeLogLine split(const QByteArray &line, KubeTimestamp inherited = {});

} // namespace LogLineParser
