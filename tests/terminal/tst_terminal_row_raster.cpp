// TerminalRowRaster: backgrounds filled per cell run, printable ASCII painted from coverage masks
// over each cell's own background, the painter for everything else, fractional scale refused.
#include "terminal_row_raster.h"

#include <QFontMetrics>
#include <QPainter>
#include <QTest>

namespace {

std::array<QFont, TerminalRowRaster::VariantCount> fonts()
{
    QFont regular(QStringLiteral("DejaVu Sans Mono"));
    regular.setPixelSize(14);
    QFont bold = regular;
    bold.setBold(true);
    QFont italic = regular;
    italic.setItalic(true);
    QFont boldItalic = bold;
    boldItalic.setItalic(true);
    return {regular, bold, italic, boldItalic};
}

TerminalCell cell(char c)
{
    TerminalCell out;
    out.ch = uint32_t(uchar(c));
    return out;
}

/// The brightest red value in a cell's pixels.
int maxRed(const QImage &image, int column, int cellWidth)
{
    int best = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = column * cellWidth; x < (column + 1) * cellWidth; ++x)
            best = std::max(best, qRed(image.pixel(x, y)));
    return best;
}

} // namespace

class TestTerminalRowRaster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void glyphsOverEachCellsBackground();
    void painterAfterMasks();
    void fractionalScaleFallsBack();
};

void TestTerminalRowRaster::glyphsOverEachCellsBackground()
{
    const QFontMetrics metrics(fonts()[0]);
    const int w = metrics.horizontalAdvance(QLatin1Char('M'));
    const int h = metrics.height();
    TerminalRowRaster raster;
    raster.prepare(fonts(), w, h, metrics.ascent(), 1.0);
    raster.begin(4);
    raster.fill(0, 4, qRgb(0, 0, 0));
    raster.fill(2, 1, qRgb(0, 0, 200)); // a selected cell, say
    const TerminalCell cells[] = {cell('H'), cell(' '), cell('H'), TerminalCell{}};
    QVERIFY(raster.drawAscii(TerminalRowRaster::Regular, cells, 4, 0, qRgb(255, 255, 255)));
    const QImage &row = raster.finish();
    QCOMPARE(row.size(), QSize(4 * w, h));
    QVERIFY(maxRed(row, 0, w) > 200);  // the H is drawn in white
    QCOMPARE(maxRed(row, 1, w), 0);    // the space draws nothing
    QVERIFY(maxRed(row, 2, w) > 200);  // the second H too
    QCOMPARE(maxRed(row, 3, w), 0);    // the blank cell keeps its background
    QCOMPARE(row.pixel(2 * w, 0), qRgb(0, 0, 200)); // the glyph's corner is its cell's background
    QCOMPARE(row.pixel(0, 0), qRgb(0, 0, 0));
    // Partial coverage lies between the background and the text colour.
    bool between = false;
    for (int y = 0; y < h && !between; ++y)
        for (int x = 2 * w; x < 3 * w; ++x) {
            const QRgb p = row.pixel(x, y);
            between = between || (qRed(p) > 0 && qRed(p) < 255 && qBlue(p) >= 200);
        }
    QVERIFY(between);
}

void TestTerminalRowRaster::painterAfterMasks()
{
    TerminalRowRaster raster;
    raster.prepare(fonts(), 8, 16, 12, 1.0);
    raster.begin(2);
    raster.fill(0, 2, qRgb(10, 10, 10));
    QPainter &p = raster.painter();
    p.fillRect(QRect(8, 0, 8, 16), QColor(qRgb(0, 255, 0)));
    const QImage &row = raster.finish();
    QCOMPARE(row.pixel(12, 8), qRgb(0, 255, 0));
    QCOMPARE(row.pixel(4, 8), qRgb(10, 10, 10));
    // The row can be started again after finish().
    raster.begin(2);
    raster.fill(0, 2, qRgb(1, 2, 3));
    QCOMPARE(raster.finish().pixel(12, 8), qRgb(1, 2, 3));
}

void TestTerminalRowRaster::fractionalScaleFallsBack()
{
    TerminalRowRaster raster;
    raster.prepare(fonts(), 8, 16, 12, 1.5);
    raster.begin(3);
    raster.fill(0, 3, qRgb(0, 0, 0));
    const TerminalCell cells[] = {cell('a')};
    QVERIFY(!raster.drawAscii(TerminalRowRaster::Regular, cells, 1, 0, qRgb(255, 255, 255)));
    QCOMPARE(raster.finish().size(), QSize(36, 24)); // device pixels at 1.5
    raster.prepare(fonts(), 8, 16, 12, 2.0); // a whole ratio: masks at twice the size
    raster.begin(3);
    raster.fill(0, 3, qRgb(0, 0, 0));
    const TerminalCell bigA[] = {cell('A')};
    QVERIFY(raster.drawAscii(TerminalRowRaster::Regular, bigA, 1, 0, qRgb(255, 0, 0)));
    const QImage &row = raster.finish();
    QCOMPARE(row.size(), QSize(48, 32));
    QVERIFY(maxRed(row, 0, 16) > 200);
}

QTEST_MAIN(TestTerminalRowRaster)
#include "tst_terminal_row_raster.moc"
