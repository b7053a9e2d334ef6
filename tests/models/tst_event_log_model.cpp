#include "event_log_model.h"
#include "log_level.h"

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

    void pendingListIsBounded()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCapacity(10);
        QSignalSpy flushed(&model, &EventLogModel::flushed);
        int maxPending = 0;
        for (int i = 0; i < 10; ++i) {
            model.append(makeBatch(quint64(i) * 7 + 1, 7));
            maxPending = std::max(maxPending, model.pendingCount());
        }
        QVERIFY(maxPending < model.capacity()); // reaching the capacity flushes at once
        QVERIFY(flushed.size() >= 1);
        model.flushNow();
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.droppedCount(), 60ULL);
        QCOMPARE(model.receivedCount(), 70ULL);
        QCOMPARE(model.data(model.index(0, 0), EventLogModel::SeqRole).toULongLong(), 61ULL);
    }

    // One source bursts 100,000 lines while three quiet ones have a little history: the quiet
    // ones keep every row (they hold less than their share), the burst keeps the rest, order stays.
    void burstKeepsQuietSourcesHistory()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCapacity(1'000);
        const QStringList quiet = {QStringLiteral("ws://a/1"), QStringLiteral("ws://b/2"), QStringLiteral("ws://c/3")};
        quint64 order = 0;
        auto event = [&order](const QString &source, quint64 seq) {
            StreamEvent e = makeEvent(seq);
            e.source = source;
            e.id = QByteArray::number(++order);
            return e;
        };
        for (quint64 seq = 1; seq <= 100; ++seq) {
            QList<StreamEvent> batch;
            for (const QString &source : quiet)
                batch.append(event(source, seq));
            model.append(batch);
        }
        model.flushNow();
        QCOMPARE(model.rowCount(), 300);

        const QString noisy = QStringLiteral("http://noisy/burst");
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int b = 0; b < 100; ++b) {
            QList<StreamEvent> batch;
            for (int i = 0; i < 1'000; ++i)
                batch.append(event(noisy, quint64(b * 1'000 + i + 1)));
            model.append(batch);
        }
        model.flushNow();

        QCOMPARE(model.rowCount(), 1'000);
        for (const QString &source : quiet) {
            QCOMPARE(model.rowCountOf(source), 100);
            QCOMPARE(model.evictedCount(source), 0ULL);
        }
        QCOMPARE(model.rowCountOf(noisy), 700);
        QCOMPARE(model.evictedCount(noisy), 100'000ULL - 700);
        QCOMPARE(model.droppedCount(), 100'000ULL - 700);
        QCOMPARE(model.sources(), QStringList(quiet) << noisy);
        // The noisy rows shown are its newest; every row is in arrival order.
        QCOMPARE(model.eventAt(300).seq, 100'000ULL - 699);
        QCOMPARE(model.eventAt(999).seq, 100'000ULL);
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.eventAt(row - 1).id.toULongLong() < model.eventAt(row).id.toULongLong());
        // Batched: a flush per capacity's worth of events, each at most one removal (the quiet
        // rows sit in front of the noisy run) and one insertion.
        QVERIFY2(inserted.size() <= 101, qPrintable(QString::number(inserted.size())));
        QVERIFY(removed.size() <= inserted.size());
        for (const QList<QVariant> &args : std::as_const(removed))
            QCOMPARE(args.at(1).toInt(), 300);
    }

    // Water filling: the two largest sources are cut to a common level, the small one is spared.
    void evictionCutsTheLargestToOneLevel()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCapacity(900);
        const QString a = QStringLiteral("a"), b = QStringLiteral("b"), c = QStringLiteral("c");
        QList<StreamEvent> first;
        for (int i = 0; i < 600; ++i) {
            StreamEvent e = makeEvent(quint64(i + 1));
            e.source = i % 3 == 0 ? b : a; // 200 b interleaved with 400 a...
            first.append(e);
        }
        for (int i = 0; i < 100; ++i) {
            StreamEvent e = makeEvent(quint64(1'000 + i));
            e.source = b; // ...then 100 more b: a 400, b 300
            first.append(e);
        }
        model.append(first);
        model.flushNow();
        QCOMPARE(model.rowCountOf(a), 400);
        QCOMPARE(model.rowCountOf(b), 300);

        QStringList signalOrder;
        connect(&model, &QAbstractItemModel::rowsRemoved, this,
                [&](const QModelIndex &, int, int) { signalOrder << QStringLiteral("removed"); });
        connect(&model, &QAbstractItemModel::rowsInserted, this,
                [&](const QModelIndex &, int, int) { signalOrder << QStringLiteral("inserted"); });
        QList<StreamEvent> burst;
        for (int i = 0; i < 500; ++i) {
            StreamEvent e = makeEvent(quint64(i + 1));
            e.source = c;
            burst.append(e);
        }
        model.append(burst); // 1,200 held, 300 too many: a and c go down to 300, b keeps 300
        model.flushNow();
        QCOMPARE(model.rowCount(), 900);
        QCOMPARE(model.rowCountOf(a), 300);
        QCOMPARE(model.rowCountOf(b), 300);
        QCOMPARE(model.rowCountOf(c), 300);
        QCOMPARE(model.evictedCount(a), 100ULL);
        QCOMPARE(model.evictedCount(b), 0ULL);
        QCOMPARE(model.evictedCount(c), 200ULL);
        QVERIFY(signalOrder.size() >= 2);
        QCOMPARE(signalOrder.last(), QStringLiteral("inserted"));
        QCOMPARE(signalOrder.count(QStringLiteral("inserted")), 1);
        // a lost its oldest rows; c shows its newest.
        for (int row = 0; row < model.rowCount(); ++row) {
            const StreamEvent &e = model.eventAt(row);
            if (e.source == a)
                QVERIFY(e.seq > 150);
            if (e.source == c)
                QVERIFY(e.seq > 200);
        }
    }

    void shareIsCapacityOverSources()
    {
        // Four equally busy sources in one big batch: each keeps a quarter.
        EventLogModel model;
        model.setCapacity(400);
        QList<StreamEvent> batch;
        for (int i = 0; i < 4'000; ++i) {
            StreamEvent e = makeEvent(quint64(i / 4 + 1));
            e.source = QStringLiteral("s%1").arg(i % 4);
            batch.append(e);
        }
        model.append(batch);
        model.flushNow();
        for (int s = 0; s < 4; ++s)
            QCOMPARE(model.rowCountOf(QStringLiteral("s%1").arg(s)), 100);
        QCOMPARE(model.eventAt(0).seq, 901ULL);
    }

    void removeSourceDropsItsRows_data()
    {
        QTest::addColumn<int>("interleave"); // every n-th row belongs to the removed source
        QTest::addColumn<int>("rows");
        QTest::newRow("contiguous runs") << 0 << 300;
        QTest::newRow("a few runs") << 50 << 300;
        QTest::newRow("more runs than one signal each") << 2 << 1'000;
    }
    void removeSourceDropsItsRows()
    {
        QFETCH(int, interleave);
        QFETCH(int, rows);
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString gone = QStringLiteral("ws://gone/x");
        const QString stays = QStringLiteral("ws://stays/y");
        QList<StreamEvent> batch;
        int goneRows = 0;
        for (int i = 0; i < rows; ++i) {
            const bool isGone = interleave ? i % interleave == 0 : i < rows / 3;
            StreamEvent e = makeEvent(quint64(i + 1), i == 1 ? StreamEvent::Kind::Gap : StreamEvent::Kind::Data);
            e.source = isGone ? gone : stays;
            goneRows += isGone ? 1 : 0;
            batch.append(e);
        }
        model.append(batch);
        model.flushNow();
        model.append({[&] { StreamEvent e = makeEvent(9'999); e.source = gone; return e; }()}); // pending
        QCOMPARE(model.sources(), QStringList({interleave ? gone : gone, stays}));

        // A persistent index on a row that stays follows it.
        int keptRow = -1;
        for (int row = model.rowCount() - 1; row >= 0 && keptRow < 0; --row)
            if (model.eventAt(row).source == stays)
                keptRow = row;
        const quint64 keptSeq = model.eventAt(keptRow).seq;
        const QPersistentModelIndex kept(model.index(keptRow, 0));
        QSignalSpy sourcesChanged(&model, &EventLogModel::sourcesChanged);

        model.removeSource(gone);
        QCOMPARE(model.rowCount(), rows - goneRows);
        QCOMPARE(model.pendingCount(), 0);
        QCOMPARE(model.rowCountOf(gone), 0);
        QCOMPARE(model.sources(), QStringList({stays}));
        QCOMPARE(sourcesChanged.size(), 1);
        QCOMPARE(model.droppedCount(), 0ULL); // removal is not eviction
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.eventAt(row).source, stays);
        QVERIFY(kept.isValid());
        QCOMPARE(model.data(kept, EventLogModel::SeqRole).toULongLong(), keptSeq);
        QCOMPARE(model.gapCount(), model.eventAt(0).kind == StreamEvent::Kind::Gap ? 1 : 0);
        model.flushNow();
        QCOMPARE(model.rowCount(), rows - goneRows); // the pending event went too

        model.removeSource(QStringLiteral("unknown")); // no-op
        QCOMPARE(sourcesChanged.size(), 1);
    }

    void sentRowsShowTheirDirection()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString ws = QStringLiteral("ws://chat/room");
        const QString sse = QStringLiteral("http://feed/sse");
        StreamEvent before = makeEvent(1, StreamEvent::Kind::Data, "hello from server", "text");
        before.source = ws;
        StreamEvent sent = makeEvent(1, StreamEvent::Kind::Sent, R"({"subscribe":"ticks"})", "text");
        sent.source = ws;
        StreamEvent reply = makeEvent(2, StreamEvent::Kind::Data, "ok", "text");
        reply.source = ws;
        StreamEvent other = makeEvent(1, StreamEvent::Kind::Data, "plain", "message");
        other.source = sse;
        model.append({before, sent, reply, other});
        model.flushNow();

        QCOMPARE(cell(model, 1, EventLogModel::DataColumn), QStringLiteral(u"\u2192 {\"subscribe\":\"ticks\"}"));
        QCOMPARE(cell(model, 0, EventLogModel::DataColumn), QStringLiteral("← hello from server"));
        QCOMPARE(cell(model, 2, EventLogModel::DataColumn), QStringLiteral("← ok"));
        QCOMPARE(cell(model, 3, EventLogModel::DataColumn), QStringLiteral("plain")); // never sent anything
        QCOMPARE(model.data(model.index(1, 0), EventLogModel::KindRole).toInt(), int(StreamEvent::Kind::Sent));
        const QVariant tint = model.data(model.index(1, EventLogModel::TimeColumn), Qt::BackgroundRole);
        QVERIFY(tint.isValid());
        QVERIFY(!model.data(model.index(2, EventLogModel::TimeColumn), Qt::BackgroundRole).isValid());
        QVERIFY(cell(model, 1, EventLogModel::DataColumn, Qt::ToolTipRole).startsWith(QStringLiteral("Sent")));
        QCOMPARE(model.data(model.index(1, 0), EventLogModel::LevelRole).toInt(), int(LogLevel::None));
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
