// libvterm's state layer calls these while TerminalScreen::feed()/resize() run: they write the
// cells, scroll by rotating the row map, push scrolled-off rows into the scrollback and record
// damage. They never emit signals (TerminalScreen::finishChange does, after libvterm returns).

#include "terminal_screen_p.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace {

TerminalScreen *screenOf(void *user) { return static_cast<TerminalScreen *>(user); }

uint32_t colorOf(const VTermColor &c)
{
    if (c.type & VTERM_COLOR_DEFAULT_MASK)
        return TerminalColor::Default;
    if (VTERM_COLOR_IS_INDEXED(&c))
        return TerminalColor::indexed(c.indexed.idx);
    return TerminalColor::rgb(c.rgb.red, c.rgb.green, c.rgb.blue);
}

void setFlag(uint16_t &attrs, uint16_t flag, bool on)
{
    attrs = on ? uint16_t(attrs | flag) : uint16_t(attrs & ~flag);
}

} // namespace

// A friend of TerminalScreen: one static function per libvterm callback.
struct TerminalScreenAccess
{
    static int putglyph(VTermGlyphInfo *info, VTermPos pos, void *user)
    {
        TerminalScreen *s = screenOf(user);
        s->d->lastGlyphWidth = info->width; // what libvterm's REP repeats next (see writeToVterm)
        if (s->d->textProbe.active) {
            auto &probe = s->d->textProbe;
            ++probe.glyphs;
            probe.ch = info->chars[1] == 0 ? info->chars[0] : 0;
            probe.width = info->width;
            probe.row = pos.row;
            probe.column = pos.col;
        }
        if (pos.row < 0 || pos.row >= s->m_rows || pos.col < 0 || pos.col >= s->m_columns)
            return 0;
        TerminalCell *r = s->row(pos.row);
        if (pos.col == 0 && pos.row > 0 && s->d->wrapRow == pos.row - 1) {
            TerminalCell &end = s->row(pos.row - 1)[s->m_columns - 1];
            end.attrs |= TerminalAttr::Wrapped; // libvterm wrapped: no cursor move since the last glyph
        }
        s->d->wrapRow = s->d->doubleWidthLines ? -1 : pos.row;
        s->d->wrapColumn = pos.col + info->width >= s->m_columns ? pos.col : pos.col + info->width;
        uint32_t ch = info->chars[0];
        if (ch != 0 && info->chars[1] != 0) {
            int n = 1;
            while (n < 32 && info->chars[n] != 0)
                ++n;
            ch = s->internCluster(info->chars, n);
        }
        // Overwriting half of a wide character blanks its other half: the left half when this
        // glyph starts on a right half, the right half when it ends on a left half.
        if (r[pos.col].ch == TerminalCell::WideTail && pos.col > 0 && (r[pos.col - 1].attrs & TerminalAttr::Wide))
            s->clearRow(r, pos.col - 1, pos.col);
        TerminalCell &cell = r[pos.col];
        cell = s->m_pen;
        cell.ch = ch;
        const int width = info->width;
        const bool wide = width > 1 && pos.col + 1 < s->m_columns;
        if (wide) {
            cell.attrs |= TerminalAttr::Wide;
            TerminalCell &tail = r[pos.col + 1];
            tail = s->m_pen;
            tail.ch = TerminalCell::WideTail;
        }
        const int next = pos.col + (wide ? 2 : 1);
        if (next < s->m_columns && r[next].ch == TerminalCell::WideTail)
            s->clearRow(r, next, next + 1);
        s->m_dirty[size_t(pos.row)] = 1;
        s->m_anyDirty = s->m_changed = true;
        return 1;
    }

    static int movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
    {
        TerminalScreen *s = screenOf(user);
        if (pos.row != s->d->wrapRow || pos.col != s->d->wrapColumn)
            s->d->wrapRow = -1; // moved: a glyph at column 0 below is not a wrap
        s->markDirty(oldpos.row, oldpos.row + 1);
        s->m_cursorRow = std::clamp(pos.row, 0, s->m_rows - 1);
        s->m_cursorColumn = std::clamp(pos.col, 0, s->m_columns - 1);
        s->m_cursorVisible = visible != 0;
        s->markDirty(s->m_cursorRow, s->m_cursorRow + 1);
        return 1;
    }

    static int scrollrect(VTermRect rect, int downward, int rightward, void *user)
    {
        TerminalScreen *s = screenOf(user);
        if (rightward != 0)
            s->d->textProbe.shifted = true;
        int &wrapRow = s->d->wrapRow;
        if (wrapRow >= rect.start_row && wrapRow < rect.end_row) {
            // The row the last glyph went to moves with the scroll (a wrap at the bottom scrolls
            // before the next glyph is put); scrolled out or shifted sideways, it is gone.
            const bool vertical = rightward == 0 && rect.start_col == 0 && rect.end_col == s->m_columns;
            wrapRow = vertical ? wrapRow - downward : -1;
            if (wrapRow < rect.start_row || wrapRow >= rect.end_row)
                wrapRow = -1;
        }
        if (rightward != 0 || rect.start_col != 0 || rect.end_col != s->m_columns)
            return 0; // libvterm falls back to moverect + erase
        rect.start_row = std::max(0, rect.start_row);
        rect.end_row = std::min(s->m_rows, rect.end_row);
        const int height = rect.end_row - rect.start_row;
        if (height <= 0)
            return 1;
        const int amount = std::min(std::abs(downward), height);
        std::vector<int> &map = s->m_rowMap[s->m_alt];
        if (downward > 0) {
            if (rect.start_row == 0 && !s->m_alt) {
                for (int r = 0; r < amount; ++r) {
                    if (s->m_scrollback.push(s->row(r), s->m_columns))
                        ++s->m_droppedLines;
                }
                s->m_screenTop += amount;
            }
            std::rotate(map.begin() + rect.start_row, map.begin() + rect.start_row + amount,
                        map.begin() + rect.end_row);
            for (int r = rect.end_row - amount; r < rect.end_row; ++r)
                s->clearRow(s->row(r), 0, s->m_columns);
        } else {
            std::rotate(map.begin() + rect.start_row, map.begin() + rect.end_row - amount,
                        map.begin() + rect.end_row);
            for (int r = rect.start_row; r < rect.start_row + amount; ++r)
                s->clearRow(s->row(r), 0, s->m_columns);
        }
        s->markDirty(rect.start_row, rect.end_row);
        return 1;
    }

    static int moverect(VTermRect dest, VTermRect src, void *user)
    {
        TerminalScreen *s = screenOf(user);
        if (src.start_col != dest.start_col)
            s->d->textProbe.shifted = true;
        if (s->d->wrapRow >= std::min(src.start_row, dest.start_row) && s->d->wrapRow < std::max(src.end_row, dest.end_row))
            s->d->wrapRow = -1; // part of a row moved (margins): not worth following
        // libvterm can hand rects that reach past the grid (margins kept across a resize): clip.
        const int rightward = src.start_col - dest.start_col;
        const int firstCol = std::max({0, dest.start_col, -rightward});
        const int endCol = std::min({s->m_columns, dest.end_col, s->m_columns - rightward});
        const int cols = endCol - firstCol;
        const int downward = src.start_row - dest.start_row;
        const int height = dest.end_row - dest.start_row;
        if (cols <= 0)
            return 1;
        for (int i = 0; i < height; ++i) {
            const int r = downward < 0 ? dest.end_row - 1 - i : dest.start_row + i;
            if (r < 0 || r >= s->m_rows || r + downward < 0 || r + downward >= s->m_rows)
                continue;
            TerminalCell *to = s->row(r) + firstCol;
            const TerminalCell *from = s->row(r + downward) + firstCol + rightward;
            std::memmove(static_cast<void *>(to), from, size_t(cols) * sizeof(TerminalCell));
        }
        s->markDirty(dest.start_row, dest.end_row);
        return 1;
    }

    static int erase(VTermRect rect, int /*selective*/, void *user)
    {
        TerminalScreen *s = screenOf(user);
        const int endRow = std::min(rect.end_row, s->m_rows);
        for (int r = std::max(0, rect.start_row); r < endRow; ++r)
            s->clearRow(s->row(r), rect.start_col, rect.end_col);
        s->markDirty(rect.start_row, endRow);
        return 1;
    }

    static int initpen(void *user)
    {
        TerminalScreen *s = screenOf(user);
        const uint16_t keep = s->m_pen.attrs & TerminalAttr::Stderr;
        const uint16_t link = s->m_pen.link;
        s->m_pen = TerminalCell{};
        s->m_pen.attrs = keep;
        s->m_pen.link = link;
        return 1;
    }

    static int setpenattr(VTermAttr attr, VTermValue *val, void *user)
    {
        TerminalCell &pen = screenOf(user)->m_pen;
        switch (attr) {
        case VTERM_ATTR_BOLD: setFlag(pen.attrs, TerminalAttr::Bold, val->boolean); break;
        case VTERM_ATTR_ITALIC: setFlag(pen.attrs, TerminalAttr::Italic, val->boolean); break;
        case VTERM_ATTR_BLINK: setFlag(pen.attrs, TerminalAttr::Blink, val->boolean); break;
        case VTERM_ATTR_REVERSE: setFlag(pen.attrs, TerminalAttr::Reverse, val->boolean); break;
        case VTERM_ATTR_STRIKE: setFlag(pen.attrs, TerminalAttr::Strike, val->boolean); break;
        case VTERM_ATTR_UNDERLINE:
            pen.attrs = uint16_t((pen.attrs & ~TerminalAttr::UnderlineMask)
                                 | ((val->number & 3) << TerminalAttr::UnderlineShift));
            break;
        case VTERM_ATTR_FOREGROUND: pen.fg = colorOf(val->color); break;
        case VTERM_ATTR_BACKGROUND: pen.bg = colorOf(val->color); break;
        default: break;
        }
        return 1;
    }

    static int settermprop(VTermProp prop, VTermValue *val, void *user)
    {
        TerminalScreen *s = screenOf(user);
        switch (prop) {
        case VTERM_PROP_CURSORVISIBLE: s->m_cursorVisible = val->boolean; break;
        case VTERM_PROP_CURSORBLINK: s->m_cursorBlink = val->boolean; break;
        case VTERM_PROP_ALTSCREEN:
            if (bool(val->boolean) != s->m_alt) {
                s->m_alt = val->boolean;
                s->d->wrapRow = -1;
                s->markDirty(0, s->m_rows);
            }
            break;
        case VTERM_PROP_TITLE: {
            const QString title = TerminalScreen::sanitisedTitle(QString::fromUtf8(val->string));
            if (title != s->m_title) {
                s->m_title = title;
                s->d->titlePending = true;
            }
            break;
        }
        case VTERM_PROP_REVERSE:
            s->m_reverseVideo = val->boolean;
            s->markDirty(0, s->m_rows);
            break;
        case VTERM_PROP_CURSORSHAPE:
            s->m_cursorShape = val->number == VTERM_PROP_CURSORSHAPE_UNDERLINE
                                   ? TerminalScreen::CursorShape::Underline
                               : val->number == VTERM_PROP_CURSORSHAPE_BAR_LEFT
                                   ? TerminalScreen::CursorShape::Bar
                                   : TerminalScreen::CursorShape::Block;
            break;
        case VTERM_PROP_MOUSE:
            s->m_mouseMode = TerminalScreen::MouseMode(std::clamp(val->number, 0, 3));
            break;
        default: break;
        }
        s->markDirty(s->m_cursorRow, s->m_cursorRow + 1);
        return 1;
    }

    static int bell(void *user)
    {
        ++screenOf(user)->d->bellsPending;
        screenOf(user)->m_changed = true;
        return 1;
    }

    static int resize(int rows, int cols, VTermPos *delta, void *user)
    {
        int rowDelta = 0;
        screenOf(user)->d->wrapRow = -1;
        screenOf(user)->resizeBuffers(cols, rows, &rowDelta);
        delta->row += rowDelta;
        return 1;
    }

    static int setlineinfo(int, const VTermLineInfo *newInfo, const VTermLineInfo *, void *user)
    {
        if (newInfo->doublewidth || newInfo->doubleheight) {
            screenOf(user)->d->doubleWidthLines = true; // no text fast path from now on
            screenOf(user)->d->wrapRow = -1;             // nor wrap marks
        }
        return 1;
    }
};

const VTermStateCallbacks TerminalScreenCallbacks::table = {
    &TerminalScreenAccess::putglyph,   &TerminalScreenAccess::movecursor,
    &TerminalScreenAccess::scrollrect, &TerminalScreenAccess::moverect,
    &TerminalScreenAccess::erase,      &TerminalScreenAccess::initpen,
    &TerminalScreenAccess::setpenattr, &TerminalScreenAccess::settermprop,
    &TerminalScreenAccess::bell,       &TerminalScreenAccess::resize,
    &TerminalScreenAccess::setlineinfo,
};

void TerminalScreenCallbacks::output(const char *bytes, size_t length, void *user)
{
    TerminalScreen *s = screenOf(user);
    if (s->d->probing)
        s->d->probe.append(bytes, qsizetype(length));
    else
        s->m_pendingInput.append(bytes, qsizetype(length));
}

void TerminalScreen::resizeBuffers(int columns, int rows, int *cursorDelta)
{
    const int oldRows = m_rows;
    const int oldCols = m_columns;
    // Primary buffer: shrinking pushes the rows above the content to the scrollback (as
    // libvterm's screen layer does: only as many as needed to keep the cursor row), growing pulls
    // lines back from it. The alternate buffer is cut or padded.
    int pushed = 0;
    int poppedRows = 0;
    if (!m_alt && rows < oldRows) {
        int r = oldRows - 1;
        for (; r >= rows; --r) {
            if (r == m_cursorRow)
                break;
            const TerminalCell *cells = row(r);
            if (!std::all_of(cells, cells + oldCols, [](const TerminalCell &c) { return c.ch == 0; }))
                break;
        }
        // Never more than the cursor's row: libvterm 0.1.4 adds the (negative) delta to its cursor
        // row without a lower bound, and a negative row indexes its line table before the start.
        pushed = std::clamp(r + 1 - rows, 0, std::max(0, m_cursorRow));
        for (int i = 0; i < pushed; ++i) {
            if (m_scrollback.push(row(i), oldCols))
                ++m_droppedLines;
        }
    }
    if (!m_alt && rows > oldRows)
        poppedRows = std::min(rows - oldRows, m_scrollback.size());

    for (int b = 0; b < 2; ++b) {
        std::vector<TerminalCell> cells(size_t(rows) * size_t(columns));
        const bool primary = b == 0;
        const int skip = primary ? pushed : 0;
        const int shift = primary ? poppedRows : 0;
        for (int i = 0; i < shift; ++i) {
            std::vector<TerminalCell> &line = d->popped;
            m_scrollback.popNewest(line);
            TerminalCell *to = cells.data() + size_t(shift - 1 - i) * size_t(columns);
            std::copy_n(line.begin(), std::min<size_t>(line.size(), size_t(columns)), to);
        }
        for (int r = shift; r < rows; ++r) {
            const int from = r - shift + skip;
            if (from >= oldRows)
                break;
            const TerminalCell *src = m_cells[b].data() + size_t(m_rowMap[b][size_t(from)]) * size_t(oldCols);
            TerminalCell *to = cells.data() + size_t(r) * size_t(columns);
            std::copy_n(src, std::min(oldCols, columns), to);
            if (columns < oldCols && (to[columns - 1].attrs & TerminalAttr::Wide))
                to[columns - 1] = TerminalCell{};
        }
        m_cells[b] = std::move(cells);
        m_rowMap[b].resize(size_t(rows));
        for (int r = 0; r < rows; ++r)
            m_rowMap[b][size_t(r)] = r;
    }
    m_screenTop += pushed - poppedRows;
    *cursorDelta = poppedRows - pushed;
    m_rows = rows;
    m_columns = columns;
    m_dirty.assign(size_t(rows), 1);
    m_anyDirty = m_changed = true;
}

uint32_t TerminalScreen::internCluster(const uint32_t *chars, int count)
{
    std::u32string key(reinterpret_cast<const char32_t *>(chars), size_t(count));
    auto it = d->clusterIndex.find(key);
    if (it != d->clusterIndex.end())
        return TerminalCell::ClusterBit | it->second;
    if (d->clusters.size() >= Private::MaxClusters)
        return chars[0];
    const auto index = uint32_t(d->clusters.size());
    d->clusters.push_back(key);
    d->clusterIndex.emplace(std::move(key), index);
    return TerminalCell::ClusterBit | index;
}

uint16_t TerminalScreen::internLink(const QByteArray &uri)
{
    if (uri.isEmpty())
        return 0;
    const auto it = d->linkIndex.constFind(uri);
    if (it != d->linkIndex.constEnd())
        return it.value();
    if (d->links.size() >= 65535)
        return 0;
    d->links.append(QString::fromUtf8(uri));
    const auto id = uint16_t(d->links.size());
    d->linkIndex.insert(uri, id);
    return id;
}
