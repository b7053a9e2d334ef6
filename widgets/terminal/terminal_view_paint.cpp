// TerminalView's painting: only the damaged rows, backgrounds in runs of one colour, text in runs
// of one style (printable ASCII blended from glyph masks by TerminalRowRaster, the rest with
// QPainter), decorations, cursor, preedit.

#include "terminal_view.h"

#include "terminal_screen.h"
#include "terminal_search.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QVarLengthArray>

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
    m_raster.prepare({m_font, m_boldFont, m_italicFont, m_boldItalicFont}, m_cellWidth, m_cellHeight, m_ascent,
                     devicePixelRatioF());
    m_lastPaintedRows = 0;
    for (int r = 0; r < m_screen->rows(); ++r) {
        if (!paintRows[size_t(r)])
            continue;
        paintRow(painter, r); // one image per row, exactly the row's cells
        ++m_lastPaintedRows;
    }
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
    const bool reverseVideo = m_screen->isReverseVideo();
    const QList<TerminalSpan> matches = m_search->matchesOnLine(line);
    static const TerminalCell blank;
    m_raster.begin(columns);

    // Pass 1: backgrounds, in runs of one colour.
    int runStart = 0;
    QRgb runColor = 0;
    auto backgroundOf = [&](int c, const TerminalCell &cell) -> QRgb {
        for (const TerminalSpan &m : matches) {
            if (c >= m.startColumn && c < m.endColumn)
                return m_search->isCurrent(m) ? CurrentMatchBackground : MatchBackground;
        }
        if (m_screen->hasSelection() && m_screen->isSelected(line, c))
            return SelectionBackground;
        bool bold = false;
        const bool reverse = bool(cell.attrs & TerminalAttr::Reverse) != reverseVideo;
        return (reverse ? cellForeground(cell, &bold) : cellBackground(cell)).rgb();
    };
    for (int c = 0; c <= columns; ++c) {
        QRgb color = 0;
        if (c < columns)
            color = backgroundOf(c, c < length ? cells[c] : blank);
        if (c == columns || c == 0 || color != runColor) {
            if (c > 0)
                m_raster.fill(runStart, c - runStart, runColor);
            runStart = c;
            runColor = color;
        }
    }

    // Pass 2: text, in runs of one style. Printable ASCII is blended into the row from glyph
    // masks; other characters (drawn per cell so wide and fallback-font glyphs land on their
    // cells) and decorations go through a painter afterwards (pass 3).
    struct Deferred
    {
        int start;
        int end;
        QColor fg;
        bool bold;
        bool italic;
        bool text;
    };
    QVarLengthArray<Deferred, 16> deferred;
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
        const bool drawn = hidden
            || (ascii && m_raster.drawAscii(TerminalRowRaster::variantOf(bold, italic), cells + c, end - c, c, fg.rgb()));
        const bool decorated = first.underline() != 0 || (first.link != 0 && first.link == m_hoverLink)
            || (first.attrs & TerminalAttr::Strike);
        if (!drawn || decorated)
            deferred.append(Deferred{c, end, fg, bold, italic, !drawn});
        c = end;
    }

    // Pass 3: what the masks do not cover.
    QString text;
    for (const Deferred &run : std::as_const(deferred)) {
        QPainter &p = m_raster.painter();
        const TerminalCell &first = cells[run.start];
        p.setPen(run.fg);
        const int x = run.start * m_cellWidth;
        const int w = (run.end - run.start) * m_cellWidth;
        if (run.text) {
            text.clear();
            for (int i = run.start; i < run.end; ++i)
                m_screen->appendCellText(cells[i], text);
            if (!text.trimmed().isEmpty()) {
                p.setFont(run.bold ? (run.italic ? m_boldItalicFont : m_boldFont) : (run.italic ? m_italicFont : m_font));
                p.drawText(x, m_ascent, text);
            }
        }
        const int underline = first.underline();
        const int baseline = m_ascent + 2;
        if (underline == 1 || (first.link != 0 && first.link == m_hoverLink)) {
            p.drawLine(x, baseline, x + w - 1, baseline);
        } else if (underline == 2) {
            p.drawLine(x, baseline, x + w - 1, baseline);
            p.drawLine(x, baseline + 2, x + w - 1, baseline + 2);
        } else if (underline == 3) {
            QPainterPath wave;
            wave.moveTo(x, baseline);
            for (int px = x; px < x + w; px += 2)
                wave.lineTo(px + 2, baseline + (((px - x) / 2) % 2 ? 0 : 2));
            p.drawPath(wave);
        }
        if (first.attrs & TerminalAttr::Strike)
            p.drawLine(x, m_cellHeight / 2, x + w - 1, m_cellHeight / 2);
    }
    painter.drawImage(QPoint(0, viewRow * m_cellHeight), m_raster.finish());
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
