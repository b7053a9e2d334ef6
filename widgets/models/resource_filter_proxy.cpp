#include "resource_filter_proxy.h"

#include "resource_table_model.h"

ResourceFilterProxy::ResourceFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ResourceTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void ResourceFilterProxy::setFilterText(const QString &text)
{
    const QString needle = text.trimmed().toLower();
    if (needle == m_needle)
        return;
    m_needle = needle;
    invalidateRowsFilter();
}

bool ResourceFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_needle.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return index.data(ResourceTableModel::FilterTextRole).toString().contains(m_needle);
}
