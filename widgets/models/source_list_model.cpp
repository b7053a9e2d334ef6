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

bool isTlsScheme(const QString &scheme)
{
    return scheme.compare(QLatin1String("https"), Qt::CaseInsensitive) == 0
        || scheme.compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0;
}

/// Everything that makes the transport behave differently; sourceId is compared separately.
bool sameSettings(const TransportConfig &a, const TransportConfig &b)
{
    return a.url == b.url && a.transportId == b.transportId && a.headers == b.headers
        && a.body == b.body && a.insecureTls == b.insecureTls && a.reconnect == b.reconnect
        && a.maxLineBytes == b.maxLineBytes && a.pingIntervalMs == b.pingIntervalMs
        && a.subprotocols == b.subprotocols && a.secretHeaders == b.secretHeaders
        && a.connectTimeoutMs == b.connectTimeoutMs && a.idleTimeoutMs == b.idleTimeoutMs
        && a.detectStalls == b.detectStalls && a.finalCloseCodes == b.finalCloseCodes
        && a.backoff.initialMs == b.backoff.initialMs && a.backoff.maxMs == b.backoff.maxMs
        && a.backoff.multiplier == b.backoff.multiplier && a.backoff.jitter == b.backoff.jitter;
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

QList<NamedSource> SourceListModel::namedSources(int exceptRow) const
{
    QList<NamedSource> out;
    out.reserve(qsizetype(m_sources.size()));
    for (size_t i = 0; i < m_sources.size(); ++i)
        if (int(i) != exceptRow)
            out.append(NamedSource{m_sources[i].transport->sourceId(), m_sources[i].userConfig,
                                   m_sources[i].transportId});
    return out;
}

std::optional<TransportConfig> SourceListModel::resolve(const TransportConfig &config, int exceptRow,
                                                        QString *transportId, QString *error) const
{
    auto fail = [error](const QString &message) {
        qCInfo(lcModels).noquote() << "cannot use source:" << message;
        if (error)
            *error = message;
        return std::nullopt;
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
    for (size_t i = 0; i < m_sources.size(); ++i) {
        const Source &other = m_sources[i];
        if (int(i) != exceptRow && isSameSource(config, id, other.userConfig, other.transportId))
            return fail(tr("This source is already in the list as \"%1\" (same URL, transport, "
                           "headers and body)").arg(shortSourceName(other.transport->sourceId())));
    }
    const QList<NamedSource> others = namedSources(exceptRow);
    TransportConfig out = config;
    out.transportId = id;
    const QString name = config.sourceId.trimmed();
    if (name.isEmpty()) {
        out.sourceId = uniqueSourceName(config, id, others);
    } else if (isSourceNameTaken(name, others)) {
        return fail(tr("Another source is already named \"%1\"").arg(shortSourceName(name)));
    } else {
        out.sourceId = name;
    }
    *transportId = id;
    return out;
}

std::unique_ptr<Transport> SourceListModel::createTransport(const QString &id)
{
    std::unique_ptr<Transport> transport = m_registry->create(id, nullptr);
    if (!transport)
        return nullptr;
    Transport *t = transport.get();
    connect(t, &Transport::eventsReceived, this,
            [this, t](const QList<StreamEvent> &events) { handleEvents(t, events); });
    connect(t, &Transport::stateChanged, this, [this, t] { handleStateChanged(t); });
    connect(t, &Transport::reconnectScheduled, this, [this, t] { handleReconnectScheduled(t); });
    connect(t, &Transport::stallChanged, this,
            [this, t](bool stalled, const QString &text) { handleStallChanged(t, stalled, text); });
    connect(t, &Transport::errorOccurred, this,
            [this, t](const TransportError &e) { handleError(t, e); });
    return transport;
}

int SourceListModel::addSource(const TransportConfig &config, QString *error)
{
    QString id;
    const std::optional<TransportConfig> resolved = resolve(config, -1, &id, error);
    if (!resolved)
        return -1;
    std::unique_ptr<Transport> transport = createTransport(id);
    if (!transport) {
        if (error)
            *error = tr("Transport \"%1\" could not be created").arg(id);
        return -1;
    }
    Transport *t = transport.get();

    const int row = int(m_sources.size());
    beginInsertRows(QModelIndex(), row, row);
    Source source;
    source.transport = std::move(transport);
    source.transportId = id;
    source.userConfig = config;
    source.userConfig.sourceId = config.sourceId.trimmed();
    source.addedAtMs = nowMs();
    m_sources.push_back(std::move(source));
    endInsertRows();

    if (!m_ticker.isActive())
        m_ticker.start();
    t->open(*resolved);
    return row;
}

bool SourceListModel::updateSource(int row, const TransportConfig &config, QString *error)
{
    if (row < 0 || row >= rowCount()) {
        if (error)
            *error = tr("The source is no longer in the list");
        return false;
    }
    QString id;
    const std::optional<TransportConfig> resolved = resolve(config, row, &id, error);
    if (!resolved)
        return false;
    Source &s = m_sources[size_t(row)];
    const QString oldName = s.transport->sourceId();
    if (id == s.transportId && resolved->sourceId == oldName
        && sameSettings(*resolved, s.transport->config()))
        return true; // nothing changed: keep the connection

    if (id != s.transportId) {
        std::unique_ptr<Transport> replacement = createTransport(id);
        if (!replacement) {
            if (error)
                *error = tr("Transport \"%1\" could not be created").arg(id);
            return false;
        }
        detach(s.transport.get());
        s.transport->close();
        s.transport.release()->deleteLater(); // may still have queued work (replies, sockets)
        s.transport = std::move(replacement);
        s.transportId = id;
    }
    s.userConfig = config;
    s.userConfig.sourceId = config.sourceId.trimmed();
    s.stalled = false;
    s.stallText.clear();
    qCInfo(lcModels).noquote() << "reopening" << oldName << "as" << resolved->sourceId;
    Transport *t = s.transport.get();
    t->open(*resolved); // restarts with the new configuration
    emitRowChanged(row);
    if (resolved->sourceId != oldName)
        Q_EMIT sourceRenamed(oldName, resolved->sourceId);
    return true;
}

bool SourceListModel::renameSource(int row, const QString &name, QString *error)
{
    if (row < 0 || row >= rowCount()) {
        if (error)
            *error = tr("The source is no longer in the list");
        return false;
    }
    TransportConfig config = m_sources[size_t(row)].userConfig;
    config.sourceId = name.trimmed();
    return updateSource(row, config, error);
}

void SourceListModel::removeSource(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    Transport *t = m_sources[size_t(row)].transport.get();
    const QString sourceId = t->sourceId();
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
    Q_EMIT sourceRemoved(sourceId);
}

void SourceListModel::reconnectSource(int row)
{
    Transport *t = transportAt(row);
    if (!t)
        return;
    ++m_sources[size_t(row)].stats.reconnects;
    if (t->state() == Transport::State::Closed || t->state() == Transport::State::Idle)
        t->open(t->config());
    else
        t->reconnectNow();
    emitRowChanged(rowOf(t));
}

void SourceListModel::setPaused(int row, bool paused)
{
    if (row < 0 || row >= rowCount())
        return;
    Source &s = m_sources[size_t(row)];
    if (s.paused == paused)
        return;
    s.paused = paused;
    if (paused) {
        emitRowChanged(row);
        return;
    }
    QList<StreamEvent> batch;
    batch.swap(s.held);
    const quint64 dropped = s.stats.dropped;
    s.stats.held = 0;
    s.stats.dropped = 0;
    if (dropped > 0 && !batch.isEmpty()) {
        StreamEvent gap;
        gap.kind = StreamEvent::Kind::Gap;
        gap.source = batch.first().source;
        gap.seq = batch.first().seq > 0 ? batch.first().seq - 1 : 0;
        gap.receivedMs = batch.first().receivedMs;
        gap.type = QByteArrayLiteral("gap");
        gap.detail = (dropped == 1 ? tr("paused: 1 event not kept") : tr("paused: %1 events not kept").arg(dropped))
            + tr(" (at most %1 are held while paused)").arg(MaxHeldEvents);
        batch.prepend(gap);
    }
    emitRowChanged(row);
    if (!batch.isEmpty())
        Q_EMIT eventsReceived(batch);
}

bool SourceListModel::isPaused(int row) const
{
    return row >= 0 && row < rowCount() && m_sources[size_t(row)].paused;
}

void SourceListModel::hold(Source &source, const QList<StreamEvent> &events)
{
    source.held.append(events);
    const qsizetype excess = source.held.size() - MaxHeldEvents;
    if (excess > 0) {
        source.held.remove(0, excess);
        source.stats.dropped += quint64(excess);
    }
    source.stats.held = quint64(source.held.size());
}

Transport *SourceListModel::transportAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return m_sources[size_t(row)].transport.get();
}

TransportConfig SourceListModel::configAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return TransportConfig();
    return m_sources[size_t(row)].userConfig;
}

QString SourceListModel::transportIdAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return QString();
    return m_sources[size_t(row)].transportId;
}

QString SourceListModel::effectiveTransportAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return QString();
    return effectiveTransport(m_sources[size_t(row)]);
}

QString SourceListModel::effectiveTransport(const Source &source) const
{
    const QString effective = source.transport->effectiveTransportId();
    return transportDisplayName(effective.isEmpty() ? source.transportId : effective);
}

SourceStats SourceListModel::statsAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return SourceStats();
    return m_sources[size_t(row)].stats;
}

bool SourceListModel::isStalled(int row) const
{
    if (row < 0 || row >= rowCount())
        return false;
    const Source &s = m_sources[size_t(row)];
    return s.stalled && s.transport->state() == Transport::State::Open;
}

bool SourceListModel::hasTlsWarning(const TransportConfig &config)
{
    return config.insecureTls && isTlsScheme(config.url.scheme());
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
    if (row < 0 || events.isEmpty()) {
        Q_EMIT eventsReceived(events);
        return;
    }
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
    for (const StreamEvent &event : events) {
        switch (event.kind) {
        case StreamEvent::Kind::Data:
            ++s.stats.received;
            ++counted;
            break;
        case StreamEvent::Kind::Error:
            ++s.stats.errors;
            ++counted;
            break;
        case StreamEvent::Kind::Sent:
            ++s.stats.sent;
            break;
        case StreamEvent::Kind::Gap:
            break;
        }
    }
    if (counted > 0) {
        s.bins[size_t(slot % BinCount)] += counted;
        s.events += counted;
        s.lastEventMs = now;
    }
    if (s.paused) {
        hold(s, events);
        return;
    }
    Q_EMIT eventsReceived(events);
}

void SourceListModel::handleStateChanged(Transport *transport)
{
    const int row = rowOf(transport);
    if (row >= 0 && transport->state() != Transport::State::Open) {
        // A stall belongs to one open connection; the transport says nothing when it drops.
        m_sources[size_t(row)].stalled = false;
        m_sources[size_t(row)].stallText.clear();
    }
    emitRowChanged(row);
}

void SourceListModel::handleReconnectScheduled(Transport *transport)
{
    const int row = rowOf(transport);
    if (row >= 0)
        ++m_sources[size_t(row)].stats.reconnects;
    emitRowChanged(row);
}

void SourceListModel::handleStallChanged(Transport *transport, bool stalled, const QString &text)
{
    const int row = rowOf(transport);
    if (row < 0)
        return;
    Source &s = m_sources[size_t(row)];
    s.stalled = stalled;
    s.stallText = stalled ? text : QString();
    emitRowChanged(row);
}

void SourceListModel::handleError(Transport *transport, const TransportError &error)
{
    const int row = rowOf(transport);
    if (row >= 0)
        ++m_sources[size_t(row)].stats.errors;
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

QColor SourceListModel::pausedColor()
{
    return QColor(21, 101, 192); // blue: the user's choice, not a connection problem
}

QString SourceListModel::stateText(const Source &source) const
{
    const Transport &t = *source.transport;
    if (t.state() == Transport::State::Closed)
        return t.hasFailed() ? tr("failed") : Transport::stateName(t.state());
    if (source.paused)
        return tr("paused");
    if (source.stalled && t.state() == Transport::State::Open)
        return tr("stalled");
    return Transport::stateName(t.state());
}

QColor SourceListModel::stateTextColor(const Source &source) const
{
    const Transport &t = *source.transport;
    if (t.state() == Transport::State::Closed)
        return stateColor(t.state(), t.hasFailed());
    if (source.paused)
        return pausedColor();
    if (source.stalled && t.state() == Transport::State::Open)
        return stateColor(Transport::State::Reconnecting, false); // amber
    return stateColor(t.state(), t.hasFailed());
}

QString SourceListModel::liveStallText(const Source &source) const
{
    // The transport's text counts the silence up to now; the one from the signal is a snapshot.
    const QString live = source.transport->stallText();
    return live.isEmpty() ? source.stallText : live;
}

QString SourceListModel::stateTooltip(const Source &source) const
{
    const Transport &t = *source.transport;
    QStringList lines;
    if (source.paused) {
        lines.append(tr("Paused: events are held (%1 now, %2 discarded), the connection is %3")
                         .arg(source.stats.held).arg(source.stats.dropped).arg(Transport::stateName(t.state())));
    }
    if (source.stalled && t.state() == Transport::State::Open)
        lines.append(liveStallText(source));
    return lines.join(QLatin1Char('\n'));
}

QString SourceListModel::tooltip(const Source &source) const
{
    const Transport &t = *source.transport;
    QString text = t.sourceId();
    if (text != redactedUrl(t.config().url))
        text += QLatin1Char('\n') + redactedUrl(t.config().url);
    text += QLatin1Char('\n') + tr("Transport: %1").arg(effectiveTransport(source));
    if (source.transportId == QLatin1String("http"))
        text += QLatin1Char(' ') + tr("(auto: the response's Content-Type decides)");
    if (!t.protocolInfo().isEmpty())
        text += QLatin1Char('\n') + tr("Protocol: %1").arg(t.protocolInfo());
    if (hasTlsWarning(t.config()))
        text += QLatin1Char('\n') + tr("\u26A0 TLS verification OFF: the server is not authenticated");
    text += QLatin1Char('\n') + tr("F2 renames; Ctrl+E or a double click edits the settings");
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

Qt::ItemFlags SourceListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags out = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == NameColumn)
        out |= Qt::ItemIsEditable;
    return out;
}

bool SourceListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || index.column() != NameColumn
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const int row = index.row();
    const QString name = value.toString().trimmed();
    // The editor starts from the short name: leaving it unchanged is no rename.
    const Source &s = m_sources[size_t(row)];
    if (name == shortSourceName(s.transport->sourceId()) || name == s.transport->sourceId())
        return true;
    QString error;
    if (!renameSource(row, name, &error)) {
        Q_EMIT renameRefused(row, error);
        return false;
    }
    return true;
}

QVariant SourceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Source &s = m_sources[size_t(index.row())];
    const Transport &t = *s.transport;

    switch (role) {
    case Qt::EditRole:
        if (index.column() == NameColumn)
            return s.userConfig.sourceId.isEmpty() ? shortSourceName(t.sourceId()) : s.userConfig.sourceId;
        return QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return shortSourceName(t.sourceId()); // the full, redacted URL is in the tooltip
        case TransportColumn: {
            const QString transport = effectiveTransport(s);
            return t.protocolInfo().isEmpty() ? transport
                                              : transport + QStringLiteral(" \u00B7 ") + t.protocolInfo();
        }
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
        case StateColumn: {
            const QString text = stateTooltip(s);
            return text.isEmpty() ? QVariant() : QVariant(text);
        }
        case ErrorColumn:
            if (t.lastError())
                return tr("%1 error: %2").arg(t.lastError()->kindName(), t.lastError()->message);
            return QVariant();
        default:
            return QVariant();
        }
    case Qt::ForegroundRole:
        if (index.column() == StateColumn)
            return QBrush(stateTextColor(s));
        if (index.column() == ErrorColumn && t.lastError())
            return QBrush(stateColor(Transport::State::Closed, true));
        if (index.column() == NameColumn && hasTlsWarning(t.config()))
            return QBrush(stateColor(Transport::State::Reconnecting, false));
        return QVariant();
    case Qt::DecorationRole:
        // The dot keeps the connection's colour while the text says "paused".
        if (index.column() == StateColumn)
            return dot(s.stalled && t.state() == Transport::State::Open
                           ? stateColor(Transport::State::Reconnecting, false)
                           : stateColor(t.state(), t.hasFailed()));
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
    case PausedRole:
        return s.paused;
    case StalledRole:
        return s.stalled && t.state() == Transport::State::Open;
    case StallTextRole:
        return s.stalled && t.state() == Transport::State::Open
            ? liveStallText(s)
            : QString();
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
