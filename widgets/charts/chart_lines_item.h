#pragma once

#include <QGraphicsItem>
#include <QList>
#include <QPen>
#include <QPointF>

/// The chart's lines: one QGraphicsItem in the QChart's scene, over the plot area (the z value of
/// Qt Charts' series, above the grid, below the crosshair), that draws every shown line as one
/// polyline per frame.
///
/// Why not QLineSeries: Qt Charts 6.4 lays out a line series on every replace() and again on
/// every axis range change (a QPainterPath plus a QPainterPathStroker pass over all points, for
/// hit testing we do not use) and paints a solid line with one QPainter::drawLine() per segment
/// (qtcharts src/charts/linechart/linechartitem.cpp). With 8 decimated lines of ~1,000 points at
/// 30 frames/s that was the largest cost of the window under load (bench_gui_load). Here a
/// frame maps the points to pixels once, in paint(), and draws each line with one
/// drawPolyline() in a width-1 cosmetic pen (the raster engine's fast stroker).
///
/// Points are in axis units: x in epoch ms, y in the units of the line's axis (left or right).
/// The ranges are the axes' (setRanges() after the axes moved); paint() maps with them, so the
/// lines always agree with the axis labels, whatever the plot size.
class ChartLinesItem : public QGraphicsItem
{
public:
    struct Line
    {
        QList<QPointF> points;
        QPen pen;
        bool rightAxis = false;
    };

    explicit ChartLinesItem(QGraphicsItem *parent = nullptr);
    ~ChartLinesItem() override;

    /// The plot area in the parent's (the chart's) coordinates.
    void setPlotArea(const QRectF &area);
    void setRanges(double xFrom, double xTo, double leftLow, double leftHigh, double rightLow, double rightHigh);
    /// Replaces every line; one repaint.
    void setLines(QList<Line> lines);
    const QList<Line> &lines() const { return m_lines; }
    /// `value` (x, y on the left or right axis) in item coordinates.
    QPointF map(const QPointF &value, bool rightAxis) const;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QList<Line> m_lines;
    QSizeF m_size;
    double m_xFrom = 0;
    double m_xTo = 1;
    double m_leftLow = 0;
    double m_leftHigh = 1;
    double m_rightLow = 0;
    double m_rightHigh = 1;
};
