#pragma once

#include <QStyledItemDelegate>

/// The log table's delegate. Under load every flush shows rows never painted before, so the
/// cost that matters is text layout per cell, and the style's item painting lays a cell's text
/// out three times (size, elision, drawing), whole, however little of it is visible. This
/// delegate draws the background and selection with the style and the text itself, once:
/// - every cell's text is first cut to about twice what its width can show (keptChars());
/// - the data column (the last, stretching one: long JSON lines) is clipped at the cell edge
///   as a terminal or klogg does, without an ellipsis;
/// - other columns are elided with "…" only when the text can be wider than the cell.
class LogItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    /// `dataColumn` is clipped instead of elided; -1 for none.
    explicit LogItemDelegate(int dataColumn, QObject *parent = nullptr);
    ~LogItemDelegate() override;

    /// The number of characters kept for a cell `width` pixels wide (at least 16).
    static int keptChars(int width, const QFontMetrics &metrics);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_dataColumn;
};
