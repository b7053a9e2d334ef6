#pragma once

#include "ring_buffer.h"
#include "stream_event.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

/// One numeric field of one source: the source id and an RFC 6901 JSON pointer ("/cpu/user",
/// "/arr/0", "/a~1b" for the key "a/b", "/m~0n" for "m~n").
struct SeriesKey
{
    QString source;
    QString pointer;

    friend bool operator==(const SeriesKey &, const SeriesKey &) = default;
};

inline size_t qHash(const SeriesKey &key, size_t seed = 0) noexcept
{
    return qHashMulti(seed, key.source, key.pointer);
}

Q_DECLARE_METATYPE(SeriesKey)

/// Time series of the numeric leaves of JSON payloads, for the chart panel.
///
/// Contract (GUI thread only):
/// - append() parses every Data event whose payload starts with '{' or '[' (after whitespace) with
///   one reused simdjson parser; other events are ignored. Every number (booleans as 0/1) becomes a
///   point (x = receive time in epoch ms, y = value) of the series named by source + pointer.
/// - Points are kept for every known field, selected or not, so that selecting a field shows the
///   past window at once. Each series holds at most MaxPointsPerSeries points (a ring); on each
///   frame points older than windowMs() are pruned.
/// - At most MaxFieldsPerSource fields per source are tracked; further leaves are ignored. New
///   fields are announced by one fieldsDiscovered() at the end of the append() that found them.
/// - A single-shot frame timer (FlushIntervalMs, started by the first change, never restarted)
///   prunes and emits seriesUpdated() at most once per frame, and only when a selected series
///   changed (new points, pruned points, or a selection change).
class SeriesBuffer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SeriesBuffer)
public:
    static constexpr int DefaultWindowMs = 60'000;
    static constexpr int FlushIntervalMs = 33;
    static constexpr int MaxPointsPerSeries = 20'000;
    static constexpr int MaxFieldsPerSource = 64;
    static constexpr int MaxDepth = 64;          ///< deeper JSON is not walked
    static constexpr int MaxLeavesPerEvent = 10'000;

    explicit SeriesBuffer(QObject *parent = nullptr);
    ~SeriesBuffer() override;

    void append(const QList<StreamEvent> &events);

    /// Every numeric leaf seen, in discovery order.
    QList<SeriesKey> knownFields() const { return m_known; }
    bool isKnown(const SeriesKey &key) const { return m_index.contains(key); }
    /// Selecting an unknown key is ignored. A change schedules a seriesUpdated().
    void setSelected(const SeriesKey &key, bool on);
    bool isSelected(const SeriesKey &key) const;
    /// Selected fields, in discovery order.
    QList<SeriesKey> selectedFields() const;
    /// Points of `key` whose x lies within [now - windowMs(), ...], oldest first; empty if unknown.
    QList<QPointF> points(const SeriesKey &key) const;

    /// Clamped to [1 s, 24 h]. A change schedules a prune.
    void setWindowMs(int windowMs);
    int windowMs() const { return m_windowMs; }

    /// Forgets every field and point (emits cleared()).
    void clear();
    /// Prunes and, if a selected series changed, emits seriesUpdated() now.
    void flushNow();

Q_SIGNALS:
    void fieldsDiscovered(const QList<SeriesKey> &newFields);
    /// At most once per FlushIntervalMs frame, only when selected series changed.
    void seriesUpdated();
    void cleared();

private:
    struct JsonParser;
    struct Series
    {
        explicit Series(SeriesKey k)
            : key(std::move(k))
        {
        }
        SeriesKey key;
        RingBuffer<QPointF> points{MaxPointsPerSeries};
        bool selected = false;
    };
    struct SourceFields
    {
        QHash<QByteArray, int> byPointer; ///< UTF-8 pointer → index into m_series
    };

    void parsePayload(const StreamEvent &event, QList<SeriesKey> &newFields);
    /// Returns the series index for a leaf, creating it if the source has room; -1 otherwise.
    int seriesFor(const QString &source, SourceFields &fields, const QByteArray &pointer,
                  QList<SeriesKey> &newFields);
    void addPoint(int series, qint64 x, double y);
    void scheduleFlush();

    std::unique_ptr<JsonParser> m_parser;
    std::vector<Series> m_series;
    QList<SeriesKey> m_known;
    QHash<SeriesKey, int> m_index;
    QHash<QString, SourceFields> m_sources;
    int m_windowMs = DefaultWindowMs;
    bool m_selectedDirty = false;
    QTimer m_flushTimer;

    friend class SeriesBufferWalker;
};
