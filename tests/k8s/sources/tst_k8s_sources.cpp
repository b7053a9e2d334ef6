// The k8s transport (every k8s: source) end to end against the demo's fake cluster on 127.0.0.1:
// kubeconfig → K8sEnvironment → K8sClient → informer / log followers → StreamEvents.

#include "demo_server.h"
#include "fake_cluster.h"
#include "k8s_environment.h"
#include "k8s_transports.h"
#include "transport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

struct Collected
{
    QList<StreamEvent> events;
    QStringList notices;
    QList<TransportError> errors;

    int count(const QByteArray &type) const
    {
        int n = 0;
        for (const StreamEvent &e : events)
            n += e.type == type ? 1 : 0;
        return n;
    }
    bool hasNotice(const QString &part) const
    {
        for (const QString &n : notices)
            if (n.contains(part))
                return true;
        return false;
    }
};

} // namespace

class TestK8sSources : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<DemoServer> m_server;
    QTemporaryDir m_dir;
    QString m_kubeconfig;
    TransportRegistry m_registry;
    std::shared_ptr<K8sEnvironment> m_env;

    std::unique_ptr<Transport> open(const QString &source, Collected *out)
    {
        std::unique_ptr<Transport> t = m_registry.create(QStringLiteral("k8s"));
        connect(t.get(), &Transport::eventsReceived, this, [out](const QList<StreamEvent> &batch) { out->events += batch; });
        connect(t.get(), &Transport::notice, this, [out](const QString &text) { out->notices << text; });
        connect(t.get(), &Transport::errorOccurred, this, [out](const TransportError &e) { out->errors << e; });
        TransportConfig config;
        config.url = QUrl(source);
        config.transportId = QStringLiteral("k8s");
        t->open(config);
        return t;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<DemoServer>();
        QVERIFY(m_server->listen());
        FakeCluster::LifePeriods periods;
        periods.replacePodMs = 0;
        periods.restartContainerMs = 0;
        periods.bookmarkMs = 500;
        m_server->cluster()->setLifePeriods(periods);
        QString error;
        m_kubeconfig = m_server->cluster()->writeKubeconfig(m_dir.filePath(QStringLiteral("kubeconfig")), &error);
        QVERIFY2(!m_kubeconfig.isEmpty(), qPrintable(error));
        KubeconfigLoadOptions options;
        options.explicitPath = m_kubeconfig;
        m_env = std::make_shared<K8sEnvironment>(options);
        m_registry = TransportRegistry();
        registerK8sTransports(m_registry, m_env);
    }
    void cleanup()
    {
        m_env.reset();
        m_server.reset();
    }

    void watchPodsListsThenWatches()
    {
        Collected got;
        auto t = open(QStringLiteral("k8s:watch/pods"), &got);
        QTRY_VERIFY_WITH_TIMEOUT(got.hasNotice(QStringLiteral("synced: ")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(t->state(), Transport::State::Open, 5000);
        const int initial = got.count("ADDED");
        QVERIFY(initial >= 3); // web's three replicas and db-0 in "default"
        for (const StreamEvent &e : got.events) {
            QVERIFY2(e.id.startsWith("default/"), e.id.constData());
            QCOMPARE(QJsonDocument::fromJson(e.payload).object().value(QLatin1String("kind")).toString(), QStringLiteral("Pod"));
        }
        QVERIFY(m_server->cluster()->addPod(QStringLiteral("extra-1")));
        QTRY_VERIFY_WITH_TIMEOUT(got.count("ADDED") == initial + 1, 5000);
        QCOMPARE(got.events.last().id, QByteArray("default/extra-1"));
        QVERIFY(m_server->cluster()->deletePod(QStringLiteral("extra-1")));
        QTRY_VERIFY_WITH_TIMEOUT(got.count("DELETED") >= 1, 10000);
        t->close();
    }

    void watchAfterCompactionEmitsOnlyDifferences()
    {
        Collected got;
        auto t = open(QStringLiteral("k8s:watch/pods"), &got);
        QTRY_VERIFY_WITH_TIMEOUT(got.hasNotice(QStringLiteral("synced: ")), 10000);
        const int before = got.events.size();
        m_server->cluster()->compactHistory();
        m_server->cluster()->cutStreams();
        QTRY_VERIFY_WITH_TIMEOUT(t->state() == Transport::State::Open, 10000);
        QVERIFY(m_server->cluster()->addPod(QStringLiteral("after-410")));
        QTRY_VERIFY_WITH_TIMEOUT(!got.events.isEmpty() && got.events.last().id == "default/after-410", 15000);
        // Nothing else changed, so the relist brought no ADDED for the pods already known.
        QCOMPARE(got.events.size(), before + 1);
        t->close();
    }

    void watchCustomResourceByPluralGroup()
    {
        Collected got;
        auto t = open(QStringLiteral("k8s:watch/widgets.demo.livedash.io"), &got);
        QTRY_VERIFY_WITH_TIMEOUT(got.hasNotice(QStringLiteral("synced: ")), 10000);
        QVERIFY(got.hasNotice(QStringLiteral("widgets")));
        t->close();
    }

    void unknownResourceFails()
    {
        Collected got;
        auto t = open(QStringLiteral("k8s:watch/gizmos"), &got);
        QTRY_VERIFY_WITH_TIMEOUT(t->state() == Transport::State::Closed, 10000);
        QVERIFY(t->hasFailed());
        QVERIFY(!got.errors.isEmpty());
        QVERIFY2(got.errors.last().message.contains(QStringLiteral("doesn't have a resource type \"gizmos\"")),
                 qPrintable(got.errors.last().message));
    }

    void deploymentLogsMergedInTimeOrder()
    {
        Collected got;
        auto t = open(QStringLiteral("k8s:logs/deployment/web"), &got);
        QTRY_VERIFY_WITH_TIMEOUT(got.count("log") >= 30, 20000);
        QSet<QByteArray> streams;
        qint64 last = 0;
        for (const StreamEvent &e : got.events) {
            QCOMPARE(e.type, QByteArray("log"));
            QVERIFY2(e.id.startsWith("default/web-"), e.id.constData());
            streams.insert(e.id);
            QVERIFY2(e.receivedMs >= last, "merged log lines go back in time");
            last = e.receivedMs;
        }
        QVERIFY2(streams.size() >= 2, "lines from more than one pod");
        QVERIFY(got.hasNotice(QStringLiteral("following default/web-")));
        t->close();
    }

    void resumeAfterCutsLosesAndDoublesNothing()
    {
        FakeCluster *cluster = m_server->cluster();
        cluster->setLogRates(0);
        QVERIFY(cluster->addPod(QStringLiteral("steady")));
        Collected got;
        auto t = open(QStringLiteral("k8s:logs/steady"), &got);
        QTRY_VERIFY2_WITH_TIMEOUT(got.hasNotice(QStringLiteral("following default/steady/main")),
                                  qPrintable(got.notices.join(QStringLiteral(" | ")) + QStringLiteral(" errors: ")
                                             + (got.errors.isEmpty() ? QString() : got.errors.last().message)
                                             + QStringLiteral(" state: ") + Transport::stateName(t->state())), 10000);
        // Lines in bursts that share seconds and exact timestamps, with cuts in between.
        const qint64 base = QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
        QList<QByteArray> expected;
        for (int round = 0; round < 6; ++round) {
            QList<QByteArray> lines;
            for (int i = 0; i < 5; ++i)
                lines << QByteArray("line %1-%2").replace("%1", QByteArray::number(round)).replace("%2", QByteArray::number(i));
            QVERIFY(cluster->appendLogLines(QStringLiteral("steady"), QStringLiteral("main"), lines, base + round * 1000));
            expected += lines;
            QTRY_VERIFY_WITH_TIMEOUT(got.count("log") == expected.size(), 10000);
            cluster->cutStreams();
        }
        QList<QByteArray> received;
        for (const StreamEvent &e : got.events)
            if (e.type == "log")
                received << e.payload;
        QCOMPARE(received, expected);
        QVERIFY(got.hasNotice(QStringLiteral("resumed default/steady/main")));
        t->close();
    }

    void twoHundredFollowsAllFlow()
    {
        // 200 concurrent follows against one API server (HTTP/1.1 here: NetworkPool spreads them
        // over managers so Qt's 6-connections-per-host queue never holds one back).
        FakeCluster *cluster = m_server->cluster();
        constexpr int Pods = 200;
        for (int i = 0; i < Pods; ++i) {
            const QString name = QStringLiteral("many-%1").arg(i);
            QVERIFY(cluster->addPod(name, {QStringLiteral("main")}, {{QStringLiteral("fleet"), QStringLiteral("many")}}));
            QVERIFY(cluster->setLogRate(name, QStringLiteral("main"), 2.0));
        }
        Collected got;
        auto t = open(QStringLiteral("k8s:logs?selector=fleet%3Dmany"), &got);
        QSet<QByteArray> streams;
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                for (const StreamEvent &e : std::as_const(got.events))
                    streams.insert(e.id);
                return streams.size() == Pods;
            }(),
            qPrintable(QStringLiteral("%1 of %2 streams delivered").arg(streams.size()).arg(Pods)), 60000);
        t->close();
    }

    void missingContextIsSpecific()
    {
        Collected got;
        auto t = open(QStringLiteral("k8s:logs/web?context=nope"), &got);
        QTRY_VERIFY_WITH_TIMEOUT(t->state() == Transport::State::Closed, 5000);
        QVERIFY(!got.errors.isEmpty());
        QVERIFY2(got.errors.last().message.contains(QStringLiteral("nope")), qPrintable(got.errors.last().message));
        QVERIFY2(got.errors.last().message.contains(QStringLiteral("livedash-demo")), qPrintable(got.errors.last().message));
    }
};

QTEST_GUILESS_MAIN(TestK8sSources)
#include "tst_k8s_sources.moc"
