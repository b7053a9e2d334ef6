#include "chart_legend.h"
#include "chart_panel.h"
#include "chart_view.h"
#include "series_buffer.h"

#include <QAction>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <QToolButton>
#include <QValueAxis>

#include <cmath>

namespace {

const QString Source = QStringLiteral("ws://metrics.local/feed");

StreamEvent metrics(int i, qint64 receivedMs = 0)
{
    StreamEvent e;
    e.source = Source;
    e.receivedMs = receivedMs ? receivedMs : QDateTime::currentMSecsSinceEpoch();
    e.type = "json";
    e.payload = QByteArray(R"({"cpu":{"user":)") + QByteArray::number(10 + i % 11)
        + R"(,"sys":2},"mem":512,"ok":true,"disk":[1,2],"name":"n1"})";
    return e;
}

SeriesKey key(const char *pointer)
{
    return SeriesKey{Source, QString::fromUtf8(pointer)};
}

/// The legend's name for `key` (ChartLegend entries carry the full id as tooltip).
QString legendText(const ChartPanel &panel, const SeriesKey &k)
{
    for (const ChartLegend::Entry &entry : panel.legend()->entries())
        if (entry.toolTip == k.source + QLatin1Char(' ') + k.pointer)
            return entry.name;
    return {};
}

QStringList checkedFields(const QStandardItemModel *model)
{
    QStringList out;
    for (int s = 0; s < model->rowCount(); ++s) {
        const QStandardItem *source = model->item(s);
        for (int f = 0; f < source->rowCount(); ++f)
            if (source->child(f)->checkState() == Qt::Checked)
                out << source->child(f)->text();
    }
    return out;
}

} // namespace

class TestChartPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyStateUntilFieldsArrive()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        QVERIFY(panel.isShowingEmptyState());
        StreamEvent text = metrics(0);
        text.payload = "plain text line";
        buffer.append({text});
        QVERIFY(panel.isShowingEmptyState());
        buffer.append({metrics(0)});
        QVERIFY(!panel.isShowingEmptyState());
    }

    void offersFieldsAndAutoSelectsSiblings()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        buffer.append({metrics(0)});

        QStandardItemModel *fields = panel.fieldModel();
        QCOMPARE(fields->rowCount(), 1); // one source group
        QCOMPARE(fields->item(0)->text(), QStringLiteral("metrics.local/feed"));
        QCOMPARE(fields->item(0)->rowCount(), 6); // /cpu/user /cpu/sys /mem /ok /disk/0 /disk/1
        // The first field and its siblings of similar magnitude: comparable lines on one axis.
        const QStringList siblings = {QStringLiteral("/cpu/user"), QStringLiteral("/cpu/sys")};
        QCOMPARE(checkedFields(fields), siblings);
        QCOMPARE(buffer.selectedFields().size(), 2);
        QCOMPARE(panel.lineCount(), 2);
        QVERIFY(panel.isShown(key("/cpu/user")));
        // One source shown: the legend says just the pointer.
        QCOMPARE(legendText(panel, key("/cpu/user")), QStringLiteral("/cpu/user"));
        QVERIFY(!panel.isShown(key("/mem")));

        // A later source gets no automatic selection.
        StreamEvent other = metrics(0);
        other.source = QStringLiteral("http://other.local/m");
        buffer.append({other});
        QCOMPARE(fields->rowCount(), 2);
        QCOMPARE(buffer.selectedFields().size(), 2);

        // Series of two sources: the legend names the source's last path segment.
        buffer.setSelected(SeriesKey{other.source, QStringLiteral("/mem")}, true);
        buffer.flushNow();
        QTRY_VERIFY(panel.isShown(SeriesKey{other.source, QStringLiteral("/mem")}));
        QCOMPARE(legendText(panel, SeriesKey{other.source, QStringLiteral("/mem")}), QStringLiteral("m /mem"));
        QTRY_COMPARE(legendText(panel, key("/cpu/user")), QStringLiteral("feed /cpu/user"));
    }

    void autoSelectionSkipsSiblingsOfAnotherScale()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        StreamEvent e = metrics(0);
        e.payload = R"({"rps":1200,"errors":3,"p99_ms":900})";
        buffer.append({e});
        QCOMPARE(checkedFields(panel.fieldModel()), (QStringList{QStringLiteral("/rps"), QStringLiteral("/p99_ms")}));
    }

    void yAxisIsNiceAndStartsAtZeroForPositiveData()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        StreamEvent e = metrics(0);
        e.payload = R"({"v":{"a":3117,"b":3250}})";
        buffer.append({e});
        buffer.flushNow();
        QValueAxis *axis = panel.leftAxis();
        QTRY_VERIFY(axis->max() >= 3250);
        QVERIFY(axis->min() >= 0);
        QVERIFY(axis->min() <= 3117);
        // Nice numbers: both ends are whole multiples of the tick step.
        const double step = (axis->max() - axis->min()) / (axis->tickCount() - 1);
        QVERIFY(step > 0);
        QCOMPARE(std::fmod(axis->min(), step), 0.0);
    }

    void seriesFollowBuffer()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StreamEvent> batch;
        for (int i = 0; i < 30; ++i)
            batch.append(metrics(i, now - 30'000 + i * 1'000));
        buffer.append(batch);
        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);
        QVERIFY(updated.wait());

        for (const SeriesKey &k : buffer.selectedFields()) {
            QVERIFY(panel.isShown(k));
            QCOMPARE(panel.shownPoints(k).size(), buffer.points(k).size());
            QCOMPARE(panel.shownPoints(k), buffer.points(k)); // 30 points: nothing to decimate
        }
        QCOMPARE(panel.shownPoints(key("/cpu/user")).size(), 30);

        // The y axis fits the visible values (auto-selected /cpu/user 10..20 and /cpu/sys 2) with
        // padding, on nice numbers, from 0 because nothing is negative; x spans the window up to now.
        QValueAxis *y = panel.leftAxis();
        QCOMPARE(y->min(), 0.0);
        QVERIFY2(y->max() >= 20.0 && y->max() <= 30.0, qPrintable(QString::number(y->max())));
        auto *x = qobject_cast<QDateTimeAxis *>(panel.chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(x);
        QVERIFY(qAbs(x->max().toMSecsSinceEpoch() - QDateTime::currentMSecsSinceEpoch()) < 2'000);
        QCOMPARE(x->max().toMSecsSinceEpoch() - x->min().toMSecsSinceEpoch(), qint64(buffer.windowMs()));

        // Selecting a field by hand shows its past points at once.
        QStandardItem *disk = panel.fieldModel()->item(0)->child(4);
        QCOMPARE(disk->text(), QStringLiteral("/disk/0"));
        disk->setCheckState(Qt::Checked);
        QVERIFY(buffer.isSelected(key("/disk/0")));
        QVERIFY(panel.isShown(key("/disk/0")));
        QCOMPARE(panel.shownPoints(key("/disk/0")).size(), 30);

        // Unchecking removes the line.
        panel.fieldModel()->item(0)->child(0)->setCheckState(Qt::Unchecked);
        QVERIFY(!panel.isShown(key("/cpu/user")));
        QVERIFY(!buffer.isSelected(key("/cpu/user")));
        QCOMPARE(panel.lineCount(), 2); // /cpu/sys and /disk/0
    }

    void pauseFreezes()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 300;
        buffer.append({metrics(0, t0)});
        QCOMPARE(panel.shownPoints(key("/cpu/user")).size(), 1);
        auto *x = qobject_cast<QDateTimeAxis *>(panel.chart()->axes(Qt::Horizontal).value(0));

        auto *pause = panel.findChild<QToolButton *>(QStringLiteral("pauseButton"));
        QVERIFY(pause);
        pause->click();
        QVERIFY(panel.isPaused());
        const QDateTime frozenMax = x->max();

        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);
        buffer.append({metrics(1, t0 + 100), metrics(2, t0 + 200)});
        QVERIFY(updated.wait()); // data is still collected...
        QCOMPARE(buffer.points(key("/cpu/user")).size(), 3);
        QCOMPARE(panel.shownPoints(key("/cpu/user")).size(), 1); // ...but the view is frozen
        QVERIFY(!updated.wait(ChartPanel::IdleSlideMs * 2));
        QCOMPARE(x->max(), frozenMax);

        pause->click();
        QVERIFY(!panel.isPaused());
        QCOMPARE(panel.shownPoints(key("/cpu/user")).size(), 3);
        QVERIFY(x->max() > frozenMax);
    }

    // The lines item draws where the axes say: a flat line at 30 crosses the plot at the pixel row
    // the left axis maps 30 to, in the line's colour.
    void linesAreDrawnWhereTheAxesSay()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        panel.resize(800, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StreamEvent> batch;
        for (int i = 0; i <= 50; ++i) {
            StreamEvent e = metrics(0, now - 50'000 + i * 1'000);
            e.payload = R"({"flat":30,"ramp":)" + QByteArray::number(i) + "}";
            batch.append(e);
        }
        buffer.append(batch);
        buffer.flushNow();
        panel.setPaused(true);
        const auto [from, to] = panel.shownRange();
        const QColor colour = panel.lineColor(key("/flat"));
        QVERIFY(colour.isValid());
        const QImage image = panel.chartView()->grab().toImage();
        const double scale = image.width() / double(panel.chartView()->width());
        const QPointF chartPos = panel.mapToChart(QPointF(double(from + (to - from) * 3 / 4), 30.0));
        const QPoint viewPos = panel.chartView()->mapFromScene(panel.chart()->mapToScene(chartPos));
        int best = 1'000;
        for (int dy = -1; dy <= 1; ++dy) {
            const QColor pixel = image.pixelColor(QPoint(int(viewPos.x() * scale), int((viewPos.y() + dy) * scale)));
            best = std::min(best, std::abs(pixel.red() - colour.red()) + std::abs(pixel.green() - colour.green())
                                      + std::abs(pixel.blue() - colour.blue()));
        }
        QVERIFY2(best < 120, qPrintable(QString::number(best)));
        // Nothing is drawn outside the plot area.
        const QRectF plot = panel.chart()->plotArea();
        QVERIFY(plot.contains(chartPos));
    }

    void coloursAreDistinctAndLegendWraps()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        panel.resize(520, 400);
        StreamEvent e = metrics(0);
        e.payload = R"({"a_rather_long_field_name_one":1,"a_rather_long_field_name_two":2,)"
                    R"("a_rather_long_field_name_three":3,"a_rather_long_field_name_four":4,)"
                    R"("a_rather_long_field_name_five":5,"a_rather_long_field_name_six":6,)"
                    R"("a_rather_long_field_name_seven":7,"a_rather_long_field_name_eight":8})";
        buffer.append({e});
        for (const SeriesKey &k : buffer.knownFields())
            buffer.setSelected(k, true);
        buffer.flushNow();
        QTRY_COMPARE(panel.lineCount(), 8);

        QSet<QRgb> colours;
        for (const SeriesKey &k : buffer.selectedFields())
            colours.insert(panel.lineColor(k).rgb());
        QCOMPARE(colours.size(), 8);

        ChartLegend *legend = panel.legend();
        QCOMPARE(legend->entries().size(), 8);
        QSet<QRgb> legendColours;
        for (const ChartLegend::Entry &entry : legend->entries()) {
            legendColours.insert(entry.color.rgb());
            QVERIFY(entry.name.startsWith(QStringLiteral("/a_rather_long_field_name_"))); // never elided
            QVERIFY(entry.toolTip.contains(Source));
        }
        QCOMPARE(legendColours, colours);
        const int oneRow = legend->fontMetrics().height() + 4;
        QVERIFY2(legend->heightForWidth(400) >= 3 * oneRow, qPrintable(QString::number(legend->heightForWidth(400))));
        QVERIFY(legend->heightForWidth(4'000) < 2 * oneRow + 10);

        // The chooser shows each selected field's colour.
        QStandardItem *first = panel.fieldModel()->item(0)->child(0);
        QVERIFY(!first->icon().isNull());
        first->setCheckState(Qt::Unchecked);
        QVERIFY(first->icon().isNull());
        // A newly selected line takes the freed colour, not one in use.
        first->setCheckState(Qt::Checked);
        QSet<QRgb> again;
        for (const SeriesKey &k : buffer.selectedFields())
            again.insert(panel.lineColor(k).rgb());
        QCOMPARE(again.size(), 8);
    }

    void smallSeriesGoOnTheRightAxis()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StreamEvent> batch;
        for (int i = 0; i < 20; ++i) {
            StreamEvent e = metrics(0, now - 10'000 + i * 500);
            e.payload = R"({"rps":)" + QByteArray::number(1'000 + i * 10) + R"(,"load":)"
                + QByteArray::number(0.5 + i * 0.01) + R"(,"qps":)" + QByteArray::number(800 + i) + "}";
            batch.append(e);
        }
        buffer.append(batch);
        for (const SeriesKey &k : buffer.knownFields())
            buffer.setSelected(k, true);
        buffer.flushNow();
        QTRY_COMPARE(panel.lineCount(), 3);
        QVERIFY(!panel.isOnRightAxis(key("/rps")));
        QVERIFY(!panel.isOnRightAxis(key("/qps")));
        QVERIFY(panel.isOnRightAxis(key("/load")));
        QVERIFY(panel.rightAxis()->isVisible());
        QVERIFY(panel.rightAxis()->max() >= 0.69 && panel.rightAxis()->max() < 1.5);
        QVERIFY(panel.leftAxis()->max() >= 1'190);
        QVERIFY(panel.legend()->entries().at(1).rightAxis);
        QVERIFY(ChartLegend::entryText(panel.legend()->entries().at(1)).endsWith(QStringLiteral("(right)")));

        auto *scale = panel.findChild<QComboBox *>(QStringLiteral("chartScaleBox"));
        QVERIFY(scale);
        panel.setScaleMode(ChartPanel::ScaleMode::Shared);
        QVERIFY(!panel.isOnRightAxis(key("/load")));
        QVERIFY(!panel.rightAxis()->isVisible());
        QCOMPARE(scale->currentData().toInt(), int(ChartPanel::ScaleMode::Shared));

        panel.setScaleMode(ChartPanel::ScaleMode::Normalised);
        QCOMPARE(panel.leftAxis()->min(), -5.0);
        QCOMPARE(panel.leftAxis()->max(), 105.0);
        for (const SeriesKey &k : buffer.selectedFields()) {
            double low = 1e9, high = -1e9;
            for (const QPointF &p : panel.drawnPoints(k)) {
                low = std::min(low, p.y());
                high = std::max(high, p.y());
            }
            QCOMPARE(low, 0.0);
            QCOMPARE(high, 100.0);
            QCOMPARE(panel.shownPoints(k).size(), panel.drawnPoints(k).size()); // real values kept
        }
        // The readout still tells real values.
        QVERIFY2(panel.readoutText(now).contains(QStringLiteral("/load: 0.69")), qPrintable(panel.readoutText(now)));
    }

    void wholeWindowAtHighRate()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        panel.resize(900, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setWindowMs(10'000);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StreamEvent> batch;
        for (int i = 0; i < 40'000; ++i) // 4,000 events/s for 10 s
            batch.append(metrics(i, now - 10'000 + i / 4));
        buffer.append(batch);
        buffer.flushNow();
        // The plot narrows once the axes are labelled for the data; the points must follow it
        // (read again for the new width), whenever the layout settles.
        const auto columns = [&panel] { return int(std::ceil(panel.chart()->plotArea().width())); };
        const auto pointCount = [&panel] { return int(panel.shownPoints(key("/cpu/user")).size()); };
        QTRY_VERIFY2(pointCount() <= 2 * columns() + 4,
                     qPrintable(QStringLiteral("%1 points for %2 columns").arg(pointCount()).arg(columns())));
        QVERIFY(columns() > 300);
        const QList<QPointF> points = panel.shownPoints(key("/cpu/user"));
        QVERIFY(points.size() > columns()); // the whole window, not a thinned sample
        const auto [shownFrom, shownTo] = panel.shownRange();
        QVERIFY2(points.first().x() <= double(shownFrom), qPrintable(QString::number(points.first().x() - shownFrom)));
        QVERIFY(points.last().x() >= double(now - 10));
        QCOMPARE(shownTo - shownFrom, 10'000);
    }

    void windowChoices()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        auto *box = panel.findChild<QComboBox *>(QStringLiteral("chartWindowBox"));
        QVERIFY(box);
        QStringList labels;
        for (int i = 0; i < box->count(); ++i)
            labels << box->itemText(i);
        QCOMPARE(labels, QStringList({QStringLiteral("10 s"), QStringLiteral("30 s"), QStringLiteral("1 min"),
                                      QStringLiteral("5 min"), QStringLiteral("10 min"), QStringLiteral("All")}));
        QCOMPARE(box->currentText(), QStringLiteral("1 min"));

        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        buffer.append({metrics(0, now - 3 * 3'600'000), metrics(1, now - 1'000)});
        buffer.flushNow();
        box->setCurrentIndex(box->findText(QStringLiteral("All")));
        Q_EMIT box->activated(box->currentIndex());
        QCOMPARE(buffer.windowMs(), SeriesBuffer::AllWindow);
        QTRY_COMPARE(panel.shownRange().first, now - 3 * 3'600'000);
        QCOMPARE(panel.shownPoints(key("/cpu/user")).size(), 2);
        box->setCurrentIndex(0);
        Q_EMIT box->activated(0);
        QCOMPARE(buffer.windowMs(), 10'000);
        QTRY_COMPARE(panel.shownPoints(key("/cpu/user")).size(), 2); // the old point stays as the left edge
        QCOMPARE(panel.shownRange().second - panel.shownRange().first, 10'000);
    }

    void zoomPanAndReset()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        panel.resize(900, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StreamEvent> batch;
        for (int i = 0; i < 60; ++i)
            batch.append(metrics(i, now - 60'000 + i * 1'000));
        buffer.append(batch);
        buffer.flushNow();
        QVERIFY(panel.isLive());
        const auto [from, to] = panel.shownRange();
        QCOMPARE(to - from, 60'000);

        panel.zoomTime(0.5, to - 10'000);
        QVERIFY(!panel.isLive());
        auto [zf, zt] = panel.shownRange();
        QCOMPARE(zt - zf, 30'000);
        QCOMPARE(zt, to - 5'000);
        QVERIFY(panel.shownPoints(key("/cpu/user")).size() < 40);
        panel.panTime(-2'000);
        QCOMPARE(panel.shownRange().first, zf - 2'000);

        // The mouse does the same: a wheel notch zooms in around the pointer, a drag pans.
        ChartView *view = panel.chartView();
        const QPointF centre = panel.chart()->plotArea().center();
        const QPoint viewportPos = view->mapFromScene(panel.chart()->mapToScene(centre));
        const qint64 spanBefore = panel.shownRange().second - panel.shownRange().first;
        QWheelEvent wheel(viewportPos, view->viewport()->mapToGlobal(viewportPos), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(view->viewport(), &wheel);
        const qint64 spanAfter = panel.shownRange().second - panel.shownRange().first;
        QCOMPARE(spanAfter, qint64(std::llround(double(spanBefore) * ChartView::WheelStepFactor)));
        const qint64 fromBeforeDrag = panel.shownRange().first;
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, viewportPos);
        QTest::mouseMove(view->viewport(), viewportPos + QPoint(100, 0));
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, viewportPos + QPoint(100, 0));
        QVERIFY(panel.shownRange().first < fromBeforeDrag); // content followed the mouse right: earlier times

        // Shift+wheel zooms the values; the automatic range comes back with reset.
        const double rangeBefore = panel.leftAxis()->max() - panel.leftAxis()->min();
        QWheelEvent shiftWheel(viewportPos, view->viewport()->mapToGlobal(viewportPos), QPoint(), QPoint(0, 120),
                               Qt::NoButton, Qt::ShiftModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(view->viewport(), &shiftWheel);
        QVERIFY(panel.leftAxis()->max() - panel.leftAxis()->min() < rangeBefore);

        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, viewportPos);
        QVERIFY(panel.isLive());
        QCOMPARE(panel.shownRange().second - panel.shownRange().first, 60'000);
        QVERIFY(qAbs(panel.shownRange().second - QDateTime::currentMSecsSinceEpoch()) < 2'000);
        QCOMPARE(panel.leftAxis()->max() - panel.leftAxis()->min(), rangeBefore);
    }

    void crosshairShowsValuesUnderTheMouse()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        panel.resize(900, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StreamEvent> batch;
        for (int i = 0; i < 60; ++i)
            batch.append(metrics(i, now - 60'000 + i * 1'000));
        buffer.append(batch);
        buffer.flushNow();
        panel.setPaused(true); // a fixed range makes the time under the pointer exact

        ChartView *view = panel.chartView();
        const QRectF plot = panel.chart()->plotArea();
        const QPointF at(plot.left() + plot.width() * 0.5, plot.center().y());
        const QPoint viewportPos = view->mapFromScene(panel.chart()->mapToScene(at));
        QMouseEvent move(QEvent::MouseMove, viewportPos, view->viewport()->mapToGlobal(viewportPos), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        QCoreApplication::sendEvent(view->viewport(), &move);
        QVERIFY(panel.isCrosshairVisible());
        auto *readout = panel.findChild<QLabel *>(QStringLiteral("chartReadout"));
        QVERIFY(readout && readout->isVisible());
        QVERIFY(readout->text().contains(QStringLiteral("/cpu/user")));

        const auto [from, to] = panel.shownRange();
        const qint64 t = from + (to - from) / 2;
        const QString text = panel.readoutText(t);
        const int i = int((t - (now - 60'000)) / 1'000); // the sample at or before t
        QVERIFY2(text.contains(QStringLiteral("/cpu/user: %1").arg(10 + i % 11)), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("/cpu/sys: 2")));
        panel.hideCrosshair();
        QVERIFY(!panel.isCrosshairVisible());
    }

    void exportsPngAndCsv()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        panel.resize(800, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        buffer.append({metrics(1, now - 2'000), metrics(2, now - 1'000)});
        buffer.flushNow();
        QTemporaryDir dir;
        QString error;
        QVERIFY2(panel.exportPng(dir.filePath(QStringLiteral("c.png")), &error), qPrintable(error));
        QImage image(dir.filePath(QStringLiteral("c.png")));
        QVERIFY(!image.isNull() && image.width() > 300);

        QVERIFY2(panel.exportCsv(dir.filePath(QStringLiteral("c.csv")), &error), qPrintable(error));
        QFile csv(dir.filePath(QStringLiteral("c.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QCOMPARE(lines.at(0), QByteArray("time,epoch_ms,source,field,value"));
        QCOMPARE(lines.size(), 1 + 4 + 1); // 2 series x 2 points, trailing newline
        const QByteArray expected = QDateTime::fromMSecsSinceEpoch(now - 2'000, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1()
            + ',' + QByteArray::number(now - 2'000) + ",ws://metrics.local/feed,/cpu/user,11";
        QCOMPARE(lines.at(1), expected);
        QVERIFY(!panel.exportCsv(dir.filePath(QStringLiteral("no/such/dir/c.csv")), &error));
        QVERIFY(!error.isEmpty());
    }

    void removedSourceLeavesTheChart()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        StreamEvent other = metrics(0);
        other.source = QStringLiteral("http://other.local/m");
        buffer.append({metrics(0), other});
        buffer.setSelected(SeriesKey{other.source, QStringLiteral("/mem")}, true);
        buffer.flushNow();
        QTRY_COMPARE(panel.lineCount(), 3);
        QCOMPARE(panel.fieldModel()->rowCount(), 2);

        buffer.removeSource(Source);
        QCOMPARE(panel.fieldModel()->rowCount(), 1);
        QCOMPARE(panel.fieldModel()->item(0)->text(), QStringLiteral("other.local/m"));
        QCOMPARE(panel.lineCount(), 1);
        QVERIFY(!panel.isShown(key("/cpu/user")));
        QCOMPARE(panel.legend()->entries().size(), 1);
        buffer.removeSource(other.source);
        QVERIFY(panel.isShowingEmptyState());
        QCOMPARE(panel.lineCount(), 0);
    }

    void shortcutsAreWindowActions()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        QAction *pause = panel.pauseAction();
        QCOMPARE(pause->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_P));
        QCOMPARE(pause->shortcutContext(), Qt::WindowShortcut);
        QVERIFY(!pause->text().isEmpty());
        QVERIFY(panel.actions().contains(pause));
        QCOMPARE(panel.resetZoomAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
        QVERIFY(panel.actions().contains(panel.resetZoomAction()));

        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        buffer.append({metrics(0)});
        QTest::keyClick(&panel, Qt::Key_P, Qt::ControlModifier);
        QVERIFY(panel.isPaused());
        panel.chartView()->setFocus();
        QTest::keyClick(panel.chartView(), Qt::Key_Space);
        QVERIFY(!panel.isPaused());
        QTest::keyClick(panel.chartView(), Qt::Key_Space);
        QVERIFY(panel.isPaused());
    }

    void clearResetsChooser()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        ChartPanel panel(&buffer);
        buffer.append({metrics(0)});
        buffer.clear();
        QVERIFY(panel.isShowingEmptyState());
        QCOMPARE(panel.fieldModel()->rowCount(), 0);
        QCOMPARE(panel.lineCount(), 0);
        buffer.append({metrics(0)});
        QCOMPARE(panel.lineCount(), 2);
    }
};

QTEST_MAIN(TestChartPanel)
#include "tst_chart_panel.moc"
