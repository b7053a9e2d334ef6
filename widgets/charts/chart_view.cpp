#include "chart_view.h"

#include <QChart>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

ChartView::ChartView(QWidget *parent)
    : QChartView(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setRubberBand(QChartView::NoRubberBand);
    setDragMode(QGraphicsView::NoDrag);
    setToolTip(tr("Wheel: zoom time \u00B7 Shift+wheel: zoom values \u00B7 drag: pan \u00B7 "
                  "double-click: back to live \u00B7 Space: pause"));
}

ChartView::~ChartView() = default;

QPointF ChartView::toChart(QPointF viewportPos) const
{
    return chart() ? chart()->mapFromScene(mapToScene(viewportPos.toPoint())) : viewportPos;
}

void ChartView::wheelEvent(QWheelEvent *event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0 || !chart()) {
        event->ignore();
        return;
    }
    const Qt::Orientation orientation = event->modifiers() & Qt::ShiftModifier ? Qt::Vertical : Qt::Horizontal;
    Q_EMIT zoomRequested(std::pow(WheelStepFactor, notches), toChart(event->position()), orientation);
    event->accept();
}

void ChartView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_lastDrag = event->position();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging) {
        const QPointF delta = event->position() - m_lastDrag;
        m_lastDrag = event->position();
        if (event->modifiers() & Qt::ShiftModifier) {
            if (delta.y() != 0)
                Q_EMIT panRequested(delta.y(), Qt::Vertical);
        } else if (delta.x() != 0) {
            Q_EMIT panRequested(delta.x(), Qt::Horizontal);
        }
    }
    Q_EMIT hoverMoved(toChart(event->position()));
    event->accept();
}

void ChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_dragging) {
        m_dragging = false;
        unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        Q_EMIT resetRequested();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void ChartView::leaveEvent(QEvent *event)
{
    Q_EMIT hoverLeft();
    QChartView::leaveEvent(event);
}

void ChartView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::NoModifier) {
        Q_EMIT pauseToggleRequested();
        event->accept();
        return;
    }
    QChartView::keyPressEvent(event);
}
