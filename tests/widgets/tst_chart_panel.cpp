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

    void offersFieldsAndAutoSelectsFirstFour()
    {
        SeriesBuffer buffer;
        ChartPanel panel(&buffer);
        buffer.append({metrics(0)});

        QStandardItemModel *fields = panel.fieldModel();
        QCOMPARE(fields->rowCount(), 1); // one source group
        QCOMPARE(fields->item(0)->text(), QStringLiteral("metrics.local/feed"));
        QCOMPARE(fields->item(0)->rowCount(), 6); // /cpu/user /cpu/sys /mem /ok /disk/0 /disk/1
        const QStringList firstFour = {QStringLiteral("/cpu/user"), QStringLiteral("/cpu/sys"),
                                       QStringLiteral("/mem"), QStringLiteral("/ok")};
        QCOMPARE(checkedFields(fields), firstFour);
        QCOMPARE(buffer.selectedFields().size(), ChartPanel::AutoSelectCount);
        QCOMPARE(panel.chart()->series().size(), 4);
        QVERIFY(panel.seriesFor(key("/cpu/user")));
        QCOMPARE(panel.seriesFor(key("/cpu/user"))->name(), QStringLiteral("metrics.local/feed /cpu/user"));
        QVERIFY(!panel.seriesFor(key("/disk/0")));

        // A later source gets no automatic selection: the first four are taken.
        StreamEvent other = metrics(0);
        other.source = QStringLiteral("http://other.local/m");
        buffer.append({other});
        QCOMPARE(fields->rowCount(), 2);
        QCOMPARE(buffer.selectedFields().size(), 4);
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

        // The y axis fits the visible values with 5 % padding; x spans the window up to now.
        auto *y = qobject_cast<QValueAxis *>(panel.chart()->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        // Lowest visible value: /ok = 1 (true); highest: /mem = 512.
        QCOMPARE(y->min(), 1.0 - (512.0 - 1.0) * 0.05);
        QCOMPARE(y->max(), 512.0 + (512.0 - 1.0) * 0.05);
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
        QCOMPARE(panel.chart()->series().size(), 4);
    }

    void pauseFreezes()
    {
        SeriesBuffer buffer;
        ChartPanel panel(&buffer);
        buffer.append({metrics(0)});
        QCOMPARE(panel.seriesFor(key("/mem"))->count(), 1);
        auto *x = qobject_cast<QDateTimeAxis *>(panel.chart()->axes(Qt::Horizontal).value(0));

        auto *pause = panel.findChild<QToolButton *>();
        QVERIFY(pause);
        pause->click();
        QVERIFY(panel.isPaused());
        const QDateTime frozenMax = x->max();

        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);
        buffer.append({metrics(1), metrics(2)});
        QVERIFY(updated.wait()); // data is still collected...
        QCOMPARE(buffer.points(key("/mem")).size(), 3);
        QCOMPARE(panel.seriesFor(key("/mem"))->count(), 1); // ...but the view is frozen
        QVERIFY(!updated.wait(ChartPanel::IdleSlideMs * 2));
        QCOMPARE(x->max(), frozenMax);

        pause->click();
        QVERIFY(!panel.isPaused());
        QCOMPARE(panel.seriesFor(key("/mem"))->count(), 3);
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
        QCOMPARE(panel.chart()->series().size(), 4);
    }
};

QTEST_MAIN(TestChartPanel)
#include "tst_chart_panel.moc"
