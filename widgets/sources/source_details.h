#pragma once

#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class SourceListModel;

/// The inspector under the sources table: everything known about the current source, with room
/// for what the table can only elide — the full error text, the URL (redacted), protocol, request
/// headers (secret values redacted), counters and the retry countdown. Follows the model's 250 ms
/// ticker while a source is shown. Text is selectable so an error can be copied into a ticket.
class SourceDetails : public QWidget
{
    Q_OBJECT
public:
    /// `model` must outlive the widget.
    explicit SourceDetails(SourceListModel *model, QWidget *parent = nullptr);
    ~SourceDetails() override;

    /// Shows the source in `row` of the model; -1 shows the hint.
    void setRow(int row);
    /// The text shown now, without markup (for tests and accessibility).
    QString plainText() const;

private:
    void refresh();

    SourceListModel *m_model;
    QPersistentModelIndex m_row;
    QLabel *m_label;
};
