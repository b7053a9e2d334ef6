#include "chart_lines_item.h"

#include <QPainter>
#include <QPolygonF>

namespace {

constexpr qreal SeriesZValue = 4; // Qt Charts' ChartPresenter::SeriesZValue: above grid and axes

double span(double low, double high)
{
    return high > low ? high - low : 1.0;
}

} // namespace

ChartLinesItem::ChartLinesItem(QGraphicsItem *parent)
    : QGraphicsItem(parent)
{
    setZValue(SeriesZValue);
    setFlag(QGraphicsItem::ItemClipsToShape, false);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
}

ChartLinesItem::~ChartLinesItem() = default;

void ChartLinesItem::setPlotArea(const QRectF &area)
{
    if (area.size() != m_size) {
        prepareGeometryChange();
        m_size = area.size();
    }
    setPos(area.topLeft());
    update();
}

void ChartLinesItem::setRanges(double xFrom, double xTo, double leftLow, double leftHigh, double rightLow,
                               double rightHigh)
{
    m_xFrom = xFrom;
    m_xTo = xTo;
    m_leftLow = leftLow;
    m_leftHigh = leftHigh;
    m_rightLow = rightLow;
    m_rightHigh = rightHigh;
    update();
}

void ChartLinesItem::setLines(QList<Line> lines)
{
    m_lines = std::move(lines);
    update();
}

QPointF ChartLinesItem::map(const QPointF &value, bool rightAxis) const
{
    const double low = rightAxis ? m_rightLow : m_leftLow;
    const double high = rightAxis ? m_rightHigh : m_leftHigh;
    return QPointF((value.x() - m_xFrom) / span(m_xFrom, m_xTo) * m_size.width(),
                   (high - value.y()) / span(low, high) * m_size.height());
}

QRectF ChartLinesItem::boundingRect() const
{
    return QRectF(QPointF(0, 0), m_size);
}

void ChartLinesItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_lines.isEmpty() || m_size.isEmpty())
        return;
    painter->save();
    // Half a pixel beyond the plot so lines along its edges stay whole (as Qt Charts does).
    painter->setClipRect(boundingRect().adjusted(-0.5, -0.5, 0.5, 0.5));
    const double sx = m_size.width() / span(m_xFrom, m_xTo);
    QPolygonF polygon;
    for (const Line &line : m_lines) {
        if (line.points.isEmpty())
            continue;
        const double low = line.rightAxis ? m_rightLow : m_leftLow;
        const double high = line.rightAxis ? m_rightHigh : m_leftHigh;
        const double sy = m_size.height() / span(low, high);
        polygon.resize(line.points.size());
        QPointF *out = polygon.data();
        for (const QPointF &p : line.points)
            *out++ = QPointF((p.x() - m_xFrom) * sx, (high - p.y()) * sy);
        painter->setPen(line.pen);
        if (polygon.size() == 1)
            painter->drawPoint(polygon.first());
        else
            painter->drawPolyline(polygon);
    }
    painter->restore();
}
