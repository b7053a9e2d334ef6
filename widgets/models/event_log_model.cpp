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
const QColor SentForeground(21, 82, 160);
const QColor SentBackground(227, 240, 255);

const QString SentArrow = QStringLiteral("\u2192 ");     // →
const QString ReceivedArrow = QStringLiteral("\u2190 "); // ←

/// `text` on one line: CRLF, LF and CR become ⏎, tabs become spaces, other C0 controls are
/// dropped, NUL shows as ␀; at most `maxChars` characters (then "…"). Runs of ordinary characters
/// are appended at once (this runs for every row the filter looks at).
QString oneLine(QStringView text, qsizetype maxChars)
{
    QString out;
    out.reserve(std::min(text.size(), maxChars) + 1);
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        if (out.size() >= maxChars) {
            out += Ellipsis;
            break;
        }
        const qsizetype limit = std::min(n, i + (maxChars - out.size()));
        qsizetype j = i;
        while (j < limit && text[j].unicode() >= 0x20)
            ++j;
        if (j > i) {
            out.append(text.sliced(i, j - i));
            i = j;
            continue;
        }
        const QChar c = text[i];
        if (c == QLatin1Char('\r')) {
            if (i + 1 < n && text[i + 1] == QLatin1Char('\n'))
                ++i;
            out += LineBreakMark;
        } else if (c == QLatin1Char('\n')) {
            out += LineBreakMark;
        } else if (c == QLatin1Char('\t')) {
            out += QLatin1Char(' ');
        } else if (c.unicode() == 0) {
            out += QChar(0x2400);
        }
        ++i;
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

} // namespace

QString EventLogModel::fullText(const StreamEvent &event)
{
    constexpr qsizetype Max = EventLogModel::MaxToolTipChars;
    switch (event.kind) {
    case StreamEvent::Kind::Gap:
        return EventLogModel::displayText(event);
    case StreamEvent::Kind::Error:
    case StreamEvent::Kind::Data:
    case StreamEvent::Kind::Sent:
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

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_rows(DefaultCapacity)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventLogModel::flushNow);
}

EventLogModel::~EventLogModel() = default;

quint32 EventLogModel::slotFor(const QString &sourceId)
{
    // Fast path: consecutive events of one transport share one QString.
    if (m_hasLastSource
        && (sourceId.constData() == m_lastSource.constData() || sourceId == m_lastSource))
        return m_lastSlot;
    auto it = m_slotById.constFind(sourceId);
    if (it == m_slotById.constEnd()) {
        SourceSlot slot;
        slot.id = sourceId;
        slot.live = true;
        m_slots.push_back(std::move(slot));
        it = m_slotById.insert(sourceId, quint32(m_slots.size() - 1));
        m_sourcesDirty = true;
    }
    m_lastSource = sourceId;
    m_lastSlot = it.value();
    m_hasLastSource = true;
    return m_lastSlot;
}

void EventLogModel::append(const QList<StreamEvent> &events)
{
    if (events.isEmpty())
        return;
    for (const StreamEvent &event : events) {
        const quint32 slot = slotFor(event.source);
        SourceSlot &s = m_slots[slot];
        ++s.pending;
        if (event.kind == StreamEvent::Kind::Sent)
            s.hasSent = true;
        m_pending.push_back(Row{event, slot});
    }
    m_received += quint64(events.size());
    if (qsizetype(m_pending.size()) >= m_rows.capacity()) {
        flushNow(); // bounded memory: the fair-share eviction runs now instead of after the timer
        return;
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

std::vector<qsizetype> EventLogModel::evictionQuotas(qsizetype excess, bool withPending) const
{
    std::vector<qsizetype> quotas(m_slots.size(), 0);
    if (excess <= 0)
        return quotas;
    struct Held
    {
        quint32 slot;
        qsizetype count;
    };
    std::vector<Held> held;
    for (quint32 i = 0; i < quint32(m_slots.size()); ++i) {
        const SourceSlot &s = m_slots[i];
        const qsizetype count = s.rows + (withPending ? s.pending : 0);
        if (s.live && count > 0)
            held.push_back({i, count});
    }
    std::sort(held.begin(), held.end(), [](const Held &a, const Held &b) {
        return a.count != b.count ? a.count > b.count : a.slot < b.slot;
    });
    // Water filling: the smallest k such that lowering the k largest to a common level L frees
    // `excess` rows and L is not below the (k+1)-th largest.
    qsizetype sum = 0;
    for (size_t k = 1; k <= held.size(); ++k) {
        sum += held[k - 1].count;
        const qsizetype keep = sum - excess; // rows the k largest keep together
        const bool last = k == held.size();
        if (keep < 0 && !last)
            continue;
        if (!last && keep < qsizetype(k) * held[k].count)
            continue;
        const qsizetype safeKeep = std::max<qsizetype>(0, keep);
        const qsizetype level = safeKeep / qsizetype(k);
        qsizetype giveBack = safeKeep - level * qsizetype(k); // keep one more row in this many
        for (size_t i = 0; i < k; ++i) {
            qsizetype quota = held[i].count - level;
            if (giveBack > 0 && quota > 0) {
                --quota;
                --giveBack;
            }
            quotas[held[i].slot] = quota;
        }
        break;
    }
    return quotas;
}

void EventLogModel::dropPending(std::vector<qsizetype> &quotas)
{
    size_t out = 0;
    for (size_t i = 0; i < m_pending.size(); ++i) {
        Row &row = m_pending[i];
        qsizetype &quota = quotas[row.slot];
        if (quota > 0) {
            --quota;
            SourceSlot &s = m_slots[row.slot];
            --s.pending;
            ++s.evicted;
            ++m_dropped;
            continue;
        }
        if (out != i)
            m_pending[out] = std::move(row);
        ++out;
    }
    m_pending.resize(out);
}

qsizetype EventLogModel::evict(std::vector<qsizetype> quotas)
{
    // Table rows are older than pending ones: they go first.
    std::vector<qsizetype> pendingQuotas(quotas.size(), 0);
    qsizetype remaining = 0;
    for (size_t i = 0; i < quotas.size(); ++i) {
        const qsizetype fromTable = std::min(quotas[i], m_slots[i].rows);
        pendingQuotas[i] = quotas[i] - fromTable;
        quotas[i] = fromTable;
        remaining += fromTable;
    }
    dropPending(pendingQuotas);

    std::vector<Run> runs;
    const qsizetype total = remaining;
    for (qsizetype i = 0; i < m_rows.size() && remaining > 0; ++i) {
        qsizetype &quota = quotas[m_rows.at(i).slot];
        if (quota == 0)
            continue;
        --quota;
        --remaining;
        if (!runs.empty() && runs.back().first + runs.back().count == i)
            ++runs.back().count;
        else
            runs.push_back({i, 1});
    }
    removeRuns(runs, true);
    return total;
}

void EventLogModel::forgetRow(const Row &row, bool countAsDropped)
{
    SourceSlot &s = m_slots[row.slot];
    --s.rows;
    if (row.event.kind == StreamEvent::Kind::Gap) {
        --s.gaps;
        --m_gaps;
    }
    if (countAsDropped) {
        ++s.evicted;
        ++m_dropped;
    }
}

void EventLogModel::removeRuns(const std::vector<Run> &runs, bool countAsDropped)
{
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        beginRemoveRows(QModelIndex(), int(it->first), int(it->first + it->count - 1));
        for (qsizetype i = it->first; i < it->first + it->count; ++i)
            forgetRow(m_rows.at(i), countAsDropped);
        m_rows.erase(it->first, it->count);
        endRemoveRows();
    }
}

void EventLogModel::flushNow()
{
    m_flushTimer.stop();
    if (m_pending.empty())
        return;

    const qsizetype excess = m_rows.size() + qsizetype(m_pending.size()) - m_rows.capacity();
    const qsizetype removed = excess > 0 ? evict(evictionQuotas(excess, true)) : 0;

    const qsizetype incoming = qsizetype(m_pending.size());
    if (incoming > 0) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(incoming) - 1);
        for (Row &row : m_pending) {
            SourceSlot &s = m_slots[row.slot];
            --s.pending;
            ++s.rows;
            if (row.event.kind == StreamEvent::Kind::Gap) {
                ++s.gaps;
                ++m_gaps;
            }
            m_rows.push_back(std::move(row));
        }
        m_pending.clear();
        endInsertRows();
    }
    if (m_sourcesDirty) {
        m_sourcesDirty = false;
        Q_EMIT sourcesChanged();
    }
    Q_EMIT flushed(int(incoming), int(removed));
}

void EventLogModel::removeSource(const QString &sourceId)
{
    const auto found = m_slotById.constFind(sourceId);
    if (found == m_slotById.constEnd())
        return;
    const quint32 slot = found.value();

    size_t out = 0;
    for (size_t i = 0; i < m_pending.size(); ++i) {
        if (m_pending[i].slot == slot)
            continue;
        if (out != i)
            m_pending[out] = std::move(m_pending[i]);
        ++out;
    }
    m_pending.resize(out);
    m_slots[slot].pending = 0;

    std::vector<Run> runs;
    bool tooMany = false;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).slot != slot)
            continue;
        if (!runs.empty() && runs.back().first + runs.back().count == i) {
            ++runs.back().count;
        } else if (runs.size() == size_t(MaxRemovalRuns)) {
            tooMany = true;
            break;
        } else {
            runs.push_back({i, 1});
        }
    }
    if (tooMany)
        removeRowsByLayout(slot);
    else
        removeRuns(runs, false);

    m_slots[slot] = SourceSlot{};
    m_slotById.remove(sourceId);
    m_shortSources.remove(sourceId);
    m_hasLastSource = false;
    m_lastSource.clear();
    Q_EMIT sourcesChanged();
}

void EventLogModel::removeRowsByLayout(quint32 slot)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    std::vector<int> newRow(size_t(m_rows.size()), -1);
    RingBuffer<Row> kept(m_rows.capacity());
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows.at(i);
        if (row.slot == slot) {
            forgetRow(row, false);
            continue;
        }
        newRow[size_t(i)] = int(kept.size());
        kept.push_back(std::move(row));
    }
    m_rows = std::move(kept);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &index : before) {
        const int row = index.row() < int(newRow.size()) ? newRow[size_t(index.row())] : -1;
        after.append(row < 0 ? QModelIndex() : createIndex(row, index.column()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void EventLogModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_slots.clear();
    m_slotById.clear();
    m_hasLastSource = false;
    m_lastSource.clear();
    m_sourcesDirty = false;
    m_dropped = 0;
    m_received = 0;
    m_gaps = 0;
    m_shortSources.clear();
    endResetModel();
    Q_EMIT sourcesChanged();
}

void EventLogModel::setCapacity(int capacity)
{
    capacity = std::max(1, capacity);
    if (capacity == m_rows.capacity())
        return;
    if (m_rows.size() > capacity)
        evict(evictionQuotas(m_rows.size() - capacity, false));
    m_rows.setCapacity(capacity);
    qCDebug(lcModels) << "event log capacity" << capacity;
}

int EventLogModel::capacity() const
{
    return int(m_rows.capacity());
}

QStringList EventLogModel::sources() const
{
    QStringList out;
    for (const SourceSlot &s : m_slots)
        if (s.live)
            out.append(s.id);
    return out;
}

int EventLogModel::rowCountOf(const QString &sourceId) const
{
    const auto it = m_slotById.constFind(sourceId);
    return it == m_slotById.constEnd() ? 0 : int(m_slots[it.value()].rows);
}

quint64 EventLogModel::evictedCount(const QString &sourceId) const
{
    const auto it = m_slotById.constFind(sourceId);
    return it == m_slotById.constEnd() ? 0 : m_slots[it.value()].evicted;
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
    case StreamEvent::Kind::Sent:
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
    const Row &row = m_rows.at(index.row());
    const StreamEvent &event = row.event;

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
            if (event.kind == StreamEvent::Kind::Sent)
                return QString(SentArrow + displayText(event));
            if (event.kind == StreamEvent::Kind::Data && m_slots[row.slot].hasSent)
                return QString(ReceivedArrow + displayText(event));
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
            if (event.kind == StreamEvent::Kind::Sent)
                return QString(tr("Sent by LiveDash:") + QLatin1Char('\n') + fullText(event));
            return fullText(event);
        default:
            return QVariant();
        }
    case Qt::ForegroundRole:
        if (event.kind == StreamEvent::Kind::Error)
            return QBrush(ErrorForeground);
        if (event.kind == StreamEvent::Kind::Gap)
            return QBrush(GapForeground);
        if (event.kind == StreamEvent::Kind::Sent)
            return QBrush(SentForeground);
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
        if (event.kind == StreamEvent::Kind::Sent)
            return QBrush(SentBackground);
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
