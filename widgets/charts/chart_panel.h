#pragma once

#include "series_buffer.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineEdit;
class QLineSeries;
class QSortFilterProxyModel;
class QStackedWidget;
class QStandardItem;
class QStandardItemModel;
class QToolButton;
class QTreeView;
class QValueAxis;

/// Rolling line chart of selected numeric fields of a SeriesBuffer, plus a field chooser.
///
/// - The chooser lists every discovered field, grouped per source, as checkable items (with a
///   filter box); checking an item selects the field in the buffer. When nothing is selected yet,
///   the first discovered field and its siblings of a similar magnitude (same source, same parent
///   pointer, e.g. /cpu/user and /cpu/system; at most AutoSelectCount) are selected, so a new user
///   sees comparable lines at once instead of series of wildly different scales on one axis.
/// - Legend names say what differs: just the pointer when every shown series comes from one
///   source, else "<last path segment of the source> <pointer>"; the full name is the tooltip.
/// - On SeriesBuffer::seriesUpdated: one QXYSeries::replace() per shown series and one update of
///   each axis. X is a QDateTimeAxis over [now - window, now]; Y fits the visible points with
///   5 % padding, rounded to nice numbers, and stays at 0 when no value is negative. Between updates the x axis keeps sliding on a slower idle timer.
/// - Pause freezes the chart (the buffer keeps collecting); resuming shows the current window.
class ChartPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int AutoSelectCount = 4;
    static constexpr int IdleSlideMs = 100;

    /// `buffer` must outlive the panel.
    explicit ChartPanel(SeriesBuffer *buffer, QWidget *parent = nullptr);
    ~ChartPanel() override;

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);

    QChart *chart() const { return m_chart; }
    /// The line shown for `key`, or nullptr when the field is not selected.
    QLineSeries *seriesFor(const SeriesKey &key) const { return m_lines.value(key, nullptr); }
    /// Source items (top level) with one checkable child per field.
    QStandardItemModel *fieldModel() const { return m_fields; }
    /// True while the "No numeric fields yet" text is shown instead of the chart.
    bool isShowingEmptyState() const;

    static QString seriesName(const SeriesKey &key);
    /// The legend name of `key` among the series in `shown` (see the class comment).
    static QString legendName(const SeriesKey &key, const QList<SeriesKey> &shown);

private:
    void handleFieldsDiscovered(const QList<SeriesKey> &fields);
    void handleItemChanged(QStandardItem *item);
    void handleCleared();
    void refresh();
    void syncSeries();
    void updateAxes();
    void slideXAxis();
    QStandardItem *sourceItem(const QString &source);

    SeriesBuffer *m_buffer;
    QStandardItemModel *m_fields;
    QSortFilterProxyModel *m_fieldFilter;
    QTreeView *m_fieldView;
    QLineEdit *m_filterEdit;
    QToolButton *m_pauseButton;
    QStackedWidget *m_stack;
    QLabel *m_emptyLabel;
    QChartView *m_chartView;
    QChart *m_chart;
    QDateTimeAxis *m_xAxis;
    QValueAxis *m_yAxis;
    QHash<SeriesKey, QLineSeries *> m_lines;
    QHash<QString, QStandardItem *> m_sourceItems;
    QTimer m_slideTimer;
    int m_autoSelected = 0;
    void autoSelect(const QList<SeriesKey> &fields);
    bool m_paused = false;
    bool m_syncingChecks = false;
};
