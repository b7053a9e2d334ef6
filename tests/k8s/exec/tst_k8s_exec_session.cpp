// K8sExecSession against an in-test kubelet on 127.0.0.1 (fake_kubelet.h): echo, exit codes,
// stderr, resize before the first output, v5 stdin close, v4 fallback, large output, a drop,
// keepalive, bash→sh, E1–E3 handshake cases, attach, reopen.
#include "fake_kubelet.h"
#include "k8s_client.h"
#include "k8s_exec_session.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace {

/// Everything a session emitted.
struct Recorder
{
    explicit Recorder(K8sExecSession *session)
    {
        QObject::connect(session, &TerminalBackend::opened, session, [this] { ++opened; });
        QObject::connect(session, &TerminalBackend::output, session, [this](const QByteArray &b, TerminalBackend::Stream s) {
            (s == TerminalBackend::Stream::Stderr ? err : out) += b;
        });
        QObject::connect(session, &TerminalBackend::notice, session, [this](const QString &t) { notices << t; });
        QObject::connect(session, &TerminalBackend::finished, session, [this](const TerminalExit &e) {
            exits.append(e);
        });
    }
    int opened = 0;
    QByteArray out, err;
    QStringList notices;
    QList<TerminalExit> exits;
};

KubeContext contextFor(const QUrl &server)
{
    KubeContext c;
    c.contextName = QStringLiteral("test");
    c.clusterName = QStringLiteral("fake");
    c.userName = QStringLiteral("tester");
    c.server = server;
    c.token = "s3cret-token";
    return c;
}

K8sExecSpec spec(const QString &text)
{
    QString error;
    const auto s = K8sExecSpec::parse(QUrl(text), &error);
    if (!s)
        qFatal("bad spec %s: %s", qPrintable(text), qPrintable(error));
    return *s;
}

} // namespace

class TestK8sExecSession : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<FakeKubelet> m_kubelet;
    std::unique_ptr<K8sClient> m_client;

    std::unique_ptr<K8sExecSession> session(const QString &text, bool tty = true)
    {
        return std::make_unique<K8sExecSession>(m_client.get(), QStringLiteral("default"), spec(text), tty);
    }

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

    void echoWithV5StdinClose()
    {
        auto s = session(QStringLiteral("k8s:exec/web/app?command=cat"));
        Recorder r(s.get());
        QCOMPARE(s->title(), QStringLiteral("web/app: cat"));
        QCOMPARE(s->reconnectHint(), QStringLiteral("reconnect runs the command again"));
        s->open(120, 40);
        QCOMPARE(s->state(), TerminalBackend::State::Connecting);
        QTRY_COMPARE(r.opened, 1);
        QCOMPARE(s->state(), TerminalBackend::State::Open);
        QCOMPARE(s->subprotocol(), QStringLiteral("v5.channel.k8s.io")); // E1: v5 offered first
        QVERIFY(r.notices.isEmpty());
        QCOMPARE(m_kubelet->sessions.size(), 1);
        const FakeKubelet::Session &k = m_kubelet->sessions[0];
        QCOMPARE(k.url.path(), QStringLiteral("/api/v1/namespaces/default/pods/web/exec"));
        QCOMPARE(k.url.query(), QStringLiteral("command=cat&container=app&stdin=true&stdout=true&stderr=false&tty=true"));
        QCOMPARE(k.authorization, QByteArray("Bearer s3cret-token"));
        s->write("hello\n");
        QTRY_COMPARE(r.out, QByteArray("hello\n"));
        QVERIFY(s->closeInput());
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.out, QByteArray("hello\nstdin closed\n")); // output kept flowing after CLOSE
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Exited);
        QCOMPARE(r.exits[0].exitCode, 0);
        // E6/E7: the resize first, then stdin, then exactly ff 00.
        const QList<QByteArray> received = m_kubelet->sessions[0].received;
        QCOMPARE(received.value(0), QByteArray("\x04{\"Width\":120,\"Height\":40}"));
        QCOMPARE(received.value(1), QByteArray("\x00hello\n", 7));
        QCOMPARE(received.value(2), QByteArray::fromHex("ff00"));
        QCOMPARE(received.size(), 3);
        QCOMPARE(s->state(), TerminalBackend::State::Finished);
        QVERIFY(!s->closeInput());
    }
    void exitCodes_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("0") << 0;
        QTest::newRow("3") << 3;
        QTest::newRow("255") << 255;
    }
    void exitCodes()
    {
        QFETCH(int, code);
        auto s = session(QStringLiteral("k8s:exec/web?command=sh&command=-c&command=exit%20%1").arg(code), false);
        Recorder r(s.get());
        s->open(80, 24);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Exited);
        QCOMPARE(r.exits[0].exitCode, code);
        if (code != 0)
            QVERIFY2(r.exits[0].message.contains(u"non-zero exit code"), qPrintable(r.exits[0].message));
        QCOMPARE(QUrlQuery(m_kubelet->sessions[0].url).allQueryItemValues(QStringLiteral("command")),
                 (QStringList{"sh", "-c", QStringLiteral("exit %1").arg(code)}));
        QVERIFY(m_kubelet->sessions[0].received.isEmpty()); // no tty: no resize
    }
    void stderrWithoutTty()
    {
        auto s = session(QStringLiteral("k8s:exec/web?command=stderr"), false);
        Recorder r(s.get());
        s->open(80, 24);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.err, QByteArray("err"));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(QUrlQuery(m_kubelet->sessions[0].url).queryItemValue(QStringLiteral("stderr")), QStringLiteral("true"));
        QCOMPARE(QUrlQuery(m_kubelet->sessions[0].url).queryItemValue(QStringLiteral("tty")), QStringLiteral("false"));
    }
    void resizeBeforeFirstOutput()
    {
        auto s = session(QStringLiteral("k8s:exec/web?command=stty&command=size"));
        Recorder r(s.get());
        s->open(132, 43);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.out, QByteArray("43 132\n"));
        QCOMPARE(m_kubelet->sessions[0].received.value(0), QByteArray("\x04{\"Width\":132,\"Height\":43}"));
    }
    void laterResizes()
    {
        auto s = session(QStringLiteral("k8s:exec/web?command=hang"));
        Recorder r(s.get());
        s->resize(10, 10); // before open: only remembered
        s->open(100, 30);
        QTRY_COMPARE(r.opened, 1);
        s->resize(90, 20);
        QTRY_COMPARE(m_kubelet->sessions[0].received.size(), 2);
        QCOMPARE(m_kubelet->sessions[0].received[0], QByteArray("\x04{\"Width\":100,\"Height\":30}"));
        QCOMPARE(m_kubelet->sessions[0].received[1], QByteArray("\x04{\"Width\":90,\"Height\":20}"));
        s->close();
        QCOMPARE(r.exits.size(), 1);
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Closed);
        s->close();
        QCOMPARE(r.exits.size(), 1);
    }
    void v4Fallback()
    {
        m_kubelet->setProtocols({QStringLiteral("v4.channel.k8s.io")});
        auto s = session(QStringLiteral("k8s:exec/web?command=cat"));
        Recorder r(s.get());
        s->open(80, 24);
        QTRY_COMPARE(r.opened, 1);
        QCOMPARE(s->subprotocol(), QStringLiteral("v4.channel.k8s.io"));
        QCOMPARE(r.notices.size(), 1);
        QVERIFY2(r.notices[0].contains(u"v4.channel.k8s.io"), qPrintable(r.notices[0]));
        s->write("abc");
        QTRY_COMPARE(r.out, QByteArray("abc"));
        QVERIFY(!s->closeInput());
        s->write("d");
        QTRY_COMPARE(r.out, QByteArray("abcd"));
        for (const QByteArray &m : m_kubelet->sessions[0].received)
            QVERIFY(!m.startsWith('\xff')); // E1: no CLOSE frames under v4
        s->close();
        QCOMPARE(r.exits.value(0).kind, TerminalExit::Kind::Closed);
    }
    void largeOutput()
    {
        constexpr qint64 Size = 8 * 1024 * 1024;
        auto s = session(QStringLiteral("k8s:exec/web?command=big&command=%1").arg(Size), false);
        QByteArray out;
        int exits = 0;
        connect(s.get(), &TerminalBackend::output, this, [&out](const QByteArray &b) { out += b; });
        connect(s.get(), &TerminalBackend::finished, this, [&exits] { ++exits; });
        QElapsedTimer timer;
        timer.start();
        s->open(80, 24);
        QTRY_VERIFY_WITH_TIMEOUT(exits == 1, 30000);
        const qint64 ms = std::max<qint64>(1, timer.elapsed());
        QCOMPARE(out.size(), Size);
        for (qint64 i = 0; i < Size; i += 4099)
            QCOMPARE(uchar(out[i]), uchar(i % 251));
        qInfo("8 MiB through exec in %lld ms (%.0f MB/s, fake and client in one process)", ms, Size / 1e3 / double(ms));
    }
    void dropMidSession()
    {
        auto s = session(QStringLiteral("k8s:exec/web?command=drop"));
        Recorder r(s.get());
        s->open(80, 24);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.out, QByteArray("partial"));
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Dropped);
        QCOMPARE(r.exits[0].message, QStringLiteral("connection closed without an exit status (unknown outcome)"));
        QVERIFY(!r.exits[0].exitCode);
    }
    void failureStatus()
    {
        auto s = session(QStringLiteral("k8s:exec/web?command=fail"));
        Recorder r(s.get());
        s->open(80, 24);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Failed);
        QCOMPARE(r.exits[0].message, QStringLiteral("container is not running"));
        QVERIFY(!r.exits[0].exitCode);
    }
    void bashFallsBackToSh()
    {
        m_kubelet->bashMissing = true;
        auto s = session(QStringLiteral("k8s:exec/web"));
        Recorder r(s.get());
        QCOMPARE(s->reconnectHint(), QStringLiteral("reconnect opens a new shell"));
        QCOMPARE(s->title(), QStringLiteral("web: bash"));
        s->open(80, 24);
        QTRY_COMPARE(m_kubelet->sessions.size(), 2);
        QTRY_COMPARE(s->state(), TerminalBackend::State::Open);
        QCOMPARE(r.notices, QStringList{QStringLiteral("bash not found in the container, using sh")});
        QCOMPARE(QUrlQuery(m_kubelet->sessions[0].url).allQueryItemValues(QStringLiteral("command")), QStringList{"bash"});
        QCOMPARE(QUrlQuery(m_kubelet->sessions[1].url).allQueryItemValues(QStringLiteral("command")), QStringList{"sh"});
        QCOMPARE(s->title(), QStringLiteral("web: sh"));
        s->write("pwd\n");
        QTRY_COMPARE(r.out, QByteArray("pwd\n"));
        QCOMPARE(r.opened, 1);
        QVERIFY(r.exits.isEmpty());
        s->close();
        // Reopening remembers: straight to sh.
        s->open(80, 24);
        QTRY_COMPARE(m_kubelet->sessions.size(), 3);
        QCOMPARE(QUrlQuery(m_kubelet->sessions[2].url).allQueryItemValues(QStringLiteral("command")), QStringList{"sh"});
        QTRY_COMPARE(r.opened, 2);
        s->close();
    }
    void explicitBashNeverFallsBack()
    {
        m_kubelet->bashMissing = true;
        auto s = session(QStringLiteral("k8s:exec/web?command=bash"));
        Recorder r(s.get());
        s->open(80, 24);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Failed);
        QVERIFY2(r.exits[0].message.contains(u"executable file not found"), qPrintable(r.exits[0].message));
        QCOMPARE(m_kubelet->sessions.size(), 1);
    }
    void attachAndReopen()
    {
        auto s = session(QStringLiteral("k8s:attach/web/app"));
        Recorder r(s.get());
        QCOMPARE(s->title(), QStringLiteral("web/app: attach"));
        QCOMPARE(s->reconnectHint(), QStringLiteral("reconnect attaches again"));
        s->open(80, 24);
        QTRY_COMPARE(r.opened, 1);
        QCOMPARE(m_kubelet->sessions[0].url.path(), QStringLiteral("/api/v1/namespaces/default/pods/web/attach"));
        QVERIFY(!QUrlQuery(m_kubelet->sessions[0].url).hasQueryItem(QStringLiteral("command")));
        s->write("x");
        QTRY_COMPARE(r.out, QByteArray("x"));
        // The server ends the session abruptly: Dropped; open() again attaches anew.
        m_kubelet->sessions[0].socket->abort();
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Dropped);
        s->open(80, 24);
        QTRY_COMPARE(r.opened, 2);
        QCOMPARE(m_kubelet->sessions.size(), 2);
        s->write("y");
        QTRY_COMPARE(r.out, QByteArray("xy"));
        s->close();
        QCOMPARE(r.exits.size(), 2);
    }

    // E2: 101 with a subprotocol that was not offered → failed before any data.
    void unofferedSubprotocolFails_data()
    {
        QTest::addColumn<QByteArray>("protocol");
        QTest::newRow("foo") << QByteArray("foo");
        QTest::newRow("none") << QByteArray();
    }
    void unofferedSubprotocolFails()
    {
        QFETCH(QByteArray, protocol);
        RawK8sServer raw;
        QVERIFY(raw.listen());
        raw.protocol = protocol;
        raw.afterUpgrade = RawK8sServer::binaryFrame("\x01hi");
        K8sClient client(contextFor(raw.httpUrl()));
        K8sExecSession s(&client, QStringLiteral("default"), spec(QStringLiteral("k8s:exec/web?command=cat")), true);
        Recorder r(&s);
        s.open(80, 24);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Failed);
        // Qt 6.4 refuses an unrequested protocol itself ("... has chosen protocol foo which has not
        // been requested"); an empty one reaches handleConnected().
        QVERIFY2(r.exits[0].message.contains(protocol.isEmpty() ? QStringLiteral("none") : QStringLiteral("foo")),
                 qPrintable(r.exits[0].message));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.opened, 0);
    }
    // E3: 403 with a Status body → its message, no retry.
    void forbiddenShowsStatusMessage()
    {
        RawK8sServer raw;
        QVERIFY(raw.listen());
        const QByteArray body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                                "\"message\":\"pods \\\"web\\\" is forbidden: User \\\"dev\\\" cannot get resource \\\"pods/exec\\\" in API group \\\"\\\" in the namespace \\\"default\\\"\","
                                "\"reason\":\"Forbidden\",\"details\":{\"name\":\"web\",\"kind\":\"pods\"},\"code\":403}";
        raw.statusResponse = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: "
                             + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        K8sClient client(contextFor(raw.httpUrl()));
        // A container named: no GET of the pod for its default container first.
        K8sExecSession s(&client, QStringLiteral("default"), spec(QStringLiteral("k8s:exec/web/app")), true);
        Recorder r(&s);
        s.open(80, 24);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Failed);
        QVERIFY2(r.exits[0].message.contains(u"cannot get resource \"pods/exec\""), qPrintable(r.exits[0].message));
        QCOMPARE(raw.requests, 2); // the upgrade, then one GET for the body; no retry
        QVERIFY(raw.requestHeads[0].contains("Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io"));
        QVERIFY(raw.requestHeads[0].contains("Authorization: Bearer s3cret-token"));
        QVERIFY(raw.requestHeads[0].contains("User-Agent: livedash/"));
    }
    void connectionRefused()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        K8sClient client(contextFor(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port))));
        K8sExecSession s(&client, QStringLiteral("default"), spec(QStringLiteral("k8s:exec/web")), true);
        Recorder r(&s);
        s.open(80, 24);
        QTRY_COMPARE(r.exits.size(), 1);
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Failed);
        QVERIFY2(r.exits[0].message.contains(u"connection refused"), qPrintable(r.exits[0].message));
    }

    // Keepalive: a server that upgrades and then never answers a ping is detected.
    void keepAliveDetectsDeadConnection()
    {
        RawK8sServer raw;
        QVERIFY(raw.listen());
        raw.afterUpgrade = RawK8sServer::binaryFrame(QByteArray("\x01", 1));
        K8sClient client(contextFor(raw.httpUrl()));
        K8sExecSession s(&client, QStringLiteral("default"), spec(QStringLiteral("k8s:exec/web")), true);
        s.setKeepAlive(200, 300);
        Recorder r(&s);
        QElapsedTimer timer;
        timer.start();
        s.open(80, 24);
        QTRY_COMPARE(r.opened, 1);
        QTRY_COMPARE_WITH_TIMEOUT(r.exits.size(), 1, 5000);
        QVERIFY2(timer.elapsed() >= 450, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(r.exits[0].kind, TerminalExit::Kind::Dropped);
        QCOMPARE(r.exits[0].message, QStringLiteral("connection lost: no answer to ping for 0.5 s"));
        QVERIFY2(r.notices.size() == 1 && r.notices[0].startsWith(u"no answer to ping for"), qPrintable(r.notices.join(u'|')));
        QVERIFY(raw.received.contains('\x89')); // masked ping frames went out
    }
    void keepAliveKeepsLiveConnection()
    {
        auto s = session(QStringLiteral("k8s:exec/web?command=hang"));
        s->setKeepAlive(100, 100);
        Recorder r(s.get());
        s->open(80, 24);
        QTRY_COMPARE(r.opened, 1);
        QVERIFY(!QTest::qWaitFor([&r] { return !r.exits.isEmpty(); }, 1000)); // QWebSocketServer answers every ping
        QVERIFY(r.notices.isEmpty());
        QCOMPARE(s->state(), TerminalBackend::State::Open);
        s->close();
    }
};

QTEST_GUILESS_MAIN(TestK8sExecSession)
#include "tst_k8s_exec_session.moc"
