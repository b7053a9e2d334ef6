#pragma once

#include "terminal_row_raster.h"

#include <QClipboard>
#include <QFont>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QScrollBar;
class TerminalScreen;
class TerminalSearch;
class TerminalSearchBar;
struct TerminalCell;

/// The painting widget of the terminal (Konsole's top layer): paints a TerminalScreen's cells with
/// QPainter in a monospace font, maps keys, mouse, IME and the clipboard to the screen's input
/// encoding, and scrolls through the scrollback.
///
/// Painting is coalesced: outputChanged() only starts a FrameMs single-shot timer (never
/// restarted, so output arriving continuously still paints once per frame); its timeout takes the
/// screen's damaged rows and update()s just those rows (all rows when the viewport is in the
/// scrollback or has scrolled). The screen is resized at once with the widget (unless
/// setGridFollowsSize(false), for a replay that dictates its size); the remote side is told by the
/// tab, debounced.
///
/// Shortcuts: Ctrl+Shift+C copy, Ctrl+Shift+V paste, middle click pastes the selection clipboard,
/// Ctrl+Shift+F search bar, Ctrl+= / Ctrl+- / Ctrl+0 font zoom, Shift+PgUp/PgDn and the wheel
/// scroll the history. A multi-line paste is confirmed first unless the program turned on
/// bracketed paste (setPasteConfirmation replaces the dialog, for tests).
class TerminalView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int FrameMs = 16;
    static constexpr int BellFlashMs = 150;
    static constexpr int CursorBlinkMs = 530;

    explicit TerminalView(TerminalScreen *screen, QWidget *parent = nullptr);
    ~TerminalView() override;

    TerminalScreen *screen() const { return m_screen; }
    TerminalSearch *search() const { return m_search.get(); }

    QSize cellSize() const { return {m_cellWidth, m_cellHeight}; }
    /// Columns × rows that fit `pixels` (the scrollbar excluded).
    QSize gridSizeFor(QSize pixels) const;
    void setGridFollowsSize(bool follows);
    QSize sizeHint() const override;

    // --- options ----------------------------------------------------------------------------
    void setSelectToCopy(bool on) { m_selectToCopy = on; }
    bool selectToCopy() const { return m_selectToCopy; }
    void setTextBlinkEnabled(bool on);
    bool isTextBlinkEnabled() const { return m_textBlink; }
    /// Returns true to go ahead with a multi-line paste of `text`.
    using PasteConfirmation = std::function<bool(const QString &text)>;
    void setPasteConfirmation(PasteConfirmation confirm) { m_confirmPaste = std::move(confirm); }

    // --- font -------------------------------------------------------------------------------
    qreal fontPointSize() const { return m_font.pointSizeF(); }
    void zoomIn();
    void zoomOut();
    void resetZoom();

    // --- history ----------------------------------------------------------------------------
    /// Lines the viewport is above the live screen (0 = following the output).
    int scrollOffset() const { return m_scrollOffset; }
    void scrollLines(int delta); ///< positive: back into the history
    void scrollToBottom();
    /// Makes history line `line` visible (search).
    void revealLine(qint64 line);

    // --- clipboard and search ---------------------------------------------------------------
    void copySelection();
    void pasteFrom(QClipboard::Mode mode);
    /// A paste as the user's (confirmation, sanitising, bracketed paste by the screen).
    void pasteText(const QString &text);
    void showSearchBar();
    TerminalSearchBar *searchBar() const { return m_searchBar; }

    // --- for tests and the benchmark --------------------------------------------------------
    int paintCount() const { return m_paintCount; }
    /// Rows painted by the last paint event.
    int lastPaintedRows() const { return m_lastPaintedRows; }
    bool isBellFlashing() const { return m_flash; }
    bool isCursorDrawnHollow() const { return !hasFocus(); }
    /// Runs a pending frame now (what the timer would do).
    void flushFrame();

Q_SIGNALS:
    /// The grid the widget's size gives changed (after the screen was resized).
    void gridSizeChanged(int columns, int rows);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void inputMethodEvent(QInputMethodEvent *event) override;
    QVariant inputMethodQuery(Qt::InputMethodQuery query) const override;

private:
    struct Colors;
    void buildScrollBar();
    void buildTimers();
    void applyFont();
    void handleOutputChanged();
    void handleFrame();
    void handleBell();
    void updateScrollBar();
    void fitGrid();
    bool handleShortcut(QKeyEvent *event);
    bool sendKeyEvent(QKeyEvent *event);
    bool mouseReporting(const QMouseEvent *event) const;
    qint64 viewTopLine() const;
    QPoint cellAt(QPointF position) const; ///< x = column, y = viewport row (clamped)
    int linkAt(QPointF position) const;
    void paintRow(QPainter &painter, int viewRow);
    void paintCursor(QPainter &painter);
    QRect cursorRect() const;
    QColor cellForeground(const TerminalCell &cell, bool *bold) const;
    QColor cellBackground(const TerminalCell &cell) const;

    TerminalScreen *m_screen;
    std::unique_ptr<TerminalSearch> m_search;
    TerminalSearchBar *m_searchBar = nullptr;
    QScrollBar *m_scrollBar = nullptr;
    QFont m_font;
    QFont m_boldFont;
    QFont m_italicFont;
    QFont m_boldItalicFont;
    TerminalRowRaster m_raster;
    qreal m_defaultPointSize = 11;
    int m_cellWidth = 8;
    int m_cellHeight = 16;
    int m_ascent = 12;
    QTimer m_frameTimer;
    QTimer m_blinkTimer;
    QTimer m_flashTimer;
    std::vector<uint8_t> m_damage;
    int m_scrollOffset = 0;
    qint64 m_lastScreenTop = 0;
    bool m_gridFollowsSize = true;
    bool m_selectToCopy = false;
    bool m_textBlink = true;
    bool m_blinkPhase = true;
    bool m_flash = false;
    bool m_selecting = false;
    bool m_blockSelect = false;
    qint64 m_anchorLine = 0;
    int m_anchorColumn = 0;
    int m_hoverLink = 0;
    QString m_preedit;
    PasteConfirmation m_confirmPaste;
    int m_paintCount = 0;
    int m_lastPaintedRows = 0;
};
