// The demo's fake cluster: exec into a real local process (pty or pipes), attach, port-forward,
// over WebSocket upgrades on the Kubernetes API port (protocols.md section 4), with a minimal
// client written here (exec_test_client.h).

#include "demo_server.h"
#include "demo_tls.h"
#include "exec_test_client.h"
#include "fake_cluster.h"
#include "fake_exec_protocol.h"
#include "fake_pod_service.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using ExecTest::Client;
using ExecTest::execQuery;

namespace {

const QStringList V5V4 = {QStringLiteral("v5.channel.k8s.io"), QStringLiteral("v4.channel.k8s.io")};

QJsonObject json(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

} // namespace

class TestFakeExec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void protocolHelpers();
    void unauthorized();
    void unknownPodAndBadRequests();
    void v5PickedWhenOffered();
    void v4OnlyServer();
    void exitCodeAndStdout();
    void formEncodedCommand();
    void stderrOnChannel2();
    void base64Dialect();
    void resizeBeforeFirstOutput();
    void resizeLaterSendsSigwinch();
    void v5CloseEndsStdin();
    void v5CloseEndsStdinOnTty();
    void bashMissingOnCheckout();
    void largeOutput();
    void overTls();
    void attachSeesPrintedLines();
    void dropAndHangupLeaveNoZombies();

private:
    QUrl wsUrl(const QString &pod, const QString &sub, const QByteArray &query, const QString &ns = QStringLiteral("default")) const;
    QByteArray target(const QString &pod, const QString &sub, const QByteArray &query, const QString &ns = QStringLiteral("default")) const;
    QString webPod() const { return m_cluster->podNames(QStringLiteral("default")).filter(QStringLiteral("web-")).value(0); }

    std::unique_ptr<DemoServer> m_server;
    FakeCluster *m_cluster = nullptr;
};

void TestFakeExec::init()
{
    m_server = std::make_unique<DemoServer>();
    QVERIFY(m_server->listen());
    m_cluster = m_server->cluster();
    FakeCluster::LifePeriods periods;
    periods.replacePodMs = 0;
    periods.restartContainerMs = 0;
    m_cluster->setLifePeriods(periods);
    m_cluster->setLogRates(0);
    QVERIFY(!webPod().isEmpty());
}

void TestFakeExec::cleanup()
{
    m_cluster = nullptr;
    m_server.reset();
    // Destroying the server ends every session and reaps every process at once.
    QCOMPARE(ExecTest::childProcesses(), 0);
}

QByteArray TestFakeExec::target(const QString &pod, const QString &sub, const QByteArray &query, const QString &ns) const
{
    return "/api/v1/namespaces/" + ns.toUtf8() + "/pods/" + pod.toUtf8() + '/' + sub.toUtf8() + '?' + query;
}

QUrl TestFakeExec::wsUrl(const QString &pod, const QString &sub, const QByteArray &query, const QString &ns) const
{
    return QUrl::fromEncoded("ws://127.0.0.1:" + QByteArray::number(m_server->httpPort()) + target(pod, sub, query, ns));
}

void TestFakeExec::protocolHelpers()
{
    using namespace FakeExecProtocol;
    QCOMPARE(choose({QStringLiteral("v4.channel.k8s.io"), QStringLiteral("v5.channel.k8s.io")}, execProtocols()).value(),
             QStringLiteral("v5.channel.k8s.io"));
    QCOMPARE(choose({}, execProtocols()).value(), QString());
    QVERIFY(!choose({QStringLiteral("SPDY/3.1+portforward.k8s.io")}, portForwardProtocols()));
    QVERIFY(!choose({}, {QStringLiteral("v4.channel.k8s.io")}));
    QCOMPARE(bearerTokenFromProtocols({QStringLiteral("base64url.bearer.authorization.k8s.io.") + QString::fromLatin1(QByteArray("tok").toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))}),
             QByteArray("tok"));
    QCOMPARE(encode(Dialect::V4Base64, 1, "hi"), QByteArray("1aGk="));
    quint8 channel = 9;
    QByteArray payload;
    QVERIFY(decode(Dialect::Base64, "0bHMK", &channel, &payload));
    QCOMPARE(channel, quint8(0));
    QCOMPARE(payload, QByteArray("ls\n"));
    QVERIFY(!decode(Dialect::V5, "", &channel, &payload));
    QCOMPARE(parseResize("{\"Width\":120,\"Height\":40}")->columns, 120);
    QVERIFY(!parseResize("{\"Width\":0,\"Height\":40}"));
    QVERIFY(!parseResize("{\"width\":10,\"height\":40}"));
    QCOMPARE(exitCodeStatus(3, {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 3")}),
             QByteArray("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: error "
                        "executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
                        "[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}"));
    QCOMPARE(plainErrorText(successStatus()), QByteArray());
    QCOMPARE(FakePodService::classify("GET / HTTP/1.1"), FakePodService::Kind::Http);
    QCOMPARE(FakePodService::classify("GE"), FakePodService::Kind::Undecided);
    QCOMPARE(FakePodService::classify("ping\n"), FakePodService::Kind::Echo);
    QCOMPARE(FakePodService::classify("PING\n"), FakePodService::Kind::Echo);
}

void TestFakeExec::unauthorized()
{
    const QByteArray t = target(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh")}, true));
    const auto response = ExecTest::rawUpgrade(m_server->httpPort(), t, QByteArray(), "v5.channel.k8s.io");
    QCOMPARE(response.status, 401);
    QCOMPARE(json(response.body).value(QLatin1String("reason")).toString(), QStringLiteral("Unauthorized"));
    QCOMPARE(ExecTest::rawUpgrade(m_server->httpPort(), t, "wrong", "v5.channel.k8s.io").status, 401);

    // The subprotocol form of the token (for clients that cannot set headers) is accepted.
    const QString bearer = QStringLiteral("base64url.bearer.authorization.k8s.io.")
        + QString::fromLatin1(m_cluster->token().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("true")}, false)), QByteArray(),
                  {QStringLiteral("v5.channel.k8s.io"), bearer});
    QVERIFY(client.waitConnected());
    QCOMPARE(client.subprotocol(), QStringLiteral("v5.channel.k8s.io"));
    QVERIFY(client.waitDisconnected());
}

void TestFakeExec::unknownPodAndBadRequests()
{
    const quint16 port = m_server->httpPort();
    const QByteArray token = m_cluster->token();
    auto r = ExecTest::rawUpgrade(port, target(QStringLiteral("nope"), QStringLiteral("exec"), execQuery({QStringLiteral("sh")}, true)), token, "v5.channel.k8s.io");
    QCOMPARE(r.status, 404);
    QCOMPARE(json(r.body).value(QLatin1String("message")).toString(), QStringLiteral("pods \"nope\" not found"));

    r = ExecTest::rawUpgrade(port, target(webPod(), QStringLiteral("exec"), "stdin=true&stdout=true&tty=true"), token, "v5.channel.k8s.io");
    QCOMPARE(r.status, 400);
    QVERIFY(json(r.body).value(QLatin1String("message")).toString().contains(QLatin1String("at least one command")));

    r = ExecTest::rawUpgrade(port, target(webPod(), QStringLiteral("exec"), "command=sh"), token, "v5.channel.k8s.io");
    QCOMPARE(r.status, 400);
    QVERIFY(json(r.body).value(QLatin1String("message")).toString().contains(QLatin1String("stdin, stdout, stderr")));

    r = ExecTest::rawUpgrade(port, target(QStringLiteral("db-0"), QStringLiteral("exec"), execQuery({QStringLiteral("sh")}, true)), token, "v5.channel.k8s.io");
    QCOMPARE(r.status, 400);
    QVERIFY(json(r.body).value(QLatin1String("message")).toString().contains(QLatin1String("choose one of: [main metrics]")));

    r = ExecTest::rawUpgrade(port, target(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh")}, true, true, false, QStringLiteral("sidecar"))), token, "v5.channel.k8s.io");
    QCOMPARE(r.status, 400);
    QVERIFY(json(r.body).value(QLatin1String("message")).toString().contains(QLatin1String("container sidecar is not valid")));

    r = ExecTest::rawUpgrade(port, target(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh")}, true)), token, QByteArray(), "GET", "h2c");
    QCOMPARE(r.status, 400);
    r = ExecTest::rawUpgrade(port, target(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh")}, true)), token, QByteArray(), "POST", "SPDY/3.1");
    QCOMPARE(r.status, 400);
    QVERIFY(json(r.body).value(QLatin1String("message")).toString().contains(QLatin1String("WebSocket only")));
    // kubectl shows its SPDY fallback's error: it names the real problem when there is one.
    r = ExecTest::rawUpgrade(port, target(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh")}, true, true, false, QStringLiteral("sidecar"))), token, QByteArray(), "POST", "SPDY/3.1");
    QCOMPARE(r.status, 400);
    QVERIFY(json(r.body).value(QLatin1String("message")).toString().contains(QLatin1String("container sidecar is not valid")));

    r = ExecTest::rawUpgrade(port, target(webPod(), QStringLiteral("portforward"), "ports=http"), token, "v4.channel.k8s.io");
    QCOMPARE(r.status, 400);
    r = ExecTest::rawUpgrade(port, target(webPod(), QStringLiteral("portforward"), "ports=8080"), token, "SPDY/3.1+portforward.k8s.io");
    QCOMPARE(r.status, 403);
    QCOMPARE(m_cluster->openExecSessions(), 0);
}

void TestFakeExec::v5PickedWhenOffered()
{
    // Qt's server would take the client's first supported entry; ours prefers v5 in any order.
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("true")}, false)), m_cluster->token(),
                  {QStringLiteral("v4.channel.k8s.io"), QStringLiteral("v5.channel.k8s.io")});
    QVERIFY(client.waitConnected());
    QCOMPARE(client.subprotocol(), QStringLiteral("v5.channel.k8s.io"));
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.data(3), FakeExecProtocol::successStatus());

    Client v4(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("true")}, false)), m_cluster->token(),
              {QStringLiteral("v4.channel.k8s.io")});
    QVERIFY(v4.waitConnected());
    QCOMPARE(v4.subprotocol(), QStringLiteral("v4.channel.k8s.io"));
    QVERIFY(v4.waitDisconnected());
}

void TestFakeExec::v4OnlyServer()
{
    m_cluster->setExecProtocols({QStringLiteral("v4.channel.k8s.io")});
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo v4")}, false)),
                  m_cluster->token(), V5V4);
    QVERIFY(client.waitConnected());
    QCOMPARE(client.subprotocol(), QStringLiteral("v4.channel.k8s.io"));
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.data(1), QByteArray("v4\n"));
    // kubectl offers v5 alone: refused, so it falls back (to SPDY, which we do not serve).
    const auto r = ExecTest::rawUpgrade(m_server->httpPort(), target(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh")}, true)),
                                        m_cluster->token(), "v5.channel.k8s.io");
    QCOMPARE(r.status, 403);
}

void TestFakeExec::exitCodeAndStdout()
{
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo hi; exit 3")}, false, false)),
                  m_cluster->token(), V5V4);
    QVERIFY(client.waitConnected());
    QVERIFY(client.waitDisconnected());
    QVERIFY(!client.frames().isEmpty());
    QCOMPARE(client.frames().first().channel, quint8(1)); // the empty "connected" frame on stdout
    QCOMPARE(client.frames().first().payload, QByteArray());
    QCOMPARE(client.data(1), QByteArray("hi\n"));
    const QJsonObject status = json(client.data(3));
    QCOMPARE(status.value(QLatin1String("reason")).toString(), QStringLiteral("NonZeroExitCode"));
    const QJsonObject cause = status.value(QLatin1String("details")).toObject().value(QLatin1String("causes")).toArray().first().toObject();
    QCOMPARE(cause.value(QLatin1String("reason")).toString(), QStringLiteral("ExitCode"));
    QCOMPARE(cause.value(QLatin1String("message")).toString(), QStringLiteral("3"));
    QCOMPARE(client.frames().last().channel, quint8(3)); // the status is the last message
    QCOMPARE(client.closeCode(), 1000);
}

void TestFakeExec::formEncodedCommand()
{
    // kubectl (Go's url.Values) writes spaces as '+' and a literal '+' as %2B.
    Client client(wsUrl(webPod(), QStringLiteral("exec"), "command=sh&command=-c&command=echo+%241+%2B+1&command=x&command=a+b&stdout=true"),
                  m_cluster->token(), V5V4);
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.data(1), QByteArray("a b + 1\n"));
}

void TestFakeExec::stderrOnChannel2()
{
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo out; echo err >&2; kill -TERM $$")}, false, false)),
                  m_cluster->token(), V5V4);
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.data(1), QByteArray("out\n"));
    QCOMPARE(client.data(2), QByteArray("err\n"));
    // Killed by SIGTERM: 128 + 15, as a container runtime reports it.
    const QJsonObject cause = json(client.data(3)).value(QLatin1String("details")).toObject().value(QLatin1String("causes")).toArray().first().toObject();
    QCOMPARE(cause.value(QLatin1String("message")).toString(), QStringLiteral("143"));
}

void TestFakeExec::base64Dialect()
{
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("cat")}, false)), m_cluster->token(),
                  {QStringLiteral("v4.base64.channel.k8s.io")});
    QVERIFY(client.waitConnected());
    QCOMPARE(client.subprotocol(), QStringLiteral("v4.base64.channel.k8s.io"));
    client.sendText(0, "ls\n");
    QVERIFY(client.waitFor(1, "ls\n"));
    client.socket().close(); // v4: closing the socket is the only end of input
    QVERIFY(client.waitDisconnected());
}

void TestFakeExec::resizeBeforeFirstOutput()
{
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("stty"), QStringLiteral("size")}, true)),
                  m_cluster->token(), V5V4);
    client.onConnected([&client] { client.resize(120, 40); });
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.data(1), QByteArray("40 120\r\n"));
    QCOMPARE(client.data(3), FakeExecProtocol::successStatus());
}

void TestFakeExec::resizeLaterSendsSigwinch()
{
    const QString script = QStringLiteral("trap 'stty size' WINCH; echo ready; while :; do sleep 0.05; done");
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), script}, true)),
                  m_cluster->token(), V5V4);
    client.onConnected([&client] { client.resize(80, 24); });
    QVERIFY(client.waitFor(1, "ready"));
    client.resize(100, 30);
    QVERIFY(client.waitFor(1, "30 100"));
    client.socket().close(); // hangs the shell up
    QVERIFY(client.waitDisconnected());
    QTRY_COMPARE_WITH_TIMEOUT(ExecTest::childProcesses(), 0, 5000);
}

void TestFakeExec::v5CloseEndsStdin()
{
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("cat")}, false)), m_cluster->token(), V5V4);
    QVERIFY(client.waitConnected());
    client.send(0, "hello\n");
    client.socket().sendBinaryMessage(QByteArray("\xff\x00", 2));
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.data(1), QByteArray("hello\n"));
    QCOMPARE(client.data(3), FakeExecProtocol::successStatus());
}

void TestFakeExec::v5CloseEndsStdinOnTty()
{
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("cat")}, true)), m_cluster->token(), V5V4);
    client.onConnected([&client] { client.resize(80, 24); });
    QVERIFY(client.waitConnected());
    client.send(0, "hello\n");
    QVERIFY(client.waitFor(1, "hello\r\nhello\r\n")); // the terminal's echo, then cat's copy
    client.socket().sendBinaryMessage(QByteArray("\xff\x00", 2));
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.data(3), FakeExecProtocol::successStatus());
}

void TestFakeExec::bashMissingOnCheckout()
{
    const QString checkout = m_cluster->podNames(QStringLiteral("shop")).value(0);
    QVERIFY(checkout.startsWith(QLatin1String("checkout-")));
    Client bash(wsUrl(checkout, QStringLiteral("exec"), execQuery({QStringLiteral("bash")}, true), QStringLiteral("shop")),
                m_cluster->token(), V5V4);
    QVERIFY(bash.waitDisconnected());
    const QJsonObject status = json(bash.data(3));
    QCOMPARE(status.value(QLatin1String("status")).toString(), QStringLiteral("Failure"));
    QVERIFY(status.value(QLatin1String("message")).toString().contains(
        QLatin1String("OCI runtime exec failed: exec failed: unable to start container process: exec: \"bash\": executable file not found in $PATH: unknown")));
    QVERIFY(status.value(QLatin1String("reason")).toString() != QLatin1String("NonZeroExitCode"));

    Client sh(wsUrl(checkout, QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo $HOSTNAME")}, false), QStringLiteral("shop")),
              m_cluster->token(), V5V4);
    QVERIFY(sh.waitDisconnected());
    QCOMPARE(sh.data(1), checkout.toUtf8() + '\n');
    Client missing(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("no-such-tool-xyz")}, false)), m_cluster->token(), V5V4);
    QVERIFY(missing.waitDisconnected());
    QVERIFY(json(missing.data(3)).value(QLatin1String("message")).toString().contains(QLatin1String("\"no-such-tool-xyz\": executable file not found")));
}

void TestFakeExec::largeOutput()
{
    Client client(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("head -c 3000000 /dev/zero | tr '\\0' x")}, true)),
                  m_cluster->token(), V5V4);
    client.onConnected([&client] { client.resize(80, 24); });
    QVERIFY(client.waitDisconnected(30'000));
    QCOMPARE(client.data(1).size(), 3'000'000);
    QCOMPARE(client.data(1).count('x'), 3'000'000);
    for (const ExecTest::Frame &f : client.frames())
        QVERIFY(f.payload.size() <= 32 * 1024);
    QCOMPARE(client.data(3), FakeExecProtocol::successStatus());
}

void TestFakeExec::overTls()
{
    QTemporaryDir dir;
    QString error;
    const std::optional<DemoTls> tls = DemoTls::create(dir.path(), &error);
    if (!tls)
        QSKIP(qPrintable(QStringLiteral("no openssl: ") + error));
    QVERIFY(m_server->listenTls(tls->serverConfiguration));
    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.setCaCertificates(QSslCertificate::fromData(tls->certificatePem));
    const QUrl url = QUrl::fromEncoded("wss://127.0.0.1:" + QByteArray::number(m_server->httpsPort())
                                       + target(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("read x; echo got $x; exit 7")}, false)));
    Client client(url, m_cluster->token(), V5V4, &trust);
    QVERIFY(client.waitConnected());
    QCOMPARE(client.subprotocol(), QStringLiteral("v5.channel.k8s.io"));
    client.send(0, "tls\n");
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.data(1), QByteArray("got tls\n"));
    QVERIFY(json(client.data(3)).value(QLatin1String("message")).toString().endsWith(QLatin1String("exit code 7")));
}

void TestFakeExec::attachSeesPrintedLines()
{
    const QByteArray q = "container=main&stdin=true&stdout=true&stderr=false&tty=true";
    auto first = std::make_unique<Client>(wsUrl(webPod(), QStringLiteral("attach"), q), m_cluster->token(), V5V4);
    Client second(wsUrl(webPod(), QStringLiteral("attach"), "stdout=true"), m_cluster->token(), V5V4);
    QVERIFY(first->waitFor(1, "main process tick", 5000));
    QVERIFY(second.waitFor(1, "main process tick", 5000));
    QVERIFY(first->data(1).contains(QByteArray(webPod().toUtf8() + "/main")));
    first->send(0, "hello\n");
    QVERIFY(second.waitFor(1, "main process read: hello"));
    first->socket().close();
    QVERIFY(first->waitDisconnected());
    first.reset();
    // Detaching does not stop the main process: the other session keeps seeing new lines.
    const qsizetype seen = second.data(1).count("main process tick");
    QTRY_VERIFY_WITH_TIMEOUT(second.data(1).count("main process tick") > seen, 3000);
    QCOMPARE(m_cluster->openExecSessions(), 1);
}

void TestFakeExec::dropAndHangupLeaveNoZombies()
{
    QCOMPARE(ExecTest::childProcesses(), 0);
    // A shell on a pty and a piped command that would run for long, and one that ends by itself.
    Client tty(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo started; sleep 100")}, true)),
               m_cluster->token(), V5V4);
    Client pipes(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo started; sleep 100")}, false)),
                 m_cluster->token(), V5V4);
    Client quick(wsUrl(webPod(), QStringLiteral("exec"), execQuery({QStringLiteral("true")}, false)), m_cluster->token(), V5V4);
    QVERIFY(tty.waitFor(1, "started"));
    QVERIFY(pipes.waitFor(1, "started"));
    QVERIFY(quick.waitDisconnected());
    QCOMPARE(m_cluster->openExecSessions(), 2);
    QVERIFY(ExecTest::childProcesses() >= 2);

    m_cluster->dropExecSessions(); // TCP dropped, no close frame: the processes are hung up
    QVERIFY(tty.waitDisconnected());
    QVERIFY(pipes.waitDisconnected());
    QCOMPARE(tty.data(3), QByteArray()); // no status: the client cannot know the outcome
    QTRY_COMPARE_WITH_TIMEOUT(ExecTest::childProcesses(), 0, 5000);
    QTRY_COMPARE(m_cluster->openExecSessions(), 0);
}

QTEST_GUILESS_MAIN(TestFakeExec)
#include "tst_fake_exec.moc"
