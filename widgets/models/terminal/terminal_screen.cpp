#include "terminal_screen.h"

#include "terminal_screen_p.h"

#include <algorithm>
#include <cstring>

namespace {

void appendCodepoint(QString &out, uint32_t cp)
{
    if (cp < 0x10000) {
        out.append(QChar(char16_t(cp)));
    } else if (cp <= 0x10ffff) {
        out.append(QChar::highSurrogate(cp));
        out.append(QChar::lowSurrogate(cp));
    }
}

VTermModifier vtermModifiers(TerminalScreen::Modifiers m)
{
    int v = VTERM_MOD_NONE;
    if (m & TerminalScreen::Shift)
        v |= VTERM_MOD_SHIFT;
    if (m & TerminalScreen::Alt)
        v |= VTERM_MOD_ALT;
    if (m & TerminalScreen::Control)
        v |= VTERM_MOD_CTRL;
    return VTermModifier(v);
}

VTermKey vtermKey(TerminalScreen::Key key)
{
    using K = TerminalScreen::Key;
    const int k = int(key);
    if (k >= int(K::F1) && k <= int(K::F12))
        return VTermKey(VTERM_KEY_FUNCTION(k - int(K::F1) + 1));
    if (k >= int(K::Keypad0) && k <= int(K::KeypadEqual))
        return VTermKey(VTERM_KEY_KP_0 + (k - int(K::Keypad0)));
    switch (key) {
    case K::Enter: return VTERM_KEY_ENTER;
    case K::Tab: return VTERM_KEY_TAB;
    case K::Backspace: return VTERM_KEY_BACKSPACE;
    case K::Escape: return VTERM_KEY_ESCAPE;
    case K::Up: return VTERM_KEY_UP;
    case K::Down: return VTERM_KEY_DOWN;
    case K::Left: return VTERM_KEY_LEFT;
    case K::Right: return VTERM_KEY_RIGHT;
    case K::Insert: return VTERM_KEY_INS;
    case K::Delete: return VTERM_KEY_DEL;
    case K::Home: return VTERM_KEY_HOME;
    case K::End: return VTERM_KEY_END;
    case K::PageUp: return VTERM_KEY_PAGEUP;
    case K::PageDown: return VTERM_KEY_PAGEDOWN;
    default: return VTERM_KEY_NONE;
    }
}

bool isBidiControl(char32_t c)
{
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e
        || c == 0x200f || c == 0x061c;
}

} // namespace

TerminalScreen::TerminalScreen(int columns, int rows, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
    , m_columns(std::max(1, columns))
    , m_rows(std::max(1, rows))
{
    for (int b = 0; b < 2; ++b) {
        m_cells[b].assign(size_t(m_rows) * size_t(m_columns), TerminalCell{});
        m_rowMap[b].resize(size_t(m_rows));
        for (int r = 0; r < m_rows; ++r)
            m_rowMap[b][size_t(r)] = r;
    }
    m_dirty.assign(size_t(m_rows), 1);
    d->vt = vterm_new(m_rows, m_columns);
    vterm_set_utf8(d->vt, 1);
    vterm_output_set_callback(d->vt, &TerminalScreenCallbacks::output, this);
    d->state = vterm_obtain_state(d->vt);
    vterm_state_set_callbacks(d->state, &TerminalScreenCallbacks::table, this);
    vterm_state_reset(d->state, 1);
    m_pendingInput.clear();
}

TerminalScreen::~TerminalScreen()
{
    vterm_free(d->vt);
}

void TerminalScreen::feed(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
    feedBytes(bytes);
    finishChange();
}

void TerminalScreen::feedStderr(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
    m_pen.attrs |= TerminalAttr::Stderr;
    feedBytes(bytes);
    m_pen.attrs &= ~TerminalAttr::Stderr;
    finishChange();
}

void TerminalScreen::finishChange()
{
    if (d->titlePending) {
        d->titlePending = false;
        Q_EMIT titleChanged(m_title);
    }
    for (; d->bellsPending > 0; --d->bellsPending)
        Q_EMIT bell();
    flushInput();
    if (m_changed) {
        m_changed = false;
        Q_EMIT outputChanged();
    }
}

void TerminalScreen::flushInput()
{
    if (m_pendingInput.isEmpty())
        return;
    const QByteArray bytes = std::exchange(m_pendingInput, {});
    Q_EMIT inputBytes(bytes);
}

void TerminalScreen::resize(int columns, int rows)
{
    columns = std::clamp(columns, 1, 2000);
    rows = std::clamp(rows, 1, 1000);
    if (columns == m_columns && rows == m_rows)
        return;
    const bool shrinks = columns < m_columns || rows < m_rows;
    vterm_set_size(d->vt, rows, columns);
    if (shrinks) {
        // libvterm 0.1.4 restores a saved cursor (DECRC, leaving the 1049 alternate screen)
        // without clamping it to the new size and then indexes its line table with it, out of
        // bounds. Saving the (clamped) cursor now keeps every later restore inside the screen; the
        // price is that a position saved before the shrink is replaced by the current one.
        writeToVterm("\x1b" "7");
    }
    finishChange();
    Q_EMIT sizeChanged(m_columns, m_rows);
}

void TerminalScreen::markDirty(int fromRow, int toRow)
{
    fromRow = std::max(0, fromRow);
    toRow = std::min(m_rows, toRow);
    if (fromRow >= toRow)
        return;
    std::fill(m_dirty.begin() + fromRow, m_dirty.begin() + toRow, uint8_t(1));
    m_anyDirty = m_changed = true;
}

void TerminalScreen::clearRow(TerminalCell *cells, int from, int to)
{
    from = std::max(0, from);
    to = std::min(to, m_columns);
    if (from >= to)
        return; // libvterm 0.1.4 erases inverted rects (ICH with the cursor right of a right margin)
    TerminalCell blank;
    blank.bg = m_pen.bg; // background colour erase, as xterm does
    std::fill(cells + from, cells + to, blank);
}

bool TerminalScreen::takeDamage(std::vector<uint8_t> &rows)
{
    rows = m_dirty;
    std::fill(m_dirty.begin(), m_dirty.end(), uint8_t(0));
    const bool any = m_anyDirty;
    m_anyDirty = false;
    return any;
}

const TerminalCell *TerminalScreen::rowCells(int r) const
{
    return row(std::clamp(r, 0, m_rows - 1));
}

void TerminalScreen::appendCellText(const TerminalCell &cell, QString &out) const
{
    if (cell.ch == TerminalCell::WideTail)
        return;
    if (cell.ch == 0) {
        out.append(QLatin1Char(' '));
        return;
    }
    if (cell.ch & TerminalCell::ClusterBit) {
        const size_t index = cell.ch & ~TerminalCell::ClusterBit;
        if (index < d->clusters.size()) {
            for (char32_t cp : d->clusters[index])
                appendCodepoint(out, cp);
        }
        return;
    }
    appendCodepoint(out, cell.ch);
}

QString TerminalScreen::cellText(const TerminalCell &cell) const
{
    QString s;
    appendCellText(cell, s);
    return s;
}

QString TerminalScreen::linkUrl(int linkId) const
{
    return linkId > 0 && linkId <= d->links.size() ? d->links.at(linkId - 1) : QString();
}

void TerminalScreen::setScrollbackCapacity(int lines)
{
    const int before = m_scrollback.size();
    m_scrollback.setCapacity(lines);
    m_droppedLines += before - m_scrollback.size();
    m_changed = m_anyDirty = true;
}

const TerminalCell *TerminalScreen::lineCells(qint64 line, int *length) const
{
    if (line >= m_screenTop && line < m_screenTop + m_rows) {
        *length = m_columns;
        return row(int(line - m_screenTop));
    }
    const qint64 index = line - firstLine();
    if (index >= 0 && index < m_scrollback.size()) {
        const auto &cells = m_scrollback.line(int(index));
        *length = int(cells.size());
        return cells.data();
    }
    *length = 0;
    return nullptr;
}

bool TerminalScreen::isWrapped(qint64 line) const
{
    int length = 0;
    const TerminalCell *cells = lineCells(line, &length);
    // A scrollback line keeps its flagged last cell (the trim stops at a cell with attributes);
    // one pushed at another width has it elsewhere, or not at all.
    return length == m_columns && (cells[length - 1].attrs & TerminalAttr::Wrapped);
}

QString TerminalScreen::lineText(qint64 line, int startColumn, int endColumn,
                                 std::vector<int> *columnOfChar, bool trimmed) const
{
    int length = 0;
    const TerminalCell *cells = lineCells(line, &length);
    if (endColumn < 0 || endColumn > length)
        endColumn = length;
    QString out;
    if (columnOfChar)
        columnOfChar->clear();
    startColumn = std::max(0, startColumn);
    if (startColumn > 0 && startColumn < endColumn && cells[startColumn].isWideTail())
        --startColumn; // starting on a wide character's right half takes the character
    for (int c = startColumn; c < endColumn; ++c) {
        const qsizetype before = out.size();
        appendCellText(cells[c], out);
        if (columnOfChar)
            columnOfChar->insert(columnOfChar->end(), size_t(out.size() - before), c);
    }
    qsizetype end = out.size();
    while (trimmed && end > 0 && out.at(end - 1) == QLatin1Char(' '))
        --end;
    out.truncate(end);
    if (columnOfChar)
        columnOfChar->resize(size_t(end));
    return out;
}

QString TerminalScreen::screenText() const
{
    QString out;
    out.reserve(m_rows * (m_columns + 1));
    for (int r = 0; r < m_rows; ++r) {
        if (r > 0)
            out.append(QLatin1Char('\n'));
        out.append(lineText(m_screenTop + r));
    }
    return out;
}

bool TerminalScreen::isBracketedPasteEnabled() const
{
    // libvterm 0.1.4 has no getter for DECSET 2004; start_paste writes ESC[200~ only when it is on.
    d->probing = true;
    d->probe.clear();
    vterm_keyboard_start_paste(d->vt);
    d->probing = false;
    return !d->probe.isEmpty();
}

void TerminalScreen::sendKey(Key key, Modifiers modifiers)
{
    if (key == Key::Backspace && m_backspaceControlH) {
        m_pendingInput.append((modifiers & Alt) ? "\x1b\x08" : "\x08");
    } else {
        const VTermKey k = vtermKey(key);
        if (k != VTERM_KEY_NONE)
            vterm_keyboard_key(d->vt, k, vtermModifiers(modifiers));
    }
    flushInput();
}

void TerminalScreen::sendText(const QString &text, Modifiers modifiers)
{
    const VTermModifier mod = vtermModifiers(modifiers);
    for (char32_t cp : text.toUcs4())
        vterm_keyboard_unichar(d->vt, uint32_t(cp), mod);
    flushInput();
}

void TerminalScreen::sendBytes(const QByteArray &bytes)
{
    m_pendingInput.append(bytes);
    flushInput();
}

QString TerminalScreen::sanitisedPaste(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const char16_t u = c.unicode();
        if (u == '\r') {
            out.append(QLatin1Char('\r'));
            if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
        } else if (u == '\n') {
            out.append(QLatin1Char('\r'));
        } else if (u == '\t') {
            out.append(c);
        } else if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0)) {
            continue; // ESC and the other controls never reach the remote side from a paste
        } else {
            out.append(c);
        }
    }
    return out;
}

void TerminalScreen::paste(const QString &text)
{
    const QString clean = sanitisedPaste(text);
    if (clean.isEmpty())
        return;
    vterm_keyboard_start_paste(d->vt);
    m_pendingInput.append(clean.toUtf8());
    vterm_keyboard_end_paste(d->vt);
    flushInput();
}

void TerminalScreen::mouseMove(int r, int column, Modifiers modifiers)
{
    if (m_mouseMode == MouseMode::None)
        return; // libvterm 0.1.4 would report anyway
    vterm_mouse_move(d->vt, std::clamp(r, 0, m_rows - 1), std::clamp(column, 0, m_columns - 1),
                     vtermModifiers(modifiers));
    flushInput();
}

void TerminalScreen::mouseButton(int button, bool pressed, Modifiers modifiers)
{
    if (m_mouseMode == MouseMode::None)
        return; // libvterm 0.1.4 reports wheel buttons even with mouse reporting off
    vterm_mouse_button(d->vt, button, pressed, vtermModifiers(modifiers));
    flushInput();
}

void TerminalScreen::focusIn()
{
    vterm_state_focus_in(d->state);
    markDirty(m_cursorRow, m_cursorRow + 1);
    flushInput();
}

void TerminalScreen::focusOut()
{
    vterm_state_focus_out(d->state);
    markDirty(m_cursorRow, m_cursorRow + 1);
    flushInput();
}

void TerminalScreen::setSelection(TerminalPos anchor, TerminalPos extent, bool block)
{
    m_selStart = std::min(anchor, extent);
    m_selEnd = std::max(anchor, extent);
    if (block) {
        const int left = std::min(anchor.column, extent.column);
        const int right = std::max(anchor.column, extent.column);
        m_selStart.column = left;
        m_selEnd.column = right;
    }
    m_blockSelection = block;
    m_hasSelection = true;
    markDirty(0, m_rows);
}

void TerminalScreen::clearSelection()
{
    if (!m_hasSelection)
        return;
    m_hasSelection = false;
    markDirty(0, m_rows);
}

bool TerminalScreen::isSelected(qint64 line, int column) const
{
    if (!m_hasSelection || line < m_selStart.line || line > m_selEnd.line)
        return false;
    if (m_blockSelection)
        return column >= m_selStart.column && column <= m_selEnd.column;
    if (line == m_selStart.line && column < m_selStart.column)
        return false;
    if (line == m_selEnd.line && column > m_selEnd.column)
        return false;
    return true;
}

QString TerminalScreen::selectedText() const
{
    if (!m_hasSelection)
        return {};
    QString out;
    const qint64 first = std::max(m_selStart.line, firstLine());
    const qint64 last = std::min(m_selEnd.line, lastLine());
    for (qint64 line = first; line <= last; ++line) {
        int from = 0;
        int to = -1;
        if (m_blockSelection) {
            from = m_selStart.column;
            to = m_selEnd.column + 1;
        } else {
            if (line == m_selStart.line)
                from = m_selStart.column;
            if (line == m_selEnd.line)
                to = m_selEnd.column + 1;
        }
        // A wrapped line's spaces up to its end are text (the space between two words that met
        // the right margin), and the next line goes on without a break.
        const bool joined = !m_blockSelection && line < last && isWrapped(line);
        out.append(lineText(line, from, to, nullptr, !joined));
        if (line < last && !joined)
            out.append(QLatin1Char('\n'));
    }
    return out;
}

QString TerminalScreen::sanitisedTitle(QStringView raw)
{
    QString out;
    const QList<uint> ucs = raw.toUcs4();
    for (uint cp : ucs) {
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || isBidiControl(cp))
            continue;
        if (out.size() >= MaxTitleLength)
            break;
        appendCodepoint(out, cp);
    }
    return out.trimmed();
}
