#include "port_forward_list_model.h"

#include "k8s_port_forward.h"

#include <algorithm>

PortForwardListModel::PortForwardListModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_flush.setSingleShot(true);
    m_flush.setInterval(FlushMs);
    connect(&m_flush, &QTimer::timeout, this, &PortForwardListModel::flush);
}

PortForwardListModel::~PortForwardListModel()
{
    for (const Entry &entry : std::as_const(m_entries))
        delete entry.forward.data();
}

int PortForwardListModel::add(K8sPortForward *forward)
{
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    forward->setParent(this);
    m_entries.append(Entry{forward, {}, 0});
    endInsertRows();
    connect(forward, &K8sPortForward::connectionOpened, this, [this, forward](int) {
        if (const int r = rowOf(forward); r >= 0)
            ++m_entries[r].total;
        markChanged(forward);
    });
    connect(forward, &K8sPortForward::connectionChanged, this, [this, forward](int) { markChanged(forward); });
    connect(forward, &K8sPortForward::connectionClosed, this, [this, forward](int) { markChanged(forward); });
    connect(forward, &K8sPortForward::notice, this, [this, forward](const QString &text) {
        if (const int r = rowOf(forward); r >= 0)
            m_entries[r].status = text;
        markChanged(forward);
    });
    return row;
}

void PortForwardListModel::stop(int row)
{
    if (row < 0 || row >= m_entries.size())
        return;
    beginRemoveRows({}, row, row);
    K8sPortForward *forward = m_entries.takeAt(row).forward;
    endRemoveRows();
    m_dirty.clear();
    if (forward) {
        forward->stop();
        forward->deleteLater();
    }
}

void PortForwardListModel::stopAll()
{
    while (!m_entries.isEmpty())
        stop(int(m_entries.size()) - 1);
}

K8sPortForward *PortForwardListModel::forward(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries[row].forward.data() : nullptr;
}

QList<K8sPortForward *> PortForwardListModel::forwards() const
{
    QList<K8sPortForward *> out;
    for (const Entry &entry : m_entries)
        if (entry.forward)
            out << entry.forward;
    return out;
}

int PortForwardListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int PortForwardListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 PortForwardListModel::sum(const Entry &entry, bool in) const
{
    qint64 total = 0;
    if (entry.forward) {
        for (const K8sPortForward::Connection &c : entry.forward->connections())
            total += in ? c.bytesIn : c.bytesOut;
    }
    return total;
}

QVariant PortForwardListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry &entry = m_entries[index.row()];
    const K8sPortForward *f = entry.forward;
    if (!f)
        return {};
    const int active = f->activeCount();
    switch (role) {
    case LocalPortRole:
        return f->localPort();
    case ActiveRole:
        return active;
    case TotalRole:
        return entry.total;
    case BytesInRole:
        return sum(entry, true);
    case BytesOutRole:
        return sum(entry, false);
    case Qt::TextAlignmentRole:
        if (index.column() == InColumn || index.column() == OutColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case LocalColumn:
        return QStringLiteral("127.0.0.1:%1").arg(f->localPort());
    case TargetColumn:
        return QStringLiteral("%1/%2:%3").arg(f->namespaceName(), f->pod()).arg(f->remotePort());
    case ConnectionsColumn:
        return tr("%1 open, %2 total").arg(active).arg(entry.total);
    case InColumn:
        return formatBytes(sum(entry, true));
    case OutColumn:
        return formatBytes(sum(entry, false));
    case StatusColumn:
        if (!f->isListening())
            return tr("stopped");
        return entry.status.isEmpty() ? tr("listening") : entry.status;
    default:
        return {};
    }
}

QVariant PortForwardListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {QT_TR_NOOP("Local"), QT_TR_NOOP("Target"), QT_TR_NOOP("Connections"),
                                        QT_TR_NOOP("In"), QT_TR_NOOP("Out"), QT_TR_NOOP("Status")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QString PortForwardListModel::formatBytes(qint64 bytes)
{
    if (bytes < 1000)
        return tr("%1 B").arg(bytes);
    if (bytes < 1000 * 1000)
        return tr("%1 kB").arg(double(bytes) / 1e3, 0, 'f', 1);
    if (bytes < qint64(1000) * 1000 * 1000)
        return tr("%1 MB").arg(double(bytes) / 1e6, 0, 'f', 1);
    return tr("%1 GB").arg(double(bytes) / 1e9, 0, 'f', 2);
}

void PortForwardListModel::markChanged(K8sPortForward *forward)
{
    const int row = rowOf(forward);
    if (row < 0)
        return;
    if (!m_dirty.contains(row))
        m_dirty << row;
    if (!m_flush.isActive())
        m_flush.start();
}

void PortForwardListModel::flush()
{
    if (m_dirty.isEmpty())
        return;
    const auto [lo, hi] = std::minmax_element(m_dirty.cbegin(), m_dirty.cend());
    const int first = *lo;
    const int last = std::min(*hi, int(m_entries.size()) - 1);
    m_dirty.clear();
    if (first <= last)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

int PortForwardListModel::rowOf(const K8sPortForward *forward) const
{
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].forward == forward)
            return i;
    return -1;
}
