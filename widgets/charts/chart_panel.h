#pragma once

#include "chart_legend.h"
#include "series_buffer.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

#include <optional>

class ChartView;
class QAction;
class QChart;
class QComboBox;
class QDateTimeAxis;
class QGraphicsLineItem;
class QLabel;
class QLineEdit;
class ChartLinesItem;
class QSortFilterProxyModel;
class QStackedWidget;
class QStandardItem;
class QStandardItemModel;
class QToolButton;
class QTreeView;
class QValueAxis;

/// Live line chart of selected numeric fields of a SeriesBuffer, plus a field chooser.
///
/// - The chooser lists every discovered field, grouped per source, as checkable items (with a
///   filter box and the series colour as the icon); checking an item selects the field in the
///   buffer. When nothing is selected yet, the first discovered field and its siblings of a
///   similar magnitude (same source, same parent pointer; at most AutoSelectCount) are selected.
///   Fields of a removed source (SeriesBuffer::fieldsRemoved) leave the chooser and the chart.
/// - Colours come from a qualitative palette (chart_palette.h); a new line takes the first
///   colour no shown line uses, so colours never collide among the first ten lines.
/// - Window: 10 s, 30 s, 1 min, 5 min, 10 min or everything held (SeriesBuffer::setWindowMs).
///   Every frame each line gets the buffer's decimated points for the shown range at one min/max
///   pair per pixel column of the plot (SeriesBuffer::decimated), so the whole window is shown
///   whatever the event rate. The QChart keeps the axes, grid and layout; the lines are drawn by
///   one ChartLinesItem (chart_lines_item.h says why not QLineSeries), set once per frame, and
///   each axis is touched only when its range changes.
/// - Scale: Auto (default) puts a line whose magnitude (largest |value| in view) is more than
///   10× below the largest line's on the right axis, with hysteresis (it moves back only above
///   a fifth, moves right only below a twentieth once placed) so lines do not jump between
///   axes on small changes; One axis shares the left axis; Normalised maps each line to 0–100 %
///   of its own range in view (the readout still shows real values). Each axis fits its lines'
///   visible values with 5 % padding on nice numbers and starts at 0 when nothing is negative.
/// - Legend: ChartLegend below the plot, wrapping instead of truncating; names say what
///   differs (legendName()); "(right)" marks the right axis; the full name is the tooltip.
/// - Under the mouse: a vertical crosshair and a readout of every line's latest value at that
///   time (SeriesBuffer::valueAt). Wheel zooms time around the pointer, Shift+wheel the values,
///   drag pans (ChartView); zooming or panning leaves the live window for a fixed range, which
///   keeps filling as data arrives; Reset (button, double-click, Ctrl+0) returns to live.
/// - Pause (button, Ctrl+P, Space on the plot) freezes the chart; the buffer keeps collecting
///   and resuming shows the current window.
/// - Export: the chart as PNG, the shown lines (the points drawn, in real values) as CSV.
class ChartPanel : public QWidget
{
    Q_OBJECT
public:
    enum class ScaleMode { Auto, Shared, Normalised };
    Q_ENUM(ScaleMode)

    static constexpr int AutoSelectCount = 4;
    static constexpr int IdleSlideMs = 100;
    static constexpr double RightAxisRatio = 10.0;
    static constexpr qint64 MinZoomSpanMs = 20;

    /// `buffer` must outlive the panel.
    explicit ChartPanel(SeriesBuffer *buffer, QWidget *parent = nullptr);
    ~ChartPanel() override;

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    /// The window choices offered, in ms (SeriesBuffer::AllWindow for "All").
    static QList<int> windowChoices();
    void setWindowMs(int windowMs);
    ScaleMode scaleMode() const { return m_scaleMode; }
    void setScaleMode(ScaleMode mode);
    /// True while showing the live window; false after zoom or pan until reset.
    bool isLive() const { return m_live; }
    /// The time range shown by the last frame (epoch ms).
    std::pair<qint64, qint64> shownRange() const { return {m_shownFrom, m_shownTo}; }
    /// Scales the time range by `factor` around `anchorMs` (leaves the live window).
    void zoomTime(double factor, qint64 anchorMs);
    /// Moves the time range by `deltaMs` (leaves the live window).
    void panTime(qint64 deltaMs);
    /// Back to the live window with automatic value ranges.
    void resetZoom();

    QChart *chart() const { return m_chart; }
    ChartView *chartView() const { return m_chartView; }
    QValueAxis *leftAxis() const { return m_yLeft; }
    QValueAxis *rightAxis() const { return m_yRight; }
    ChartLegend *legend() const { return m_legend; }
    /// Whether `key` is drawn (it is selected).
    bool isShown(const SeriesKey &key) const;
    /// The points drawn for `key` in its real values (decimated: one min/max pair per pixel
    /// column); empty when not shown.
    QList<QPointF> shownPoints(const SeriesKey &key) const;
    /// The same points in the units of their axis (0–100 in Normalised mode).
    QList<QPointF> drawnPoints(const SeriesKey &key) const;
    QColor lineColor(const SeriesKey &key) const;
    int lineCount() const;
    /// `value` (epoch ms, value in the units of the left or right axis) in chart coordinates.
    QPointF mapToChart(const QPointF &value, bool rightAxis = false) const;
    /// True when the line of `key` is attached to the right axis.
    bool isOnRightAxis(const SeriesKey &key) const;
    /// Source items (top level) with one checkable child per field.
    QStandardItemModel *fieldModel() const { return m_fields; }
    /// True while the "No numeric fields yet" text is shown instead of the chart.
    bool isShowingEmptyState() const;
    /// The readout text for time `xMs` (plain text, one line per series), as shown under the mouse.
    QString readoutText(qint64 xMs) const;
    /// Shows the crosshair and readout at chart position `position` (what hovering does).
    void showCrosshairAt(QPointF position);
    void hideCrosshair();
    bool isCrosshairVisible() const;

    bool exportPng(const QString &path, QString *error = nullptr);
    /// CSV: time (ISO 8601 UTC), epoch_ms, source, field, value — one row per point drawn.
    bool exportCsv(const QString &path, QString *error = nullptr) const;

    QAction *pauseAction() const { return m_pauseAction; }
    QAction *resetZoomAction() const { return m_resetAction; }

    static QString seriesName(const SeriesKey &key);
    /// The legend name of `key` among the series in `shown` (see the class comment).
    static QString legendName(const SeriesKey &key, const QList<SeriesKey> &shown);

private:
    struct Line
    {
        int colorIndex = 0;
        bool rightAxis = false;
        bool placed = false;   ///< assignAxes() has decided its axis once
        QList<QPointF> points; ///< as drawn, in real values
        QList<QPointF> drawn;  ///< in axis units (scaled in Normalised mode)
        double low = 0;
        double high = 0;
        bool hasRange = false;
    };

    struct AxisRange
    {
        double low = 0;
        double high = 1;
        int ticks = 5;
    };
    /// The axes a frame needs, computed before any is touched (see refresh()).
    struct AxisPlan
    {
        qint64 from = 0;
        qint64 to = 0;
        int xTicks = 7;
        AxisRange left;
        AxisRange right;
        bool rightVisible = false;
    };

    QWidget *buildChooser();
    QWidget *buildPlot();
    QWidget *buildToolBar();
    void buildChart();
    void buildActions();
    void connectBuffer();

    void handleFieldsDiscovered(const QList<SeriesKey> &fields);
    void handleFieldsRemoved(const QList<SeriesKey> &fields);
    void handleItemChanged(QStandardItem *item);
    void handleCleared();
    void handleZoomRequested(double factor, QPointF position, Qt::Orientation orientation);
    void handlePanRequested(double pixels, Qt::Orientation orientation);
    void refresh();
    void syncSeries();
    void readPoints(qint64 from, qint64 to);
    void drawLines();
    /// Reads the points again when the plot's width is no longer the one they were read for.
    void readAgainIfNarrowed();
    void assignAxes();
    void updateAxes();
    void updateLegend();
    void updateLinesItem();
    void updateFieldIcons();
    void updateModeNote();
    void autoSelect(const QList<SeriesKey> &fields);
    int freeColorIndex() const;
    int plotColumns() const;
    AxisRange planValueAxis(bool right) const;
    AxisPlan planAxes();
    void applyAxes(const AxisPlan &plan);
    QStandardItem *sourceItem(const QString &source);

    SeriesBuffer *m_buffer;
    QStandardItemModel *m_fields;
    QSortFilterProxyModel *m_fieldFilter;
    QTreeView *m_fieldView = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QComboBox *m_windowBox = nullptr;
    QComboBox *m_scaleBox = nullptr;
    QToolButton *m_pauseButton = nullptr;
    QToolButton *m_resetButton = nullptr;
    QToolButton *m_exportButton = nullptr;
    QLabel *m_modeNote = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyLabel = nullptr;
    ChartView *m_chartView = nullptr;
    QChart *m_chart = nullptr;
    QDateTimeAxis *m_xAxis = nullptr;
    QValueAxis *m_yLeft = nullptr;
    QValueAxis *m_yRight = nullptr;
    ChartLegend *m_legend = nullptr;
    ChartLinesItem *m_linesItem = nullptr;
    QGraphicsLineItem *m_crosshair = nullptr;
    QLabel *m_readout = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_resetAction = nullptr;
    QHash<SeriesKey, Line> m_lines;
    QHash<QString, QStandardItem *> m_sourceItems;
    QTimer m_slideTimer;
    ScaleMode m_scaleMode = ScaleMode::Auto;
    qint64 m_viewFrom = 0; ///< the fixed range while not live
    qint64 m_viewTo = 0;
    qint64 m_shownFrom = 0;
    qint64 m_shownTo = 0;
    std::optional<std::pair<double, double>> m_manualLeft; ///< value ranges after Shift+wheel/drag
    std::optional<std::pair<double, double>> m_manualRight;
    std::optional<QPointF> m_hover;
    int m_autoSelected = 0;
    bool m_live = true;
    bool m_paused = false;
    bool m_syncingChecks = false;
    bool m_refreshing = false;
    int m_readColumns = 0; ///< the plot columns the points were decimated for
};
