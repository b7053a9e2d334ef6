#include "terminal_glyphs.h"

#include <QFont>
#include <QPainter>

void TerminalGlyphs::setFonts(const QFont &regular, const QFont &bold, const QFont &italic, const QFont &boldItalic)
{
    const QFont *fonts[VariantCount] = {&regular, &bold, &italic, &boldItalic};
    QString ascii;
    for (char16_t c = 0x20; c <= 0x7e; ++c)
        ascii.append(QChar(c));
    for (int v = 0; v < VariantCount; ++v) {
        Font &font = m_fonts[size_t(v)];
        font.raw = QRawFont::fromFont(*fonts[v]);
        font.usable = false;
        if (!font.raw.isValid())
            continue;
        const QList<quint32> indexes = font.raw.glyphIndexesForString(ascii);
        if (indexes.size() != qsizetype(font.glyphs.size()))
            continue;
        bool all = true;
        for (qsizetype i = 0; i < indexes.size(); ++i) {
            font.glyphs[size_t(i)] = indexes.at(i);
            all = all && (indexes.at(i) != 0 || i == 0); // the space may have glyph 0
        }
        font.usable = all;
    }
}

bool TerminalGlyphs::drawAscii(QPainter &painter, Variant variant, const TerminalCell *cells, int count, int x,
                               int baseline, int cellWidth) const
{
    const Font &font = m_fonts[size_t(variant)];
    if (!font.usable)
        return false;
    m_indexes.clear();
    m_positions.clear();
    for (int i = 0; i < count; ++i) {
        const uint32_t ch = cells[i].ch;
        if (ch <= 0x20 || ch > 0x7e)
            continue; // blanks and spaces draw nothing
        m_indexes.append(font.glyphs[ch - 0x20]);
        m_positions.append(QPointF(x + i * cellWidth, baseline));
    }
    if (m_indexes.isEmpty())
        return true;
    m_run.setRawFont(font.raw);
    m_run.setGlyphIndexes(m_indexes);
    m_run.setPositions(m_positions);
    painter.drawGlyphRun(QPointF(0, 0), m_run);
    return true;
}
