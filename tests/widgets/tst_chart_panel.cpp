#include "chart_panel.h"
#include "series_buffer.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
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
        SeriesBuffer buffer;
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
        SeriesBuffer buffer;
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
        QCOMPARE(panel.chart()->series().size(), 2);
        QVERIFY(panel.seriesFor(key("/cpu/user")));
        // One source shown: the legend says just the pointer.
        QCOMPARE(panel.seriesFor(key("/cpu/user"))->name(), QStringLiteral("/cpu/user"));
        QVERIFY(!panel.seriesFor(key("/mem")));

        // A later source gets no automatic selection.
        StreamEvent other = metrics(0);
        other.source = QStringLiteral("http://other.local/m");
        buffer.append({other});
        QCOMPARE(fields->rowCount(), 2);
        QCOMPARE(buffer.selectedFields().size(), 2);

        // Series of two sources: the legend names the source's last path segment.
        buffer.setSelected(SeriesKey{other.source, QStringLiteral("/mem")}, true);
        buffer.flushNow();
        QTRY_VERIFY(panel.seriesFor(SeriesKey{other.source, QStringLiteral("/mem")}));
        QCOMPARE(panel.seriesFor(SeriesKey{other.source, QStringLiteral("/mem")})->name(), QStringLiteral("m /mem"));
        QTRY_COMPARE(panel.seriesFor(key("/cpu/user"))->name(), QStringLiteral("feed /cpu/user"));
    }

    void autoSelectionSkipsSiblingsOfAnotherScale()
    {
        SeriesBuffer buffer;
        ChartPanel panel(&buffer);
        StreamEvent e = metrics(0);
        e.payload = R"({"rps":1200,"errors":3,"p99_ms":900})";
        buffer.append({e});
        QCOMPARE(checkedFields(panel.fieldModel()), (QStringList{QStringLiteral("/rps"), QStringLiteral("/p99_ms")}));
    }

    void yAxisIsNiceAndStartsAtZeroForPositiveData()
    {
        SeriesBuffer buffer;
        ChartPanel panel(&buffer);
        StreamEvent e = metrics(0);
        e.payload = R"({"v":{"a":3117,"b":3250}})";
        buffer.append({e});
        buffer.flushNow();
        auto *axis = qobject_cast<QValueAxis *>(panel.chart()->axes(Qt::Vertical).value(0));
        QVERIFY(axis);
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
        SeriesBuffer buffer;
        ChartPanel panel(&buffer);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StreamEvent> batch;
        for (int i = 0; i < 30; ++i)
            batch.append(metrics(i, now - 30'000 + i * 1'000));
        buffer.append(batch);
        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);
        QVERIFY(updated.wait());

        for (const SeriesKey &k : buffer.selectedFields()) {
            QVERIFY(panel.seriesFor(k));
            QCOMPARE(panel.seriesFor(k)->count(), buffer.points(k).size());
            QCOMPARE(panel.seriesFor(k)->points(), buffer.points(k));
        }
        QCOMPARE(panel.seriesFor(key("/cpu/user"))->count(), 30);

        // The y axis fits the visible values (auto-selected /cpu/user 10..20 and /cpu/sys 2) with
        // padding, on nice numbers, from 0 because nothing is negative; x spans the window up to now.
        auto *y = qobject_cast<QValueAxis *>(panel.chart()->axes(Qt::Vertical).value(0));
        QVERIFY(y);
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
        QVERIFY(panel.seriesFor(key("/disk/0")));
        QCOMPARE(panel.seriesFor(key("/disk/0"))->count(), 30);

        // Unchecking removes the line.
        panel.fieldModel()->item(0)->child(0)->setCheckState(Qt::Unchecked);
        QVERIFY(!panel.seriesFor(key("/cpu/user")));
        QVERIFY(!buffer.isSelected(key("/cpu/user")));
        QCOMPARE(panel.chart()->series().size(), 2); // /cpu/sys and /disk/0
    }

    void pauseFreezes()
    {
        SeriesBuffer buffer;
        ChartPanel panel(&buffer);
        buffer.append({metrics(0)});
        QCOMPARE(panel.seriesFor(key("/cpu/user"))->count(), 1);
        auto *x = qobject_cast<QDateTimeAxis *>(panel.chart()->axes(Qt::Horizontal).value(0));

        auto *pause = panel.findChild<QToolButton *>();
        QVERIFY(pause);
        pause->click();
        QVERIFY(panel.isPaused());
        const QDateTime frozenMax = x->max();

        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);
        buffer.append({metrics(1), metrics(2)});
        QVERIFY(updated.wait()); // data is still collected...
        QCOMPARE(buffer.points(key("/cpu/user")).size(), 3);
        QCOMPARE(panel.seriesFor(key("/cpu/user"))->count(), 1); // ...but the view is frozen
        QVERIFY(!updated.wait(ChartPanel::IdleSlideMs * 2));
        QCOMPARE(x->max(), frozenMax);

        pause->click();
        QVERIFY(!panel.isPaused());
        QCOMPARE(panel.seriesFor(key("/cpu/user"))->count(), 3);
        QVERIFY(x->max() > frozenMax);
    }

    void clearResetsChooser()
    {
        SeriesBuffer buffer;
        ChartPanel panel(&buffer);
        buffer.append({metrics(0)});
        buffer.clear();
        QVERIFY(panel.isShowingEmptyState());
        QCOMPARE(panel.fieldModel()->rowCount(), 0);
        QCOMPARE(panel.chart()->series().size(), 0);
        buffer.append({metrics(0)});
        QCOMPARE(panel.chart()->series().size(), 2);
    }
};

QTEST_MAIN(TestChartPanel)
#include "tst_chart_panel.moc"
