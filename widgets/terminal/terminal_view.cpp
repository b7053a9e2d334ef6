// TerminalView: construction, frame coalescing, scrolling and painting. Input handling (keys,
// mouse, IME, clipboard) is in terminal_view_input.cpp.

#include "terminal_view.h"

#include "terminal_screen.h"
#include "terminal_search.h"
#include "terminal_search_bar.h"

#include <QFontDatabase>
#include <QFontMetrics>
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

TerminalView::TerminalView(TerminalScreen *screen, QWidget *parent)
    : QWidget(parent)
    , m_screen(screen)
    , m_search(std::make_unique<TerminalSearch>(screen))
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_InputMethodEnabled);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    setCursor(Qt::IBeamCursor);
    m_font = QFont(QStringLiteral("DejaVu Sans Mono"));
    m_font.setStyleHint(QFont::Monospace);
    m_font.setFixedPitch(true);
    m_font.setPointSizeF(m_defaultPointSize);
    buildScrollBar();
    buildTimers();
    m_searchBar = new TerminalSearchBar(this);
    m_searchBar->hide();
    applyFont();
    connect(m_screen, &TerminalScreen::outputChanged, this, &TerminalView::handleOutputChanged);
    connect(m_screen, &TerminalScreen::bell, this, &TerminalView::handleBell);
    m_lastScreenTop = m_screen->screenTopLine();
}

TerminalView::~TerminalView() = default;

void TerminalView::buildScrollBar()
{
    m_scrollBar = new QScrollBar(Qt::Vertical, this);
    m_scrollBar->setCursor(Qt::ArrowCursor);
    m_scrollBar->setFocusPolicy(Qt::NoFocus);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int value) {
        const int offset = m_scrollBar->maximum() - value;
        if (offset != m_scrollOffset) {
            m_scrollOffset = offset;
            update();
        }
    });
}

void TerminalView::buildTimers()
{
    m_frameTimer.setSingleShot(true);
    m_frameTimer.setInterval(FrameMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &TerminalView::handleFrame);
    m_blinkTimer.setInterval(CursorBlinkMs);
    connect(&m_blinkTimer, &QTimer::timeout, this, [this] {
        m_blinkPhase = !m_blinkPhase;
        update(); // the cursor and blinking text
    });
    m_blinkTimer.start();
    m_flashTimer.setSingleShot(true);
    m_flashTimer.setInterval(BellFlashMs);
    connect(&m_flashTimer, &QTimer::timeout, this, [this] {
        m_flash = false;
        update();
    });
}

void TerminalView::applyFont()
{
    m_boldFont = m_font;
    m_boldFont.setBold(true);
    m_italicFont = m_font;
    m_italicFont.setItalic(true);
    m_boldItalicFont = m_boldFont;
    m_boldItalicFont.setItalic(true);
    const QFontMetrics fm(m_font);
    m_cellWidth = std::max(1, fm.horizontalAdvance(QLatin1Char('M')));
    m_cellHeight = std::max(1, fm.height());
    m_ascent = fm.ascent();
    fitGrid();
    update();
}

QSize TerminalView::gridSizeFor(QSize pixels) const
{
    const int width = pixels.width() - m_scrollBar->sizeHint().width();
    return {std::max(2, width / m_cellWidth), std::max(1, pixels.height() / m_cellHeight)};
}

QSize TerminalView::sizeHint() const
{
    return {m_cellWidth * 80 + m_scrollBar->sizeHint().width(), m_cellHeight * 24};
}

void TerminalView::setGridFollowsSize(bool follows)
{
    m_gridFollowsSize = follows;
    fitGrid();
}

void TerminalView::fitGrid()
{
    const int barWidth = m_scrollBar->sizeHint().width();
    m_scrollBar->setGeometry(width() - barWidth, 0, barWidth, height());
    if (m_searchBar && m_searchBar->isVisible())
        m_searchBar->move(std::max(0, width() - barWidth - m_searchBar->width() - 4), 2);
    // A hidden view has no real size yet (a child is 100×30 until laid out): keep the screen's.
    if (!m_gridFollowsSize || !isVisible() || width() <= 0 || height() <= 0)
        return;
    const QSize grid = gridSizeFor(size());
    if (grid.width() != m_screen->columns() || grid.height() != m_screen->rows()) {
        m_screen->resize(grid.width(), grid.height());
        Q_EMIT gridSizeChanged(grid.width(), grid.height());
    }
}

void TerminalView::resizeEvent(QResizeEvent *)
{
    fitGrid();
    update();
}

void TerminalView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    fitGrid();
}

void TerminalView::setTextBlinkEnabled(bool on)
{
    m_textBlink = on;
    update();
}

void TerminalView::zoomIn()
{
    m_font.setPointSizeF(std::min<qreal>(72, m_font.pointSizeF() + 1));
    applyFont();
}

void TerminalView::zoomOut()
{
    m_font.setPointSizeF(std::max<qreal>(5, m_font.pointSizeF() - 1));
    applyFont();
}

void TerminalView::resetZoom()
{
    m_font.setPointSizeF(m_defaultPointSize);
    applyFont();
}

void TerminalView::handleOutputChanged()
{
    if (!m_frameTimer.isActive())
        m_frameTimer.start(); // never restarted: one paint per frame however much arrives
}

void TerminalView::flushFrame()
{
    m_frameTimer.stop();
    handleFrame();
}

void TerminalView::handleFrame()
{
    const qint64 top = m_screen->screenTopLine();
    const qint64 moved = top - m_lastScreenTop;
    m_lastScreenTop = top;
    if (m_scrollOffset > 0 && moved != 0) {
        // Keep the lines the user is reading in place while output continues below.
        m_scrollOffset = int(std::clamp<qint64>(m_scrollOffset + moved, 0, m_screen->scrollbackSize()));
    }
    updateScrollBar();
    if (!m_screen->takeDamage(m_damage))
        return;
    if (m_scrollOffset > 0) {
        update();
        return;
    }
    QRegion region;
    const int rows = int(m_damage.size());
    for (int r = 0; r < rows;) {
        if (!m_damage[size_t(r)]) {
            ++r;
            continue;
        }
        const int start = r;
        while (r < rows && m_damage[size_t(r)])
            ++r;
        region += QRect(0, start * m_cellHeight, width(), (r - start) * m_cellHeight);
    }
    update(region);
}

void TerminalView::updateScrollBar()
{
    const int history = m_screen->isAltScreen() ? 0 : m_screen->scrollbackSize();
    m_scrollOffset = std::clamp(m_scrollOffset, 0, history);
    const QSignalBlocker blocker(m_scrollBar);
    m_scrollBar->setRange(0, history);
    m_scrollBar->setPageStep(m_screen->rows());
    m_scrollBar->setValue(history - m_scrollOffset);
}

void TerminalView::scrollLines(int delta)
{
    const int history = m_screen->isAltScreen() ? 0 : m_screen->scrollbackSize();
    const int offset = std::clamp(m_scrollOffset + delta, 0, history);
    if (offset == m_scrollOffset)
        return;
    m_scrollOffset = offset;
    updateScrollBar();
    update();
}

void TerminalView::scrollToBottom()
{
    scrollLines(-m_scrollOffset);
}

void TerminalView::revealLine(qint64 line)
{
    const qint64 top = viewTopLine();
    if (line >= top && line < top + m_screen->rows())
        return;
    // Put the line a third from the top.
    const qint64 wantedTop = line - m_screen->rows() / 3;
    scrollLines(int(top - wantedTop));
}

qint64 TerminalView::viewTopLine() const
{
    return m_screen->screenTopLine() - m_scrollOffset;
}

void TerminalView::handleBell()
{
    m_flash = true;
    m_flashTimer.start();
    update();
}

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
        text.clear();
        for (int i = c; i < end; ++i)
            m_screen->appendCellText(cells[i], text);
        bool bold = false;
        QColor fg = cellForeground(first, &bold);
        const bool reverse = bool(first.attrs & TerminalAttr::Reverse) != reverseVideo;
        if (reverse)
            fg = cellBackground(first);
        if (m_screen->hasSelection() && m_screen->isSelected(line, c))
            fg = QColor(Qt::white);
        const bool italic = first.attrs & TerminalAttr::Italic;
        painter.setFont(bold ? (italic ? m_boldItalicFont : m_boldFont) : (italic ? m_italicFont : m_font));
        painter.setPen(fg);
        const int x = c * m_cellWidth;
        const int w = (end - c) * m_cellWidth;
        if (!hidden && !text.trimmed().isEmpty())
            painter.drawText(x, y + m_ascent, text);
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
