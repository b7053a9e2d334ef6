#pragma once

#include "resource_change.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

/// The objects of one resource kind, one row each, keyed by "namespace/name" (or "name"), with
/// the columns `kubectl get` prints: the server's Table columnDefinitions (priority 0, or every
/// column when wide), else the fallback NAME / AGE. With showNamespace a NAMESPACE column comes
/// first (what `kubectl get -A` adds).
///
/// Contract (GUI thread only):
/// - applyChanges() takes a whole informer batch and makes at most ONE structural change: one
///   rowsInserted for the appended rows when nothing was removed; one rowsRemoved when the
///   removed rows form one contiguous run and nothing was appended; else one layoutChanged
///   (persistent indexes follow their rows; those of removed rows become invalid). Modified rows
///   get dataChanged, one per contiguous run of modified rows (at most MaxDataChangedRuns, then one
///   signal over their span). Within a batch the last change of a key wins.
/// - New column definitions with rows present reset the model (columns change once per kind).
/// - Rows keep their arrival order; sorting and filtering belong to ResourceFilterProxy.
///
/// AGE. The age text is computed in data() from creationTimestamp and the clock (now, settable for
/// tests), so it is always current for the rows painted; refreshAges() emits one dataChanged over
/// the age column only, for views that want a tick (ResourceTableView instead repaints its
/// viewport once a second, which costs nothing for off-screen rows). The server's own "Age" cell
/// is replaced by the live one. SortRole of the age column is the age (older = larger).
///
/// Storage: rows in a vector (index = row), plus a hash key → row; each row keeps its cells, the
/// object JSON, the parsed creation time, its status tone and a lower-cased text of all its cells
/// for the filter (built once per change, not per filter pass).
class ResourceTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// How a row's status reads, for colouring.
    enum class Tone : quint8 {
        Normal,      ///< nothing to say
        Good,        ///< Running, Completed, Active, Bound, Ready n/n
        Progress,    ///< Pending, ContainerCreating, Init:..., ready n/m with n < m
        Bad,         ///< Failed, Error, CrashLoopBackOff, ImagePullBackOff, OOMKilled, ...
        Terminating, ///< being deleted
    };
    Q_ENUM(Tone)

    enum Role {
        KeyRole = Qt::UserRole + 1, ///< QString "namespace/name"
        NamespaceRole,              ///< QString
        NameRole,                   ///< QString
        ObjectJsonRole,             ///< QByteArray, the object's JSON as last received
        ToneRole,                   ///< int(Tone), same on every column of the row
        SortRole,                   ///< QVariant to sort by: qint64 for ages and numbers, else QString
        FilterTextRole,             ///< QString, all cells lower-cased, tab separated
        CreationMsRole,             ///< qint64 epoch ms (0: unknown)
    };

    /// What a column shows.
    enum class ColumnKind : quint8 { Cell, Namespace, Name, Age };

    static constexpr int MaxDataChangedRuns = 64;

    explicit ResourceTableModel(QObject *parent = nullptr);
    ~ResourceTableModel() override;
    Q_DISABLE_COPY_MOVE(ResourceTableModel)

    /// Adds, modifies and deletes rows as the batch says (see the contract above).
    void applyChanges(const ResourceBatch &batch);
    /// Removes every row (one modelReset); keeps the columns.
    void clear();

    /// Shows a NAMESPACE column first (all-namespaces views). Resets the model when it changes.
    void setShowNamespace(bool show);
    bool showsNamespace() const { return m_showNamespace; }
    /// Shows the server's columns of priority > 0 too (`-o wide`). Resets when it changes.
    void setWide(bool wide);
    bool isWide() const { return m_wide; }
    /// The server's column definitions (empty: none came, fallback columns in use).
    const std::vector<TableColumn> &tableColumns() const { return m_tableColumns; }

    /// The clock for ages, epoch ms (tests set a fixed one). Default: the current time.
    void setClock(std::function<qint64()> nowMs);
    /// One dataChanged over the age column (no-op without rows or an age column).
    void refreshAges();
    /// The age column, or -1.
    int ageColumn() const;
    /// The column whose header is `title` (case-insensitive), or -1.
    int columnOf(const QString &title) const;
    ColumnKind columnKind(int column) const;

    /// The row of `key`, or -1.
    int rowOf(const QByteArray &key) const { return m_index.value(key, -1); }
    QByteArray keyAt(int row) const;
    QByteArray objectJson(int row) const;

    /// kubectl's age text ("45s", "3m12s", "2d4h", "3y"): k8s.io/apimachinery duration.HumanDuration.
    static QString humanDuration(qint64 ms);
    /// The tone a status or ready text reads as ("Running", "CrashLoopBackOff", "1/3").
    static Tone toneOf(const QString &status, const QString &ready);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /// After every applyChanges() that changed something: how many rows came, changed and went.
    void changesApplied(int added, int modified, int removed);

private:
    struct Column
    {
        ColumnKind kind = ColumnKind::Cell;
        int cell = -1;       ///< index into Row::cells for Cell (and Name when the Table has one)
        QString title;       ///< upper-case, as kubectl prints it
        QString description;
        bool numeric = false;
    };
    struct Row
    {
        QByteArray key;
        QString namespaceName;
        QString name;
        QStringList cells;
        QByteArray json;
        qint64 creationMs = 0;
        Tone tone = Tone::Normal;
        QString filterText;
        std::vector<qint64> numbers; ///< per cell: the leading number of numeric columns (sort keys)
    };

    void rebuildColumns();
    void setTableColumns(const std::vector<TableColumn> &columns);
    void fillRow(Row &row, const ResourceChange &change) const;
    void emitModified(std::vector<int> &rows);
    void removeAndAppend(std::vector<int> &removed, std::vector<Row> &appended);
    QString cellText(const Row &row, const Column &column) const;
    qint64 now() const;

    std::vector<TableColumn> m_tableColumns;
    std::vector<Column> m_columns;
    std::vector<Row> m_rows;
    QHash<QByteArray, int> m_index;
    std::function<qint64()> m_clock;
    std::vector<bool> m_numericCell; ///< per Table column: integer or number
    int m_statusCell = -1;
    int m_readyCell = -1;
    bool m_showNamespace = false;
    bool m_wide = false;
};
