#include "resource_table_model.h"

#include "printable.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QSet>

#include <algorithm>
#include <limits>
#include <optional>

namespace {

const QColor GoodForeground(27, 122, 52);
const QColor ProgressForeground(168, 100, 0);
const QColor BadForeground(176, 32, 32);
const QColor TerminatingForeground(120, 120, 120);

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + doe - 719468;
}

int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/// Epoch ms of an RFC 3339 timestamp as Kubernetes writes metadata times ("2024-05-01T10:00:00Z",
/// maybe with fractions or an offset); 0 when it is not one. The fixed layout is read directly
/// (this runs for every added row), anything else goes through QDateTime.
qint64 parseTimestamp(const QByteArray &text)
{
    if (text.size() == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':'
        && text[16] == ':' && text[19] == 'Z') {
        const char *p = text.constData();
        const int y = digits(p, 4), mo = digits(p + 5, 2), d = digits(p + 8, 2);
        const int h = digits(p + 11, 2), mi = digits(p + 14, 2), s = digits(p + 17, 2);
        if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && mi >= 0 && s >= 0)
            return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60'000 + qint64(s) * 1000;
        return 0;
    }
    if (text.isEmpty())
        return 0;
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

/// The number a cell starts with ("3 (2m ago)" → 3), or nullopt.
std::optional<qint64> leadingNumber(const QString &text)
{
    qsizetype i = 0;
    bool negative = false;
    if (i < text.size() && text[i] == u'-') {
        negative = true;
        ++i;
    }
    const qsizetype start = i;
    qint64 v = 0;
    while (i < text.size() && text[i].isDigit() && i - start < 18)
        v = v * 10 + text[i++].digitValue();
    if (i == start)
        return std::nullopt;
    return negative ? -v : v;
}

QColor colourOf(ResourceTableModel::Tone tone)
{
    switch (tone) {
    case ResourceTableModel::Tone::Good: return GoodForeground;
    case ResourceTableModel::Tone::Progress: return ProgressForeground;
    case ResourceTableModel::Tone::Bad: return BadForeground;
    case ResourceTableModel::Tone::Terminating: return TerminatingForeground;
    case ResourceTableModel::Tone::Normal: break;
    }
    return {};
}

} // namespace

ResourceTableModel::ResourceTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    rebuildColumns();
}

ResourceTableModel::~ResourceTableModel() = default;

void ResourceTableModel::setClock(std::function<qint64()> nowMs)
{
    m_clock = std::move(nowMs);
}

qint64 ResourceTableModel::now() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

void ResourceTableModel::setShowNamespace(bool show)
{
    if (show == m_showNamespace)
        return;
    beginResetModel();
    m_showNamespace = show;
    rebuildColumns();
    endResetModel();
}

void ResourceTableModel::setWide(bool wide)
{
    if (wide == m_wide)
        return;
    beginResetModel();
    m_wide = wide;
    rebuildColumns();
    endResetModel();
}

void ResourceTableModel::rebuildColumns()
{
    m_columns.clear();
    m_statusCell = -1;
    m_readyCell = -1;
    if (m_showNamespace)
        m_columns.push_back({ColumnKind::Namespace, -1, QStringLiteral("NAMESPACE"), QString(), false});
    if (m_tableColumns.empty()) {
        m_columns.push_back({ColumnKind::Name, -1, QStringLiteral("NAME"), QString(), false});
        m_columns.push_back({ColumnKind::Age, -1, QStringLiteral("AGE"), QString(), false});
        return;
    }
    m_numericCell.assign(m_tableColumns.size(), false);
    for (int i = 0; i < int(m_tableColumns.size()); ++i) {
        const TableColumn &tc = m_tableColumns[size_t(i)];
        const QString lower = tc.name.toLower();
        m_numericCell[size_t(i)] = tc.type == u"integer" || tc.type == u"number";
        if (lower == u"status")
            m_statusCell = i;
        else if (lower == u"ready")
            m_readyCell = i;
        if (tc.priority > 0 && !m_wide)
            continue;
        Column c;
        c.cell = i;
        c.title = tc.name.toUpper();
        c.description = tc.description;
        c.numeric = tc.type == u"integer" || tc.type == u"number";
        if (tc.format == u"name" || (lower == u"name" && tc.format.isEmpty()))
            c.kind = ColumnKind::Name;
        else if (lower == u"age")
            c.kind = ColumnKind::Age;
        m_columns.push_back(std::move(c));
    }
}

void ResourceTableModel::setTableColumns(const std::vector<TableColumn> &columns)
{
    const bool same = columns.size() == m_tableColumns.size()
        && std::equal(columns.begin(), columns.end(), m_tableColumns.begin(),
                      [](const TableColumn &a, const TableColumn &b) {
                          return a.name == b.name && a.type == b.type && a.priority == b.priority
                              && a.format == b.format;
                      });
    if (same)
        return;
    beginResetModel();
    m_tableColumns = columns;
    rebuildColumns();
    endResetModel();
}

void ResourceTableModel::fillRow(Row &row, const ResourceChange &change) const
{
    const WatchObject &o = change.object;
    row.key = o.key();
    row.namespaceName = Printable::fromWire(o.namespaceName);
    row.name = Printable::fromWire(o.name);
    row.cells = change.cells;
    for (QString &cell : row.cells) {
        if (Printable::needsEscaping(cell))
            cell = Printable::escaped(cell);
    }
    row.json = o.object;
    row.creationMs = parseTimestamp(o.creationTimestamp);
    const QString status = m_statusCell >= 0 && m_statusCell < row.cells.size() ? row.cells[m_statusCell] : QString();
    const QString ready = m_readyCell >= 0 && m_readyCell < row.cells.size() ? row.cells[m_readyCell] : QString();
    row.tone = toneOf(status, ready);
    row.numbers.assign(size_t(row.cells.size()), std::numeric_limits<qint64>::min());
    for (int i = 0; i < int(row.cells.size()) && i < int(m_numericCell.size()); ++i) {
        if (m_numericCell[size_t(i)]) {
            if (const auto n = leadingNumber(row.cells[i]))
                row.numbers[size_t(i)] = *n;
        }
    }
    QString text = row.namespaceName + u'\t' + row.name;
    for (const QString &cell : std::as_const(row.cells))
        text += u'\t' + cell;
    row.filterText = text.toLower();
}

void ResourceTableModel::applyChanges(const ResourceBatch &batch)
{
    if (!batch.columns.empty())
        setTableColumns(batch.columns);

    // The last change of each key wins.
    QHash<QByteArray, int> last;
    last.reserve(qsizetype(batch.changes.size()));
    for (int i = 0; i < int(batch.changes.size()); ++i)
        last.insert(batch.changes[size_t(i)].object.key(), i);

    std::vector<int> modified;
    std::vector<int> removed;
    std::vector<Row> appended;
    for (int i = 0; i < int(batch.changes.size()); ++i) {
        const ResourceChange &change = batch.changes[size_t(i)];
        const QByteArray key = change.object.key();
        if (last.value(key) != i)
            continue;
        const int row = m_index.value(key, -1);
        if (change.type == ResourceChange::Type::Delete) {
            if (row >= 0)
                removed.push_back(row);
        } else if (row >= 0) {
            fillRow(m_rows[size_t(row)], change);
            modified.push_back(row);
        } else {
            Row r;
            fillRow(r, change);
            appended.push_back(std::move(r));
        }
    }
    if (batch.replace) {
        for (int row = 0; row < int(m_rows.size()); ++row) {
            if (!last.contains(m_rows[size_t(row)].key))
                removed.push_back(row);
        }
    }

    const int added = int(appended.size());
    const int changed = int(modified.size());
    const int gone = int(removed.size());
    emitModified(modified);
    removeAndAppend(removed, appended);
    if (added || changed || gone)
        Q_EMIT changesApplied(added, changed, gone);
}

void ResourceTableModel::emitModified(std::vector<int> &rows)
{
    if (rows.empty() || m_columns.empty())
        return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    const int lastColumn = int(m_columns.size()) - 1;
    std::vector<std::pair<int, int>> runs;
    for (int row : rows) {
        if (!runs.empty() && runs.back().second + 1 == row)
            runs.back().second = row;
        else
            runs.emplace_back(row, row);
    }
    if (int(runs.size()) > MaxDataChangedRuns) {
        Q_EMIT dataChanged(index(runs.front().first, 0), index(runs.back().second, lastColumn));
        return;
    }
    for (const auto &[first, lastRow] : runs)
        Q_EMIT dataChanged(index(first, 0), index(lastRow, lastColumn));
}

void ResourceTableModel::removeAndAppend(std::vector<int> &removed, std::vector<Row> &appended)
{
    const int oldCount = int(m_rows.size());
    if (removed.empty()) {
        if (appended.empty())
            return;
        beginInsertRows(QModelIndex(), oldCount, oldCount + int(appended.size()) - 1);
        for (Row &r : appended) {
            m_index.insert(r.key, int(m_rows.size()));
            m_rows.push_back(std::move(r));
        }
        endInsertRows();
        return;
    }

    std::sort(removed.begin(), removed.end());
    removed.erase(std::unique(removed.begin(), removed.end()), removed.end());
    const int first = removed.front();
    const int lastRemoved = removed.back();
    const bool contiguous = lastRemoved - first + 1 == int(removed.size());

    auto reindexFrom = [this](int from) {
        for (int row = from; row < int(m_rows.size()); ++row)
            m_index[m_rows[size_t(row)].key] = row;
    };

    if (contiguous && appended.empty()) {
        beginRemoveRows(QModelIndex(), first, lastRemoved);
        for (int row = first; row <= lastRemoved; ++row)
            m_index.remove(m_rows[size_t(row)].key);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + lastRemoved + 1);
        reindexFrom(first);
        endRemoveRows();
        return;
    }

    // Scattered removals, or removals and additions together: one layout change.
    Q_EMIT layoutAboutToBeChanged();
    std::vector<int> newRow(size_t(oldCount), -1);
    std::vector<Row> kept;
    kept.reserve(size_t(oldCount) - removed.size() + appended.size());
    size_t next = 0;
    for (int row = 0; row < oldCount; ++row) {
        if (next < removed.size() && removed[next] == row) {
            ++next;
            m_index.remove(m_rows[size_t(row)].key);
            continue;
        }
        newRow[size_t(row)] = int(kept.size());
        kept.push_back(std::move(m_rows[size_t(row)]));
    }
    for (Row &r : appended)
        kept.push_back(std::move(r));
    m_rows = std::move(kept);
    reindexFrom(first);

    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &idx : from) {
        const int row = idx.row() < oldCount ? newRow[size_t(idx.row())] : -1;
        to.append(row >= 0 ? index(row, idx.column()) : QModelIndex());
    }
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged();
}

void ResourceTableModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    endResetModel();
}

void ResourceTableModel::refreshAges()
{
    const int column = ageColumn();
    if (column < 0 || m_rows.empty())
        return;
    Q_EMIT dataChanged(index(0, column), index(int(m_rows.size()) - 1, column), {Qt::DisplayRole});
}

int ResourceTableModel::ageColumn() const
{
    for (int i = 0; i < int(m_columns.size()); ++i) {
        if (m_columns[size_t(i)].kind == ColumnKind::Age)
            return i;
    }
    return -1;
}

int ResourceTableModel::columnOf(const QString &title) const
{
    for (int i = 0; i < int(m_columns.size()); ++i) {
        if (m_columns[size_t(i)].title.compare(title, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

ResourceTableModel::ColumnKind ResourceTableModel::columnKind(int column) const
{
    return column >= 0 && column < int(m_columns.size()) ? m_columns[size_t(column)].kind : ColumnKind::Cell;
}

QByteArray ResourceTableModel::keyAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].key : QByteArray();
}

QByteArray ResourceTableModel::objectJson(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].json : QByteArray();
}

QString ResourceTableModel::humanDuration(qint64 ms)
{
    // "3m" or "3m12s": the second unit only when it is not zero.
    auto units = [](qint64 a, char16_t ua, qint64 b, char16_t ub) {
        QString text = QString::number(a) + ua;
        if (b != 0)
            text += QString::number(b) + ub;
        return text;
    };
    const qint64 seconds = ms / 1000;
    if (seconds < -1)
        return QStringLiteral("<invalid>");
    if (seconds < 0)
        return QStringLiteral("0s");
    if (seconds < 60 * 2)
        return units(seconds, u's', 0, u's');
    const qint64 minutes = seconds / 60;
    if (minutes < 10)
        return units(minutes, u'm', seconds % 60, u's');
    if (minutes < 60 * 3)
        return units(minutes, u'm', 0, u's');
    const qint64 hours = minutes / 60;
    if (hours < 8)
        return units(hours, u'h', minutes % 60, u'm');
    if (hours < 48)
        return units(hours, u'h', 0, u'm');
    if (hours < 24 * 8)
        return units(hours / 24, u'd', hours % 24, u'h');
    if (hours < 24 * 365 * 2)
        return units(hours / 24, u'd', 0, u'h');
    if (hours < 24 * 365 * 8)
        return units(hours / 24 / 365, u'y', (hours / 24) % 365, u'd');
    return units(hours / 24 / 365, u'y', 0, u'd');
}

ResourceTableModel::Tone ResourceTableModel::toneOf(const QString &status, const QString &ready)
{
    if (!status.isEmpty()) {
        static const QSet<QString> good = {QStringLiteral("Running"), QStringLiteral("Completed"),
                                           QStringLiteral("Succeeded"), QStringLiteral("Active"),
                                           QStringLiteral("Bound"), QStringLiteral("Ready"),
                                           QStringLiteral("Complete"), QStringLiteral("Available")};
        static const QSet<QString> progress = {QStringLiteral("Pending"), QStringLiteral("ContainerCreating"),
                                               QStringLiteral("PodInitializing"), QStringLiteral("Waiting"),
                                               QStringLiteral("Running,SchedulingDisabled")};
        if (status == u"Terminating")
            return Tone::Terminating;
        if (good.contains(status))
            return Tone::Good;
        if (progress.contains(status) || status.startsWith(u"Init:"))
            return Tone::Progress;
        return Tone::Bad; // Failed, Error, CrashLoopBackOff, ImagePullBackOff, OOMKilled, NotReady, ...
    }
    const qsizetype slash = ready.indexOf(u'/');
    if (slash > 0) {
        const auto have = leadingNumber(ready.left(slash));
        const auto want = leadingNumber(ready.mid(slash + 1));
        if (have && want)
            return *have >= *want ? Tone::Good : Tone::Progress;
    }
    return Tone::Normal;
}

QString ResourceTableModel::cellText(const Row &row, const Column &column) const
{
    switch (column.kind) {
    case ColumnKind::Namespace: return row.namespaceName;
    case ColumnKind::Name: return row.name;
    case ColumnKind::Age:
        if (row.creationMs == 0)
            return column.cell >= 0 && column.cell < row.cells.size() ? row.cells[column.cell] : QStringLiteral("<unknown>");
        return humanDuration(now() - row.creationMs);
    case ColumnKind::Cell: break;
    }
    return column.cell >= 0 && column.cell < row.cells.size() ? row.cells[column.cell] : QString();
}

int ResourceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResourceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant ResourceTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || index.column() >= int(m_columns.size()))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const Column &column = m_columns[size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole: return cellText(row, column);
    case Qt::ToolTipRole:
        if (column.kind == ColumnKind::Age && row.creationMs)
            return QDateTime::fromMSecsSinceEpoch(row.creationMs, Qt::UTC).toString(Qt::ISODate);
        return {};
    case Qt::ForegroundRole:
        if (column.cell >= 0 && (column.cell == m_statusCell || (m_statusCell < 0 && column.cell == m_readyCell))) {
            const QColor c = colourOf(row.tone);
            if (c.isValid())
                return QBrush(c);
        }
        if (row.tone == Tone::Terminating)
            return QBrush(TerminatingForeground);
        return {};
    case KeyRole: return QString::fromUtf8(row.key);
    case NamespaceRole: return row.namespaceName;
    case NameRole: return row.name;
    case ObjectJsonRole: return row.json;
    case ToneRole: return int(row.tone);
    case CreationMsRole: return row.creationMs;
    case FilterTextRole: return row.filterText;
    case SortRole:
        if (column.kind == ColumnKind::Age)
            return row.creationMs ? -row.creationMs : std::numeric_limits<qint64>::max();
        if (column.numeric && column.cell >= 0 && column.cell < int(row.numbers.size()))
            return row.numbers[size_t(column.cell)];
        return cellText(row, column);
    default: break;
    }
    return {};
}

QVariant ResourceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= int(m_columns.size()))
        return QAbstractTableModel::headerData(section, orientation, role);
    const Column &column = m_columns[size_t(section)];
    if (role == Qt::DisplayRole)
        return column.title;
    if (role == Qt::ToolTipRole && !column.description.isEmpty())
        return column.description;
    return {};
}

QHash<int, QByteArray> ResourceTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(KeyRole, "key");
    names.insert(NamespaceRole, "namespace");
    names.insert(NameRole, "name");
    names.insert(ObjectJsonRole, "object");
    names.insert(ToneRole, "tone");
    names.insert(SortRole, "sort");
    names.insert(FilterTextRole, "filterText");
    names.insert(CreationMsRole, "creationMs");
    return names;
}
