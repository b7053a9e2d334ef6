#include "series_buffer.h"
#include "tiered_series.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

namespace {

const QString Source = QStringLiteral("ws://metrics.local/feed");

StreamEvent jsonEvent(const QByteArray &payload, qint64 receivedMs = 0,
                      StreamEvent::Kind kind = StreamEvent::Kind::Data, const QString &source = Source)
{
    StreamEvent e;
    e.kind = kind;
    e.source = source;
    e.receivedMs = receivedMs ? receivedMs : QDateTime::currentMSecsSinceEpoch();
    e.type = "json";
    e.payload = payload;
    return e;
}

SeriesKey key(const char *pointer, const QString &source = Source)
{
    return SeriesKey{source, QString::fromUtf8(pointer)};
}

QStringList pointers(const QList<SeriesKey> &keys)
{
    QStringList out;
    for (const SeriesKey &k : keys)
        out << k.pointer;
    return out;
}

} // namespace

class TestSeriesBuffer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void discoversNestedPointers()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        QSignalSpy discovered(&buffer, &SeriesBuffer::fieldsDiscovered);
        QVERIFY(discovered.isValid());
        const qint64 t = QDateTime::currentMSecsSinceEpoch();
        buffer.append({jsonEvent(R"({"a":{"b":1.5},"arr":[5,{"c":6}],"x/y":2,"m~n":3,"s":"text",)"
                                 R"("n":null,"t":true,"f":false,"big":18446744073709551615,"neg":-7})", t)});
        const QStringList expected = {
            QStringLiteral("/a/b"), QStringLiteral("/arr/0"), QStringLiteral("/arr/1/c"),
            QStringLiteral("/x~1y"), QStringLiteral("/m~0n"), QStringLiteral("/t"),
            QStringLiteral("/f"), QStringLiteral("/big"), QStringLiteral("/neg")};
        QCOMPARE(pointers(buffer.knownFields()), expected);
        QCOMPARE(discovered.size(), 1);
        QCOMPARE(pointers(discovered.at(0).at(0).value<QList<SeriesKey>>()), expected);

        QCOMPARE(buffer.points(key("/a/b")), QList<QPointF>({QPointF(double(t), 1.5)}));
        QCOMPARE(buffer.points(key("/arr/1/c")).value(0).y(), 6.0);
        QCOMPARE(buffer.points(key("/x~1y")).value(0).y(), 2.0);
        QCOMPARE(buffer.points(key("/t")).value(0).y(), 1.0);
        QCOMPARE(buffer.points(key("/f")).value(0).y(), 0.0);
        QCOMPARE(buffer.points(key("/big")).value(0).y(), 18446744073709551615.0);
        QCOMPARE(buffer.points(key("/neg")).value(0).y(), -7.0);
        QVERIFY(buffer.points(key("/s")).isEmpty());
        QVERIFY(!buffer.isKnown(key("/n")));

        // Known fields are not announced again; a new one is.
        buffer.append({jsonEvent(R"({"a":{"b":2},"new":1})")});
        QCOMPARE(discovered.size(), 2);
        QCOMPARE(pointers(discovered.at(1).at(0).value<QList<SeriesKey>>()), QStringList({QStringLiteral("/new")}));
        QCOMPARE(buffer.points(key("/a/b")).size(), 2);
    }

    void rootArrayAndWhitespace()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        buffer.append({jsonEvent(" \r\n\t[1, 2.5]")});
        QCOMPARE(pointers(buffer.knownFields()), QStringList({QStringLiteral("/0"), QStringLiteral("/1")}));
    }

    void ignoresNonJson_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("kind");
        QTest::newRow("plain text") << QByteArray("cpu=3") << int(StreamEvent::Kind::Data);
        QTest::newRow("bare number") << QByteArray("42") << int(StreamEvent::Kind::Data);
        QTest::newRow("truncated object") << QByteArray("{\"a\":1") << int(StreamEvent::Kind::Data);
        QTest::newRow("empty") << QByteArray() << int(StreamEvent::Kind::Data);
        QTest::newRow("error event") << QByteArray("{\"a\":1}") << int(StreamEvent::Kind::Error);
        QTest::newRow("gap event") << QByteArray("{\"a\":1}") << int(StreamEvent::Kind::Gap);
        QTest::newRow("sent message") << QByteArray("{\"a\":1}") << int(StreamEvent::Kind::Sent);
    }
    void ignoresNonJson()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, kind);
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        QSignalSpy discovered(&buffer, &SeriesBuffer::fieldsDiscovered);
        buffer.append({jsonEvent(payload, 0, StreamEvent::Kind(kind))});
        QVERIFY(buffer.knownFields().isEmpty());
        QCOMPARE(discovered.size(), 0);
    }

    void capsFieldsPerSource()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        QByteArray payload = "{";
        for (int i = 0; i < 100; ++i)
            payload += (i ? "," : "") + QByteArray("\"k") + QByteArray::number(i) + "\":" + QByteArray::number(i);
        payload += "}";
        buffer.append({jsonEvent(payload), jsonEvent(R"({"k1":1})", 0, StreamEvent::Kind::Data,
                                                     QStringLiteral("other"))});
        QCOMPARE(buffer.knownFields().size(), SeriesBuffer::MaxFieldsPerSource + 1);
        QVERIFY(buffer.isKnown(key("/k63")));
        QVERIFY(!buffer.isKnown(key("/k64")));
        QVERIFY(buffer.isKnown(key("/k1", QStringLiteral("other"))));
    }

    // The old point cap shortened a 60 s window to 200 ms at 100,000 samples/s. Now the whole
    // window is there, decimated to a bounded number of points, spikes included.
    void highRateKeepsTheWholeWindow()
    {
        TieredSeries series;
        const qint64 start = 1'700'000'000'000;
        constexpr int Seconds = 60;
        constexpr int PerMs = 20;
        for (qint64 ms = 0; ms < Seconds * 1'000; ++ms)
            for (int i = 0; i < PerMs; ++i)
                series.add(start + ms, double((ms * PerMs + i) % 1'000) + (ms == 30'000 && i == 7 ? 1e6 : 0));
        QCOMPARE(series.sampleCount(), quint64(Seconds) * 1'000 * PerMs);
        const qint64 now = start + Seconds * 1'000;
        QList<QPointF> out;
        series.decimate(now - Seconds * 1'000, now, 1'000, out);
        QVERIFY2(out.size() <= 2 * 1'000 + 4, qPrintable(QString::number(out.size())));
        QVERIFY(out.size() > 1'000);
        QVERIFY2(out.first().x() <= double(start + 60), qPrintable(QString::number(out.first().x() - start)));
        QCOMPARE(out.last().x(), double(now - 1));
        double high = 0;
        for (const QPointF &p : std::as_const(out))
            high = std::max(high, p.y());
        QCOMPARE(high, 1e6 + 7); // the one spike survives decimation
        for (qsizetype i = 1; i < out.size(); ++i)
            QVERIFY(out.at(i - 1).x() <= out.at(i).x());
        // A 10 s window still reads the exact 1 ms tier; a day-long one a coarse tier.
        QCOMPARE(series.tierFor(now - 10'000, 6.7), 0); // 10 s over 1,500 px
        QVERIFY(series.tierFor(now - 60'000, 60.0) >= 1); // tier 0 no longer reaches back a minute
        QVERIFY(!series.tierCovers(0, now - 60'000));
        QVERIFY(series.tierCovers(1, now - 60'000));
    }

    void coarseTiersIncludeTheNewestSample()
    {
        // The newest millisecond is folded into the coarse tiers only when the next one starts;
        // reading a coarse tier must still end at the newest sample.
        TieredSeries series;
        const qint64 start = 1'000'000;
        for (int i = 0; i < 40'000; ++i)
            series.add(start + i, double(i % 100));
        series.add(start + 600'000, 12'345); // ten minutes later
        QVERIFY(!series.tierCovers(0, start));
        QList<QPointF> out;
        series.decimate(start, start + 600'000, 100, out);
        QVERIFY(series.tierFor(start, 6'000) > 0);
        QCOMPARE(out.last(), QPointF(double(start + 600'000), 12'345));
        QCOMPARE(series.valueAt(start + 700'000), std::optional<QPointF>(QPointF(double(start + 600'000), 12'345)));
        QCOMPARE(series.valueAt(start + 39'999)->y(), 99.0);
        QCOMPARE(series.samples(start).last(), QPointF(double(start + 600'000), 12'345));
        QCOMPARE(series.firstMs(), start);
        double high = 0;
        for (const QPointF &p : std::as_const(out))
            if (p.x() < double(start + 100'000))
                high = std::max(high, p.y());
        QCOMPARE(high, 99.0); // min/max survive the folding
    }

    void decimationIsExactWhenColumnsSuffice()
    {
        TieredSeries series;
        QList<QPointF> expected;
        for (int i = 0; i < 50; ++i) {
            series.add(1'000 + i * 20, double(i % 7));
            expected.append(QPointF(1'000 + i * 20, double(i % 7)));
        }
        QList<QPointF> out;
        series.decimate(1'000, 1'000 + 49 * 20, 2'000, out); // far more columns than points
        QCOMPARE(out, expected);
        QCOMPARE(series.samples(0), expected);

        // A window in the middle: the nearest point outside each end comes along so the line
        // reaches both plot edges.
        out.clear();
        series.decimate(1'105, 1'195, 100, out);
        QCOMPARE(out.first(), QPointF(1'100, double(5 % 7)));
        QCOMPARE(out.last(), QPointF(1'200, double(10 % 7)));
        QCOMPARE(out.size(), 2 + 4); // 1120 1140 1160 1180 inside

        QCOMPARE(series.valueAt(1'139), std::optional<QPointF>(QPointF(1'120, 6)));
        QCOMPARE(series.valueAt(1'140), std::optional<QPointF>(QPointF(1'140, 0)));
        QVERIFY(!series.valueAt(999).has_value());
        QCOMPARE(series.last(), std::optional<QPointF>(QPointF(1'980, double(49 % 7))));
        QCOMPARE(series.firstMs(), 1'000);
    }

    void clockSteppingBackStaysOrdered()
    {
        TieredSeries series;
        series.add(5'000, 1);
        series.add(4'000, 2); // taken as simultaneous with the newest
        series.add(5'010, 3);
        const QList<QPointF> points = series.samples(0);
        for (qsizetype i = 1; i < points.size(); ++i)
            QVERIFY(points.at(i - 1).x() <= points.at(i).x());
        QCOMPARE(series.last(), std::optional<QPointF>(QPointF(5'010, 3)));
    }

    void windowSelectsWithoutForgetting()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        buffer.setWindowMs(2'000);
        QCOMPARE(buffer.windowMs(), 2'000);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        buffer.append({jsonEvent(R"({"v":1})", now - 10'000), jsonEvent(R"({"v":2})", now - 5'000),
                       jsonEvent(R"({"v":3})", now - 100)});
        buffer.setSelected(key("/v"), true);
        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);
        buffer.flushNow();
        QCOMPARE(updated.size(), 1);
        QCOMPARE(buffer.points(key("/v")), QList<QPointF>({QPointF(double(now - 100), 3)}));

        // Widening the window shows the older samples again: the window never prunes.
        buffer.setWindowMs(SeriesBuffer::AllWindow);
        QCOMPARE(buffer.windowMs(), SeriesBuffer::AllWindow);
        QCOMPARE(buffer.points(key("/v")).size(), 3);
        QCOMPARE(buffer.earliestSelectedMs(), now - 10'000);
        const auto [from, to] = buffer.windowRange(now);
        QCOMPARE(from, now - 10'000);
        QCOMPARE(to, now);
        QCOMPARE(buffer.decimated(key("/v"), now - 6'000, now, 600).size(), 3); // 10 s ago is the edge point
        QCOMPARE(buffer.valueAt(key("/v"), now - 4'000)->y(), 2.0);
        QCOMPARE(buffer.lastValue(key("/v"))->y(), 3.0);
        QTRY_COMPARE(updated.size(), 2); // the window change is a change of the selected series

        buffer.setWindowMs(100); // clamped to the 1 s minimum
        QCOMPARE(buffer.windowMs(), 1'000);
    }

    void removeSourceForgetsItsFields()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        const QString other = QStringLiteral("http://other/x");
        buffer.append({jsonEvent(R"({"a":1,"b":2})"), jsonEvent(R"({"c":3})", 0, StreamEvent::Kind::Data, other),
                       jsonEvent(R"({"a":4})")});
        buffer.setSelected(key("/a"), true);
        buffer.setSelected(key("/c", other), true);
        buffer.flushNow();
        QSignalSpy removed(&buffer, &SeriesBuffer::fieldsRemoved);
        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);

        buffer.removeSource(Source);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(pointers(removed.at(0).at(0).value<QList<SeriesKey>>()), QStringList({QStringLiteral("/a"), QStringLiteral("/b")}));
        QCOMPARE(buffer.knownFields(), QList<SeriesKey>({key("/c", other)}));
        QVERIFY(!buffer.isKnown(key("/a")));
        QCOMPARE(buffer.selectedFields(), QList<SeriesKey>({key("/c", other)}));
        QCOMPARE(buffer.points(key("/c", other)).value(0).y(), 3.0);
        QTRY_COMPARE(updated.size(), 1); // a selected series went away

        // The remaining source keeps collecting into the right series; the removed one starts over.
        buffer.append({jsonEvent(R"({"c":5})", 0, StreamEvent::Kind::Data, other), jsonEvent(R"({"a":9})")});
        QCOMPARE(buffer.lastValue(key("/c", other))->y(), 5.0);
        QCOMPARE(buffer.points(key("/a")), QList<QPointF>({buffer.lastValue(key("/a")).value()}));
        QCOMPARE(buffer.lastValue(key("/a"))->y(), 9.0);

        buffer.removeSource(QStringLiteral("unknown"));
        QCOMPARE(removed.size(), 1);
    }

    void seriesUpdatedIsCoalesced()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        buffer.append({jsonEvent(R"({"sel":0,"other":0})")});
        buffer.flushNow();
        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);

        // Only unselected series change: no signal at all.
        for (int i = 0; i < 20; ++i)
            buffer.append({jsonEvent(R"({"other":1})")});
        QVERIFY(!updated.wait(SeriesBuffer::FlushIntervalMs * 3));

        buffer.setSelected(key("/sel"), true);
        QVERIFY(buffer.isSelected(key("/sel")));
        QCOMPARE(buffer.selectedFields(), QList<SeriesKey>({key("/sel")}));
        for (int i = 0; i < 200; ++i)
            buffer.append({jsonEvent("{\"sel\":" + QByteArray::number(i) + "}")});
        QCOMPARE(updated.size(), 0); // nothing before the frame
        QTRY_COMPARE(updated.size(), 1);
        QVERIFY(!updated.wait(SeriesBuffer::FlushIntervalMs * 3));
        QCOMPARE(updated.size(), 1);
        // 200 samples in (about) one millisecond: one bucket, first/min/max/last kept.
        QCOMPARE(buffer.lastValue(key("/sel"))->y(), 199.0);
        QVERIFY(buffer.points(key("/sel")).size() >= 3);

        buffer.setSelected(key("/sel"), false);
        QTRY_COMPARE(updated.size(), 2);
        buffer.setSelected(key("/unknown"), true);
        QVERIFY(!buffer.isSelected(key("/unknown")));
    }

    // The default: JSON is parsed on the worker thread; results arrive as batches.
    void workerThreadParses()
    {
        SeriesBuffer buffer;
        QCOMPARE(buffer.parsing(), SeriesBuffer::Parsing::Worker);
        QSignalSpy discovered(&buffer, &SeriesBuffer::fieldsDiscovered);
        QList<StreamEvent> batch;
        const qint64 t = QDateTime::currentMSecsSinceEpoch() - 1'000;
        for (int i = 0; i < 1'000; ++i)
            batch.append(jsonEvent("{\"a\":" + QByteArray::number(i) + ",\"b\":{\"c\":" + QByteArray::number(-i) + "}}", t + i));
        buffer.append(batch);
        QTRY_COMPARE(discovered.size(), 1);
        QCOMPARE(pointers(buffer.knownFields()), QStringList({QStringLiteral("/a"), QStringLiteral("/b/c")}));
        QTRY_COMPARE(buffer.eventsParsed(), 1'000ULL);
        QCOMPARE(buffer.inFlightEvents(), 0);
        QCOMPARE(buffer.lastValue(key("/a"))->y(), 999.0);
        QCOMPARE(buffer.lastValue(key("/b/c"))->y(), -999.0);

        // flushNow() takes in everything appended before it, without waiting for the frame.
        buffer.setSelected(key("/a"), true);
        buffer.append({jsonEvent(R"({"a":5000})", t + 2'000)});
        QSignalSpy updated(&buffer, &SeriesBuffer::seriesUpdated);
        buffer.flushNow();
        QCOMPARE(buffer.lastValue(key("/a"))->y(), 5'000.0);
        QCOMPARE(updated.size(), 1);
        QCOMPARE(buffer.eventsSeen(), 1'001ULL);
    }

    // Batches the worker extracted before it heard of a removal do not bring the fields back.
    void workerRemovalWinsOverBatchesInFlight()
    {
        SeriesBuffer buffer;
        const QString other = QStringLiteral("http://other/x");
        buffer.append({jsonEvent(R"({"a":1})"), jsonEvent(R"({"o":1})", 0, StreamEvent::Kind::Data, other)});
        buffer.flushNow();
        QCOMPARE(buffer.knownFields().size(), 2);
        QList<StreamEvent> late;
        for (int i = 0; i < 2'000; ++i)
            late.append(jsonEvent("{\"a\":" + QByteArray::number(i) + ",\"new\":1}"));
        late.append(jsonEvent(R"({"o":2})", 0, StreamEvent::Kind::Data, other));
        buffer.append(late);     // in flight...
        buffer.removeSource(Source); // ...when the source goes
        buffer.flushNow();
        QCOMPARE(buffer.knownFields(), QList<SeriesKey>({key("/o", other)}));
        QCOMPARE(buffer.lastValue(key("/o", other))->y(), 2.0); // other sources' samples still count
        // The source can come back later, with fresh fields.
        buffer.append({jsonEvent(R"({"a":7})")});
        buffer.flushNow();
        QVERIFY(buffer.isKnown(key("/a")));
        QCOMPARE(buffer.points(key("/a")).size(), 1);

        buffer.append(late);
        buffer.clear(); // batches from before the clear are dropped whole
        buffer.flushNow();
        QVERIFY(buffer.knownFields().isEmpty());
        QCOMPARE(buffer.eventsSeen(), 0ULL);
    }

    void workerBacklogIsBoundedAndCounted()
    {
        SeriesBuffer buffer;
        buffer.setMaxInFlightEvents(100);
        QList<StreamEvent> batch;
        for (int i = 0; i < 80; ++i)
            batch.append(jsonEvent(R"({"a":1})"));
        buffer.append(batch); // 80 waiting
        buffer.append(batch); // would be 160: not charted, counted
        QVERIFY(buffer.droppedEvents() == 80 || buffer.inFlightEvents() == 0);
        buffer.flushNow();
        QCOMPARE(buffer.inFlightEvents(), 0);
        QCOMPARE(buffer.eventsSeen() + buffer.droppedEvents(), 160ULL);
    }

    void workerStopsWithWorkPending()
    {
        QList<StreamEvent> batch;
        for (int i = 0; i < 20'000; ++i)
            batch.append(jsonEvent(R"({"a":1,"b":2,"c":3})"));
        auto buffer = std::make_unique<SeriesBuffer>();
        buffer->append(batch);
        buffer->append(batch);
        buffer.reset(); // joins the worker; its late results are discarded with the buffer
        QCoreApplication::processEvents();
    }

    void clearForgetsEverything()
    {
        SeriesBuffer buffer(nullptr, SeriesBuffer::Parsing::Inline);
        QSignalSpy cleared(&buffer, &SeriesBuffer::cleared);
        buffer.append({jsonEvent(R"({"v":1})")});
        buffer.clear();
        QCOMPARE(cleared.size(), 1);
        QVERIFY(buffer.knownFields().isEmpty());
        QVERIFY(buffer.points(key("/v")).isEmpty());
        QSignalSpy discovered(&buffer, &SeriesBuffer::fieldsDiscovered);
        buffer.append({jsonEvent(R"({"v":1})")});
        QCOMPARE(discovered.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSeriesBuffer)
#include "tst_series_buffer.moc"
