#pragma once

#include <QtGlobal>

#include <cstdint>

/// One character cell of the terminal screen or scrollback, 16 bytes, trivially copyable.
///
/// Why so small and flat: a 120×40 screen is 4,800 cells and the scrollback holds up to 10,000
/// (configurable) lines of them; every line that scrolls off is copied once into the ring. Keeping
/// the cell POD lets a scroll be a row-pointer rotation and a push a memcpy.
///
/// `ch` is the first codepoint of the cell, 0 for a never-written (blank) cell, WideTail for the
/// right half of a double-width character (the left half holds the character and the Wide flag).
/// A cell with combining characters stores ClusterBit | index into TerminalScreen's cluster table
/// (the interned codepoint sequence) instead of the codepoint.
///
/// Colours are TerminalColor values: the kind in the top byte, then an index (0–255) or 0xRRGGBB.
/// Indexed colours stay indexed so the view's theme maps the 16 ANSI colours; the 256-colour cube
/// and greys are resolved by the view; truecolor is kept as it came.
namespace TerminalColor {
enum Kind : uint32_t { Default = 0u, Indexed = 1u << 24, Rgb = 2u << 24 };
constexpr uint32_t KindMask = 0xff000000u;
constexpr uint32_t indexed(uint32_t index) { return Indexed | (index & 0xffu); }
constexpr uint32_t rgb(uint32_t r, uint32_t g, uint32_t b)
{
    return Rgb | ((r & 0xffu) << 16) | ((g & 0xffu) << 8) | (b & 0xffu);
}
constexpr uint32_t kind(uint32_t color) { return color & KindMask; }
constexpr uint32_t value(uint32_t color) { return color & 0x00ffffffu; }
/// 0xRRGGBB of a 256-colour palette index (xterm's cube and grey ramp; 0–15 the default theme).
uint32_t paletteRgb(int index);
} // namespace TerminalColor

namespace TerminalAttr {
enum : uint16_t {
    Bold = 1u << 0,
    Italic = 1u << 1,
    UnderlineMask = 3u << 2, ///< 0 none, 1 single, 2 double, 3 curly (libvterm's numbering)
    Blink = 1u << 4,
    Reverse = 1u << 5,
    Strike = 1u << 6,
    Wide = 1u << 7,   ///< left half of a double-width character
    Stderr = 1u << 8, ///< written while the tab fed stderr of a tty=false session
    /// On a line's last cell: the text went on to the next line by auto-wrap (a soft break,
    /// joined when copied). Not a style: sameStyle() ignores it.
    Wrapped = 1u << 9,
};
constexpr int UnderlineShift = 2;
} // namespace TerminalAttr

struct TerminalCell
{
    static constexpr uint32_t WideTail = 0xffffffffu;
    static constexpr uint32_t ClusterBit = 0x80000000u;

    uint32_t ch = 0;
    uint32_t fg = TerminalColor::Default;
    uint32_t bg = TerminalColor::Default;
    uint16_t attrs = 0;
    uint16_t link = 0; ///< 0: none; else an id of TerminalScreen::linkUrl()

    bool isBlank() const { return ch == 0 || ch == ' '; }
    bool isWideTail() const { return ch == WideTail; }
    bool hasCluster() const { return ch != WideTail && (ch & ClusterBit) != 0; }
    int underline() const { return (attrs & TerminalAttr::UnderlineMask) >> TerminalAttr::UnderlineShift; }
    /// Same colours, attributes and link: two cells that can be painted as one run.
    bool sameStyle(const TerminalCell &o) const
    {
        return fg == o.fg && bg == o.bg && ((attrs ^ o.attrs) & ~TerminalAttr::Wrapped) == 0 && link == o.link;
    }
};
static_assert(sizeof(TerminalCell) == 16);

/// A position in the history (scrollback + screen): `line` counts from the first line the
/// terminal ever had (it does not shift when old scrollback lines are dropped), `column` is a
/// cell column.
struct TerminalPos
{
    qint64 line = 0;
    int column = 0;
    friend bool operator==(const TerminalPos &a, const TerminalPos &b)
    {
        return a.line == b.line && a.column == b.column;
    }
    friend bool operator<(const TerminalPos &a, const TerminalPos &b)
    {
        return a.line < b.line || (a.line == b.line && a.column < b.column);
    }
};

/// A span of cells on one history line: [startColumn, endColumn).
struct TerminalSpan
{
    qint64 line = 0;
    int startColumn = 0;
    int endColumn = 0;
};
