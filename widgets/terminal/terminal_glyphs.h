#pragma once

#include "terminal_cell.h"

#include <QGlyphRun>
#include <QRawFont>

#include <array>
#include <vector>

class QFont;
class QPainter;

/// Printable ASCII drawn from glyph indexes looked up once per font, one glyph per cell at the
/// cell's own position: no text shaping per paint (QPainter::drawText shaped every run again,
/// about a quarter of a frame's time under a flood of output, bench_terminal), and no drift of a
/// long run against the cell grid when the font's advance is not a whole pixel.
///
/// Four variants: regular, bold, italic, bold italic. A variant whose font lacks a printable
/// ASCII glyph is not used (drawAscii returns false and the view draws text as before).
class TerminalGlyphs
{
public:
    enum Variant { Regular, Bold, Italic, BoldItalic, VariantCount };

    void setFonts(const QFont &regular, const QFont &bold, const QFont &italic, const QFont &boldItalic);
    static Variant variantOf(bool bold, bool italic)
    {
        return bold ? (italic ? BoldItalic : Bold) : (italic ? Italic : Regular);
    }
    /// Draws cells [0, count) (each ch a printable ASCII codepoint, or 0/space for a blank) with
    /// the painter's pen, the first cell's left edge at x, the baseline at `baseline`.
    bool drawAscii(QPainter &painter, Variant variant, const TerminalCell *cells, int count, int x, int baseline,
                   int cellWidth) const;

private:
    struct Font
    {
        QRawFont raw;
        std::array<quint32, 95> glyphs{}; ///< for U+0020..U+007E
        bool usable = false;
    };
    std::array<Font, VariantCount> m_fonts;
    // Scratch, reused by every call (painting is single-threaded).
    mutable QList<quint32> m_indexes;
    mutable QList<QPointF> m_positions;
    mutable QGlyphRun m_run;
};
