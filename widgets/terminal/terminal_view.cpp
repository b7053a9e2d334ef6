// TerminalView: construction, fonts, frame coalescing and scrolling. Painting is in
// terminal_view_paint.cpp; input handling (keys, mouse, IME, clipboard) in terminal_view_input.cpp.

#include "terminal_view.h"

#include "terminal_screen.h"
#include "terminal_search.h"
#include "terminal_search_bar.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <QScrollBar>

#include <algorithm>


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
