// TerminalView's painting: only the damaged rows, backgrounds in runs of one colour, text in runs
// of one style (ASCII through TerminalGlyphs, no text shaping), decorations, cursor, preedit.

#include "terminal_view.h"

#include "terminal_screen.h"
#include "terminal_search.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>

#include <algorithm>

namespace {

constexpr QRgb DefaultForeground = 0xffd8d8d8;
constexpr QRgb DefaultBackground = 0xff1c1c1c;
constexpr QRgb StderrForeground = 0xffff7b72;
constexpr QRgb SelectionBackground = 0xff3d5a80;
constexpr QRgb MatchBackground = 0xff6b5d00;
constexpr QRgb CurrentMatchBackground = 0xffc07000;
constexpr QRgb CursorColor = 0xffd8d8d8;

QColor colorFrom(uint32_t color, QRgb fallback)
{
    switch (TerminalColor::kind(color)) {
    case TerminalColor::Indexed: return QColor(QRgb(0xff000000u | TerminalColor::paletteRgb(int(TerminalColor::value(color)))));
    case TerminalColor::Rgb: return QColor(QRgb(0xff000000u | TerminalColor::value(color)));
    default: return QColor(fallback);
    }
}

} // namespace

QColor TerminalView::cellForeground(const TerminalCell &cell, bool *bold) const
{
    *bold = cell.attrs & TerminalAttr::Bold;
    if (TerminalColor::kind(cell.fg) == TerminalColor::Default && (cell.attrs & TerminalAttr::Stderr))
        return QColor(StderrForeground);
    // Bold brightens the 8 basic colours, as most terminals do.
    if (*bold && TerminalColor::kind(cell.fg) == TerminalColor::Indexed && TerminalColor::value(cell.fg) < 8)
        return colorFrom(TerminalColor::indexed(TerminalColor::value(cell.fg) + 8), DefaultForeground);
    return colorFrom(cell.fg, DefaultForeground);
}

QColor TerminalView::cellBackground(const TerminalCell &cell) const
{
    return colorFrom(cell.bg, DefaultBackground);
}

void TerminalView::paintEvent(QPaintEvent *event)
{
    ++m_paintCount;
    QPainter painter(this);
    const QRect area = event->rect();
    const int gridWidth = m_screen->columns() * m_cellWidth;
    // The region's rectangles, not its bounding box: damage on rows 3 and 20 paints two rows.
    std::vector<uint8_t> paintRows(size_t(m_screen->rows()), 0);
    for (const QRect &r : event->region()) {
        const int first = std::max(0, r.top() / m_cellHeight);
        const int last = std::min(m_screen->rows() - 1, r.bottom() / m_cellHeight);
        for (int row = first; row <= last; ++row)
            paintRows[size_t(row)] = 1;
    }
    m_lastPaintedRows = 0;
    for (int r = 0; r < m_screen->rows(); ++r) {
        if (!paintRows[size_t(r)])
            continue;
        painter.setClipRect(QRect(0, r * m_cellHeight, gridWidth, m_cellHeight));
        paintRow(painter, r);
        ++m_lastPaintedRows;
    }
    painter.setClipping(false);
    // Margins right of and below the grid.
    const QColor background(m_screen->isReverseVideo() ? DefaultForeground : DefaultBackground);
    const int barLeft = width() - m_scrollBar->width();
    if (gridWidth < barLeft)
        painter.fillRect(QRect(gridWidth, area.top(), barLeft - gridWidth, area.height()), background);
    const int gridHeight = m_screen->rows() * m_cellHeight;
    if (gridHeight < height())
        painter.fillRect(QRect(0, gridHeight, barLeft, height() - gridHeight), background);
    if (m_scrollOffset == 0)
        paintCursor(painter);
    if (m_flash)
        painter.fillRect(rect(), QColor(255, 255, 255, 60));
}

void TerminalView::paintRow(QPainter &painter, int viewRow)
{
    const qint64 line = viewTopLine() + viewRow;
    int length = 0;
    const TerminalCell *cells = m_screen->lineCells(line, &length);
    const int columns = m_screen->columns();
    const int y = viewRow * m_cellHeight;
    const bool reverseVideo = m_screen->isReverseVideo();
    const QList<TerminalSpan> matches = m_search->matchesOnLine(line);
    const TerminalSpan current = m_search->current();
    static const TerminalCell blank;

    // Pass 1: backgrounds, in runs of one colour.
    QString text;
    int runStart = 0;
    QColor runColor;
    auto backgroundOf = [&](int c, const TerminalCell &cell) {
        for (const TerminalSpan &m : matches) {
            if (c >= m.startColumn && c < m.endColumn)
                return QColor(m.line == current.line && m.startColumn == current.startColumn
                                  && current.endColumn > 0 ? CurrentMatchBackground : MatchBackground);
        }
        if (m_screen->hasSelection() && m_screen->isSelected(line, c))
            return QColor(SelectionBackground);
        bool bold = false;
        const bool reverse = bool(cell.attrs & TerminalAttr::Reverse) != reverseVideo;
        return reverse ? cellForeground(cell, &bold) : cellBackground(cell);
    };
    for (int c = 0; c <= columns; ++c) {
        QColor color;
        if (c < columns)
            color = backgroundOf(c, c < length ? cells[c] : blank);
        if (c == columns || c == 0 || color != runColor) {
            if (c > 0)
                painter.fillRect(QRect(runStart * m_cellWidth, y, (c - runStart) * m_cellWidth, m_cellHeight), runColor);
            runStart = c;
            runColor = color;
        }
    }

    // Pass 2: text, in runs of one style (ASCII runs drawn at once, everything else per cell so
    // wide and fallback-font glyphs land on their cells).
    for (int c = 0; c < length && c < columns;) {
        const TerminalCell &first = cells[c];
        if (first.isBlank() || first.isWideTail()) {
            if (first.underline() == 0 && !(first.attrs & TerminalAttr::Strike) && first.link != m_hoverLink) {
                ++c;
                continue;
            }
        }
        const bool hidden = (first.attrs & TerminalAttr::Blink) && m_textBlink && !m_blinkPhase;
        int end = c + 1;
        const bool ascii = first.ch < 0x7f;
        if (ascii) {
            while (end < length && end < columns && cells[end].ch < 0x7f && cells[end].sameStyle(first))
                ++end;
        } else if (first.attrs & TerminalAttr::Wide) {
            end = std::min(columns, c + 2);
        }
        bool bold = false;
        QColor fg = cellForeground(first, &bold);
        const bool reverse = bool(first.attrs & TerminalAttr::Reverse) != reverseVideo;
        if (reverse)
            fg = cellBackground(first);
        if (m_screen->hasSelection() && m_screen->isSelected(line, c))
            fg = QColor(Qt::white);
        const bool italic = first.attrs & TerminalAttr::Italic;
        painter.setPen(fg);
        const int x = c * m_cellWidth;
        const int w = (end - c) * m_cellWidth;
        if (!hidden && !(ascii && m_glyphs.drawAscii(painter, TerminalGlyphs::variantOf(bold, italic), cells + c, end - c, x,
                                                    y + m_ascent, m_cellWidth))) {
            text.clear();
            for (int i = c; i < end; ++i)
                m_screen->appendCellText(cells[i], text);
            if (!text.trimmed().isEmpty()) {
                painter.setFont(bold ? (italic ? m_boldItalicFont : m_boldFont) : (italic ? m_italicFont : m_font));
                painter.drawText(x, y + m_ascent, text);
            }
        }
        const int underline = first.underline();
        const int baseline = y + m_ascent + 2;
        if (underline == 1 || (first.link != 0 && first.link == m_hoverLink)) {
            painter.drawLine(x, baseline, x + w - 1, baseline);
        } else if (underline == 2) {
            painter.drawLine(x, baseline, x + w - 1, baseline);
            painter.drawLine(x, baseline + 2, x + w - 1, baseline + 2);
        } else if (underline == 3) {
            QPainterPath wave;
            wave.moveTo(x, baseline);
            for (int px = x; px < x + w; px += 2)
                wave.lineTo(px + 2, baseline + (((px - x) / 2) % 2 ? 0 : 2));
            painter.drawPath(wave);
        }
        if (first.attrs & TerminalAttr::Strike)
            painter.drawLine(x, y + m_cellHeight / 2, x + w - 1, y + m_cellHeight / 2);
        c = end;
    }
}

QRect TerminalView::cursorRect() const
{
    return QRect(m_screen->cursorColumn() * m_cellWidth, m_screen->cursorRow() * m_cellHeight,
                 m_cellWidth, m_cellHeight);
}

void TerminalView::paintCursor(QPainter &painter)
{
    if (!m_screen->isCursorVisible())
        return;
    const QRect r = cursorRect();
    if (!m_preedit.isEmpty()) {
        const int w = m_cellWidth * int(m_preedit.size());
        painter.fillRect(QRect(r.topLeft(), QSize(w, m_cellHeight)), QColor(DefaultBackground));
        painter.setFont(m_font);
        painter.setPen(QColor(DefaultForeground));
        painter.drawText(r.left(), r.top() + m_ascent, m_preedit);
        painter.drawLine(r.left(), r.bottom(), r.left() + w - 1, r.bottom());
        return;
    }
    painter.setPen(QColor(CursorColor));
    if (!hasFocus()) {
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(r.adjusted(0, 0, -1, -1)); // hollow while unfocused
        return;
    }
    if (m_screen->isCursorBlinking() && !m_blinkPhase)
        return;
    switch (m_screen->cursorShape()) {
    case TerminalScreen::CursorShape::Underline:
        painter.fillRect(QRect(r.left(), r.bottom() - 1, r.width(), 2), QColor(CursorColor));
        break;
    case TerminalScreen::CursorShape::Bar:
        painter.fillRect(QRect(r.left(), r.top(), 2, r.height()), QColor(CursorColor));
        break;
    case TerminalScreen::CursorShape::Block: {
        painter.fillRect(r, QColor(CursorColor));
        const TerminalCell &cell = m_screen->rowCells(m_screen->cursorRow())[m_screen->cursorColumn()];
        if (!cell.isBlank() && !cell.isWideTail()) {
            painter.setFont(m_font);
            painter.setPen(QColor(DefaultBackground));
            painter.drawText(r.left(), r.top() + m_ascent, m_screen->cellText(cell));
        }
        break;
    }
    }
}
