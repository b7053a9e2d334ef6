#pragma once

#include "stream_event.h"
#include "tiered_series.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>
#include <string>
#include <utility>
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
///   sample (x = receive time in epoch ms, y = value) of the series named by source + pointer.
/// - Samples are kept for every known field, selected or not, so that selecting a field or
///   widening the window shows the past at once. Each series is a TieredSeries (tiered_series.h):
///   min/max buckets at 1 ms, 10 ms, 250 ms and 5 s, so memory is bounded per field whatever the
///   rate, and a window of any length is read at one min/max pair per pixel column
///   (decimated()). The window only decides what is read, never what is kept.
/// - At most MaxFieldsPerSource fields per source are tracked; further leaves are ignored. New
///   fields are announced by one fieldsDiscovered() at the end of the append() that found them;
///   removeSource() forgets a source's fields with one fieldsRemoved().
/// - A single-shot frame timer (FlushIntervalMs, started by the first change, never restarted)
///   emits seriesUpdated() at most once per frame, and only when a selected series changed (new
///   samples, a selection change, a window change or a removal).
class SeriesBuffer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SeriesBuffer)
public:
    static constexpr int DefaultWindowMs = 60'000;
    static constexpr int AllWindow = 0;          ///< setWindowMs(AllWindow): everything retained
    static constexpr int MinWindowMs = 1'000;
    static constexpr int MaxWindowMs = 24 * 3'600'000;
    static constexpr int FlushIntervalMs = 33;
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
    /// The samples of `key` within the window ending now, at the finest resolution held (see
    /// TieredSeries::samples()); empty if unknown.
    QList<QPointF> points(const SeriesKey &key) const;
    /// The samples of `key` in [fromMs, toMs] decimated to `columns` pixel columns
    /// (TieredSeries::decimate()); empty if unknown.
    QList<QPointF> decimated(const SeriesKey &key, qint64 fromMs, qint64 toMs, int columns) const;
    /// The latest sample of `key` at or before `xMs`.
    std::optional<QPointF> valueAt(const SeriesKey &key, qint64 xMs) const;
    /// The newest sample of `key`.
    std::optional<QPointF> lastValue(const SeriesKey &key) const;
    /// The oldest sample held of any selected field (0 when none): the start of AllWindow.
    qint64 earliestSelectedMs() const;

    /// AllWindow, or clamped to [MinWindowMs, MaxWindowMs]. A change schedules a seriesUpdated().
    void setWindowMs(int windowMs);
    int windowMs() const { return m_windowMs; }
    /// [from, to] of the window ending at `nowMs` (for AllWindow from the earliest selected sample).
    std::pair<qint64, qint64> windowRange(qint64 nowMs) const;

    /// Forgets every field and point (emits cleared()).
    void clear();
    /// Forgets every field of `sourceId` (one fieldsRemoved(); nothing when it has none).
    void removeSource(const QString &sourceId);
    /// Emits seriesUpdated() now if a selected series changed.
    void flushNow();

    /// Data events looked at / parsed as JSON, since construction or clear().
    quint64 eventsSeen() const { return m_eventsSeen; }
    quint64 eventsParsed() const { return m_eventsParsed; }

Q_SIGNALS:
    void fieldsDiscovered(const QList<SeriesKey> &newFields);
    void fieldsRemoved(const QList<SeriesKey> &fields);
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
        TieredSeries samples;
        bool selected = false;
    };
    struct ShapeLeaf
    {
        std::string pointer;
        int series; ///< index into m_series, -1 for a leaf beyond MaxFieldsPerSource
    };
    struct SourceFields
    {
        QHash<QByteArray, int> byPointer; ///< UTF-8 pointer → index into m_series
        std::vector<ShapeLeaf> shape;     ///< the leaves of the last event, in walk order
    };

    void parsePayload(const StreamEvent &event, QList<SeriesKey> &newFields);
    SourceFields &fieldsOf(const QString &source);
    /// Returns the series index for a leaf, creating it if the source has room; -1 otherwise.
    int seriesFor(const QString &source, SourceFields &fields, QByteArrayView pointer,
                  QList<SeriesKey> &newFields);
    void addPoint(int series, qint64 x, double y);
    void scheduleFlush();
    const Series *find(const SeriesKey &key) const;

    std::unique_ptr<JsonParser> m_parser;
    std::vector<std::unique_ptr<Series>> m_series;
    QList<SeriesKey> m_known;
    QHash<SeriesKey, int> m_index;
    QHash<QString, SourceFields> m_sources;
    QString m_lastSource;              ///< fast path of fieldsOf()
    SourceFields *m_lastFields = nullptr;
    int m_windowMs = DefaultWindowMs;
    bool m_selectedDirty = false;
    quint64 m_eventsSeen = 0;
    quint64 m_eventsParsed = 0;
    QTimer m_flushTimer;

    friend class SeriesBufferWalker;
};
