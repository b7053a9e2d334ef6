// Caps are reported when they are crossed, not at the end of the line, the event or the body:
// the demo server's /test/huge-line-stall sends a 17 MiB line that never ends over a body that
// never ends, and the Error event must arrive while the connection is still open. Then the
// stream goes on with bounded memory (/test/huge-line: the next line/event after the huge one).
#include "test_server.h"
#include "http/http_stream_transport.h"
#include "transport_test_support.h"

#include <QSignalSpy>
#include <QTest>

using namespace TestSupport;
using Mode = HttpStreamTransport::Mode;

class TestCapReports : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void reportedBeforeEndOfBody_data();
    void reportedBeforeEndOfBody();
    void streamGoesOnAfterTheReport_data();
    void streamGoesOnAfterTheReport();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestCapReports::initTestCase()
{
    qRegisterMetaType<StreamEvent>();
    qRegisterMetaType<QList<StreamEvent>>();
    qRegisterMetaType<TransportError>();
}

void TestCapReports::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
}

void TestCapReports::cleanup()
{
    m_server.reset();
}

void TestCapReports::reportedBeforeEndOfBody_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("eventType");
    QTest::addColumn<QByteArray>("eventId");
    QTest::addColumn<QString>("detail");
    QTest::newRow("sse") << Mode::Sse << QStringLiteral("sse") << QByteArray("error") << QByteArray("7")
                         << QStringLiteral("data line exceeds the 16 MiB limit; event dropped");
    QTest::newRow("lines") << Mode::Lines << QStringLiteral("lines") << QByteArray("error") << QByteArray()
                           << QStringLiteral("line exceeds the 16 MiB limit; line dropped");
    QTest::newRow("ndjson") << Mode::Ndjson << QStringLiteral("ndjson") << QByteArray("error") << QByteArray()
                            << QStringLiteral("line exceeds the 16 MiB limit; line dropped");
}

void TestCapReports::reportedBeforeEndOfBody()
{
    QFETCH(Mode, mode);
    QFETCH(QString, type);
    QFETCH(QByteArray, eventType);
    QFETCH(QByteArray, eventId);
    QFETCH(QString, detail);

    HttpStreamTransport t(mode);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    QSignalSpy stateSpy(&t, &Transport::stateChanged);
    QVERIFY(batches.isValid() && stateSpy.isValid());
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/huge-line-stall?bytes=%1&type=%2")
                                            .arg(17 * 1024 * 1024)
                                            .arg(type))));
    QTRY_VERIFY_WITH_TIMEOUT(!events(batches).isEmpty(), 20000);
    // The body has not ended (the server stalls): the connection is still the first one.
    QCOMPARE(t.state(), Transport::State::Open);
    QVERIFY(!states(stateSpy).contains(Transport::State::Reconnecting));

    const QList<StreamEvent> got = events(batches);
    QCOMPARE(got.size(), 1);
    const StreamEvent &e = got.first();
    QCOMPARE(e.kind, StreamEvent::Kind::Error);
    QCOMPARE(e.type, eventType);
    QCOMPARE(e.id, eventId);
    QCOMPARE(e.detail, detail);
    QCOMPARE(e.payload, QByteArray(256, 'x'));
    QCOMPARE(e.seq, quint64(1));
    t.close();
}

void TestCapReports::streamGoesOnAfterTheReport_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("type");
    QTest::newRow("sse") << Mode::Sse << QStringLiteral("sse");
    QTest::newRow("lines") << Mode::Lines << QStringLiteral("lines");
}

void TestCapReports::streamGoesOnAfterTheReport()
{
    QFETCH(Mode, mode);
    QFETCH(QString, type);
    constexpr qint64 Bytes = 40 * 1024 * 1024; // more than twice the cap: one report, not two
    HttpStreamTransport t(mode);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    t.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/huge-line?bytes=%1&type=%2").arg(Bytes).arg(type)),
                      5000, 5000));
    QTRY_VERIFY_WITH_TIMEOUT(!dataEvents(batches).isEmpty(), 30000);
    t.close();
    const QList<StreamEvent> got = events(batches);
    QCOMPARE(got.size(), 2);
    QCOMPARE(got.at(0).kind, StreamEvent::Kind::Error);
    QCOMPARE(got.at(1).kind, StreamEvent::Kind::Data);
    QCOMPARE(got.at(1).payload, QByteArray("after"));
    QCOMPARE(got.at(1).seq, quint64(2));
}

QTEST_GUILESS_MAIN(TestCapReports)
#include "tst_cap_reports.moc"
