#include "event_log_model.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QDateTime>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

namespace {

StreamEvent makeEvent(quint64 seq, StreamEvent::Kind kind = StreamEvent::Kind::Data,
                      QByteArray payload = {}, QByteArray type = "message")
{
    StreamEvent e;
    e.kind = kind;
    e.source = QStringLiteral("http://example.com:8080/stream?x=1");
    e.seq = seq;
    e.receivedMs = QDateTime::currentMSecsSinceEpoch();
    e.type = std::move(type);
    e.payload = payload.isNull() ? QByteArray("event ") + QByteArray::number(seq) : payload;
    return e;
}

QList<StreamEvent> makeBatch(quint64 firstSeq, int count)
{
    QList<StreamEvent> out;
    for (int i = 0; i < count; ++i)
        out.append(makeEvent(firstSeq + quint64(i)));
    return out;
}

QString cell(const EventLogModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role).toString();
}

} // namespace

class TestEventLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchesIntoOneInsertPerFlush()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy flushed(&model, &EventLogModel::flushed);
        QVERIFY(inserted.isValid());

        QElapsedTimer clock;
        clock.start();
        for (int batch = 0; batch < 10; ++batch)
            model.append(makeBatch(quint64(batch) * 100 + 1, 100));
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.pendingCount(), 1000);

        QTRY_COMPARE(inserted.size(), 1);
        QVERIFY2(clock.elapsed() >= EventLogModel::FlushIntervalMs * 8 / 10,
                 qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 999);
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(flushed.size(), 1);
        QCOMPARE(flushed.at(0).at(0).toInt(), 1000);
        QCOMPARE(flushed.at(0).at(1).toInt(), 0);
        QCOMPARE(model.data(model.index(999, 0), EventLogModel::SeqRole).toULongLong(), 1000ULL);

        // Nothing pending: no further structural signal, even after another interval.
        QVERIFY(!flushed.wait(EventLogModel::FlushIntervalMs * 2));
        QCOMPARE(inserted.size(), 1);
    }

    void flushNowIsImmediate()
    {
        EventLogModel model;
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.append(makeBatch(1, 3));
        model.flushNow();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), 3);
        model.flushNow(); // nothing pending
        QCOMPARE(inserted.size(), 1);
    }

    void overflowRemovesOnceBeforeInsert()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCapacity(100);
        QCOMPARE(model.capacity(), 100);
        model.append(makeBatch(1, 80));
        model.flushNow();

        QStringList order;
        int removedFirst = -1, removedLast = -1;
        connect(&model, &QAbstractItemModel::rowsRemoved, this,
                [&](const QModelIndex &, int first, int last) {
                    order << QStringLiteral("removed");
                    removedFirst = first;
                    removedLast = last;
                });
        connect(&model, &QAbstractItemModel::rowsInserted, this,
                [&](const QModelIndex &, int, int) { order << QStringLiteral("inserted"); });
        QSignalSpy flushed(&model, &EventLogModel::flushed);

        model.append(makeBatch(81, 25));
        model.append(makeBatch(106, 25));
        model.flushNow();

        QCOMPARE(order, QStringList({QStringLiteral("removed"), QStringLiteral("inserted")}));
        QCOMPARE(removedFirst, 0);
        QCOMPARE(removedLast, 29);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.droppedCount(), 30ULL);
        QCOMPARE(flushed.at(0).at(0).toInt(), 50);
        QCOMPARE(flushed.at(0).at(1).toInt(), 30);
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::SeqRole).toULongLong(), 31ULL);
        QCOMPARE(model.data(model.index(99, 0), EventLogModel::SeqRole).toULongLong(), 130ULL);
    }

    void pendingListIsCapped()
    {
        EventLogModel model;
        model.setCapacity(10);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int i = 0; i < 10; ++i)
            model.append(makeBatch(quint64(i) * 7 + 1, 7));
        QVERIFY(model.pendingCount() <= 2 * model.capacity());
        model.flushNow();
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.droppedCount(), 60ULL);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::SeqRole).toULongLong(), 61ULL);
    }

    void shrinkingCapacityTrims()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(makeBatch(1, 20));
        model.flushNow();
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.setCapacity(5);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.droppedCount(), 15ULL);
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::SeqRole).toULongLong(), 16ULL);
    }

    void dataRow()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        StreamEvent e = makeEvent(7, StreamEvent::Kind::Data, "line one\r\nline two\nthree\tend", "update");
        e.id = "42";
        model.append({e});
        model.flushNow();

        QVERIFY(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d$"))
                    .match(cell(model, 0, EventLogModel::TimeColumn)).hasMatch());
        QCOMPARE(cell(model, 0, EventLogModel::SourceColumn), QStringLiteral("example.com:8080/stream"));
        QCOMPARE(cell(model, 0, EventLogModel::SourceColumn, Qt::ToolTipRole), e.source);
        QCOMPARE(cell(model, 0, EventLogModel::TypeColumn), QStringLiteral("update"));
        QCOMPARE(cell(model, 0, EventLogModel::IdColumn), QStringLiteral("42"));
        QCOMPARE(cell(model, 0, EventLogModel::DataColumn),
                 QStringLiteral("line one\u23CEline two\u23CEthree end"));
        QCOMPARE(cell(model, 0, EventLogModel::DataColumn, Qt::ToolTipRole),
                 QString::fromUtf8(e.payload));
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::PayloadRole).toByteArray(), e.payload);
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::KindRole).toInt(), int(StreamEvent::Kind::Data));
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::ReceivedMsRole).toLongLong(), e.receivedMs);
        QVERIFY(!model.data(model.index(0, EventLogModel::DataColumn), Qt::ForegroundRole).isValid());
        QVERIFY(!model.data(model.index(0, EventLogModel::DataColumn), Qt::BackgroundRole).isValid());
        QCOMPARE(model.headerData(EventLogModel::DataColumn, Qt::Horizontal).toString(), QStringLiteral("Data"));
    }

    void longPayloadIsCapped()
    {
        EventLogModel model;
        const QByteArray payload(50'000, 'a');
        model.append({makeEvent(1, StreamEvent::Kind::Data, payload)});
        model.flushNow();
        const QString shown = cell(model, 0, EventLogModel::DataColumn);
        QCOMPARE(shown.size(), EventLogModel::MaxDisplayChars + 1);
        QVERIFY(shown.endsWith(QChar(0x2026)));
        const QString tip = cell(model, 0, EventLogModel::DataColumn, Qt::ToolTipRole);
        QVERIFY(tip.size() < EventLogModel::MaxToolTipChars + 100);
        QVERIFY(tip.contains(QStringLiteral("50000 bytes")));
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::PayloadRole).toByteArray().size(), 50'000);
    }

    void errorRow()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        StreamEvent e = makeEvent(3, StreamEvent::Kind::Error, "{bad json", "error");
        e.detail = QStringLiteral("invalid JSON at byte 9");
        model.append({e});
        model.flushNow();
        QCOMPARE(cell(model, 0, EventLogModel::DataColumn),
                 QStringLiteral("invalid JSON at byte 9: {bad json"));
        const QColor fg = model.data(model.index(0, EventLogModel::DataColumn), Qt::ForegroundRole)
                              .value<QBrush>().color();
        QVERIFY(fg.red() > 150 && fg.green() < 80 && fg.blue() < 80);
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::DetailRole).toString(), e.detail);
        QCOMPARE(model.gapCount(), 0);
    }

    void gapRow()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        StreamEvent e = makeEvent(3, StreamEvent::Kind::Gap, QByteArray(""), "gap");
        e.detail = QStringLiteral("reconnected after: connection reset; resumed from id 41");
        model.append({makeEvent(3), e, makeEvent(4)});
        model.flushNow();
        QCOMPARE(model.gapCount(), 1);
        QCOMPARE(cell(model, 1, EventLogModel::DataColumn),
                 QStringLiteral("\u2014 reconnected after: connection reset; resumed from id 41 \u2014"));
        const QVariant bg = model.data(model.index(1, EventLogModel::TimeColumn), Qt::BackgroundRole);
        QVERIFY(bg.isValid());
        QVERIFY(bg.value<QBrush>().color() != QColor(Qt::white));
        QVERIFY(!model.data(model.index(0, EventLogModel::TimeColumn), Qt::BackgroundRole).isValid());

        model.setCapacity(1); // trims the gap row
        QCOMPARE(model.gapCount(), 0);
    }

    void binaryRow()
    {
        EventLogModel model;
        const QByteArray payload = QByteArray::fromHex("00ff10200a") + QByteArray(100, '\x01');
        model.append({makeEvent(1, StreamEvent::Kind::Data, payload, "binary")});
        model.flushNow();
        const QString shown = cell(model, 0, EventLogModel::DataColumn);
        QVERIFY2(shown.startsWith(QStringLiteral("binary, 105 bytes: 00 ff 10 20 0a 01")), qPrintable(shown));
        QVERIFY(shown.endsWith(QChar(0x2026)));
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::PayloadRole).toByteArray(), payload);
    }

    void clearResets()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCapacity(5);
        model.append(makeBatch(1, 8));
        model.flushNow();
        model.append(makeBatch(9, 2)); // pending, must be dropped too
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.clear();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.droppedCount(), 0ULL);
        QCOMPARE(model.pendingCount(), 0);
        QVERIFY(!inserted.wait(EventLogModel::FlushIntervalMs * 2));
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEventLogModel)
#include "tst_event_log_model.moc"
