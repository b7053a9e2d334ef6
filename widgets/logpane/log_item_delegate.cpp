#include "log_item_delegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>

LogItemDelegate::LogItemDelegate(int dataColumn, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_dataColumn(dataColumn)
{
}

LogItemDelegate::~LogItemDelegate() = default;

int LogItemDelegate::keptChars(int width, const QFontMetrics &metrics)
{
    // Narrow glyphs ("i", "l", ".") are about half the average width: twice the average count
    // always overflows the cell, so the style's elision still shows "…" where text was cut.
    return std::max(16, 2 * width / std::max(1, metrics.averageCharWidth()) + 8);
}

void LogItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const int keep = keptChars(option->rect.width(), option->fontMetrics);
    if (option->text.size() > keep)
        option->text.truncate(keep);
}

void LogItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect textRect = opt.rect.adjusted(margin, 0, -margin, 0);
    const QFontMetrics &fm = opt.fontMetrics;
    QString text = opt.text;
    // Elide only when the text may not fit: most cells are drawn with a single layout.
    if (index.column() != m_dataColumn && qsizetype(text.size()) * fm.maxWidth() > textRect.width()
        && fm.horizontalAdvance(text) > textRect.width())
        text = fm.elidedText(text, Qt::ElideRight, textRect.width());

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (opt.state & QStyle::State_Active) ? QPalette::Normal : QPalette::Inactive;
    painter->save();
    painter->setClipRect(textRect);
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    const int baseline = textRect.top() + (textRect.height() - fm.height()) / 2 + fm.ascent();
    painter->drawText(QPoint(textRect.left(), baseline), text);
    painter->restore();

    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = opt.rect;
        focus.state |= QStyle::State_KeyboardFocusChange;
        focus.backgroundColor = opt.palette.color(group, selected ? QPalette::Highlight : QPalette::Window);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
}
