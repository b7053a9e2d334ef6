// K8sPortForward against the in-test kubelet (../exec/fake_kubelet.h): a local TCP client on
// 127.0.0.1 talks through one WebSocket per connection to an echoing pod port, byte-exact; the
// pod's error channel closes the local socket; two ports at once; stats and signals.
#include "../exec/fake_kubelet.h"
#include "k8s_client.h"
#include "k8s_port_forward.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

namespace {

KubeContext contextFor(const QUrl &server)
{
    KubeContext c;
    c.contextName = QStringLiteral("test");
    c.clusterName = QStringLiteral("fake");
    c.server = server;
    c.token = "s3cret-token";
    return c;
}

/// Sends `data` through a fresh connection to 127.0.0.1:port and reads until as many bytes came back.
QByteArray roundTrip(quint16 port, const QByteArray &data)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return "not connected";
    QByteArray back;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { back += socket.readAll(); });
    socket.write(data);
    [[maybe_unused]] const bool complete = QTest::qWaitFor([&] { return back.size() >= data.size(); }, 20000);
    socket.disconnectFromHost();
    return back;
}

} // namespace

class TestK8sPortForward : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<FakeKubelet> m_kubelet;
    std::unique_ptr<K8sClient> m_client;

private Q_SLOTS:
    void init()
    {
        m_kubelet = std::make_unique<FakeKubelet>();
        QVERIFY(m_kubelet->listen());
        m_client = std::make_unique<K8sClient>(contextFor(m_kubelet->httpUrl()));
    }
    void cleanup()
    {
        m_client.reset();
        m_kubelet.reset();
    }

    void echoByteExact()
    {
        K8sPortForward forward(m_client.get(), QStringLiteral("default"), QStringLiteral("db-0"), {0, 8080});
        QSignalSpy opened(&forward, &K8sPortForward::connectionOpened);
        QSignalSpy closed(&forward, &K8sPortForward::connectionClosed);
        QString error;
        QVERIFY2(forward.listen(&error), qPrintable(error));
        QVERIFY(forward.localPort() != 0);
        QCOMPARE(forward.remotePort(), quint16(8080));

        QByteArray data(1 << 20, Qt::Uninitialized); // 1 MiB of every byte value
        for (qsizetype i = 0; i < data.size(); ++i)
            data[i] = char(QRandomGenerator::global()->bounded(256));
        QCOMPARE(roundTrip(forward.localPort(), data), data);
        QCOMPARE(opened.size(), 1);
        QTRY_COMPARE(closed.size(), 1);
        const auto c = forward.connection(opened[0][0].toInt());
        QVERIFY(c);
        QCOMPARE(c->state, K8sPortForward::ConnectionState::Closed);
        QCOMPARE(c->bytesOut, data.size());
        QCOMPARE(c->bytesIn, data.size());
        QVERIFY(c->error.isEmpty());
        QVERIFY(c->peer.startsWith(u"127.0.0.1:"));
        QVERIFY(c->openedAt.isValid() && c->closedAt >= c->openedAt);

        QCOMPARE(m_kubelet->sessions.size(), 1);
        QCOMPARE(m_kubelet->sessions[0].url.path(), QStringLiteral("/api/v1/namespaces/default/pods/db-0/portforward"));
        QCOMPARE(m_kubelet->sessions[0].url.query(), QStringLiteral("ports=8080"));
        QCOMPARE(m_kubelet->sessions[0].subprotocol, QStringLiteral("v4.channel.k8s.io"));
        QCOMPARE(m_kubelet->sessions[0].authorization, QByteArray("Bearer s3cret-token"));
        // Every client message is channel 0 + data.
        for (const QByteArray &m : m_kubelet->sessions[0].received)
            QCOMPARE(m.front(), '\0');
    }
    void oneWebSocketPerConnection()
    {
        K8sPortForward forward(m_client.get(), QStringLiteral("default"), QStringLiteral("db-0"), {0, 8080});
        QVERIFY(forward.listen(nullptr));
        QCOMPARE(roundTrip(forward.localPort(), "first"), QByteArray("first"));
        QCOMPARE(roundTrip(forward.localPort(), "second"), QByteArray("second"));
        QTRY_COMPARE(forward.activeCount(), 0);
        QCOMPARE(m_kubelet->sessions.size(), 2);
        QCOMPARE(forward.connections().size(), 2);
    }
    void listensOnLoopbackOnly()
    {
        K8sPortForward forward(m_client.get(), QStringLiteral("default"), QStringLiteral("db-0"), {0, 8080});
        QVERIFY(forward.listen(nullptr));
        QTcpSocket other;
        // The port is not bound on other addresses of this host (if it has one).
        for (const QHostAddress &address : {QHostAddress(QHostAddress::LocalHostIPv6)}) {
            other.connectToHost(address, forward.localPort());
            QVERIFY(!other.waitForConnected(1000));
            other.abort();
        }
        // A second forward cannot take the same port.
        K8sPortForward clash(m_client.get(), QStringLiteral("default"), QStringLiteral("db-0"), {forward.localPort(), 8080});
        QString error;
        QVERIFY(!clash.listen(&error));
        QVERIFY2(error.contains(QStringLiteral("127.0.0.1:%1").arg(forward.localPort())), qPrintable(error));
    }
    void errorChannelClosesLocalSocket()
    {
        m_kubelet->refusedPorts = {9999};
        K8sPortForward forward(m_client.get(), QStringLiteral("default"), QStringLiteral("db-0"), {0, 9999});
        QStringList notices;
        connect(&forward, &K8sPortForward::notice, this, [&notices](const QString &t) { notices << t; });
        QSignalSpy closed(&forward, &K8sPortForward::connectionClosed);
        QVERIFY(forward.listen(nullptr));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, forward.localPort());
        QVERIFY(socket.waitForConnected(5000));
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        socket.write("hello?");
        QTRY_COMPARE(disconnected.size(), 1);
        QTRY_COMPARE(closed.size(), 1);
        const auto c = forward.connection(closed[0][0].toInt());
        QVERIFY(c);
        QVERIFY2(c->error.contains(u"connection refused"), qPrintable(c->error));
        QCOMPARE(c->bytesIn, 0);
        QCOMPARE(notices.size(), 1);
        QVERIFY2(notices[0].contains(u"db-0:9999"), qPrintable(notices[0]));
    }
    void twoPorts()
    {
        QString error;
        const auto spec = K8sExecSpec::parse(QUrl(QStringLiteral("k8s:forward/db-0/0:8080,0:5432")), &error);
        QVERIFY2(spec, qPrintable(error));
        std::vector<std::unique_ptr<K8sPortForward>> forwards;
        for (const auto &mapping : spec->ports) {
            forwards.push_back(std::make_unique<K8sPortForward>(m_client.get(), QStringLiteral("default"), spec->pod, mapping));
            QVERIFY(forwards.back()->listen(nullptr));
        }
        QVERIFY(forwards[0]->localPort() != forwards[1]->localPort());
        QCOMPARE(roundTrip(forwards[0]->localPort(), "to 8080"), QByteArray("to 8080"));
        QCOMPARE(roundTrip(forwards[1]->localPort(), "to 5432"), QByteArray("to 5432"));
        QCOMPARE(m_kubelet->sessions.size(), 2);
        QCOMPARE(m_kubelet->sessions[0].url.query(), QStringLiteral("ports=8080"));
        QCOMPARE(m_kubelet->sessions[1].url.query(), QStringLiteral("ports=5432"));
    }
    void stopClosesEverything()
    {
        K8sPortForward forward(m_client.get(), QStringLiteral("default"), QStringLiteral("db-0"), {0, 8080});
        QVERIFY(forward.listen(nullptr));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, forward.localPort());
        QVERIFY(socket.waitForConnected(5000));
        QTRY_COMPARE(m_kubelet->sessions.size(), 1);
        QTRY_COMPARE(forward.connections().value(0).state, K8sPortForward::ConnectionState::Open);
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        forward.stop();
        QVERIFY(!forward.isListening());
        QTRY_COMPARE(disconnected.size(), 1);
        QCOMPARE(forward.activeCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestK8sPortForward)
#include "tst_k8s_port_forward.moc"
