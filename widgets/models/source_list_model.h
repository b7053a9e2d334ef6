#pragma once

#include "source_name.h"
#include "stream_event.h"
#include "transport.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QImage>
#include <QList>
#include <QTimer>

#include <array>
#include <memory>
#include <optional>
#include <vector>

/// Per-source counters since the source was added (kept across edits and reconnects).
struct SourceStats
{
    quint64 received = 0;   ///< Data events
    quint64 sent = 0;       ///< Sent events (messages this client sent on a duplex transport)
    quint64 errors = 0;     ///< Error events in the stream plus errorOccurred() reports
    quint64 reconnects = 0; ///< reconnects scheduled by the transport plus user reconnects
    quint64 held = 0;       ///< events held while paused, not yet forwarded
    quint64 dropped = 0;    ///< events discarded while paused because the hold was full
};

/// The list of sources: owns one Transport per row and forwards their events.
///
/// Contract (GUI thread only):
/// - addSource() validates the configuration, names the source, creates the transport through
///   the registry, appends the row, then opens it. updateSource() applies an edited configuration
///   to a row and reopens its transport (a new one when the transport id changed).
///   removeSource() closes the transport, removes the row and deletes the transport later.
/// - Identity and names: two rows never open the same stream (isSameSource(): URL with its
///   secrets, resolved transport, body, headers), and never look the same: a source the user did
///   not name gets uniqueSourceName() (the redacted URL, plus a label such as "(ws)" or
///   "(token=***#2)" when it would be confused with another row); a user-chosen name
///   (TransportConfig::sourceId, or setData() on NameColumn) must be unique, short form included.
///   Renaming reopens the transport, since events carry the name.
/// - eventsReceived() forwards every batch of every source that is not paused, unchanged and in
///   arrival order; sourceError() forwards every errorOccurred().
/// - Pause: while a row is paused its transport stays connected (liveness, reconnects and
///   counters go on) but its events are held, at most MaxHeldEvents per source; beyond that the
///   oldest held events are discarded and counted (SourceStats::dropped). Resuming forwards the
///   held events as one batch, preceded by a Gap event that says how many were discarded when any
///   were. The row shows "paused"; held events of a removed source are discarded.
/// - State changes, stalls and errors emit one dataChanged for the row. A TickIntervalMs ticker
///   (running only while there are rows) emits one dataChanged over the time-dependent columns
///   (RateColumn .. RetryColumn) of all rows.
///
/// Columns: name (short source name, editable; tooltip with URL, transport, protocol, TLS warning
/// for https/wss), transport (effective id: "sse · HTTP/1.1" once an auto source was answered),
/// state (text, colour in ForegroundRole, dot in DecorationRole: "stalled" in amber with the stall
/// text in the tooltip, "paused"), events/s (average over the last RateWindowMs), last event
/// ("0.4 s ago" / "—"), next retry ("in 3.2 s"), error (last error message; the stop reason when
/// the transport stopped without failing).
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
        PausedRole,                   ///< bool
        StalledRole,                  ///< bool, open but silent for several usual intervals
        StallTextRole,                ///< QString, "stalled for 45 s (usually every 15 s)" or empty
    };
    Q_ENUM(Role)

    static constexpr int TickIntervalMs = 250;
    static constexpr int RateWindowMs = 5'000;
    static constexpr int MaxHeldEvents = 20'000;

    /// `registry` must outlive the model.
    explicit SourceListModel(const TransportRegistry *registry, QObject *parent = nullptr);
    ~SourceListModel() override;

    /// Creates the transport (config.transportId, or TransportRegistry::defaultIdForUrl(url) if
    /// empty), opens it, appends a row. Returns the row, or -1 with *error set (unknown transport,
    /// bad URL, the same source already in the list, a name already used).
    int addSource(const TransportConfig &config, QString *error = nullptr);
    /// Applies an edited configuration to `row` (sourceId empty = automatic name) and reopens the
    /// source with it; the row, its counters and its pause state stay. False with *error for the
    /// reasons addSource() refuses (the row itself does not count as a duplicate); the row is left
    /// as it was then. An unchanged configuration changes nothing.
    bool updateSource(int row, const TransportConfig &config, QString *error = nullptr);
    /// updateSource() with only the name changed; an empty name returns to the automatic one.
    bool renameSource(int row, const QString &name, QString *error = nullptr);
    void removeSource(int row);
    /// reconnectNow() on a live transport; open() again with its config once it has closed.
    void reconnectSource(int row);
    void setPaused(int row, bool paused);
    bool isPaused(int row) const;
    Transport *transportAt(int row) const;
    /// The configuration as the user gave it: sourceId is the user-chosen name, empty when the
    /// name is automatic (the transport's config() carries the effective name).
    TransportConfig configAt(int row) const;
    /// The registry id the row was created with ("sse", "websocket", "http" for auto, ...).
    QString transportIdAt(int row) const;
    /// What the row speaks as users read it: "sse" for an auto source once the response chose,
    /// "auto" before; the registry id otherwise.
    QString effectiveTransportAt(int row) const;
    int rowOfSource(const QString &sourceId) const;
    /// Events per second of `row` averaged over the last RateWindowMs (or since it was added).
    double eventRate(int row) const;
    SourceStats statsAt(int row) const;
    /// True when the row's transport is open but has been silent for several usual intervals.
    bool isStalled(int row) const;
    /// True when an insecure-TLS warning applies: insecureTls on an https:// or wss:// URL.
    static bool hasTlsWarning(const TransportConfig &config);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QColor stateColor(Transport::State state, bool failed);
    static QColor pausedColor();

Q_SIGNALS:
    void eventsReceived(const QList<StreamEvent> &events); ///< forwarded from every source
    void sourceError(const QString &sourceId, const TransportError &error);
    /// A row's source id changed (rename or an edit that renamed it automatically).
    void sourceRenamed(const QString &oldSourceId, const QString &newSourceId);
    /// A source left the list (after rowsRemoved).
    void sourceRemoved(const QString &sourceId);
    /// setData() on NameColumn was refused (name in use); the view shows it.
    void renameRefused(int row, const QString &message);

private:
    static constexpr int BinMs = 250;
    static constexpr int BinCount = RateWindowMs / BinMs;

    struct Source
    {
        std::unique_ptr<Transport> transport;
        QString transportId;
        TransportConfig userConfig; ///< as given; sourceId empty = automatic name
        qint64 addedAtMs = 0;
        qint64 lastEventMs = 0;
        quint64 events = 0;
        SourceStats stats;
        bool paused = false;
        bool stalled = false;
        QString stallText;
        QList<StreamEvent> held;
        std::array<quint32, BinCount> bins{}; ///< events per BinMs slot, ring indexed by slot
        qint64 newestBin = 0;                  ///< absolute slot number (epoch ms / BinMs) of the newest bin
    };

    /// Checks `config` for addSource()/updateSource() (`exceptRow` is not compared with) and
    /// returns the config the transport is opened with (transport id resolved, sourceId set).
    std::optional<TransportConfig> resolve(const TransportConfig &config, int exceptRow,
                                           QString *transportId, QString *error) const;
    QList<NamedSource> namedSources(int exceptRow) const;
    std::unique_ptr<Transport> createTransport(const QString &id);
    int rowOf(const Transport *transport) const;
    void handleEvents(Transport *transport, const QList<StreamEvent> &events);
    void handleStateChanged(Transport *transport);
    void handleReconnectScheduled(Transport *transport);
    void handleStallChanged(Transport *transport, bool stalled, const QString &text);
    void handleError(Transport *transport, const TransportError &error);
    void handleTick();
    void emitRowChanged(int row);
    void detach(Transport *transport);
    void hold(Source &source, const QList<StreamEvent> &events);
    QString stateText(const Source &source) const;
    QColor stateTextColor(const Source &source) const;
    QString stateTooltip(const Source &source) const;
    QString liveStallText(const Source &source) const;
    QString tooltip(const Source &source) const;
    QString effectiveTransport(const Source &source) const;
    QImage dot(const QColor &color) const;

    const TransportRegistry *m_registry;
    std::vector<Source> m_sources;
    QTimer m_ticker;
    mutable QList<QPair<QRgb, QImage>> m_dots;
};
