// The demo's fake cluster: pods/{name}/portforward over WebSocket (protocols.md 4.5, dialect 1)
// to the pod's small service on port 8080, with the minimal client of exec_test_client.h.

#include "demo_server.h"
#include "exec_test_client.h"
#include "fake_cluster.h"

#include <QTest>

#include <memory>

using ExecTest::Client;

class TestFakePortForward : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void portForwardEcho();
    void portForwardHttpAndRefused();
    void base64AndSeveralPorts();

private:
    QUrl wsUrl(const QString &pod, const QByteArray &query) const
    {
        return QUrl::fromEncoded("ws://127.0.0.1:" + QByteArray::number(m_server->httpPort()) + "/api/v1/namespaces/default/pods/"
                                 + pod.toUtf8() + "/portforward?" + query);
    }
    QString webPod() const { return m_cluster->podNames(QStringLiteral("default")).filter(QStringLiteral("web-")).value(0); }

    std::unique_ptr<DemoServer> m_server;
    FakeCluster *m_cluster = nullptr;
};

void TestFakePortForward::init()
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

void TestFakePortForward::cleanup()
{
    m_cluster = nullptr;
    m_server.reset();
}

void TestFakePortForward::portForwardEcho()
{
    Client client(wsUrl(webPod(), "ports=8080"), m_cluster->token(), {QStringLiteral("v4.channel.k8s.io")});
    QVERIFY(client.waitConnected());
    QTRY_VERIFY(client.frames().size() >= 2);
    QCOMPARE(client.frames().at(0).channel, quint8(0));
    QCOMPARE(client.frames().at(0).payload, QByteArray("\x90\x1f", 2));
    QCOMPARE(client.frames().at(1).channel, quint8(1));
    QCOMPARE(client.frames().at(1).payload, QByteArray("\x90\x1f", 2));
    QByteArray binary;
    for (int i = 0; i < 70'000; ++i)
        binary += char(i * 7);
    client.send(0, "ping\n");
    client.send(0, binary);
    const QByteArray expected = "\x90\x1f" + QByteArray("ping\n") + binary;
    QTRY_COMPARE_WITH_TIMEOUT(client.data(0).size(), expected.size(), 5000);
    QCOMPARE(client.data(0), expected);
    QCOMPARE(client.data(1), QByteArray("\x90\x1f", 2));
    client.socket().close();
    QVERIFY(client.waitDisconnected());
}

void TestFakePortForward::portForwardHttpAndRefused()
{
    Client http(wsUrl(webPod(), "ports=8080"), m_cluster->token(), {QStringLiteral("v4.channel.k8s.io")});
    QVERIFY(http.waitConnected());
    http.send(0, "GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n");
    QVERIFY(http.waitDisconnected()); // the pod's server closes → the forward ends → close 1000
    QVERIFY(http.data(0).contains("HTTP/1.1 200 OK"));
    QVERIFY(http.data(0).endsWith(QByteArray("hello from " + webPod().toUtf8() + '\n')));
    QCOMPARE(http.closeCode(), 1000);

    Client refused(wsUrl(webPod(), "ports=9999"), m_cluster->token(), {QStringLiteral("v4.channel.k8s.io")});
    QVERIFY(refused.waitDisconnected());
    QCOMPARE(refused.data(0), QByteArray("\x0f\x27", 2));
    const QByteArray error = refused.data(1).mid(2);
    QVERIFY2(error.startsWith(QByteArray("error forwarding port 9999 to pod uid-pod-" + webPod().toUtf8() + ", uid : exit status 1: ")), error.constData());
    QVERIFY(error.contains("E connect(5, AF=2 127.0.0.1:9999, 16): Connection refused"));
}

void TestFakePortForward::base64AndSeveralPorts()
{
    // Port i uses channels 2i (data) and 2i+1 (error); one refused port does not end the others.
    Client client(wsUrl(webPod(), "ports=9999&ports=8080"), m_cluster->token(), {QStringLiteral("v4.base64.channel.k8s.io")});
    QVERIFY(client.waitConnected());
    QCOMPARE(client.subprotocol(), QStringLiteral("v4.base64.channel.k8s.io"));
    QTRY_VERIFY(client.data(1).contains("Connection refused"));
    QCOMPARE(client.data(2), QByteArray("\x90\x1f", 2));
    client.sendText(2, "echo me");
    QTRY_COMPARE(client.data(2), QByteArray("\x90\x1f" "echo me", 9));
    QCOMPARE(client.data(3), QByteArray("\x90\x1f", 2));
    QCOMPARE(m_cluster->openExecSessions(), 1);
    client.socket().close();
    QVERIFY(client.waitDisconnected());
    QTRY_COMPARE(m_cluster->openExecSessions(), 0);
}

QTEST_GUILESS_MAIN(TestFakePortForward)
#include "tst_fake_port_forward.moc"
