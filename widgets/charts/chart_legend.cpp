#include "chart_legend.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace {

constexpr int SwatchWidth = 18;
constexpr int SwatchGap = 5;
constexpr int EntrySpacing = 16;
constexpr int Margin = 4;

} // namespace

ChartLegend::ChartLegend(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

ChartLegend::~ChartLegend() = default;

QString ChartLegend::entryText(const Entry &entry)
{
    return entry.rightAxis ? entry.name + tr(" (right)") : entry.name;
}

void ChartLegend::setEntries(const QList<Entry> &entries)
{
    if (entries == m_entries)
        return;
    m_entries = entries;
    m_placed = layoutFor(width());
    updateGeometry();
    update();
}

QList<ChartLegend::Placed> ChartLegend::layoutFor(int width) const
{
    QList<Placed> out;
    const QFontMetrics fm = fontMetrics();
    const int rowHeight = fm.height() + 4;
    const int available = std::max(1, width - 2 * Margin);
    int x = Margin;
    int y = Margin;
    for (const Entry &entry : m_entries) {
        QString text = entryText(entry);
        int w = SwatchWidth + SwatchGap + fm.horizontalAdvance(text);
        if (w > available) {
            text = fm.elidedText(text, Qt::ElideMiddle, available - SwatchWidth - SwatchGap);
            w = available;
        }
        if (x > Margin && x + w > Margin + available) {
            x = Margin;
            y += rowHeight;
        }
        out.append({QRect(x, y, w, rowHeight), text});
        x += w + EntrySpacing;
    }
    return out;
}

int ChartLegend::heightForWidth(int width) const
{
    if (m_entries.isEmpty())
        return 0;
    const QList<Placed> placed = layoutFor(width);
    return placed.constLast().rect.bottom() + 1 + Margin;
}

QSize ChartLegend::sizeHint() const
{
    return QSize(400, heightForWidth(width() > 0 ? width() : 400));
}

QSize ChartLegend::minimumSizeHint() const
{
    return QSize(0, m_entries.isEmpty() ? 0 : fontMetrics().height() + 4 + 2 * Margin);
}

void ChartLegend::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_placed = layoutFor(width());
}

void ChartLegend::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    for (qsizetype i = 0; i < m_placed.size() && i < m_entries.size(); ++i) {
        const Entry &entry = m_entries.at(i);
        const Placed &placed = m_placed.at(i);
        const int midY = placed.rect.center().y();
        QPen pen(entry.color, 2.5);
        pen.setStyle(entry.style);
        painter.setPen(pen);
        painter.drawLine(placed.rect.left(), midY, placed.rect.left() + SwatchWidth, midY);
        painter.setPen(palette().color(QPalette::WindowText));
        const QRect textRect = placed.rect.adjusted(SwatchWidth + SwatchGap, 0, 0, 0);
        painter.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, placed.text);
    }
}

bool ChartLegend::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        for (qsizetype i = 0; i < m_placed.size() && i < m_entries.size(); ++i) {
            if (m_placed.at(i).rect.contains(help->pos())) {
                QToolTip::showText(help->globalPos(), m_entries.at(i).toolTip, this, m_placed.at(i).rect);
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}
