#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QTimer>

class K8sPortForward;

/// The active port forwards of the window, one row per forwarded port (K8sPortForward), with
/// their connections and bytes. Owns the forwards it is given. Updates are coalesced: changes of
/// a forward mark its row, and one dataChanged per FlushMs covers every marked row (a busy
/// forward moves bytes thousands of times per second).
///
/// Columns: Local ("127.0.0.1:8080"), Target ("shop/checkout-…:8080"), Connections ("2 open,
/// 7 total"), In (bytes from the pod, "1.2 MB"), Out (bytes to the pod), Status (listening,
/// stopped, or the last error/notice, e.g. the pod's "connection refused").
class PortForwardListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int FlushMs = 250;
    enum Column { LocalColumn, TargetColumn, ConnectionsColumn, InColumn, OutColumn, StatusColumn, ColumnCount };
    enum Role { LocalPortRole = Qt::UserRole + 1, ActiveRole, TotalRole, BytesInRole, BytesOutRole };

    explicit PortForwardListModel(QObject *parent = nullptr);
    ~PortForwardListModel() override;

    /// Takes ownership; the forward should already listen. Returns its row.
    int add(K8sPortForward *forward);
    /// Stops and deletes the forward of `row`.
    void stop(int row);
    void stopAll();
    K8sPortForward *forward(int row) const;
    QList<K8sPortForward *> forwards() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString formatBytes(qint64 bytes);

private:
    struct Entry
    {
        QPointer<K8sPortForward> forward;
        QString status; ///< last notice
        int total = 0;
    };
    void markChanged(K8sPortForward *forward);
    void flush();
    int rowOf(const K8sPortForward *forward) const;
    qint64 sum(const Entry &entry, bool in) const;

    QList<Entry> m_entries;
    QList<int> m_dirty;
    QTimer m_flush;
};
