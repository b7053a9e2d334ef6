// HTTP/2 against a real h2 server: Debian's nghttpd (nghttp2-server, installed by .ci/deps) on
// 127.0.0.1 with the test certificate. Proves that a streaming transport negotiates HTTP/2 over
// TLS when the server offers it (ALPN), reports it, delivers the body, and that many streams to
// one host share the connection pool without starving.
#include "http_stream_transport.h"
#include "transport_test_support.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace TestSupport;

class TestHttp2 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void linesOverHttp2();
    void ndjsonOverHttp2ByContentType();
    void manyStreamsToOneHost();

private:
    QUrl url(const QString &path) const;

    QTemporaryDir m_docroot;
    QProcess m_server;
    quint16 m_port = 0;
};

void TestHttp2::initTestCase()
{
    const QString nghttpd = QStandardPaths::findExecutable(QStringLiteral("nghttpd"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    QVERIFY2(!nghttpd.isEmpty(), "nghttpd not found: install Debian's nghttp2-server (sh .ci/deps does)");
    const QString cert = QFINDTESTDATA("../data/tls/test_cert.pem");
    const QString key = QFINDTESTDATA("../data/tls/test_key.pem");
    QVERIFY(!cert.isEmpty() && !key.isEmpty());
    QVERIFY(m_docroot.isValid());

    QFile lines(m_docroot.filePath(QStringLiteral("log.txt")));
    QVERIFY(lines.open(QIODevice::WriteOnly));
    for (int i = 1; i <= 100; ++i)
        lines.write("2026-11-21T05:19:00.000Z INFO line " + QByteArray::number(i) + "\n");
    lines.close();
    QFile ndjson(m_docroot.filePath(QStringLiteral("events.ndjson")));
    QVERIFY(ndjson.open(QIODevice::WriteOnly));
    ndjson.write("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    ndjson.close();

    // A free port on 127.0.0.1 (nghttpd binds only there: -a 127.0.0.1).
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_port = probe.serverPort();
    }
    m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server.start(nghttpd, {QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-d"), m_docroot.path(),
                             QString::number(m_port), key, cert});
    QVERIFY(m_server.waitForStarted(5000));
    // Wait until it accepts connections (bounded).
    bool up = false;
    for (int attempt = 0; attempt < 50 && !up; ++attempt) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        up = socket.waitForConnected(100);
        if (!up)
            QTest::qWait(50);
    }
    QVERIFY2(up, "nghttpd did not start listening");
}

void TestHttp2::cleanupTestCase()
{
    m_server.terminate();
    if (!m_server.waitForFinished(3000))
        m_server.kill();
}

QUrl TestHttp2::url(const QString &path) const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1%2").arg(m_port).arg(path));
}

void TestHttp2::linesOverHttp2()
{
    HttpStreamTransport t(HttpStreamTransport::Mode::Lines);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    TransportConfig config = fastConfig(url(QStringLiteral("/log.txt")), 2000, 4000);
    config.insecureTls = true; // the test certificate is self-signed
    t.open(config);
    QTRY_VERIFY_WITH_TIMEOUT(dataEvents(batches).size() >= 100, 10'000);
    QCOMPARE(t.protocolInfo(), QStringLiteral("HTTP/2"));
    const QList<StreamEvent> events = dataEvents(batches);
    QCOMPARE(events.first().payload, QByteArray("2026-11-21T05:19:00.000Z INFO line 1"));
    QCOMPARE(events.at(99).payload, QByteArray("2026-11-21T05:19:00.000Z INFO line 100"));
    // The end of an HTTP/2 body (END_STREAM) is a clean end like the last chunk: reconnect.
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Reconnecting, 5000);
    t.close();
}

void TestHttp2::ndjsonOverHttp2ByContentType()
{
    HttpStreamTransport t(HttpStreamTransport::Mode::Ndjson);
    QSignalSpy batches(&t, &Transport::eventsReceived);
    TransportConfig config = fastConfig(url(QStringLiteral("/events.ndjson")), 2000, 4000);
    config.insecureTls = true;
    t.open(config);
    QTRY_COMPARE_WITH_TIMEOUT(dataEvents(batches).size(), 3, 10'000);
    QCOMPARE(t.protocolInfo(), QStringLiteral("HTTP/2"));
    QCOMPARE(dataEvents(batches).at(2).type, QByteArray("json"));
    t.close();
}

void TestHttp2::manyStreamsToOneHost()
{
    constexpr int Streams = 20;
    std::vector<std::unique_ptr<HttpStreamTransport>> transports;
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    for (int i = 0; i < Streams; ++i) {
        transports.push_back(std::make_unique<HttpStreamTransport>(HttpStreamTransport::Mode::Lines));
        spies.push_back(std::make_unique<QSignalSpy>(transports.back().get(), &Transport::eventsReceived));
        TransportConfig config = fastConfig(url(QStringLiteral("/log.txt")), 5000, 5000);
        config.insecureTls = true;
        transports.back()->open(config);
    }
    for (int i = 0; i < Streams; ++i) {
        QTRY_VERIFY_WITH_TIMEOUT(dataEvents(*spies[size_t(i)]).size() >= 100, 10'000);
        QCOMPARE(transports[size_t(i)]->protocolInfo(), QStringLiteral("HTTP/2"));
    }
    for (auto &t : transports)
        t->close();
}

QTEST_GUILESS_MAIN(TestHttp2)
#include "tst_http2.moc"
