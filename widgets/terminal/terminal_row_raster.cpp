#include "terminal_row_raster.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace {

constexpr int GlyphCount = 0x7e - 0x20 + 1;

/// Coverage is kept in 17 levels (0..16): a glyph cell is then painted with a 17-colour ramp
/// from its background to the text colour, one table lookup per pixel, no per-pixel arithmetic.
constexpr int Levels = 16;

/// ramp[level] = background blended towards `color` by level/16.
void buildRamp(QRgb background, QRgb color, QRgb *ramp)
{
    const int br = qRed(background), bg = qGreen(background), bb = qBlue(background);
    const int dr = qRed(color) - br, dg = qGreen(color) - bg, db = qBlue(color) - bb;
    for (int level = 0; level <= Levels; ++level) {
        ramp[level] = qRgb(br + (dr * level + Levels / 2) / Levels, bg + (dg * level + Levels / 2) / Levels,
                           bb + (db * level + Levels / 2) / Levels);
    }
}

} // namespace

TerminalRowRaster::TerminalRowRaster() = default;
TerminalRowRaster::~TerminalRowRaster() = default;

void TerminalRowRaster::prepare(const std::array<QFont, VariantCount> &fonts, int cellWidth, int cellHeight,
                                int ascent, qreal devicePixelRatio)
{
    if (fonts == m_fonts && cellWidth == m_cellWidth && cellHeight == m_cellHeight && ascent == m_ascent
        && devicePixelRatio == m_dpr)
        return;
    m_fonts = fonts;
    m_cellWidth = cellWidth;
    m_cellHeight = cellHeight;
    m_ascent = ascent;
    m_dpr = devicePixelRatio;
    const qreal whole = std::round(devicePixelRatio);
    m_scale = whole >= 1 && std::abs(devicePixelRatio - whole) < 1e-6 ? int(whole) : 0;
    m_image = QImage();
    buildMasks();
}

void TerminalRowRaster::buildMasks()
{
    for (int v = 0; v < VariantCount; ++v) {
        Masks &masks = m_masks[size_t(v)];
        masks.alpha.clear();
        masks.usable = false;
        if (m_scale == 0)
            continue;
        const QFontMetrics metrics(m_fonts[size_t(v)]);
        const int w = m_cellWidth * m_scale;
        const int h = m_cellHeight * m_scale;
        masks.alpha.assign(size_t(GlyphCount) * size_t(w) * size_t(h), 0);
        QImage glyph(w, h, QImage::Format_ARGB32_Premultiplied);
        glyph.setDevicePixelRatio(m_scale);
        bool all = true;
        for (int i = 0; i < GlyphCount; ++i) {
            const QChar ch(char16_t(0x20 + i));
            all = all && (i == 0 || metrics.inFont(ch));
            glyph.fill(Qt::transparent);
            {
                QPainter p(&glyph);
                p.setFont(m_fonts[size_t(v)]);
                p.setPen(Qt::white);
                p.drawText(0, m_ascent, QString(ch));
            }
            uint8_t *out = masks.alpha.data() + size_t(i) * size_t(w) * size_t(h);
            for (int y = 0; y < h; ++y) {
                const auto *line = reinterpret_cast<const QRgb *>(glyph.constScanLine(y));
                for (int x = 0; x < w; ++x)
                    out[y * w + x] = uint8_t((qAlpha(line[x]) * Levels + 127) / 255);
            }
        }
        masks.usable = all;
    }
}

void TerminalRowRaster::begin(int columns)
{
    const qreal dpr = m_scale ? qreal(m_scale) : m_dpr;
    const QSize size(int(std::ceil(columns * m_cellWidth * dpr)), int(std::ceil(m_cellHeight * dpr)));
    if (m_image.size() != size || m_image.devicePixelRatio() != dpr) {
        m_image = QImage(size, QImage::Format_RGB32);
        m_image.setDevicePixelRatio(dpr);
    }
}

void TerminalRowRaster::fill(int column, int count, QRgb color)
{
    const qreal dpr = m_image.devicePixelRatio();
    const int x0 = std::clamp(int(std::lround(column * m_cellWidth * dpr)), 0, m_image.width());
    const int x1 = std::clamp(int(std::lround((column + count) * m_cellWidth * dpr)), 0, m_image.width());
    if (x1 <= x0 || m_image.height() == 0)
        return;
    uchar *bits = m_image.bits();
    const qsizetype stride = m_image.bytesPerLine();
    auto *first = reinterpret_cast<QRgb *>(bits) + x0;
    std::fill(first, first + (x1 - x0), 0xff000000u | color);
    for (int y = 1; y < m_image.height(); ++y)
        std::memcpy(reinterpret_cast<QRgb *>(bits + y * stride) + x0, first, size_t(x1 - x0) * sizeof(QRgb));
}

bool TerminalRowRaster::drawAscii(Variant variant, const TerminalCell *cells, int count, int column, QRgb color)
{
    const Masks &masks = m_masks[size_t(variant)];
    if (!masks.usable)
        return false;
    const int w = m_cellWidth * m_scale;
    const int maskHeight = m_cellHeight * m_scale;
    const int h = std::min(maskHeight, m_image.height());
    uchar *bits = m_image.bits();
    const qsizetype stride = m_image.bytesPerLine();
    color |= 0xff000000u;
    QRgb ramp[Levels + 1];
    QRgb rampBackground = 0;
    bool haveRamp = false;
    for (int i = 0; i < count; ++i) {
        const uint32_t ch = cells[i].ch;
        if (ch <= 0x20 || ch > 0x7e)
            continue;
        const int x = (column + i) * w;
        if (x + w > m_image.width())
            break;
        // The cell's background is what pass 1 filled (selection and matches included).
        const QRgb background = reinterpret_cast<const QRgb *>(bits)[x];
        if (!haveRamp || background != rampBackground) {
            buildRamp(background, color, ramp);
            rampBackground = background;
            haveRamp = true;
        }
        const uint8_t *mask = masks.alpha.data() + size_t(ch - 0x20) * size_t(w) * size_t(maskHeight);
        for (int y = 0; y < h; ++y, mask += w) {
            QRgb *dst = reinterpret_cast<QRgb *>(bits + y * stride) + x;
            for (int px = 0; px < w; ++px)
                dst[px] = ramp[mask[px]];
        }
    }
    return true;
}

QPainter &TerminalRowRaster::painter()
{
    if (!m_painter) {
        m_painter = std::make_unique<QPainter>(&m_image);
        m_painter->setClipRect(QRect(QPoint(0, 0), m_image.deviceIndependentSize().toSize()));
    }
    return *m_painter;
}

const QImage &TerminalRowRaster::finish()
{
    m_painter.reset();
    return m_image;
}
