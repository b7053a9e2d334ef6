#pragma once

#include "ring_buffer.h"
#include "stream_event.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

/// Table of the most recent StreamEvents of every source, oldest first, for the log pane.
///
/// Contract (GUI thread only):
/// - append() only buffers; a single-shot timer (FlushIntervalMs, started by the first append and
///   never restarted, so a steady stream cannot postpone it) calls flushNow().
/// - A flush emits at most one rowsRemoved (from the front, for rows pushed out by the capacity)
///   followed by exactly one rowsInserted (at the end), then flushed(inserted, removed).
/// - Rows live in a RingBuffer of `capacity()` events; the pending list is capped to the same size.
///   Every event that is trimmed or never shown because of the cap counts in droppedCount().
///
/// Display: TimeColumn "HH:mm:ss.zzz" (local time), SourceColumn short (host+path; the full id in
/// the tooltip), DataColumn on one line (line breaks as ⏎, at most MaxDisplayChars characters;
/// binary payloads as a hex preview). Rows are coloured by the level they state (log_level.h:
/// error/fatal red, warn amber, debug/trace grey; computed in data(), so only for rows painted).
/// Error rows have a red-ish foreground, Gap rows a distinct
/// background and "— reconnected: <detail> —" as data. ToolTipRole on DataColumn holds the full
/// text (capped at MaxToolTipChars so a 16 MB event cannot freeze a tooltip); PayloadRole holds the
/// raw bytes.
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
    static constexpr int MaxDisplayChars = 2'000;
    static constexpr int MaxToolTipChars = 10'000;
    static constexpr int HexPreviewBytes = 48;

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    /// Buffers `events` (any kinds, any sources) and starts the flush timer if it is not running.
    void append(const QList<StreamEvent> &events);
    /// Moves every pending event into the table now (no-op when nothing is pending).
    void flushNow();
    /// Drops all rows and pending events and resets the counters (one model reset).
    void clear();
    /// At least 1. Shrinking trims the oldest rows at once (counted as dropped).
    void setCapacity(int capacity);
    int capacity() const;

    /// Rows trimmed, or pending events discarded, because of the capacity. Reset by clear().
    quint64 droppedCount() const { return m_dropped; }
    /// Gap rows currently in the table.
    int gapCount() const { return m_gaps; }
    /// Events appended but not flushed yet.
    int pendingCount() const { return int(m_pending.size()); }
    /// The event shown in `row`. Precondition: 0 <= row < rowCount().
    const StreamEvent &eventAt(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// The data column text of `event` (one line, capped), as shown in the table.
    static QString displayText(const StreamEvent &event);

Q_SIGNALS:
    /// After each flush: `inserted` rows appended at the end, `removed` rows trimmed at the front.
    void flushed(int inserted, int removed);

private:
    QString shortSource(const QString &sourceId) const;
    void trimFront(qsizetype count);

    RingBuffer<StreamEvent> m_rows;
    QList<StreamEvent> m_pending;
    QTimer m_flushTimer;
    quint64 m_dropped = 0;
    int m_gaps = 0;
    mutable QHash<QString, QString> m_shortSources;
};
