#include "source_list_model.h"

#include "fake_transport.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QImage>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

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
        QVERIFY(cell(model, 0, SourceListModel::NameColumn, Qt::ToolTipRole).contains(QStringLiteral("TLS verification OFF")));
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
};

QTEST_GUILESS_MAIN(TestSourceListModel)
#include "tst_source_list_model.moc"
