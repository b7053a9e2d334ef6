#pragma once

#include "watch_event.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <vector>

/// A column of a server-side Table (meta.k8s.io/v1, what `kubectl get` prints): the response to
/// `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`.
struct TableColumn
{
    QString name;        ///< "Name", "Ready", "Status", "Age"
    QString type;        ///< "string", "integer", "number", "boolean", "date"
    QString format;      ///< "name", ... (may be empty)
    QString description;
    int priority = 0;    ///< 0: shown by default; > 0: only with `-o wide`
};

/// One row: its cells as display strings and the row object's metadata. `object.object` is the
/// row's own JSON (cells + object), compact.
struct TableRow
{
    QStringList cells;
    WatchObject object;
};

/// A decoded Table. A watch with the Table Accept sends one Table per event (normally one row),
/// and only the first carries columnDefinitions. Plain value type.
struct Table
{
    std::vector<TableColumn> columns;
    std::vector<TableRow> rows;
    QByteArray kind;            ///< "Table" when it was one
    QByteArray resourceVersion; ///< metadata.resourceVersion
    QByteArray continueToken;   ///< metadata.continue
    QString error;              ///< non-empty: not valid JSON or not a Table (escaped)
};

/// Decodes a Table (simdjson DOM). Cells: strings as they are, numbers and booleans as JSON text,
/// null as "<none>" (as kubectl prints it), arrays and objects as compact JSON. Pure.
Table parseTable(QByteArrayView json);
