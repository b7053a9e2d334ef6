#pragma once

#include <QChartView>

/// The chart's view with the mouse and keyboard gestures of a plotting tool (PlotJuggler,
/// Grafana): it only interprets input and reports it; ChartPanel owns the ranges and applies it.
///
/// - Wheel: zoom the time axis around the pointer (Shift+wheel: the value axes).
/// - Left drag: pan the time axis (Shift+drag: the value axes).
/// - Double-click: back to the live window (resetRequested).
/// - Mouse over the plot: hoverMoved(position) for the crosshair and readout; hoverLeft().
/// - Space: pauseToggleRequested (window-wide shortcuts live in ChartPanel's actions).
/// Positions are in chart coordinates (QChart::plotArea() space).
class ChartView : public QChartView
{
    Q_OBJECT
public:
    explicit ChartView(QWidget *parent = nullptr);
    ~ChartView() override;

    /// Zoom factor of one wheel notch (< 1 zooms in).
    static constexpr double WheelStepFactor = 0.8;

Q_SIGNALS:
    /// Scale the `orientation` range by `factor` around the value under `position`.
    void zoomRequested(double factor, QPointF position, Qt::Orientation orientation);
    /// Move the `orientation` range by `pixels` (positive: content follows the mouse to the right/down).
    void panRequested(double pixels, Qt::Orientation orientation);
    void resetRequested();
    void hoverMoved(QPointF position);
    void hoverLeft();
    void pauseToggleRequested();

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QPointF toChart(QPointF viewportPos) const;

    bool m_dragging = false;
    QPointF m_lastDrag;
};
