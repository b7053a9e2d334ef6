#pragma once

#include <QWidget>

class EventLogModel;
class LogFilterProxy;
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

/// The live log: a table over EventLogModel through LogFilterProxy, a filter box (substring or
/// regex), a Follow toggle and a status line ("12,345 rows · 3 gaps · 0 dropped · filter: 1,234
/// shown").
///
/// Follow-tail: after each model flush the view scrolls to the newest row only while following.
/// Moving the view away from the bottom (wheel, scroll bar, keys) pauses following; clicking
/// Follow or scrolling back to the bottom resumes it. While paused, rows trimmed from the front
/// do not shift the rows in view.
class LogPane : public QWidget
{
    Q_OBJECT
public:
    /// `model` must outlive the pane.
    explicit LogPane(EventLogModel *model, QWidget *parent = nullptr);
    ~LogPane() override;

    QTableView *view() const { return m_view; }
    LogFilterProxy *proxy() const { return m_proxy; }
    /// Rows that pass the filter.
    int visibleRowCount() const;
    bool isFollowing() const { return m_following; }
    void setFollowing(bool on);
    /// Sets the filter text and mode as if typed; returns false for an invalid regex.
    bool setFilter(const QString &pattern, bool regex);
    QString statusText() const;

Q_SIGNALS:
    void followingChanged(bool following);

private:
    void handleFlushed();
    void handleScrollValue(int value);
    void handleRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void applyFilter();
    void updateStatus();
    void copySelection();

    EventLogModel *m_model;
    LogFilterProxy *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filterEdit;
    QCheckBox *m_regexBox;
    QComboBox *m_levelBox;
    QToolButton *m_followButton;
    QLabel *m_status;
    QAction *m_copyAction;
    bool m_following = true;
    bool m_adjusting = false; ///< true while the pane itself moves the scroll bar
    int m_removedAbove = 0;   ///< rows trimmed above the viewport since the last flush
};
