#include "terminal_cell.h"

namespace TerminalColor {

uint32_t paletteRgb(int index)
{
    // The 16 ANSI colours as xterm's defaults (themes may map them differently in the view).
    static constexpr uint32_t ansi[16] = {
        0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
        0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
    };
    index &= 0xff;
    if (index < 16)
        return ansi[index];
    if (index < 232) {
        // 6×6×6 cube: levels 0, 95, 135, 175, 215, 255.
        const int i = index - 16;
        const auto level = [](int v) { return uint32_t(v == 0 ? 0 : 55 + v * 40); };
        return (level(i / 36) << 16) | (level((i / 6) % 6) << 8) | level(i % 6);
    }
    const uint32_t grey = uint32_t(8 + (index - 232) * 10);
    return (grey << 16) | (grey << 8) | grey;
}

} // namespace TerminalColor
