#pragma once

#include "terminal_cell.h"
#include "terminal_scrollback.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

/// The terminal's screen and scrollback model (Konsole's middle layer): libvterm decodes the byte
/// stream (its *state* layer: cursor, pen, modes, scroll regions, replies), this class owns the
/// cells, the scrollback ring, damage, selection and the input encoding. Qt Core only.
///
/// Why libvterm's state layer and not its screen layer: VTermScreen memmoves the whole screen
/// (~170 KB at 120×40) on every line feed at the bottom, which caps throughput at ~14 MB/s on
/// coloured output; here a scroll of the full screen rotates a row map (no cell moves) and pushes
/// the top row into the scrollback (one copy of that line), which runs at libvterm's own decoding
/// speed. OSC 8 hyperlinks are taken out of the stream before libvterm (Osc8Scanner).
///
/// Signals: outputChanged at most once per feed()/resize() that changed something (the view
/// coalesces it to one paint per frame and takes the damage with takeDamage()); inputBytes for
/// everything the remote side must receive — encoded keys, pastes, mouse reports and libvterm's
/// replies (DA, DSR) — emitted once at the end of the call that produced them; titleChanged with
/// the sanitised title. Single-threaded (the GUI thread).
class TerminalScreen : public QObject
{
    Q_OBJECT
public:
    enum class CursorShape { Block, Underline, Bar };
    enum class MouseMode { None, Click, Drag, Move };
    /// Keys that are not plain text. F1 + n is function key n + 1 (up to F12).
    enum class Key {
        Enter, Tab, Backspace, Escape, Up, Down, Left, Right, Insert, Delete, Home, End, PageUp,
        PageDown, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, Keypad0, Keypad1, Keypad2,
        Keypad3, Keypad4, Keypad5, Keypad6, Keypad7, Keypad8, Keypad9, KeypadMultiply, KeypadPlus,
        KeypadComma, KeypadMinus, KeypadPeriod, KeypadDivide, KeypadEnter, KeypadEqual
    };
    enum Modifier { NoModifier = 0, Shift = 1, Alt = 2, Control = 4 };
    using Modifiers = int;

    static constexpr int DefaultScrollback = 10'000;
    static constexpr int MaxTitleLength = 120;

    explicit TerminalScreen(int columns = 80, int rows = 24, QObject *parent = nullptr);
    ~TerminalScreen() override;
    Q_DISABLE_COPY_MOVE(TerminalScreen)

    int columns() const { return m_columns; }
    int rows() const { return m_rows; }

    /// Remote output into libvterm (any split is fine, UTF-8 and sequences resume).
    void feed(QByteArrayView bytes);
    /// The same, with every cell written marked TerminalAttr::Stderr (tty=false sessions).
    void feedStderr(QByteArrayView bytes);
    /// Immediate (the remote resize is debounced by the tab). Emits sizeChanged on change.
    void resize(int columns, int rows);
    /// Visible screen: one line per row, '\n'-joined, trailing spaces trimmed, a wide char once,
    /// combining chars kept; trailing empty rows kept.
    QString screenText() const;

    // --- cells -----------------------------------------------------------------------------
    /// Row `row` (0..rows()-1) of the current buffer (primary or alternate), columns() cells.
    const TerminalCell *rowCells(int row) const;
    /// The text of one cell: its codepoint, or its base + combining characters; empty for a
    /// wide character's right half; " " for a blank.
    QString cellText(const TerminalCell &cell) const;
    /// Appends the codepoints of a cell (nothing for a wide tail, ' ' for blank) to `out`.
    void appendCellText(const TerminalCell &cell, QString &out) const;
    QString linkUrl(int linkId) const;

    // --- history: scrollback lines then screen rows, numbered by TerminalPos::line ----------
    int scrollbackSize() const { return m_scrollback.size(); }
    int scrollbackCapacity() const { return m_scrollback.capacity(); }
    void setScrollbackCapacity(int lines);
    /// Line number of the oldest retained scrollback line.
    qint64 firstLine() const { return m_screenTop - m_scrollback.size(); }
    /// Line number of screen row 0.
    qint64 screenTopLine() const { return m_screenTop; }
    qint64 lastLine() const { return m_screenTop + m_rows - 1; }
    /// Cells of a history line (scrollback lines may be shorter than columns()); nullptr and
    /// length 0 outside [firstLine(), lastLine()].
    const TerminalCell *lineCells(qint64 line, int *length) const;
    /// Text of cells [startColumn, endColumn) of a line (endColumn -1: to the end), wide chars
    /// once, trailing spaces trimmed unless `trimmed` is false. `columnOfChar`, when given,
    /// receives for every QChar of the result the column it came from.
    QString lineText(qint64 line, int startColumn = 0, int endColumn = -1,
                     std::vector<int> *columnOfChar = nullptr, bool trimmed = true) const;
    /// True when the line's text went on to the next line by auto-wrap (a soft break: the two
    /// are one line of the program's output). Lost for lines written before a width change.
    bool isWrapped(qint64 line) const;
    /// Lines dropped from the scrollback since construction (the cap at work).
    qint64 droppedLines() const { return m_droppedLines; }

    // --- cursor and modes --------------------------------------------------------------------
    int cursorRow() const { return m_cursorRow; }
    int cursorColumn() const { return m_cursorColumn; }
    bool isCursorVisible() const { return m_cursorVisible; }
    bool isCursorBlinking() const { return m_cursorBlink; }
    CursorShape cursorShape() const { return m_cursorShape; }
    bool isAltScreen() const { return m_alt; }
    bool isReverseVideo() const { return m_reverseVideo; }
    MouseMode mouseMode() const { return m_mouseMode; }
    QString title() const { return m_title; }
    /// True when the program turned on bracketed paste (DECSET 2004).
    bool isBracketedPasteEnabled() const;

    // --- damage --------------------------------------------------------------------------------
    /// Rows changed since the last call (one byte per row, 1 = dirty); returns false when
    /// nothing changed. The view calls it once per paint.
    bool takeDamage(std::vector<uint8_t> &rows);
    bool hasDamage() const { return m_anyDirty; }

    // --- input ---------------------------------------------------------------------------------
    void sendKey(Key key, Modifiers modifiers = NoModifier);
    /// Text typed (each codepoint through libvterm, so Ctrl/Alt combos encode right).
    void sendText(const QString &text, Modifiers modifiers = NoModifier);
    /// Raw bytes to the remote side as they are (an IME commit is sendText, not this).
    void sendBytes(const QByteArray &bytes);
    /// Backspace sends ^H (0x08) instead of DEL (0x7f).
    void setBackspaceSendsControlH(bool on) { m_backspaceControlH = on; }
    bool backspaceSendsControlH() const { return m_backspaceControlH; }
    /// Sanitised (sanitisedPaste) and wrapped in ESC[200~ … ESC[201~ when bracketed paste is on.
    void paste(const QString &text);
    /// No ESC or other C0 controls except \t \n \r, no DEL or C1; \r\n and \n become \r.
    static QString sanitisedPaste(QStringView text);
    /// Mouse reports (libvterm encodes; only when the program enabled a mouse mode). Rows and
    /// columns are screen cells; button 1 left, 2 middle, 3 right, 4/5 wheel up/down.
    void mouseMove(int row, int column, Modifiers modifiers = NoModifier);
    void mouseButton(int button, bool pressed, Modifiers modifiers = NoModifier);
    void focusIn();
    void focusOut();

    // --- selection (over scrollback + screen) --------------------------------------------------
    /// From `anchor` to `extent` inclusive of both cells, in either order; `block` selects the
    /// rectangle between them.
    void setSelection(TerminalPos anchor, TerminalPos extent, bool block = false);
    void clearSelection();
    bool hasSelection() const { return m_hasSelection; }
    bool isSelected(qint64 line, int column) const;
    /// Copyable text: no escape sequences, trailing spaces trimmed per line, wide chars once;
    /// lines that wrapped are joined without a line break (not in a block selection).
    QString selectedText() const;

    /// C0/C1 controls, DEL and bidi overrides/isolates/marks removed, at most MaxTitleLength.
    static QString sanitisedTitle(QStringView raw);

Q_SIGNALS:
    void outputChanged();
    void inputBytes(const QByteArray &bytes);
    void titleChanged(const QString &sanitisedTitle);
    void bell();
    void sizeChanged(int columns, int rows);

private:
    friend struct TerminalScreenCallbacks;
    friend struct TerminalScreenAccess;
    struct Private;

    TerminalCell *row(int r) { return m_cells[m_alt].data() + size_t(m_rowMap[m_alt][size_t(r)]) * size_t(m_columns); }
    const TerminalCell *row(int r) const { return m_cells[m_alt].data() + size_t(m_rowMap[m_alt][size_t(r)]) * size_t(m_columns); }
    void feedBytes(QByteArrayView bytes);
    void writeToVterm(QByteArrayView bytes);
    void writeTextRun(const char *text, qsizetype length);
    void markDirty(int fromRow, int toRow);
    void clearRow(TerminalCell *cells, int from, int to);
    void flushInput();
    void finishChange();
    uint32_t internCluster(const uint32_t *chars, int count);
    uint16_t internLink(const QByteArray &uri);
    void resizeBuffers(int columns, int rows, int *cursorDelta);

    std::unique_ptr<Private> d;
    int m_columns;
    int m_rows;
    // Two buffers (primary, alternate): cells row-major by storage row, and the map from screen
    // row to storage row (a scroll rotates the map).
    std::vector<TerminalCell> m_cells[2];
    std::vector<int> m_rowMap[2];
    bool m_alt = false;
    TerminalScrollback m_scrollback{DefaultScrollback};
    qint64 m_screenTop = 0;
    qint64 m_droppedLines = 0;
    TerminalCell m_pen;
    std::vector<uint8_t> m_dirty;
    bool m_anyDirty = true;
    bool m_changed = false;
    bool m_stderr = false;
    int m_cursorRow = 0;
    int m_cursorColumn = 0;
    bool m_cursorVisible = true;
    bool m_cursorBlink = true;
    CursorShape m_cursorShape = CursorShape::Block;
    bool m_reverseVideo = false;
    MouseMode m_mouseMode = MouseMode::None;
    QString m_title;
    bool m_backspaceControlH = false;
    QByteArray m_pendingInput;
    bool m_discardOutput = false;
    bool m_hasSelection = false;
    bool m_blockSelection = false;
    TerminalPos m_selStart;
    TerminalPos m_selEnd;
};
