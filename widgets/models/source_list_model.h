#pragma once

#include "stream_event.h"
#include "transport.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QImage>
#include <QList>
#include <QTimer>

#include <array>
#include <memory>
#include <vector>

/// The list of sources: owns one Transport per row and forwards their events.
///
/// Contract (GUI thread only):
/// - addSource() creates the transport through the registry, appends the row, then opens it.
///   removeSource() closes the transport, removes the row and deletes the transport later.
/// - eventsReceived() forwards every batch of every source unchanged (in arrival order);
///   sourceError() forwards every errorOccurred().
/// - State changes and errors emit one dataChanged for the row. A TickIntervalMs ticker (running
///   only while there are rows) emits one dataChanged over the time-dependent columns
///   (RateColumn .. RetryColumn) of all rows.
///
/// Columns: name (source id; tooltip with URL, transport, protocol, TLS warning), transport
/// ("sse · HTTP/1.1"), state (text, colour in ForegroundRole, dot in DecorationRole), events/s
/// (average over the last RateWindowMs), last event ("0.4 s ago" / "—"), next retry ("in 3.2 s"),
/// error (last error message; the stop reason when the transport stopped without failing).
class SourceListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SourceListModel)
public:
    enum Column {
        NameColumn,
        TransportColumn,
        StateColumn,
        RateColumn,
        LastEventColumn,
        RetryColumn,
        ErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        StateRole = Qt::UserRole + 1, ///< int(Transport::State)
        SourceIdRole,                 ///< QString
        IsDuplexRole,                 ///< bool
        FailedRole,                   ///< bool, Transport::hasFailed()
        EventCountRole,               ///< qulonglong, events received through this model
    };
    Q_ENUM(Role)

    static constexpr int TickIntervalMs = 250;
    static constexpr int RateWindowMs = 5'000;

    /// `registry` must outlive the model.
    explicit SourceListModel(const TransportRegistry *registry, QObject *parent = nullptr);
    ~SourceListModel() override;

    /// Creates the transport (config.transportId, or TransportRegistry::defaultIdForUrl(url) if
    /// empty), opens it, appends a row. Returns the row, or -1 with *error set (unknown transport,
    /// bad URL, a source with the same id already in the list).
    int addSource(const TransportConfig &config, QString *error = nullptr);
    void removeSource(int row);
    /// reconnectNow() on a live transport; open() again with its config once it has closed.
    void reconnectSource(int row);
    Transport *transportAt(int row) const;
    /// The registry id the row was created with ("sse", "websocket", ...).
    QString transportIdAt(int row) const;
    int rowOfSource(const QString &sourceId) const;
    /// Events per second of `row` averaged over the last RateWindowMs (or since it was added).
    double eventRate(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QColor stateColor(Transport::State state, bool failed);

Q_SIGNALS:
    void eventsReceived(const QList<StreamEvent> &events); ///< forwarded from every source
    void sourceError(const QString &sourceId, const TransportError &error);

private:
    static constexpr int BinMs = 250;
    static constexpr int BinCount = RateWindowMs / BinMs;

    struct Source
    {
        std::unique_ptr<Transport> transport;
        QString transportId;
        qint64 addedAtMs = 0;
        qint64 lastEventMs = 0;
        quint64 events = 0;
        std::array<quint32, BinCount> bins{}; ///< events per BinMs slot, ring indexed by slot
        qint64 newestBin = 0;                  ///< absolute slot number (epoch ms / BinMs) of the newest bin
    };

    int rowOf(const Transport *transport) const;
    void handleEvents(Transport *transport, const QList<StreamEvent> &events);
    void handleStateChanged(Transport *transport);
    void handleError(Transport *transport, const TransportError &error);
    void handleTick();
    void emitRowChanged(int row);
    void detach(Transport *transport);
    QString stateText(const Source &source) const;
    QString tooltip(const Source &source) const;
    QImage dot(const QColor &color) const;

    const TransportRegistry *m_registry;
    std::vector<Source> m_sources;
    QTimer m_ticker;
    mutable QList<QPair<QRgb, QImage>> m_dots;
};
