#include "resource_change.h"

ResourceBatch resourceBatchFrom(const QList<WatchChange> &changes, const QList<TableColumn> &columns)
{
    ResourceBatch batch;
    batch.columns.assign(columns.begin(), columns.end());
    batch.changes.reserve(size_t(changes.size()));
    for (const WatchChange &change : changes) {
        ResourceChange c;
        c.type = change.kind == WatchChange::Kind::Deleted ? ResourceChange::Type::Delete : ResourceChange::Type::Upsert;
        c.object = change.object;
        c.cells = change.object.cells;
        batch.changes.push_back(std::move(c));
    }
    return batch;
}
