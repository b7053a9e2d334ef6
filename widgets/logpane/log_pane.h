#pragma once

#include "log_export.h"

#include <QWidget>

class EventLogModel;
class LogDetailView;
class LogFilterProxy;
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QSplitter;
class QTableView;
class QToolButton;

/// The live log: a table over EventLogModel through LogFilterProxy, a filter bar (text as
/// substring or regex, level, source, which kinds of rows), Follow, Export, a status line
/// ("12,345 rows · 3 gaps · 0 dropped · filter: 1,234 shown") and a detail view of the selected
/// row (LogDetailView; hidden until a row is selected, closable) below the table, or beside it
/// when the pane is wide and short.
///
/// Follow-tail: after each model flush the view scrolls to the newest row while following. Only
/// the user changes Follow: scrolling away from the bottom (wheel, scroll bar, keys) pauses it;
/// scrolling back to the bottom, the Follow button or Ctrl+End resumes it. Rows inserted or
/// evicted by the model never change it, however large the burst. While paused, rows trimmed
/// from the front do not shift the rows in view, and the Follow button counts the rows that
/// arrived since ("Follow (1,234 new)").
///
/// An invalid regex shows its error in the filter box and the status line, and an empty table.
///
/// Shortcuts are QActions on the pane with Qt::WindowShortcut (so the window's list of shortcuts
/// can collect them): Ctrl+F focuses the filter, Ctrl+End follows; Ctrl+C copies selected rows.
class LogPane : public QWidget
{
    Q_OBJECT
public:
    /// `model` must outlive the pane.
    explicit LogPane(EventLogModel *model, QWidget *parent = nullptr);
    ~LogPane() override;

    QTableView *view() const { return m_view; }
    LogFilterProxy *proxy() const { return m_proxy; }
    LogDetailView *detailView() const { return m_detail; }
    /// Rows that pass the filter.
    int visibleRowCount() const;
    bool isFollowing() const { return m_following; }
    void setFollowing(bool on);
    /// Rows that arrived (and pass the filter) since following paused; 0 while following.
    int newRowCount() const { return m_newRows; }
    /// Sets the filter text and mode as if typed; returns false for an invalid regex.
    bool setFilter(const QString &pattern, bool regex);
    /// Shows only rows of `sourceId` (empty: every source), as the source box does.
    void setSourceFilter(const QString &sourceId);
    QString statusText() const;
    bool isDetailVisible() const;
    /// Qt::Vertical: the detail view is below the table; Qt::Horizontal: beside it (wide, short panes).
    Qt::Orientation detailPlacement() const;
    /// Writes the rows that pass the filter, in order.
    bool exportRows(const QString &path, LogExport::Format format, QString *error = nullptr) const;

    QAction *findAction() const { return m_findAction; }
    QAction *followAction() const { return m_followAction; }
    QAction *showGapsAction() const { return m_showGapsAction; }
    QAction *showSentAction() const { return m_showSentAction; }

Q_SIGNALS:
    void followingChanged(bool following);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QWidget *buildFilterBar();
    void buildView();
    void buildDetail();
    void buildActions();
    QToolButton *buildShowMenu(QWidget *parent);
    QToolButton *buildExportMenu(QWidget *parent);
    void connectModel();

    void handleFlushed();
    void handleScrollAction();
    void handleUserKey();
    void handleRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void handleRowsInserted(const QModelIndex &parent, int first, int last);
    void handleCurrentChanged(const QModelIndex &current);
    void updateFollowFromPosition(int position);
    void updateFollowText();
    void updateSources();
    void applyFilter();
    void updateStatus();
    void copySelection();
    void exportInteractively(LogExport::Format format);
    void setDetailVisible(bool visible);
    void updateDetailPlacement();

    EventLogModel *m_model;
    LogFilterProxy *m_proxy;
    QTableView *m_view = nullptr;
    QSplitter *m_splitter = nullptr;
    LogDetailView *m_detail = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QCheckBox *m_regexBox = nullptr;
    QComboBox *m_levelBox = nullptr;
    QComboBox *m_sourceBox = nullptr;
    QToolButton *m_followButton = nullptr;
    QWidget *m_status = nullptr; ///< a StatusLine (log_pane.cpp)
    QAction *m_copyAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_showGapsAction = nullptr;
    QAction *m_showSentAction = nullptr;
    QAction *m_detailsAction = nullptr;
    QString m_filterError;
    bool m_following = true;
    bool m_adjusting = false; ///< true while the pane itself moves the scroll bar
    int m_removedAbove = 0;   ///< rows trimmed above the viewport since the last flush
    int m_newRows = 0;
};
