#include "test_server.h"
#include "http/http_stream_transport.h"
#include "sse/sse_transport.h"
#include "transport_test_support.h"
#include "websocket/websocket_transport.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTest>

using namespace TestSupport;
using Mode = HttpStreamTransport::Mode;

namespace {

/// Waiting this long after a terminal error covers several retries of fastConfig's 50 ms backoff.
constexpr int NoRetryWindowMs = 600;

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

std::unique_ptr<HttpStreamTransport> makeHttp(Mode mode)
{
    if (mode == Mode::Sse)
        return std::make_unique<SseTransport>();
    return std::make_unique<HttpStreamTransport>(mode);
}

} // namespace

/// https:// and wss:// against DemoServer::listenTls() with the self-signed test certificate in
/// tests/data/tls/ (CN and subjectAltName IP 127.0.0.1). Verification is on by default, so the
/// default configuration must fail with a terminal Tls error that names the problem and must not
/// retry; config.insecureTls must open, deliver and warn.
class TestTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void listenTlsNeedsCertificateAndKey();
    void plainAndTlsServeSameRoutes();
    void httpsVerifiesByDefault_data();
    void httpsVerifiesByDefault();
    void httpsInsecureOpens_data();
    void httpsInsecureOpens();
    void wssVerifiesByDefault();
    void wssInsecureOpens();
    void httpsToHttpRedirectRefused();

private:
    QSslConfiguration m_serverTls;
    std::unique_ptr<TestServer> m_server;
};

void TestTls::initTestCase()
{
    qRegisterMetaType<StreamEvent>();
    qRegisterMetaType<QList<StreamEvent>>();
    qRegisterMetaType<TransportError>();
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no working TLS backend");

    const QString certPath = QFINDTESTDATA("../data/tls/test_cert.pem");
    const QString keyPath = QFINDTESTDATA("../data/tls/test_key.pem");
    QVERIFY2(!certPath.isEmpty() && !keyPath.isEmpty(), "tests/data/tls/ fixtures not found");
    const QSslCertificate cert(readFile(certPath), QSsl::Pem);
    const QSslKey key(readFile(keyPath), QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    QVERIFY(!cert.isNull());
    QVERIFY(!key.isNull());
    QVERIFY(cert.isSelfSigned());
    QCOMPARE(cert.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("127.0.0.1")});
    QCOMPARE(cert.subjectAlternativeNames().values(QSsl::IpAddressEntry),
             QStringList{QStringLiteral("127.0.0.1")});
    QVERIFY(cert.expiryDate().date().year() >= 2119);

    m_serverTls = QSslConfiguration::defaultConfiguration();
    m_serverTls.setLocalCertificate(cert);
    m_serverTls.setPrivateKey(key);
}

void TestTls::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    QVERIFY2(m_server->listenTls(m_serverTls), qPrintable(m_server->errorString()));
}

void TestTls::cleanup()
{
    m_server.reset();
}

void TestTls::listenTlsNeedsCertificateAndKey()
{
    TestServer server;
    QVERIFY(!server.listenTls(QSslConfiguration::defaultConfiguration()));
    QVERIFY2(server.errorString().contains(QLatin1String("certificate")), qPrintable(server.errorString()));
    QCOMPARE(server.httpsPort(), quint16(0));
    QCOMPARE(server.wssPort(), quint16(0));

    QVERIFY(m_server->httpsPort() != 0 && m_server->wssPort() != 0);
    QCOMPARE(m_server->httpsUrl(QStringLiteral("/x")).toString(),
             QStringLiteral("https://127.0.0.1:%1/x").arg(m_server->httpsPort()));
    QCOMPARE(m_server->wssUrl(QStringLiteral("/ws/echo")).toString(),
             QStringLiteral("wss://127.0.0.1:%1/ws/echo").arg(m_server->wssPort()));
}

void TestTls::plainAndTlsServeSameRoutes()
{
    // listen() is unchanged: plain http:// still works next to the TLS ports.
    SseTransport plain;
    QSignalSpy plainBatches(&plain, &Transport::eventsReceived);
    plain.open(fastConfig(m_server->httpUrl(QStringLiteral("/test/sse-once?events=2"))));
    QTRY_VERIFY(dataEvents(plainBatches).size() >= 2);
    plain.close();
    QCOMPARE(m_server->httpsHandshakesStarted(), 0);
    QCOMPARE(m_server->requests(QStringLiteral("/test/sse-once")).size(), 1);
}

void TestTls::httpsVerifiesByDefault_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("path");
    QTest::newRow("sse") << Mode::Sse << QStringLiteral("/sse/metrics?hz=50");
    QTest::newRow("lines") << Mode::Lines << QStringLiteral("/lines/logs");
}

void TestTls::httpsVerifiesByDefault()
{
    QFETCH(Mode, mode);
    QFETCH(QString, path);
    const std::unique_ptr<HttpStreamTransport> t = makeHttp(mode);
    QSignalSpy errorsSpy(t.get(), &Transport::errorOccurred);
    QSignalSpy scheduled(t.get(), &Transport::reconnectScheduled);
    QSignalSpy stateSpy(t.get(), &Transport::stateChanged);
    QSignalSpy batches(t.get(), &Transport::eventsReceived);
    t->open(fastConfig(m_server->httpsUrl(path)));
    QTRY_COMPARE_WITH_TIMEOUT(t->state(), Transport::State::Closed, 10000);

    QVERIFY(t->hasFailed());
    QCOMPARE(errorsSpy.size(), 1);
    const TransportError error = errors(errorsSpy).first();
    QCOMPARE(error.kind, TransportError::Kind::Tls);
    QVERIFY(!error.retryable);
    QVERIFY2(error.message.contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
             qPrintable(error.message));
    QVERIFY2(error.message.startsWith(QLatin1String("TLS handshake failed: ")), qPrintable(error.message));
    QCOMPARE(t->lastError()->kind, TransportError::Kind::Tls);

    // Not retried: nothing scheduled, no second handshake, no request ever reached a route.
    QVERIFY(!stateSpy.wait(NoRetryWindowMs));
    QCOMPARE(scheduled.size(), 0);
    QCOMPARE(errorsSpy.size(), 1);
    QCOMPARE(t->state(), Transport::State::Closed);
    QCOMPARE(states(stateSpy), (QList<Transport::State>{Transport::State::Connecting,
                                                        Transport::State::Closed}));
    QCOMPARE(m_server->httpsHandshakesStarted(), 1);
    QCOMPARE(m_server->requests(QUrl(path).path()).size(), 0);
    QCOMPARE(batches.size(), 0);
}

void TestTls::httpsToHttpRedirectRefused()
{
    // A redirect from https to plain http would send the request (and its credentials) in clear.
    m_server->addRoute(QStringLiteral("/downgrade"), [this](const HttpRequest &, HttpResponder *r) {
        r->writeHead(302, {{"Location", m_server->httpUrl(QStringLiteral("/test/sse-once")).toEncoded()}},
                     HttpResponder::Framing::ContentLength, 0);
        r->end();
    });
    const std::unique_ptr<HttpStreamTransport> t = makeHttp(Mode::Sse);
    QSignalSpy errorsSpy(t.get(), &Transport::errorOccurred);
    TransportConfig config = fastConfig(m_server->httpsUrl(QStringLiteral("/downgrade")));
    config.insecureTls = true;
    config.headers = {{"Authorization", "Bearer s3cret"}};
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("TLS certificate verification is OFF")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("refused a redirect from https to plain http")));
    t->open(config);
    QTRY_COMPARE_WITH_TIMEOUT(t->state(), Transport::State::Closed, 10000);
    QVERIFY(t->hasFailed());
    QVERIFY2(errors(errorsSpy).first().message.startsWith(QLatin1String("refused a redirect from https to plain http")),
             qPrintable(errors(errorsSpy).first().message));
    QCOMPARE(m_server->requests(QStringLiteral("/downgrade")).size(), 1);
    QCOMPARE(m_server->requests(QStringLiteral("/test/sse-once")).size(), 0);
}

void TestTls::httpsInsecureOpens_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("firstPayload");
    QTest::newRow("sse") << Mode::Sse << QStringLiteral("/test/sse-once?events=3") << QByteArray("e1");
    QTest::newRow("lines") << Mode::Lines << QStringLiteral("/test/lines-once?lines=3") << QByteArray("line 1");
}

void TestTls::httpsInsecureOpens()
{
    QFETCH(Mode, mode);
    QFETCH(QString, path);
    QFETCH(QByteArray, firstPayload);
    const std::unique_ptr<HttpStreamTransport> t = makeHttp(mode);
    QSignalSpy batches(t.get(), &Transport::eventsReceived);
    QSignalSpy errorsSpy(t.get(), &Transport::errorOccurred);
    QSignalSpy stateSpy(t.get(), &Transport::stateChanged);
    TransportConfig config = fastConfig(m_server->httpsUrl(path), 5000, 5000);
    config.insecureTls = true;
    // Visible: switching verification off is logged as a warning.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("TLS certificate verification is OFF")));
    t->open(config);
    QTRY_VERIFY_WITH_TIMEOUT(dataEvents(batches).size() >= 3, 10000);
    QVERIFY(states(stateSpy).contains(Transport::State::Open));
    QCOMPARE(dataEvents(batches).first().payload, firstPayload);
    QCOMPARE(t->protocolInfo(), QStringLiteral("HTTP/1.1")); // our server offers no h2 (ALPN)
    QVERIFY(!t->hasFailed());
    for (const TransportError &error : errors(errorsSpy))
        QVERIFY2(error.kind != TransportError::Kind::Tls, qPrintable(error.message));
    t->close();

    const QList<HttpRequest> requests = m_server->requests(QUrl(path).path());
    QVERIFY(!requests.isEmpty());
    QCOMPARE(requests.first().method, QByteArray("GET"));
    QVERIFY(m_server->httpsHandshakesStarted() >= 1);
}

void TestTls::wssVerifiesByDefault()
{
    WebSocketTransport t;
    QSignalSpy errorsSpy(&t, &Transport::errorOccurred);
    QSignalSpy scheduled(&t, &Transport::reconnectScheduled);
    QSignalSpy stateSpy(&t, &Transport::stateChanged);
    t.open(fastConfig(m_server->wssUrl(QStringLiteral("/ws/ticker"))));
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Closed, 10000);

    QVERIFY(t.hasFailed());
    QCOMPARE(errorsSpy.size(), 1);
    const TransportError error = errors(errorsSpy).first();
    QCOMPARE(error.kind, TransportError::Kind::Tls);
    QVERIFY(!error.retryable);
    QVERIFY2(error.message.contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
             qPrintable(error.message));

    QVERIFY(!stateSpy.wait(NoRetryWindowMs));
    QCOMPARE(scheduled.size(), 0);
    QCOMPARE(errorsSpy.size(), 1);
    QCOMPARE(states(stateSpy), (QList<Transport::State>{Transport::State::Connecting,
                                                        Transport::State::Closed}));
    QCOMPARE(m_server->requests(QStringLiteral("/ws/ticker")).size(), 0);
}

void TestTls::wssInsecureOpens()
{
    WebSocketTransport t;
    QSignalSpy batches(&t, &Transport::eventsReceived);
    TransportConfig config = fastConfig(m_server->wssUrl(QStringLiteral("/ws/echo")), 5000, 5000);
    config.insecureTls = true;
    config.subprotocols = {QStringLiteral("livedash.v1")};
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("TLS certificate verification is OFF")));
    t.open(config);
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Open, 10000);
    QCOMPARE(t.protocolInfo(), QStringLiteral("WebSocket (livedash.v1)"));
    QVERIFY(t.send("over tls", false));
    QVERIFY(t.send(QByteArray("\x00\x01\xFF", 3), true));
    QTRY_COMPARE(dataEvents(batches).size(), 2);
    QCOMPARE(dataEvents(batches).at(0).payload, QByteArray("over tls"));
    QCOMPARE(dataEvents(batches).at(0).type, QByteArray("text"));
    QCOMPARE(dataEvents(batches).at(1).payload, QByteArray("\x00\x01\xFF", 3));
    QCOMPARE(dataEvents(batches).at(1).type, QByteArray("binary"));
    QVERIFY(!t.hasFailed());
    t.close();
    QCOMPARE(m_server->requests(QStringLiteral("/ws/echo")).size(), 1);
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
