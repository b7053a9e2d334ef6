#pragma once

#include "list_watch_machine.h"
#include "table_decoder.h"
#include "watch_event.h"

#include <QList>
#include <QStringList>

#include <vector>

/// One change of one Kubernetes object, as a ResourceTableModel takes it: an add or modification
/// (Upsert: the object's current state) or a deletion. `cells` are the object's row in the
/// server's Table (empty when the server rendered no Table). Plain value type.
struct ResourceChange
{
    enum class Type : quint8 { Upsert, Delete };

    Type type = Type::Upsert;
    WatchObject object; ///< metadata (key(), creationTimestamp) and the JSON shown in details
    QStringList cells;  ///< the Table row's cells, in the order of the Table's columns
};

/// What one informer batch hands a ResourceTableModel: changes in arrival order and, when the
/// server sent them (the first Table of a list or watch), the Table's column definitions.
/// `replace` marks a (re)list: every object not named by an Upsert of the batch is gone.
struct ResourceBatch
{
    std::vector<TableColumn> columns; ///< empty: keep the current columns
    std::vector<ResourceChange> changes;
    bool replace = false;
};

/// An Informer batch (Informer::changes) as a ResourceBatch: Added/Modified become Upserts with
/// the object's Table cells (WatchObject::cells), Deleted a Delete. `columns` are what
/// Informer::columnsChanged last gave (empty: keep the model's). The Informer surfaces a relist's
/// vanished objects as deletions, so `replace` stays false.
ResourceBatch resourceBatchFrom(const QList<WatchChange> &changes, const QList<TableColumn> &columns = {});
