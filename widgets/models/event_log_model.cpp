#include "event_log_model.h"

#include "log_level.h"

#include "models_logging.h"
#include "source_name.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include <algorithm>

namespace {

constexpr QChar LineBreakMark(0x23CE); // ⏎
constexpr QChar Ellipsis(0x2026);      // …

const QColor ErrorForeground(176, 32, 32);
const QColor WarnForeground(168, 100, 0);
const QColor DebugForeground(120, 120, 120);
const QColor GapForeground(94, 64, 0);
const QColor GapBackground(255, 236, 179);

/// `text` on one line: CRLF, LF and CR become ⏎, tabs become spaces, other C0 controls are
/// dropped; at most `maxChars` characters (then "…").
QString oneLine(QStringView text, qsizetype maxChars)
{
    QString out;
    out.reserve(std::min(text.size(), maxChars) + 1);
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (out.size() >= maxChars) {
            out += Ellipsis;
            break;
        }
        const QChar c = text.at(i);
        if (c == QLatin1Char('\r')) {
            if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            out += LineBreakMark;
        } else if (c == QLatin1Char('\n')) {
            out += LineBreakMark;
        } else if (c == QLatin1Char('\t')) {
            out += QLatin1Char(' ');
        } else if (c.unicode() >= 0x20 || c.unicode() == 0) {
            out += c.unicode() == 0 ? QChar(0x2400) : c;
        }
    }
    return out;
}

/// Decodes at most enough bytes of UTF-8 for `maxChars` characters (one char needs <= 4 bytes,
/// so a 16 MB payload is never converted in full for a table cell).
QString decodePrefix(const QByteArray &payload, qsizetype maxChars)
{
    return QString::fromUtf8(QByteArrayView(payload).first(std::min(payload.size(), maxChars * 4 + 4)));
}

QString hexPreview(const QByteArray &payload, qsizetype maxBytes)
{
    QString out = QStringLiteral("binary, %1 bytes").arg(payload.size());
    if (payload.isEmpty())
        return out;
    out += QStringLiteral(": ")
        + QString::fromLatin1(payload.first(std::min(payload.size(), maxBytes)).toHex(' '));
    if (payload.size() > maxBytes)
        out += QLatin1Char(' ') + Ellipsis;
    return out;
}

bool isBinary(const StreamEvent &event)
{
    return event.type == "binary";
}

QString fullText(const StreamEvent &event)
{
    constexpr qsizetype Max = EventLogModel::MaxToolTipChars;
    switch (event.kind) {
    case StreamEvent::Kind::Gap:
        return EventLogModel::displayText(event);
    case StreamEvent::Kind::Error:
    case StreamEvent::Kind::Data:
        break;
    }
    QString text;
    if (isBinary(event)) {
        text = hexPreview(event.payload, 1024);
    } else {
        text = decodePrefix(event.payload, Max);
        if (text.size() > Max)
            text = text.left(Max) + QStringLiteral("\n%1 (%2 bytes in total)")
                                        .arg(Ellipsis)
                                        .arg(event.payload.size());
    }
    if (event.kind == StreamEvent::Kind::Error)
        text = event.detail + QStringLiteral("\n\n") + text;
    return text;
}

} // namespace

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_rows(DefaultCapacity)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventLogModel::flushNow);
}

EventLogModel::~EventLogModel() = default;

void EventLogModel::append(const QList<StreamEvent> &events)
{
    if (events.isEmpty())
        return;
    m_pending.append(events);
    // Everything beyond the capacity would be trimmed by the flush anyway; keep the pending list
    // bounded (trim lazily at twice the cap so that the front removal is amortised).
    const qsizetype cap = m_rows.capacity();
    if (m_pending.size() > 2 * cap) {
        const qsizetype excess = m_pending.size() - cap;
        m_pending.remove(0, excess);
        m_dropped += quint64(excess);
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void EventLogModel::flushNow()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;

    const qsizetype cap = m_rows.capacity();
    if (m_pending.size() > cap) {
        const qsizetype excess = m_pending.size() - cap;
        m_pending.remove(0, excess);
        m_dropped += quint64(excess);
    }
    const qsizetype incoming = m_pending.size();
    const qsizetype overflow = std::max<qsizetype>(0, m_rows.size() + incoming - cap);
    if (overflow > 0)
        trimFront(overflow);

    const int first = int(m_rows.size());
    beginInsertRows(QModelIndex(), first, first + int(incoming) - 1);
    for (StreamEvent &event : m_pending) {
        if (event.kind == StreamEvent::Kind::Gap)
            ++m_gaps;
        m_rows.push_back(std::move(event));
    }
    m_pending.clear();
    endInsertRows();

    Q_EMIT flushed(int(incoming), int(overflow));
}

void EventLogModel::trimFront(qsizetype count)
{
    count = std::min(count, m_rows.size());
    if (count <= 0)
        return;
    beginRemoveRows(QModelIndex(), 0, int(count) - 1);
    for (qsizetype i = 0; i < count; ++i)
        if (m_rows.at(i).kind == StreamEvent::Kind::Gap)
            --m_gaps;
    m_rows.pop_front(count);
    m_dropped += quint64(count);
    endRemoveRows();
}

void EventLogModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_dropped = 0;
    m_gaps = 0;
    m_shortSources.clear();
    endResetModel();
}

void EventLogModel::setCapacity(int capacity)
{
    capacity = std::max(1, capacity);
    if (capacity == m_rows.capacity())
        return;
    if (m_rows.size() > capacity)
        trimFront(m_rows.size() - capacity);
    m_rows.setCapacity(capacity);
    qCDebug(lcModels) << "event log capacity" << capacity;
}

int EventLogModel::capacity() const
{
    return int(m_rows.capacity());
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventLogModel::displayText(const StreamEvent &event)
{
    switch (event.kind) {
    case StreamEvent::Kind::Gap:
        return event.detail.isEmpty()
            ? QStringLiteral("\u2014 reconnected \u2014")
            : QStringLiteral("\u2014 ") + oneLine(event.detail, MaxDisplayChars)
                + QStringLiteral(" \u2014");
    case StreamEvent::Kind::Error: {
        const QString payload = isBinary(event)
            ? hexPreview(event.payload, HexPreviewBytes)
            : oneLine(decodePrefix(event.payload, MaxDisplayChars), MaxDisplayChars);
        if (event.detail.isEmpty())
            return payload;
        const QString detail = oneLine(event.detail, MaxDisplayChars);
        return payload.isEmpty() ? detail : detail + QStringLiteral(": ") + payload;
    }
    case StreamEvent::Kind::Data:
        break;
    }
    if (isBinary(event))
        return hexPreview(event.payload, HexPreviewBytes);
    return oneLine(decodePrefix(event.payload, MaxDisplayChars), MaxDisplayChars);
}

QString EventLogModel::shortSource(const QString &sourceId) const
{
    auto it = m_shortSources.constFind(sourceId);
    if (it == m_shortSources.constEnd())
        it = m_shortSources.insert(sourceId, shortSourceName(sourceId));
    return it.value();
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const StreamEvent &event = m_rows.at(index.row());

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(event.receivedMs).toString(QStringLiteral("HH:mm:ss.zzz"));
        case SourceColumn:
            return shortSource(event.source);
        case TypeColumn:
            return QString::fromUtf8(event.type);
        case IdColumn:
            return QString::fromUtf8(event.id);
        case DataColumn:
            return displayText(event);
        }
        return QVariant();
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(event.receivedMs).toString(Qt::ISODateWithMs);
        case SourceColumn:
            return event.source;
        case DataColumn:
            return fullText(event);
        default:
            return QVariant();
        }
    case Qt::ForegroundRole:
        if (event.kind == StreamEvent::Kind::Error)
            return QBrush(ErrorForeground);
        if (event.kind == StreamEvent::Kind::Gap)
            return QBrush(GapForeground);
        switch (logLevelOf(event)) {
        case LogLevel::Fatal:
        case LogLevel::Error: return QBrush(ErrorForeground);
        case LogLevel::Warn: return QBrush(WarnForeground);
        case LogLevel::Debug:
        case LogLevel::Trace: return QBrush(DebugForeground);
        case LogLevel::Info:
        case LogLevel::None: break;
        }
        return QVariant();
    case Qt::BackgroundRole:
        if (event.kind == StreamEvent::Kind::Gap)
            return QBrush(GapBackground);
        return QVariant();
    case KindRole:
        return int(event.kind);
    case PayloadRole:
        return event.payload;
    case SeqRole:
        return qulonglong(event.seq);
    case ReceivedMsRole:
        return event.receivedMs;
    case DetailRole:
        return event.detail;
    case SourceIdRole:
        return event.source;
    case LevelRole:
        return int(logLevelOf(event));
    default:
        return QVariant();
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case SourceColumn: return tr("Source");
    case TypeColumn: return tr("Type");
    case IdColumn: return tr("ID");
    case DataColumn: return tr("Data");
    default: return QVariant();
    }
}
