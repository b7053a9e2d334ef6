#pragma once

#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class QScrollArea;
class SourceListModel;
class SourceNotices;

/// The inspector under the sources table: everything known about the current source, with room
/// for what the table can only elide — the full error text (kind, HTTP status), the URL
/// (redacted), the effective transport and protocol, liveness (last activity, the learned
/// heartbeat interval, "stalled for 45 s (usually every 15 s)"), pause state, counters (received,
/// sent, errors, reconnects), timeouts, request headers (secret values redacted, the user's secret
/// headers included), the body and the latest per-stream notices (SourceNotices: a Kubernetes
/// source's "following N streams", resumes, waits, deleted pods, forbidden). Follows the model's 250 ms ticker while a source is shown.
/// Text is selectable so an error can be copied into a ticket; the box scrolls when it is short.
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
    QString detailsHtml(int row) const;
    QString liveText(int row) const;

    SourceListModel *m_model;
    QPersistentModelIndex m_row;
    QScrollArea *m_scroll;
    QLabel *m_label; ///< rich text: what changes with state, errors and settings
    QLabel *m_live;  ///< plain text: counters and clocks, every tick
    SourceNotices *m_notices;
};
