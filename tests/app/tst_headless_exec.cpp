// The real livedash binary in --headless k8s:exec/ and k8s:forward/ mode against the in-test
// kubelet (tests/k8s/exec/fake_kubelet.h) through a kubeconfig in a temporary directory: stdin,
// stdout, stderr and the exit code like kubectl exec; forward's JSON lines; bad syntax exits 2.
// Then against the demo's fake cluster over TLS (real local processes): exit codes, stdin EOF.
#include "../k8s/exec/fake_kubelet.h"
#include "demo_server.h"
#include "demo_tls.h"
#include "fake_cluster.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class TestHeadlessExec : public QObject
{
    Q_OBJECT
private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out, err;
    };

    FakeKubelet m_kubelet;
    QTemporaryDir m_dir;
    QString m_kubeconfig;
    std::unique_ptr<DemoServer> m_demo;
    QString m_demoKubeconfig;
    QString m_demoPod;

    QStringList args(const QString &source, const QString &kubeconfig = {}) const
    {
        return {QStringLiteral("--headless"), QStringLiteral("--kubeconfig"), kubeconfig.isEmpty() ? m_kubeconfig : kubeconfig,
                source};
    }

    Run run(const QString &source, const QByteArray &input = {}, bool closeStdin = true, const QString &kubeconfig = {})
    {
        QProcess process;
        process.start(QStringLiteral(LIVEDASH_BIN), args(source, kubeconfig));
        Run r;
        if (!process.waitForStarted(10000))
            return r;
        if (!input.isEmpty())
            process.write(input);
        if (closeStdin)
            process.closeWriteChannel();
        QSignalSpy finished(&process, &QProcess::finished);
        if (!finished.wait(20000)) {
            process.kill();
            process.waitForFinished();
        }
        r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        r.out = process.readAllStandardOutput();
        r.err = process.readAllStandardError();
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_kubelet.listen());
        QVERIFY(m_dir.isValid());
        m_kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        QFile file(m_kubeconfig);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: v1\nkind: Config\ncurrent-context: fake\n"
                   "clusters:\n- name: fake\n  cluster:\n    server: " + m_kubelet.httpUrl().toString().toUtf8() + "\n"
                   "contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: tester\n    namespace: shop\n"
                   "users:\n- name: tester\n  user:\n    token: s3cret-token\n");
        file.close();
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);

        m_demo = std::make_unique<DemoServer>();
        QVERIFY(m_demo->listen());
        QString error;
        const std::optional<DemoTls> tls = DemoTls::create(m_dir.path(), &error);
        if (tls && m_demo->listenTls(tls->serverConfiguration))
            m_demo->cluster()->setCertificateAuthority(tls->certificatePem);
        else
            qWarning("demo cluster on plain HTTP: %s", qPrintable(error));
        m_demoKubeconfig = m_demo->cluster()->writeKubeconfig(m_dir.filePath(QStringLiteral("demo.kubeconfig")), &error);
        QVERIFY2(!m_demoKubeconfig.isEmpty(), qPrintable(error));
        m_demoPod = m_demo->cluster()->podNames(QStringLiteral("default")).filter(QStringLiteral("web-")).value(0);
        QVERIFY(!m_demoPod.isEmpty());
    }

    void demoClusterExitCodeOverTls()
    {
        QVERIFY(m_demo->cluster()->serverUrl().startsWith(u"https://"));
        Run r = run(QStringLiteral("k8s:exec/%1?command=sh&command=-c&command=echo%20out;%20echo%20err%20%3E%262;%20exit%203").arg(m_demoPod),
                    {}, true, m_demoKubeconfig);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.out, QByteArray("out\n"));
        QCOMPARE(r.err, QByteArray("err\n"));
        r = run(QStringLiteral("k8s:exec/%1?command=true").arg(m_demoPod), {}, true, m_demoKubeconfig);
        QCOMPARE(r.exitCode, 0);
    }
    void demoClusterStdinEof()
    {
        const Run r = run(QStringLiteral("k8s:exec/%1?command=sh&command=-c&command=cat;%20echo%20done").arg(m_demoPod),
                          "through the pod\n", true, m_demoKubeconfig);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("through the pod\ndone\n"));
    }
    void demoClusterDefaultContainer()
    {
        // db-0 has two containers: without one, the pod's default container, as kubectl does it.
        const Run r = run(QStringLiteral("k8s:exec/db-0?command=sh&command=-c&command=echo%20in%20db"), {}, true,
                          m_demoKubeconfig);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("in db\n"));
        QVERIFY2(r.err.contains("defaulted container \"main\" out of: main, "), r.err.constData());
        QCOMPARE(run(QStringLiteral("k8s:exec/db-0/main?command=true"), {}, true, m_demoKubeconfig).exitCode, 0);
    }
    void demoClusterRefusedUpgradeShowsStatus()
    {
        // Over TLS Qt 6.4 reports a refused upgrade only as "Unknown error condition": the Status
        // comes from a GET.
        const Run r = run(QStringLiteral("k8s:exec/db-0/no-such-container?command=true"), {}, true, m_demoKubeconfig);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no-such-container"), r.err.constData());
    }
    void demoClusterMissingExecutable()
    {
        const Run r = run(QStringLiteral("k8s:exec/%1?command=no-such-binary-here").arg(m_demoPod), {}, true, m_demoKubeconfig);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith("livedash: ") && r.err.contains("executable file not found"), r.err.constData());
    }

    void exitCodeIsTheRemoteOne()
    {
        const Run r = run(QStringLiteral("k8s:exec/web?command=sh&command=-c&command=exit%203"));
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(!r.err.contains("s3cret"), r.err.constData());
        const FakeKubelet::Session &s = m_kubelet.sessions.last();
        QCOMPARE(s.url.path(), QStringLiteral("/api/v1/namespaces/shop/pods/web/exec"));
        QCOMPARE(s.url.query(QUrl::FullyEncoded), QStringLiteral("command=sh&command=-c&command=exit%203&stdin=true&stdout=true&stderr=true&tty=false"));
        QCOMPARE(run(QStringLiteral("k8s:exec/web?command=sh&command=-c&command=exit%200")).exitCode, 0);
    }
    void stdinToStdoutAndEof()
    {
        // Our EOF becomes the v5 CLOSE; the fake then says "stdin closed" and exits 0.
        const Run r = run(QStringLiteral("k8s:exec/web?command=cat"), "hello\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("hello\nstdin closed\n"));
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        QVERIFY(m_kubelet.sessions.last().received.contains(QByteArray::fromHex("ff00")));
    }
    void stderrIsOurs()
    {
        const Run r = run(QStringLiteral("k8s:exec/web?command=stderr"));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err, QByteArray("err"));
    }
    void failureExitsOne()
    {
        const Run r = run(QStringLiteral("k8s:exec/web?command=fail"));
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QByteArray("livedash: container is not running\n"));
    }
    void droppedExitsOne()
    {
        const Run r = run(QStringLiteral("k8s:exec/web?command=drop"));
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QByteArray("partial"));
        QVERIFY2(r.err.contains("unknown outcome"), r.err.constData());
    }
    void badSyntaxExitsTwo()
    {
        for (const QString &source : {QStringLiteral("k8s:exec/web?comand=ls"), QStringLiteral("k8s:forward/web/x"),
                                      QStringLiteral("k8s:attach/web?command=ls")}) {
            const Run r = run(source);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("k8s:"), r.err.constData());
        }
    }
    void forwardPrintsJsonLines()
    {
        QProcess process;
        process.start(QStringLiteral(LIVEDASH_BIN), args(QStringLiteral("k8s:forward/db-0/0:8080")) << QStringLiteral("--duration")
                                                                                               << QStringLiteral("30"));
        QVERIFY(process.waitForStarted(10000));
        QList<QJsonObject> events;
        QByteArray pending;
        connect(&process, &QProcess::readyReadStandardOutput, this, [&] {
            pending += process.readAllStandardOutput();
            qsizetype nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                events.append(QJsonDocument::fromJson(pending.left(nl)).object());
                pending.remove(0, nl + 1);
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 10000);
        QCOMPARE(events[0].value(u"type").toString(), QStringLiteral("forward"));
        QCOMPARE(events[0].value(u"event").toString(), QStringLiteral("listening"));
        QCOMPARE(events[0].value(u"pod").toString(), QStringLiteral("shop/db-0"));
        QCOMPARE(events[0].value(u"remote").toInt(), 8080);
        QVERIFY(events[0].value(u"ts").toString().endsWith(u'Z'));
        const QString local = events[0].value(u"local").toString();
        QVERIFY2(local.startsWith(u"127.0.0.1:"), qPrintable(local));
        const quint16 port = quint16(local.mid(10).toInt());

        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket.waitForConnected(5000));
        QByteArray back;
        connect(&socket, &QTcpSocket::readyRead, this, [&] { back += socket.readAll(); });
        socket.write("ping through the pod");
        QTRY_COMPARE(back, QByteArray("ping through the pod"));
        socket.disconnectFromHost();
        QTRY_COMPARE(events.size(), 3);
        QCOMPARE(events[1].value(u"event").toString(), QStringLiteral("opened"));
        QCOMPARE(events[1].value(u"id").toInt(), 1);
        QVERIFY(events[1].value(u"peer").toString().startsWith(u"127.0.0.1:"));
        QCOMPARE(events[2].value(u"event").toString(), QStringLiteral("closed"));
        QCOMPARE(events[2].value(u"bytesIn").toInt(), 20);
        QCOMPARE(events[2].value(u"bytesOut").toInt(), 20);
        QVERIFY(!events[2].contains(u"error"));

        // SIGTERM ends it cleanly.
        QSignalSpy finished(&process, &QProcess::finished);
        ::kill(pid_t(process.processId()), SIGTERM);
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }
    void forwardErrorChannel()
    {
        m_kubelet.refusedPorts = {9999};
        QProcess process;
        process.start(QStringLiteral(LIVEDASH_BIN), args(QStringLiteral("k8s:forward/db-0/0:9999")) << QStringLiteral("--duration")
                                                                                               << QStringLiteral("30"));
        QVERIFY(process.waitForStarted(10000));
        QByteArray out;
        connect(&process, &QProcess::readyReadStandardOutput, this, [&] { out += process.readAllStandardOutput(); });
        QTRY_VERIFY_WITH_TIMEOUT(out.contains("\"listening\""), 10000);
        const QJsonObject listening = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object();
        const quint16 port = quint16(listening.value(u"local").toString().mid(10).toInt());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket.waitForConnected(5000));
        QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
        QVERIFY(disconnected.wait(10000));
        QTRY_VERIFY(out.contains("\"closed\""));
        const QList<QByteArray> lines = out.trimmed().split('\n');
        const QJsonObject closed = QJsonDocument::fromJson(lines.last()).object();
        QVERIFY2(closed.value(u"error").toString().contains(u"connection refused"), lines.last().constData());
        process.terminate();
        QSignalSpy finished(&process, &QProcess::finished);
        QVERIFY(process.state() == QProcess::NotRunning || finished.wait(10000));
        QVERIFY(process.readAllStandardError().contains("connection refused"));
        m_kubelet.refusedPorts.clear();
    }
};

QTEST_GUILESS_MAIN(TestHeadlessExec)
#include "tst_headless_exec.moc"
