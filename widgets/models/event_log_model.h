#pragma once

#include "ring_buffer.h"
#include "stream_event.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QTimer>

#include <vector>

/// Table of the most recent StreamEvents of every source, oldest first, for the log pane.
///
/// Contract (GUI thread only):
/// - append() only buffers; a single-shot timer (FlushIntervalMs, started by the first append and
///   never restarted, so a steady stream cannot postpone it) calls flushNow(). When the pending
///   list reaches capacity() append() flushes at once, so a burst never holds more than about
///   two capacities of events in memory.
/// - A flush first evicts what the capacity forces out (see "Fair share"), as one rowsRemoved
///   per run of contiguous evicted rows, emitted back to front; then exactly one rowsInserted at
///   the end; then flushed(inserted, removed). With one busy source next to quiet ones the
///   evicted rows form one run at the front (or two, around quiet rows kept there).
/// - removeSource() drops every row and pending event of a source: one rowsRemoved per run of
///   its rows, or, when its rows are spread over more than MaxRemovalRuns runs, one
///   layoutChanged (persistent indexes of removed rows become invalid, the others follow their
///   rows). Removed rows do not count as dropped.
///
/// Fair share. One ring for every source means a source that bursts 100,000 lines would push
/// out the whole history of every other source. Instead eviction is max-min fair ("water
/// filling"): when a flush would exceed the capacity C by E rows, the model finds the level L
/// such that cutting every source holding more than L rows (rows in the table plus pending
/// ones) down to L frees exactly E rows, and evicts the oldest rows of exactly those sources.
/// So a source holding no more than its share C/n (n = sources with rows) never loses a row
/// because of another source, and a share a quiet source does not use goes to the busy ones.
/// The oldest rows of a source are its table rows first, then its pending ones: the part of a
/// burst that would be evicted at once is never inserted. Rows stay in arrival order.
/// Planning costs O(n log n); finding the evicted rows scans from the front only until every
/// quota is met; removing a run moves only the rows between it and the nearer end of the ring.
///
/// Rows live in a RingBuffer of `capacity()` events. droppedCount() counts every event evicted
/// (from the table or from the pending list) because of the capacity; per source in
/// evictedCount().
///
/// Display: TimeColumn "HH:mm:ss.zzz" (local time), SourceColumn short (host+path; the full id in
/// the tooltip), DataColumn on one line (line breaks as ⏎, at most MaxDisplayChars characters;
/// binary payloads as a hex preview). Rows are coloured by the level they state (log_level.h:
/// error/fatal red, warn amber, debug/trace grey; computed in data(), so only for rows painted).
/// Error rows have a red-ish foreground, Gap rows a distinct background and
/// "— reconnected: <detail> —" as data. Sent rows (messages this client sent) start with "→ " and
/// have a blue tint; once a source has sent anything, its received rows start with "← " so the
/// direction of every row of a duplex conversation is visible (and filterable). ToolTipRole on
/// DataColumn holds the full text (capped at MaxToolTipChars so a 16 MB event cannot freeze a
/// tooltip); PayloadRole holds the raw bytes.
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogModel)
public:
    enum Column { TimeColumn, SourceColumn, TypeColumn, IdColumn, DataColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        KindRole = Qt::UserRole + 1, ///< int(StreamEvent::Kind)
        PayloadRole,                 ///< QByteArray, the raw payload
        SeqRole,                     ///< qulonglong, per-source sequence number
        ReceivedMsRole,              ///< qint64, receive time in epoch ms
        DetailRole,                  ///< QString, StreamEvent::detail
        SourceIdRole,                ///< QString, the full source id
        LevelRole,                   ///< int(LogLevel) the record states (log_level.h), computed on demand
    };
    Q_ENUM(Role)

    static constexpr int DefaultCapacity = 100'000;
    static constexpr int FlushIntervalMs = 50;
    /// A table cell shows at most this much (a 4K-wide data column holds about 450 characters);
    /// the tooltip and the detail view have the rest. Laying out longer cell texts only to elide
    /// them was the log pane's largest painting cost under load.
    static constexpr int MaxDisplayChars = 512;
    static constexpr int MaxToolTipChars = 10'000;
    static constexpr int HexPreviewBytes = 48;
    static constexpr int MaxRemovalRuns = 64;

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    /// Buffers `events` (any kinds, any sources) and starts the flush timer if it is not running.
    void append(const QList<StreamEvent> &events);
    /// Moves every pending event into the table now (no-op when nothing is pending).
    void flushNow();
    /// Drops all rows and pending events and resets the counters (one model reset).
    void clear();
    /// Forgets `sourceId`: its rows, pending events, counters (see the class comment). No-op for
    /// an unknown id.
    void removeSource(const QString &sourceId);
    /// At least 1. Shrinking evicts at once, with the fair-share rule (counted as dropped).
    void setCapacity(int capacity);
    int capacity() const;

    /// Events evicted because of the capacity. Reset by clear().
    quint64 droppedCount() const { return m_dropped; }
    /// Every event ever given to append() (since clear()), kept or not.
    quint64 receivedCount() const { return m_received; }
    /// Gap rows currently in the table.
    int gapCount() const { return m_gaps; }
    /// Events appended but not flushed yet.
    int pendingCount() const { return int(m_pending.size()); }
    /// Sources with rows or pending events, in the order they first appeared.
    QStringList sources() const;
    /// Rows of `sourceId` in the table (0 when unknown).
    int rowCountOf(const QString &sourceId) const;
    /// Events of `sourceId` evicted because of the capacity.
    quint64 evictedCount(const QString &sourceId) const;
    /// The event shown in `row`. Precondition: 0 <= row < rowCount().
    const StreamEvent &eventAt(int row) const { return m_rows.at(row).event; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// The data column text of `event` (one line, capped), without a direction arrow.
    static QString displayText(const StreamEvent &event);
    /// The whole text of `event` as the tooltip shows it (capped at MaxToolTipChars).
    static QString fullText(const StreamEvent &event);

Q_SIGNALS:
    /// After each flush: `inserted` rows appended at the end, `removed` rows evicted.
    void flushed(int inserted, int removed);
    /// sources() changed: a source appeared (emitted at the flush that shows its first rows), was
    /// removed, or everything was cleared.
    void sourcesChanged();

private:
    struct Row
    {
        StreamEvent event;
        quint32 slot = 0;
    };
    struct SourceSlot
    {
        QString id;
        qsizetype rows = 0;    ///< in the table
        qsizetype pending = 0; ///< in m_pending
        int gaps = 0;
        quint64 evicted = 0;
        bool hasSent = false;
        bool live = false;
    };
    struct Run
    {
        qsizetype first;
        qsizetype count;
    };

    quint32 slotFor(const QString &sourceId);
    /// Per slot: how many of its oldest rows (table, then pending) must go so that
    /// `excess` rows are freed fairly. `withPending` counts pending rows as held.
    std::vector<qsizetype> evictionQuotas(qsizetype excess, bool withPending) const;
    /// Evicts the quotas (table rows first); returns the table rows removed.
    qsizetype evict(std::vector<qsizetype> quotas);
    void dropPending(std::vector<qsizetype> &quotas);
    /// Removes `runs` (sorted, disjoint) back to front with one rowsRemoved each.
    void removeRuns(const std::vector<Run> &runs, bool countAsDropped);
    void removeRowsByLayout(quint32 slot);
    void forgetRow(const Row &row, bool countAsDropped);
    QString shortSource(const QString &sourceId) const;

    RingBuffer<Row> m_rows;
    std::vector<Row> m_pending;
    std::vector<SourceSlot> m_slots;
    QHash<QString, quint32> m_slotById;
    QString m_lastSource; ///< the id append() saw last (fast path for its slot)
    quint32 m_lastSlot = 0;
    bool m_hasLastSource = false;
    bool m_sourcesDirty = false;
    QTimer m_flushTimer;
    quint64 m_dropped = 0;
    quint64 m_received = 0;
    int m_gaps = 0;
    mutable QHash<QString, QString> m_shortSources;
};
