#include "source_list_model.h"

#include "fake_transport.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QImage>
#include <QPointer>
#include <QSignalSpy>
#include <QSet>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

namespace {

TransportConfig fakeConfig(const QString &url, const QString &transport = QStringLiteral("fake"))
{
    TransportConfig config;
    config.url = QUrl(url);
    config.transportId = transport;
    return config;
}

} // namespace

class TestSourceListModel : public QObject
{
    Q_OBJECT
private:
    TransportRegistry m_registry;
    QList<FakeTransport *> m_created;

    QString cell(const SourceListModel &model, int row, int column, int role = Qt::DisplayRole)
    {
        return model.data(model.index(row, column), role).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        registerFakeTransports(m_registry, &m_created);
    }
    void init()
    {
        m_created.clear();
    }

    void addSource()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        TransportConfig config = fakeConfig(QStringLiteral("http://127.0.0.1:9/a"));
        config.insecureTls = true;
        QString error;
        QCOMPARE(model.addSource(config, &error), 0);
        QVERIFY(error.isEmpty());
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(m_created.size(), 1);
        FakeTransport *t = m_created.first();
        QCOMPARE(t->openCalls, 1);
        QCOMPARE(model.transportAt(0), t);
        QCOMPARE(model.transportIdAt(0), QStringLiteral("fake"));
        QCOMPARE(model.rowOfSource(QStringLiteral("http://127.0.0.1:9/a")), 0);
        QCOMPARE(model.rowOfSource(QStringLiteral("nope")), -1);

        QCOMPARE(cell(model, 0, SourceListModel::NameColumn), QStringLiteral("127.0.0.1:9/a"));
        QCOMPARE(cell(model, 0, SourceListModel::TransportColumn), QStringLiteral("fake"));
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("connecting"));
        QCOMPARE(cell(model, 0, SourceListModel::LastEventColumn), QStringLiteral("\u2014"));
        QCOMPARE(cell(model, 0, SourceListModel::RateColumn), QStringLiteral("0.0"));
        // -k on a plain http:// URL does nothing, so there is no TLS warning.
        QVERIFY(!cell(model, 0, SourceListModel::NameColumn, Qt::ToolTipRole).contains(QStringLiteral("TLS")));
        QVERIFY(!model.data(model.index(0, SourceListModel::NameColumn), Qt::ForegroundRole).isValid());
        QCOMPARE(model.data(model.index(0, 0), SourceListModel::SourceIdRole).toString(), t->sourceId());
        QCOMPARE(model.data(model.index(0, 0), SourceListModel::IsDuplexRole).toBool(), false);

        t->goOpen(QStringLiteral("HTTP/1.1"));
        QCOMPARE(cell(model, 0, SourceListModel::TransportColumn), QStringLiteral("fake \u00B7 HTTP/1.1"));

        // A second source, and a duplicate.
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("ws://127.0.0.1:9/b"), QStringLiteral("fake-duplex"))), 1);
        QCOMPARE(model.data(model.index(1, 0), SourceListModel::IsDuplexRole).toBool(), true);
        QCOMPARE(model.addSource(config, &error), -1);
        QVERIFY(error.contains(QStringLiteral("already")));
        QCOMPARE(model.rowCount(), 2);

        // https:// with -k warns, in the tooltip and in the name's colour.
        TransportConfig tls = fakeConfig(QStringLiteral("https://127.0.0.1:9/a"));
        tls.insecureTls = true;
        QCOMPARE(model.addSource(tls), 2);
        QVERIFY(cell(model, 2, SourceListModel::NameColumn, Qt::ToolTipRole).contains(QStringLiteral("TLS verification OFF")));
        QVERIFY(model.data(model.index(2, SourceListModel::NameColumn), Qt::ForegroundRole).isValid());
        QVERIFY(SourceListModel::hasTlsWarning(tls));
        tls.url = QUrl(QStringLiteral("wss://127.0.0.1:9/a"));
        QVERIFY(SourceListModel::hasTlsWarning(tls));
        tls.url = QUrl(QStringLiteral("ws://127.0.0.1:9/a"));
        QVERIFY(!SourceListModel::hasTlsWarning(tls));
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("transport");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("unknown transport") << QStringLiteral("http://127.0.0.1/") << QStringLiteral("carrier-pigeon") << QStringLiteral("Unknown transport");
        QTest::newRow("default id not registered") << QStringLiteral("ws://127.0.0.1/") << QString() << QStringLiteral("Unknown transport");
        QTest::newRow("no scheme") << QStringLiteral("127.0.0.1/stream") << QString() << QStringLiteral("Invalid URL");
        QTest::newRow("unsupported scheme") << QStringLiteral("ftp://127.0.0.1/") << QString() << QStringLiteral("No transport");
        QTest::newRow("empty") << QString() << QStringLiteral("fake") << QStringLiteral("Invalid URL");
    }
    void rejectsBadInput()
    {
        QFETCH(QString, url);
        QFETCH(QString, transport);
        QFETCH(QString, errorPart);
        SourceListModel model(&m_registry);
        QString error;
        QCOMPARE(model.addSource(fakeConfig(url, transport), &error), -1);
        QVERIFY2(error.contains(errorPart), qPrintable(error));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(m_created.isEmpty());
    }

    void stateTextAndColour_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QColor>("colour");
        QTest::newRow("connecting") << QString() << QStringLiteral("connecting") << QColor(178, 106, 0);
        QTest::newRow("open") << QStringLiteral("open") << QStringLiteral("open") << QColor(46, 125, 50);
        QTest::newRow("reconnecting") << QStringLiteral("retry") << QStringLiteral("reconnecting") << QColor(178, 106, 0);
        QTest::newRow("closed") << QStringLiteral("stop") << QStringLiteral("closed") << QColor(117, 117, 117);
        QTest::newRow("failed") << QStringLiteral("fail") << QStringLiteral("failed") << QColor(198, 40, 40);
    }
    void stateTextAndColour()
    {
        QFETCH(QString, action);
        QFETCH(QString, text);
        QFETCH(QColor, colour);
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy errors(&model, &SourceListModel::sourceError);
        model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/s")));
        FakeTransport *t = m_created.first();
        changed.clear();
        if (action == QLatin1String("open"))
            t->goOpen();
        else if (action == QLatin1String("retry"))
            t->scheduleRetry(3'000);
        else if (action == QLatin1String("stop"))
            t->stop(QStringLiteral("HTTP 204 No Content: server asked to stop"));
        else if (action == QLatin1String("fail"))
            t->fail(QStringLiteral("HTTP 404 Not Found"), false);
        if (!action.isEmpty())
            QVERIFY(!changed.isEmpty());

        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), text);
        QCOMPARE(model.data(model.index(0, SourceListModel::StateColumn), Qt::ForegroundRole)
                     .value<QBrush>().color(), colour);
        const QImage dot = model.data(model.index(0, SourceListModel::StateColumn), Qt::DecorationRole).value<QImage>();
        QVERIFY(!dot.isNull());
        QCOMPARE(QColor(dot.pixel(dot.width() / 2, dot.height() / 2)), colour);
        QCOMPARE(model.data(model.index(0, 0), SourceListModel::StateRole).toInt(), int(t->state()));

        if (action == QLatin1String("retry")) {
            const QString retry = cell(model, 0, SourceListModel::RetryColumn);
            QVERIFY2(retry.startsWith(QStringLiteral("in ")) && retry.endsWith(QStringLiteral(" s")), qPrintable(retry));
            const double seconds = retry.mid(3, retry.size() - 5).toDouble();
            QVERIFY(seconds > 2.0 && seconds <= 3.0);
        } else {
            QCOMPARE(cell(model, 0, SourceListModel::RetryColumn), QString());
        }
        if (action == QLatin1String("stop"))
            QCOMPARE(cell(model, 0, SourceListModel::ErrorColumn), QStringLiteral("HTTP 204 No Content: server asked to stop"));
        if (action == QLatin1String("fail")) {
            QCOMPARE(cell(model, 0, SourceListModel::ErrorColumn), QStringLiteral("HTTP 404 Not Found"));
            QCOMPARE(errors.size(), 1);
            QCOMPARE(errors.at(0).at(0).toString(), t->sourceId());
            QCOMPARE(errors.at(0).at(1).value<TransportError>().message, QStringLiteral("HTTP 404 Not Found"));
        }
    }

    void rateAndLastEventUpdate()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/r")));
        FakeTransport *t = m_created.first();
        t->goOpen();

        QSignalSpy forwarded(&model, &SourceListModel::eventsReceived);
        QList<QByteArray> payloads;
        for (int i = 0; i < 20; ++i)
            payloads.append(QByteArray::number(i));
        t->emitData(payloads);
        t->emitGap(QStringLiteral("reconnected"));
        QCOMPARE(forwarded.size(), 2);
        QCOMPARE(forwarded.at(0).at(0).value<QList<StreamEvent>>().size(), 20);
        QCOMPARE(forwarded.at(1).at(0).value<QList<StreamEvent>>().first().kind, StreamEvent::Kind::Gap);
        QCOMPARE(model.data(model.index(0, 0), SourceListModel::EventCountRole).toULongLong(), 20ULL);

        // Just added: the rate divides by at least one second.
        QCOMPARE(model.eventRate(0), 20.0);
        QCOMPARE(cell(model, 0, SourceListModel::RateColumn), QStringLiteral("20"));
        const QString last = cell(model, 0, SourceListModel::LastEventColumn);
        QVERIFY2(last.endsWith(QStringLiteral(" s ago")) && last.section(QLatin1Char(' '), 0, 0).toDouble() < 2.0,
                 qPrintable(last));

        // The ticker refreshes exactly the time-dependent columns.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(changed.wait(SourceListModel::TickIntervalMs * 4));
        const QModelIndex topLeft = changed.first().at(0).toModelIndex();
        const QModelIndex bottomRight = changed.first().at(1).toModelIndex();
        QCOMPARE(topLeft.column(), int(SourceListModel::RateColumn));
        QCOMPARE(bottomRight.column(), int(SourceListModel::RetryColumn));
        QCOMPARE(topLeft.row(), 0);
        QCOMPARE(bottomRight.row(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(cell(model, 0, SourceListModel::LastEventColumn) != last, 2'000);
    }

    void removeAndReconnect()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/one")));
        model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/two")));
        QCOMPARE(m_created.size(), 2);
        FakeTransport *one = m_created.at(0);
        FakeTransport *two = m_created.at(1);
        one->goOpen();

        model.reconnectSource(0);
        QCOMPARE(one->reconnectCalls, 1);
        QCOMPARE(one->openCalls, 1);
        two->fail(QStringLiteral("refused"), false);
        model.reconnectSource(1); // closed: opened again with the same config
        QCOMPARE(two->openCalls, 2);
        QCOMPARE(two->reconnectCalls, 0);
        QCOMPARE(two->config().url, QUrl(QStringLiteral("http://127.0.0.1:9/two")));

        QSignalSpy forwarded(&model, &SourceListModel::eventsReceived);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QPointer<FakeTransport> guard(one);
        model.removeSource(0);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(one->closeCalls, 1);
        QCOMPARE(model.rowOfSource(QStringLiteral("http://127.0.0.1:9/two")), 0);
        QTRY_VERIFY(guard.isNull()); // deleted later
        model.removeSource(5); // out of range: ignored
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(forwarded.size(), 0);
    }
    // Item 3 of issue 5: configurations are compared unredacted, and no two rows look the same.
    void namesAndDuplicates()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        // Differ only in a secret query value: both allowed, the second is numbered.
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://h.example/x?code=aaa")), &error), 0);
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://h.example/x?code=bbb")), &error), 1);
        // Differ in a plain query value: the value is the label.
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://h.example/x?page=2")), &error), 2);
        // Another scheme, same host and path.
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("ws://h.example/x"), QStringLiteral("fake-duplex")), &error), 3);
        // The same URL with another transport.
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://h.example/x?code=aaa"), QStringLiteral("fake-duplex")), &error), 4);
        // The same URL and transport with other headers.
        TransportConfig withHeader = fakeConfig(QStringLiteral("http://h.example/x?code=aaa"));
        withHeader.headers = {{"X-Tenant", "blue"}};
        QCOMPARE(model.addSource(withHeader, &error), 5);
        // ... and a real duplicate (header names compare case-insensitively).
        withHeader.headers = {{"x-tenant", "blue"}};
        QCOMPARE(model.addSource(withHeader, &error), -1);
        QVERIFY2(error.contains(QStringLiteral("already in the list")), qPrintable(error));
        QCOMPARE(model.rowCount(), 6);

        QStringList ids;
        QStringList shown;
        for (int row = 0; row < model.rowCount(); ++row) {
            ids.append(model.transportAt(row)->sourceId());
            shown.append(cell(model, row, SourceListModel::NameColumn));
            QVERIFY2(!ids.last().contains(QStringLiteral("aaa")) && !ids.last().contains(QStringLiteral("bbb")),
                     qPrintable(ids.last()));
        }
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
        QCOMPARE(QSet<QString>(shown.cbegin(), shown.cend()).size(), shown.size());
        QCOMPARE(shown.at(0), QStringLiteral("h.example/x"));
        QCOMPARE(shown.at(1), QStringLiteral("h.example/x (code=***#2)"));
        QCOMPARE(shown.at(2), QStringLiteral("h.example/x (page=2)"));
        QVERIFY2(shown.at(3).contains(QStringLiteral("(ws")), qPrintable(shown.at(3)));
        QVERIFY2(shown.at(4).contains(QStringLiteral("fake-duplex")), qPrintable(shown.at(4)));
        QVERIFY2(shown.at(5).contains(QLatin1Char('#')), qPrintable(shown.at(5)));
        // The transport got the unique name: events carry it.
        QCOMPARE(m_created.at(1)->config().sourceId, ids.at(1));
        QCOMPARE(model.rowOfSource(ids.at(2)), 2);
    }

    void renameAndUserNames()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy renamed(&model, &SourceListModel::sourceRenamed);
        QSignalSpy refused(&model, &SourceListModel::renameRefused);
        TransportConfig named = fakeConfig(QStringLiteral("http://127.0.0.1:9/a"));
        named.sourceId = QStringLiteral("prod feed");
        QCOMPARE(model.addSource(named), 0);
        QCOMPARE(cell(model, 0, SourceListModel::NameColumn), QStringLiteral("prod feed"));
        QCOMPARE(model.configAt(0).sourceId, QStringLiteral("prod feed"));
        QString error;
        TransportConfig clash = fakeConfig(QStringLiteral("http://127.0.0.1:9/b"));
        clash.sourceId = QStringLiteral("prod feed");
        QCOMPARE(model.addSource(clash, &error), -1);
        QVERIFY2(error.contains(QStringLiteral("already named")), qPrintable(error));
        clash.sourceId.clear();
        QCOMPARE(model.addSource(clash), 1);
        QVERIFY(model.flags(model.index(1, SourceListModel::NameColumn)) & Qt::ItemIsEditable);
        QVERIFY(!(model.flags(model.index(1, SourceListModel::StateColumn)) & Qt::ItemIsEditable));

        // Rename through the view's editor: the transport reopens under the new name.
        FakeTransport *b = m_created.at(1);
        QCOMPARE(model.data(model.index(1, 0), Qt::EditRole).toString(), QStringLiteral("127.0.0.1:9/b"));
        QVERIFY(model.setData(model.index(1, 0), QStringLiteral("127.0.0.1:9/b"))); // unchanged: nothing happens
        QCOMPARE(b->openCalls, 1);
        QVERIFY(model.setData(model.index(1, 0), QStringLiteral("staging")));
        QCOMPARE(b->openCalls, 2);
        QCOMPARE(b->sourceId(), QStringLiteral("staging"));
        QCOMPARE(cell(model, 1, SourceListModel::NameColumn), QStringLiteral("staging"));
        QCOMPARE(renamed.size(), 1);
        QCOMPARE(renamed.at(0).at(0).toString(), QStringLiteral("http://127.0.0.1:9/b"));
        QCOMPARE(renamed.at(0).at(1).toString(), QStringLiteral("staging"));
        // A name in use, also in its short form, is refused.
        QVERIFY(!model.setData(model.index(1, 0), QStringLiteral("prod feed")));
        QCOMPARE(refused.size(), 1);
        QVERIFY(!model.renameSource(0, QStringLiteral("staging"), &error));
        QVERIFY(!error.isEmpty());
        // An empty name returns to the automatic one.
        QVERIFY(model.renameSource(1, QString()));
        QCOMPARE(b->sourceId(), QStringLiteral("http://127.0.0.1:9/b"));
        QVERIFY(model.configAt(1).sourceId.isEmpty());
    }

    void updateSourceReopensWithTheNewConfig()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/a"))), 0);
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/b"))), 1);
        FakeTransport *a = m_created.at(0);
        a->goOpen();
        a->emitData({"1", "2"});

        // Unchanged: the connection stays.
        QVERIFY(model.updateSource(0, model.configAt(0)));
        QCOMPARE(a->openCalls, 1);

        TransportConfig edited = model.configAt(0);
        edited.headers = {{"Authorization", "Bearer new"}, {"X-Api", "k"}};
        edited.secretHeaders = {"X-Api"};
        edited.connectTimeoutMs = 5'000;
        edited.idleTimeoutMs = 60'000;
        edited.detectStalls = false;
        edited.finalCloseCodes = {4001, 4403};
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.updateSource(0, edited));
        QCOMPARE(a->openCalls, 2);
        QCOMPARE(model.transportAt(0), a);
        QCOMPARE(a->config().headers, edited.headers);
        QCOMPARE(a->config().secretHeaders, edited.secretHeaders);
        QCOMPARE(a->config().connectTimeoutMs, 5'000);
        QCOMPARE(a->config().idleTimeoutMs, 60'000);
        QVERIFY(!a->config().detectStalls);
        QCOMPARE(a->config().finalCloseCodes, QList<int>({4001, 4403}));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(model.statsAt(0).received, 2ULL); // counters stay with the row

        // Turning it into row 1 is refused and leaves the row as it was.
        QString error;
        QVERIFY(!model.updateSource(0, model.configAt(1), &error));
        QVERIFY(error.contains(QStringLiteral("already in the list")));
        QCOMPARE(a->config().url, QUrl(QStringLiteral("http://127.0.0.1:9/a")));

        // Another transport: a new transport object, the old one goes.
        QPointer<FakeTransport> old(a);
        TransportConfig duplex = model.configAt(0);
        duplex.url = QUrl(QStringLiteral("ws://127.0.0.1:9/a"));
        duplex.transportId = QStringLiteral("fake-duplex");
        QVERIFY(model.updateSource(0, duplex));
        QCOMPARE(m_created.size(), 3);
        QCOMPARE(model.transportAt(0), m_created.at(2));
        QCOMPARE(model.transportIdAt(0), QStringLiteral("fake-duplex"));
        QVERIFY(model.data(model.index(0, 0), SourceListModel::IsDuplexRole).toBool());
        QCOMPARE(m_created.at(2)->config().headers, edited.headers);
        QTRY_VERIFY(old.isNull());
        QVERIFY(!model.updateSource(7, duplex, &error));
    }

    void pauseHoldsEventsAndCountsDrops()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/p")));
        model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/q")));
        FakeTransport *p = m_created.at(0);
        FakeTransport *q = m_created.at(1);
        p->goOpen();
        q->goOpen();
        QSignalSpy forwarded(&model, &SourceListModel::eventsReceived);

        model.setPaused(0, true);
        QVERIFY(model.isPaused(0));
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("paused"));
        QCOMPARE(model.data(model.index(0, SourceListModel::StateColumn), Qt::ForegroundRole).value<QBrush>().color(),
                 SourceListModel::pausedColor());
        // The dot still says the connection is open.
        const QImage dot = model.data(model.index(0, SourceListModel::StateColumn), Qt::DecorationRole).value<QImage>();
        QCOMPARE(QColor(dot.pixel(dot.width() / 2, dot.height() / 2)), SourceListModel::stateColor(Transport::State::Open, false));
        QVERIFY(model.data(model.index(0, 0), SourceListModel::PausedRole).toBool());

        p->emitData({"a", "b", "c"});
        q->emitData({"other"});
        QCOMPARE(forwarded.size(), 1); // only the source that is not paused
        QCOMPARE(forwarded.at(0).at(0).value<QList<StreamEvent>>().first().payload, QByteArray("other"));
        QCOMPARE(model.statsAt(0).held, 3ULL);
        QCOMPARE(model.statsAt(0).received, 3ULL); // counted even while held
        QVERIFY(cell(model, 0, SourceListModel::StateColumn, Qt::ToolTipRole).contains(QStringLiteral("held")));

        model.setPaused(0, false);
        QCOMPARE(forwarded.size(), 2);
        const QList<StreamEvent> released = forwarded.at(1).at(0).value<QList<StreamEvent>>();
        QCOMPARE(released.size(), 3);
        QCOMPARE(released.at(0).payload, QByteArray("a"));
        QCOMPARE(released.at(2).payload, QByteArray("c"));
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("open"));

        // Overflow: the oldest are discarded and counted; resuming starts with a gap that says so.
        model.setPaused(0, true);
        QList<QByteArray> many;
        for (int i = 0; i < SourceListModel::MaxHeldEvents + 5; ++i)
            many.append(QByteArray::number(i));
        p->emitData(many);
        QCOMPARE(model.statsAt(0).held, quint64(SourceListModel::MaxHeldEvents));
        QCOMPARE(model.statsAt(0).dropped, 5ULL);
        forwarded.clear();
        model.setPaused(0, false);
        QCOMPARE(forwarded.size(), 1);
        const QList<StreamEvent> batch = forwarded.at(0).at(0).value<QList<StreamEvent>>();
        QCOMPARE(batch.size(), SourceListModel::MaxHeldEvents + 1);
        QCOMPARE(batch.first().kind, StreamEvent::Kind::Gap);
        QVERIFY2(batch.first().detail.contains(QStringLiteral("5 events not kept")), qPrintable(batch.first().detail));
        QCOMPARE(batch.first().source, p->sourceId());
        QCOMPARE(batch.at(1).payload, QByteArray("5"));
        QCOMPARE(model.statsAt(0).dropped, 0ULL);

        // A paused source that fails says "failed", not "paused".
        model.setPaused(0, true);
        p->fail(QStringLiteral("gone"), false);
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("failed"));
    }

    void stalledSourceIsShownInAmber()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/s")));
        FakeTransport *t = m_created.first();
        t->goOpen();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        Q_EMIT t->stallChanged(true, QStringLiteral("stalled for 45 s (usually every 15 s)"));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("stalled"));
        const QColor amber = SourceListModel::stateColor(Transport::State::Reconnecting, false);
        QCOMPARE(model.data(model.index(0, SourceListModel::StateColumn), Qt::ForegroundRole).value<QBrush>().color(), amber);
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn, Qt::ToolTipRole),
                 QStringLiteral("stalled for 45 s (usually every 15 s)"));
        QVERIFY(model.isStalled(0));
        QVERIFY(model.data(model.index(0, 0), SourceListModel::StalledRole).toBool());
        Q_EMIT t->stallChanged(false, QStringLiteral("resumed after 47 s of silence"));
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("open"));
        // A stall ends with its connection, even though the transport says nothing about it.
        Q_EMIT t->stallChanged(true, QStringLiteral("stalled for 45 s (usually every 15 s)"));
        t->scheduleRetry(1'000);
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("reconnecting"));
        t->goOpen();
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("open"));
    }

    // The real heartbeat monitor behind the fake: a 50 ms rhythm, then silence → stalled.
    void stallDetectedFromTheHeartbeat()
    {
        SourceListModel model(&m_registry);
        model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/hb")));
        FakeTransport *t = m_created.first();
        t->goOpen();
        QTimer beat;
        int beats = 0;
        connect(&beat, &QTimer::timeout, t, [&] {
            t->activity();
            if (++beats == 8)
                beat.stop();
        });
        beat.start(50);
        QTRY_COMPARE_WITH_TIMEOUT(beats, 8, 5'000);
        QVERIFY(t->liveness().usualIntervalMs > 0);
        QTRY_COMPARE_WITH_TIMEOUT(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("stalled"), 10'000);
        QVERIFY2(cell(model, 0, SourceListModel::StateColumn, Qt::ToolTipRole).startsWith(QStringLiteral("stalled for")),
                 qPrintable(cell(model, 0, SourceListModel::StateColumn, Qt::ToolTipRole)));
        t->activity();
        QCOMPARE(cell(model, 0, SourceListModel::StateColumn), QStringLiteral("open"));
    }

    void countersAndEffectiveTransport()
    {
        TransportRegistry registry;
        QList<FakeTransport *> created;
        registerFakeTransports(registry, &created);
        registry.add(QStringLiteral("http"), QStringLiteral("auto"), [&created](QObject *parent) {
            auto t = std::make_unique<FakeTransport>(parent);
            created.append(t.get());
            return std::unique_ptr<Transport>(std::move(t));
        });
        SourceListModel model(&registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/auto"), QString())), 0);
        FakeTransport *t = created.first();
        QCOMPARE(model.transportIdAt(0), QStringLiteral("http"));
        QCOMPARE(cell(model, 0, SourceListModel::TransportColumn), QStringLiteral("auto"));
        t->effective = QStringLiteral("sse"); // the response chose
        t->goOpen();
        QCOMPARE(cell(model, 0, SourceListModel::TransportColumn), QStringLiteral("sse \u00B7 HTTP/1.1"));
        QCOMPARE(model.effectiveTransportAt(0), QStringLiteral("sse"));
        QVERIFY(cell(model, 0, SourceListModel::NameColumn, Qt::ToolTipRole).contains(QStringLiteral("Transport: sse")));

        t->duplex = true;
        t->emitData({"1", "2", "3"});
        QVERIFY(t->send("hello", false));
        t->emitErrorEvent("{bad", QStringLiteral("bad JSON"));
        t->fail(QStringLiteral("reset"), true);
        t->scheduleRetry(100);
        model.reconnectSource(0);
        const SourceStats stats = model.statsAt(0);
        QCOMPARE(stats.received, 3ULL);
        QCOMPARE(stats.sent, 1ULL);
        QCOMPARE(stats.errors, 2ULL);     // one in the stream, one reported
        QCOMPARE(stats.reconnects, 2ULL); // one scheduled, one by the user
        QCOMPARE(model.data(model.index(0, 0), SourceListModel::EventCountRole).toULongLong(), 4ULL);
    }

    // Reconnect on a refused connection starts again at attempt 1: the UI shows the short first
    // delay, not the long one the count had reached.
    void reconnectAfterRefusalRetriesSoon()
    {
        TransportRegistry registry;
        registerBuiltinTransports(registry);
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now: connection refused

        SourceListModel model(&registry);
        TransportConfig config;
        config.url = QUrl(QStringLiteral("http://127.0.0.1:%1/refused").arg(port));
        config.transportId = QStringLiteral("sse");
        config.backoff.initialMs = 250;
        config.backoff.multiplier = 4.0;
        config.backoff.jitter = 0.0;
        QCOMPARE(model.addSource(config), 0);
        Transport *t = model.transportAt(0);
        QSignalSpy scheduled(t, &Transport::reconnectScheduled);
        // Attempts wait 250 ms, 1 s, 4 s: wait for the third.
        QTRY_VERIFY_WITH_TIMEOUT(!scheduled.isEmpty() && scheduled.last().at(1).toInt() >= 3, 10'000);
        const double longWait = cell(model, 0, SourceListModel::RetryColumn).mid(3).chopped(2).toDouble();
        QVERIFY2(longWait > 2.0, qPrintable(cell(model, 0, SourceListModel::RetryColumn)));

        scheduled.clear();
        model.reconnectSource(0);
        QTRY_VERIFY_WITH_TIMEOUT(!scheduled.isEmpty(), 5'000);
        QCOMPARE(scheduled.first().at(1).toInt(), 1);
        QVERIFY(scheduled.first().at(0).toInt() <= 250);
        const QString retry = cell(model, 0, SourceListModel::RetryColumn);
        QVERIFY2(retry.startsWith(QStringLiteral("in 0.")), qPrintable(retry));
    }
};


QTEST_GUILESS_MAIN(TestSourceListModel)
#include "tst_source_list_model.moc"
