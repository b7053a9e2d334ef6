#pragma once

#include "terminal_cell.h"

#include <QFont>
#include <QImage>

#include <array>
#include <memory>
#include <vector>

class QPainter;

/// Paints one terminal row into an opaque image that TerminalView then copies to the screen:
/// backgrounds are filled and printable ASCII is painted from glyph coverage masks rendered once
/// per font (17 coverage levels; a cell is one lookup per pixel in a ramp from its background to
/// the text colour); everything else (other characters, underlines, strike-through) is
/// drawn on the same image with a QPainter afterwards.
///
/// Why not QPainter::drawText for everything: under a flood of output every row is repainted on
/// every frame, and Qt's text path shaped each run again and blended each glyph through its
/// generic alpha-map code: 15-23 million instructions per 120x40 frame, a quarter to a third of
/// the widget's time in bench_terminal. Glyphs are clipped to their cell (as in most terminals).
///
/// Masks need whole device pixels per cell: at a fractional device pixel ratio drawAscii()
/// returns false and the view draws the text with the painter.
class TerminalRowRaster
{
public:
    enum Variant { Regular, Bold, Italic, BoldItalic, VariantCount };
    static Variant variantOf(bool bold, bool italic)
    {
        return bold ? (italic ? BoldItalic : Bold) : (italic ? Italic : Regular);
    }

    TerminalRowRaster();
    ~TerminalRowRaster();

    /// Rebuilds the masks when fonts, cell size or device pixel ratio changed (cheap otherwise).
    void prepare(const std::array<QFont, VariantCount> &fonts, int cellWidth, int cellHeight, int ascent,
                 qreal devicePixelRatio);
    /// Starts a row of `columns` cells (logical size columns*cellWidth x cellHeight).
    void begin(int columns);
    void fill(int column, int count, QRgb color);
    /// Blends cells [0, count) (printable ASCII, or 0/space for nothing) in `color` from
    /// `column` on; false when this variant cannot be drawn from masks.
    bool drawAscii(Variant variant, const TerminalCell *cells, int count, int column, QRgb color);
    /// A painter on the row image in logical coordinates (y 0 = the row's top), opened on first
    /// use after begin(); fill/drawAscii must not be called while it is open.
    QPainter &painter();
    /// Ends the painter; the finished row.
    const QImage &finish();

private:
    struct Masks
    {
        std::vector<uint8_t> alpha; ///< coverage 0..16; 95 glyphs (U+0020..U+007E), cell-sized each
        bool usable = false;
    };
    void buildMasks();

    std::array<QFont, VariantCount> m_fonts;
    int m_cellWidth = 0;
    int m_cellHeight = 0;
    int m_ascent = 0;
    qreal m_dpr = 0;
    int m_scale = 0; ///< device pixels per logical pixel when whole, else 0
    std::array<Masks, VariantCount> m_masks;
    QImage m_image;
    std::unique_ptr<QPainter> m_painter;
};
