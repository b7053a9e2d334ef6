#pragma once

#include <QColor>
#include <QPen>

#include <array>

/// Colours of chart series: a qualitative palette (Tableau 10, with olive instead of its yellow,
/// which is unreadable on white), ordered so that neighbours differ in hue and lightness. The
/// 11th to 20th series reuse the colours with a dashed line, so no two of the first 20 look alike.
namespace ChartPalette {

inline constexpr std::array<QRgb, 10> Colors = {
    0x4E79A7, // blue
    0xF28E2B, // orange
    0x59A14F, // green
    0xE15759, // red
    0xB07AA1, // purple
    0x9C755F, // brown
    0x76B7B2, // teal
    0xFF9DA7, // pink
    0xB6992D, // olive
    0x79706E, // grey
};

inline QColor color(int index)
{
    return QColor(Colors[size_t(index) % Colors.size()]);
}

inline Qt::PenStyle style(int index)
{
    static constexpr std::array<Qt::PenStyle, 3> Styles = {Qt::SolidLine, Qt::DashLine, Qt::DotLine};
    return Styles[size_t(index / int(Colors.size())) % Styles.size()];
}

/// Width 1 and cosmetic on purpose: the raster engine draws such pens with its fast cosmetic
/// stroker (antialiased too); any wider pen goes through QStroker, which was the largest painting
/// cost of a full chart window (bench_gui_load).
inline QPen pen(int index)
{
    QPen p(color(index), 1.0);
    p.setStyle(style(index));
    p.setCosmetic(true);
    return p;
}

} // namespace ChartPalette
