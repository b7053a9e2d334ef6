#include "series_buffer.h"

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
        SeriesBuffer buffer;
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
        SeriesBuffer buffer;
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
    }
    void ignoresNonJson()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, kind);
        SeriesBuffer buffer;
        QSignalSpy discovered(&buffer, &SeriesBuffer::fieldsDiscovered);
        buffer.append({jsonEvent(payload, 0, StreamEvent::Kind(kind))});
        QVERIFY(buffer.knownFields().isEmpty());
        QCOMPARE(discovered.size(), 0);
    }

    void capsFieldsPerSource()
    {
        SeriesBuffer buffer;
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

    void capsPointsPerSeries()
    {
        SeriesBuffer buffer;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<StreamEvent> batch;
        const int count = SeriesBuffer::MaxPointsPerSeries + 500;
        for (int i = 0; i < count; ++i)
            batch.append(jsonEvent("{\"v\":" + QByteArray::number(i) + "}", now - count + i));
        buffer.append(batch);
        const QList<QPointF> points = buffer.points(key("/v"));
        QCOMPARE(points.size(), SeriesBuffer::MaxPointsPerSeries);
        QCOMPARE(points.last().y(), double(count - 1));
        QCOMPARE(points.first().y(), 500.0);
    }

    void prunesToWindow()
    {
        SeriesBuffer buffer;
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

        buffer.setWindowMs(100); // clamped to the 1 s minimum
        QCOMPARE(buffer.windowMs(), 1'000);
    }

    void seriesUpdatedIsCoalesced()
    {
        SeriesBuffer buffer;
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
        QCOMPARE(buffer.points(key("/sel")).size(), 201);

        buffer.setSelected(key("/sel"), false);
        QTRY_COMPARE(updated.size(), 2);
        buffer.setSelected(key("/unknown"), true);
        QVERIFY(!buffer.isSelected(key("/unknown")));
    }

    void clearForgetsEverything()
    {
        SeriesBuffer buffer;
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
