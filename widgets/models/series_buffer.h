#pragma once

#include "series_extractor.h"
#include "stream_event.h"
#include "tiered_series.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QSet>
#include <QString>
#include <QThread>
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
/// - append() hands every batch to a SeriesExtractor (series_extractor.h): on a worker thread by
///   default (Parsing::Worker), or in the caller's thread (Parsing::Inline, for tests and tools).
///   Every number (booleans as 0/1) becomes a sample (x = receive time in epoch ms, y = value)
///   of the series named by source + pointer.
/// - Threading (STYLE.md §6): parsing was the largest part of the chart's cost on the GUI
///   thread in bench_gui_load, so it runs in one worker QThread. Batches go there as values in
///   queued calls and come back as SeriesExtractor::Batch values (new fields + samples), which
///   the GUI thread adds to the series. Nothing is shared. At most MaxInFlightEvents events may
///   wait for the worker; batches beyond that are not charted and counted in droppedEvents()
///   (the log still shows them). removeSource()/clear() advance an epoch: samples and fields a
///   batch extracted before the worker heard of the removal are dropped when they come back.
/// - Samples are kept for every known field, selected or not, so that selecting a field or
///   widening the window shows the past at once. Each series is a TieredSeries (tiered_series.h):
///   min/max buckets at 1 ms, 10 ms, 250 ms and 5 s, so memory is bounded per field whatever the
///   rate, and a window of any length is read at one min/max pair per pixel column
///   (decimated()). The window only decides what is read, never what is kept.
/// - At most MaxFieldsPerSource fields per source are tracked; further leaves are ignored. New
///   fields are announced by one fieldsDiscovered() per batch that found them (in Inline mode,
///   at the end of the append()); removeSource() forgets a source's fields with one fieldsRemoved().
/// - A single-shot frame timer (FlushIntervalMs, started by the first change, never restarted)
///   emits seriesUpdated() at most once per frame, and only when a selected series changed (new
///   samples, a selection change, a window change or a removal).
class SeriesBuffer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SeriesBuffer)
public:
    enum class Parsing { Worker, Inline };
    Q_ENUM(Parsing)

    static constexpr int DefaultWindowMs = 60'000;
    static constexpr int AllWindow = 0;          ///< setWindowMs(AllWindow): everything retained
    static constexpr int MinWindowMs = 1'000;
    static constexpr int MaxWindowMs = 24 * 3'600'000;
    static constexpr int FlushIntervalMs = 33;
    static constexpr int MaxFieldsPerSource = SeriesExtractor::MaxFieldsPerSource;
    static constexpr int MaxDepth = SeriesExtractor::MaxDepth;
    static constexpr int MaxLeavesPerEvent = SeriesExtractor::MaxLeavesPerEvent;
    static constexpr int DefaultMaxInFlightEvents = 1'000'000; ///< ~10 s at 100,000 events/s

    explicit SeriesBuffer(QObject *parent = nullptr, Parsing parsing = Parsing::Worker);
    ~SeriesBuffer() override;

    Parsing parsing() const { return m_parsing; }
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
    /// Takes in everything appended so far (Worker: blocks until the worker has caught up, then
    /// applies its batches), then emits seriesUpdated() if a selected series changed. For tests,
    /// exports and the end of a benchmark; the frame timer never blocks.
    void flushNow();

    /// Data events looked at / parsed as JSON, since construction or clear().
    quint64 eventsSeen() const { return m_eventsSeen; }
    quint64 eventsParsed() const { return m_eventsParsed; }
    /// Events not charted because MaxInFlightEvents were already waiting for the worker.
    quint64 droppedEvents() const { return m_droppedEvents; }
    /// Events handed to the worker and not back yet.
    qsizetype inFlightEvents() const { return m_inFlight; }
    void setMaxInFlightEvents(qsizetype events) { m_maxInFlight = std::max<qsizetype>(1, events); }

Q_SIGNALS:
    void fieldsDiscovered(const QList<SeriesKey> &newFields);
    void fieldsRemoved(const QList<SeriesKey> &fields);
    /// At most once per FlushIntervalMs frame, only when selected series changed.
    void seriesUpdated();
    void cleared();

private:
    struct Series
    {
        Series(int fieldId, SeriesKey k)
            : id(fieldId)
            , key(std::move(k))
        {
        }
        int id;
        SeriesKey key;
        TieredSeries samples;
        bool selected = false;
    };

    void applyBatch(const SeriesExtractor::Batch &batch);
    void emitIfChanged();
    void scheduleFlush();
    void rebuildIndex();
    const Series *find(const SeriesKey &key) const;

    Parsing m_parsing;
    std::unique_ptr<SeriesExtractor> m_inline; ///< Parsing::Inline
    QThread m_thread;                          ///< Parsing::Worker
    QObject *m_worker = nullptr;               ///< lives on m_thread; deleted when it finishes
    quint64 m_epoch = 0;                       ///< removeSource() and clear() calls so far
    quint64 m_clearEpoch = 0;                  ///< m_epoch at the last clear()
    QHash<QString, quint64> m_removedAt;       ///< source → epoch of its removal
    qsizetype m_inFlight = 0;
    qsizetype m_maxInFlight = DefaultMaxInFlightEvents;
    std::vector<std::unique_ptr<Series>> m_series;
    std::vector<int> m_slotOfId;               ///< extractor field id → index into m_series, -1: gone
    QList<SeriesKey> m_known;
    QHash<SeriesKey, int> m_index;
    QSet<QString> m_sources;
    int m_windowMs = DefaultWindowMs;
    bool m_selectedDirty = false;
    quint64 m_eventsSeen = 0;
    quint64 m_eventsParsed = 0;
    quint64 m_droppedEvents = 0;
    QTimer m_flushTimer;
};
