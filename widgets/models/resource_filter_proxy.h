#pragma once

#include <QSortFilterProxyModel>
#include <QString>

/// Sorting and filtering over a ResourceTableModel: a case-insensitive text filter over every cell
/// (the model's precomputed FilterTextRole, so a filter pass is one substring search per row) and
/// sorting by any column through the model's SortRole (ages by creation time, numeric columns such
/// as RESTARTS as numbers). Dynamic: rows that change are re-sorted and re-filtered as they change.
class ResourceFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ResourceFilterProxy(QObject *parent = nullptr);

    /// Shows only rows whose text contains `text` (case-insensitive; empty: every row).
    void setFilterText(const QString &text);
    QString filterText() const { return m_needle; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_needle; ///< lower-cased
};
