#include "source_list_model.h"

#include "redaction.h"
#include "source_name.h"

#include "models_logging.h"

#include <QBrush>
#include <QDateTime>
#include <QPainter>

#include <algorithm>

namespace {

constexpr QChar EmDash(0x2014);

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString agoText(qint64 ms)
{
    ms = std::max<qint64>(0, ms);
    if (ms < 10'000)
        return SourceListModel::tr("%1 s ago").arg(double(ms) / 1000.0, 0, 'f', 1);
    if (ms < 60'000)
        return SourceListModel::tr("%1 s ago").arg(ms / 1000);
    if (ms < 3'600'000)
        return SourceListModel::tr("%1 min ago").arg(ms / 60'000);
    return SourceListModel::tr("%1 h ago").arg(ms / 3'600'000);
}

} // namespace

SourceListModel::SourceListModel(const TransportRegistry *registry, QObject *parent)
    : QAbstractTableModel(parent)
    , m_registry(registry)
{
    Q_ASSERT(registry);
    m_ticker.setInterval(TickIntervalMs);
    connect(&m_ticker, &QTimer::timeout, this, &SourceListModel::handleTick);
}

SourceListModel::~SourceListModel()
{
    // Close while the model is still whole: nothing may call back into a half-destroyed model.
    for (Source &source : m_sources) {
        detach(source.transport.get());
        source.transport->close();
    }
}

void SourceListModel::detach(Transport *transport)
{
    disconnect(transport, nullptr, this, nullptr);
}

int SourceListModel::addSource(const TransportConfig &config, QString *error)
{
    auto fail = [error](const QString &message) {
        qCInfo(lcModels).noquote() << "cannot add source:" << message;
        if (error)
            *error = message;
        return -1;
    };
    if (!config.url.isValid() || config.url.scheme().isEmpty())
        return fail(tr("Invalid URL: %1").arg(config.url.errorString().isEmpty()
                                                  ? redactedUrl(config.url)
                                                  : config.url.errorString()));
    const QString id = config.transportId.isEmpty()
        ? TransportRegistry::defaultIdForUrl(config.url)
        : config.transportId;
    if (id.isEmpty())
        return fail(tr("No transport for URL scheme \"%1\"; choose one").arg(config.url.scheme()));
    if (!m_registry->contains(id))
        return fail(tr("Unknown transport \"%1\"").arg(id));
    const QString sourceId = config.effectiveSourceId();
    if (rowOfSource(sourceId) >= 0)
        return fail(tr("Source %1 is already in the list").arg(sourceId));

    std::unique_ptr<Transport> transport = m_registry->create(id, nullptr);
    if (!transport)
        return fail(tr("Transport \"%1\" could not be created").arg(id));

    Transport *t = transport.get();
    connect(t, &Transport::eventsReceived, this,
            [this, t](const QList<StreamEvent> &events) { handleEvents(t, events); });
    connect(t, &Transport::stateChanged, this, [this, t] { handleStateChanged(t); });
    connect(t, &Transport::reconnectScheduled, this, [this, t] { handleStateChanged(t); });
    connect(t, &Transport::errorOccurred, this,
            [this, t](const TransportError &e) { handleError(t, e); });

    const int row = int(m_sources.size());
    beginInsertRows(QModelIndex(), row, row);
    Source source;
    source.transport = std::move(transport);
    source.transportId = id;
    source.addedAtMs = nowMs();
    m_sources.push_back(std::move(source));
    endInsertRows();

    if (!m_ticker.isActive())
        m_ticker.start();
    t->open(config);
    return row;
}

void SourceListModel::removeSource(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    Transport *t = m_sources[size_t(row)].transport.get();
    detach(t);
    t->close();
    beginRemoveRows(QModelIndex(), row, row);
    std::unique_ptr<Transport> transport = std::move(m_sources[size_t(row)].transport);
    m_sources.erase(m_sources.begin() + row);
    endRemoveRows();
    // The transport may still have queued work (replies, sockets) referring to it.
    transport.release()->deleteLater();
    if (m_sources.empty())
        m_ticker.stop();
}

void SourceListModel::reconnectSource(int row)
{
    Transport *t = transportAt(row);
    if (!t)
        return;
    if (t->state() == Transport::State::Closed || t->state() == Transport::State::Idle)
        t->open(t->config());
    else
        t->reconnectNow();
}

Transport *SourceListModel::transportAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return m_sources[size_t(row)].transport.get();
}

QString SourceListModel::transportIdAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return QString();
    return m_sources[size_t(row)].transportId;
}

int SourceListModel::rowOfSource(const QString &sourceId) const
{
    for (size_t i = 0; i < m_sources.size(); ++i)
        if (m_sources[i].transport->sourceId() == sourceId)
            return int(i);
    return -1;
}

int SourceListModel::rowOf(const Transport *transport) const
{
    for (size_t i = 0; i < m_sources.size(); ++i)
        if (m_sources[i].transport.get() == transport)
            return int(i);
    return -1;
}

double SourceListModel::eventRate(int row) const
{
    if (row < 0 || row >= rowCount())
        return 0.0;
    const Source &s = m_sources[size_t(row)];
    const qint64 now = nowMs();
    const qint64 slot = now / BinMs;
    quint64 sum = 0;
    const qint64 oldest = std::max(s.newestBin - BinCount + 1, slot - BinCount + 1);
    for (qint64 bin = oldest; bin <= s.newestBin; ++bin)
        sum += s.bins[size_t(bin % BinCount)];
    const qint64 spanMs = std::clamp<qint64>(now - s.addedAtMs, 1'000, RateWindowMs);
    return double(sum) * 1000.0 / double(spanMs);
}

void SourceListModel::handleEvents(Transport *transport, const QList<StreamEvent> &events)
{
    const int row = rowOf(transport);
    if (row >= 0 && !events.isEmpty()) {
        Source &s = m_sources[size_t(row)];
        const qint64 now = nowMs();
        const qint64 slot = now / BinMs;
        if (slot > s.newestBin) {
            const qint64 first = std::max(s.newestBin + 1, slot - BinCount + 1);
            for (qint64 bin = first; bin <= slot; ++bin)
                s.bins[size_t(bin % BinCount)] = 0;
            s.newestBin = slot;
        }
        quint32 counted = 0;
        for (const StreamEvent &event : events)
            if (event.kind != StreamEvent::Kind::Gap)
                ++counted;
        s.bins[size_t(slot % BinCount)] += counted;
        s.events += counted;
        s.lastEventMs = now;
    }
    Q_EMIT eventsReceived(events);
}

void SourceListModel::handleStateChanged(Transport *transport)
{
    emitRowChanged(rowOf(transport));
}

void SourceListModel::handleError(Transport *transport, const TransportError &error)
{
    const int row = rowOf(transport);
    emitRowChanged(row);
    Q_EMIT sourceError(transport->sourceId(), error);
}

void SourceListModel::emitRowChanged(int row)
{
    if (row < 0)
        return;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void SourceListModel::handleTick()
{
    if (m_sources.empty())
        return;
    Q_EMIT dataChanged(index(0, RateColumn), index(rowCount() - 1, RetryColumn),
                       {Qt::DisplayRole});
}

int SourceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_sources.size());
}

int SourceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor SourceListModel::stateColor(Transport::State state, bool failed)
{
    switch (state) {
    case Transport::State::Open:
        return QColor(46, 125, 50); // green
    case Transport::State::Connecting:
    case Transport::State::Reconnecting:
        return QColor(178, 106, 0); // amber, dark enough to read on white
    case Transport::State::Closed:
        return failed ? QColor(198, 40, 40) : QColor(117, 117, 117);
    case Transport::State::Idle:
        break;
    }
    return QColor(117, 117, 117);
}

QString SourceListModel::stateText(const Source &source) const
{
    const Transport &t = *source.transport;
    if (t.state() == Transport::State::Closed && t.hasFailed())
        return tr("failed");
    return Transport::stateName(t.state());
}

QString SourceListModel::tooltip(const Source &source) const
{
    const Transport &t = *source.transport;
    QString text = redactedUrl(t.config().url) + QLatin1Char('\n')
        + tr("Transport: %1").arg(source.transportId);
    if (!t.protocolInfo().isEmpty())
        text += QLatin1Char('\n') + tr("Protocol: %1").arg(t.protocolInfo());
    if (t.config().insecureTls)
        text += QLatin1Char('\n') + tr("\u26A0 TLS verification OFF: the server is not authenticated");
    return text;
}

QImage SourceListModel::dot(const QColor &color) const
{
    for (const auto &entry : std::as_const(m_dots))
        if (entry.first == color.rgb())
            return entry.second;
    constexpr int Size = 10;
    QImage image(Size, Size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(QRectF(1, 1, Size - 2, Size - 2));
    }
    m_dots.append({color.rgb(), image});
    return image;
}

QVariant SourceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Source &s = m_sources[size_t(index.row())];
    const Transport &t = *s.transport;

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return shortSourceName(t.sourceId()); // the full, redacted URL is in the tooltip
        case TransportColumn:
            return t.protocolInfo().isEmpty()
                ? s.transportId
                : s.transportId + QStringLiteral(" \u00B7 ") + t.protocolInfo();
        case StateColumn:
            return stateText(s);
        case RateColumn: {
            const double rate = eventRate(index.row());
            return rate < 10.0 ? QString::number(rate, 'f', 1) : QString::number(qRound64(rate));
        }
        case LastEventColumn:
            return s.lastEventMs == 0 ? QString(EmDash) : agoText(nowMs() - s.lastEventMs);
        case RetryColumn:
            if (t.nextRetryAtMs() <= 0)
                return QString();
            return tr("in %1 s").arg(double(std::max<qint64>(0, t.nextRetryAtMs() - nowMs())) / 1000.0,
                                     0, 'f', 1);
        case ErrorColumn:
            if (t.lastError())
                return t.lastError()->message;
            if (t.state() == Transport::State::Closed)
                return t.stopReason();
            return QString();
        }
        return QVariant();
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NameColumn:
        case TransportColumn:
            return tooltip(s);
        case ErrorColumn:
            if (t.lastError())
                return tr("%1 error: %2").arg(t.lastError()->kindName(), t.lastError()->message);
            return QVariant();
        default:
            return QVariant();
        }
    case Qt::ForegroundRole:
        if (index.column() == StateColumn)
            return QBrush(stateColor(t.state(), t.hasFailed()));
        if (index.column() == ErrorColumn && t.lastError())
            return QBrush(stateColor(Transport::State::Closed, true));
        if (index.column() == NameColumn && t.config().insecureTls)
            return QBrush(stateColor(Transport::State::Reconnecting, false));
        return QVariant();
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return dot(stateColor(t.state(), t.hasFailed()));
        return QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == RateColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case StateRole:
        return int(t.state());
    case SourceIdRole:
        return t.sourceId();
    case IsDuplexRole:
        return t.isDuplex();
    case FailedRole:
        return t.hasFailed();
    case EventCountRole:
        return qulonglong(s.events);
    default:
        return QVariant();
    }
}

QVariant SourceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Source");
    case TransportColumn: return tr("Transport");
    case StateColumn: return tr("State");
    case RateColumn: return tr("Events/s");
    case LastEventColumn: return tr("Last event");
    case RetryColumn: return tr("Retry");
    case ErrorColumn: return tr("Error");
    default: return QVariant();
    }
}
