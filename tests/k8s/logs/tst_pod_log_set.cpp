#include "demo_server.h"
#include "fake_kubelet_log.h"
#include "informer.h"
#include "k8s_client.h"
#include "pod_log_set.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace {

struct ContainerSpec
{
    QString name;
    QString state; ///< running | terminated | waiting
    bool init = false;
    int restartCount = 0;
};

QByteArray podJson(const QString &name, const QList<ContainerSpec> &containers)
{
    QJsonArray specs, initSpecs, statuses, initStatuses;
    for (const ContainerSpec &c : containers) {
        (c.init ? initSpecs : specs).append(QJsonObject{{QStringLiteral("name"), c.name}});
        const QJsonObject detail = c.state == u"waiting"
                                       ? QJsonObject{{QStringLiteral("reason"), QStringLiteral("ContainerCreating")}}
                                       : QJsonObject{};
        (c.init ? initStatuses : statuses)
            .append(QJsonObject{{QStringLiteral("name"), c.name},
                                {QStringLiteral("restartCount"), c.restartCount},
                                {QStringLiteral("state"), QJsonObject{{c.state, detail}}}});
    }
    return QJsonDocument(QJsonObject{
                             {QStringLiteral("kind"), QStringLiteral("Pod")},
                             {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name},
                                                                      {QStringLiteral("namespace"), QStringLiteral("default")}}},
                             {QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"), specs},
                                                                  {QStringLiteral("initContainers"), initSpecs}}},
                             {QStringLiteral("status"), QJsonObject{{QStringLiteral("containerStatuses"), statuses},
                                                                    {QStringLiteral("initContainerStatuses"), initStatuses}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestPodLogSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void mergesTwoPodsInTimeOrder();
    void waitingThenRunning();
    void deletedPodReported();
    void containerFilterAndInitContainers();
    void restartedContainerFollowedFromItsStart();
    void drivenByAnInformer();

private:
    /// Serves pod `name` (JSON from `pods`) and the logs of its containers from `logs`, kept open.
    void servePod(const QString &name);

    std::unique_ptr<DemoServer> m_server;
    std::unique_ptr<K8sClient> m_client;
    QHash<QString, QByteArray> m_pods;              ///< by pod name
    QHash<QString, FakeKubeletLog> m_logs;          ///< by "pod/container"
};

void TestPodLogSet::init()
{
    m_server = std::make_unique<DemoServer>();
    QVERIFY(m_server->listen());
    KubeContext context;
    context.contextName = QStringLiteral("test");
    context.server = m_server->httpUrl();
    m_client = std::make_unique<K8sClient>(context);
}

void TestPodLogSet::cleanup()
{
    m_client.reset();
    m_server.reset();
    m_pods.clear();
    m_logs.clear();
}

void TestPodLogSet::servePod(const QString &name)
{
    const QString path = QStringLiteral("/api/v1/namespaces/default/pods/") + name;
    m_server->addRoute(path, [this, name](const HttpRequest &, HttpResponder *r) {
        r->respond(200, "application/json", m_pods.value(name));
    });
    m_server->addRoute(path + QStringLiteral("/log"), [this, name](const HttpRequest &request, HttpResponder *r) {
        const QString container = request.query.queryItemValue(QStringLiteral("container"));
        r->writeHead(200, {{"Content-Type", "text/plain"}});
        r->write(m_logs.value(name + QLatin1Char('/') + container).replay());
        if (m_pods.value(name).contains("\"terminated\""))
            r->end();
    });
}

void TestPodLogSet::mergesTwoPodsInTimeOrder()
{
    m_logs.insert(QStringLiteral("web-1/main"), FakeKubeletLog::generate(400, 1));
    m_logs.insert(QStringLiteral("web-2/main"), FakeKubeletLog::generate(300, 2));
    for (const QString &pod : {QStringLiteral("web-1"), QStringLiteral("web-2")}) {
        m_pods.insert(pod, podJson(pod, {{QStringLiteral("main"), QStringLiteral("running")}}));
        servePod(pod);
    }
    PodLogSetOptions options;
    options.windowMs = 100;
    PodLogSet set(m_client.get(), options);
    QSignalSpy status(&set, &PodLogSet::statusChanged);
    QList<MergedLogLine> got;
    connect(&set, &PodLogSet::lines, this, [&got](const QList<MergedLogLine> &b) { got += b; });
    set.applyPod(m_pods.value(QStringLiteral("web-1")));
    set.applyPod(m_pods.value(QStringLiteral("web-2")));
    QCOMPARE(set.streamKeys(), (QStringList{QStringLiteral("default/web-1/main"), QStringLiteral("default/web-2/main")}));
    QTRY_COMPARE(got.size(), 700);
    // Each stream's lines in its own order, complete.
    for (const QString &pod : {QStringLiteral("web-1"), QStringLiteral("web-2")}) {
        QList<KubeLogLine> mine;
        for (const MergedLogLine &l : got) {
            if (l.streamKey == QStringLiteral("default/") + pod + QStringLiteral("/main"))
                mine.append(KubeLogLine{l.timestamp, l.text, true});
        }
        QCOMPARE(mine, m_logs.value(pod + QStringLiteral("/main")).lines);
    }
    // Merged in timestamp order, except lines marked late.
    KubeTimestamp last;
    int late = 0;
    for (const MergedLogLine &l : got) {
        if (l.late) {
            ++late;
            continue;
        }
        QVERIFY(!(l.timestamp < last));
        last = l.timestamp;
    }
    QCOMPARE(qint64(late), set.merger().lateLines());
    QStringList texts;
    for (const QList<QVariant> &s : status)
        texts << s[1].toString();
    QVERIFY2(texts.contains(QStringLiteral("following default/web-1/main")), qPrintable(texts.join(u'|')));
    QVERIFY(texts.contains(QStringLiteral("following default/web-2/main")));
}

void TestPodLogSet::waitingThenRunning()
{
    m_logs.insert(QStringLiteral("web-2/main"), FakeKubeletLog::generate(5, 3));
    m_pods.insert(QStringLiteral("web-2"), podJson(QStringLiteral("web-2"), {{QStringLiteral("main"), QStringLiteral("waiting")}}));
    servePod(QStringLiteral("web-2"));
    PodLogSetOptions options;
    options.windowMs = 50;
    PodLogSet set(m_client.get(), options);
    QSignalSpy status(&set, &PodLogSet::statusChanged);
    QList<MergedLogLine> got;
    connect(&set, &PodLogSet::lines, this, [&got](const QList<MergedLogLine> &b) { got += b; });
    set.applyPod(m_pods.value(QStringLiteral("web-2")));
    set.applyPod(m_pods.value(QStringLiteral("web-2"))); // the same news is not repeated
    QCOMPARE(status.size(), 1);
    QCOMPARE(status[0][1].toString(), QStringLiteral("waiting: default/web-2/main is not started (ContainerCreating)"));
    QVERIFY(set.streamKeys().isEmpty());
    m_pods.insert(QStringLiteral("web-2"), podJson(QStringLiteral("web-2"), {{QStringLiteral("main"), QStringLiteral("running")}}));
    set.applyPod(m_pods.value(QStringLiteral("web-2")));
    QTRY_COMPARE(got.size(), 5);
    QCOMPARE(status.last()[1].toString(), QStringLiteral("following default/web-2/main"));
    QCOMPARE(m_server->requests(QStringLiteral("/api/v1/namespaces/default/pods/web-2/log")).size(), 1);
}

void TestPodLogSet::deletedPodReported()
{
    m_logs.insert(QStringLiteral("web-1/main"), FakeKubeletLog::generate(3, 4));
    m_pods.insert(QStringLiteral("web-1"), podJson(QStringLiteral("web-1"), {{QStringLiteral("main"), QStringLiteral("running")}}));
    servePod(QStringLiteral("web-1"));
    PodLogSetOptions options;
    options.windowMs = 50;
    PodLogSet set(m_client.get(), options);
    QSignalSpy status(&set, &PodLogSet::statusChanged);
    QList<MergedLogLine> got;
    connect(&set, &PodLogSet::lines, this, [&got](const QList<MergedLogLine> &b) { got += b; });
    set.applyPod(m_pods.value(QStringLiteral("web-1")));
    QTRY_COMPARE(got.size(), 3);
    set.removePod(QStringLiteral("default/web-1"));
    QCOMPARE(status.last()[0].toString(), QStringLiteral("default/web-1"));
    QCOMPARE(status.last()[1].toString(), QStringLiteral("pod default/web-1 deleted"));
    QVERIFY(set.streamKeys().isEmpty());
}

void TestPodLogSet::containerFilterAndInitContainers()
{
    const QByteArray pod = podJson(QStringLiteral("web-1"), {{QStringLiteral("setup"), QStringLiteral("terminated"), true},
                                                             {QStringLiteral("main"), QStringLiteral("running")},
                                                             {QStringLiteral("sidecar"), QStringLiteral("running")}});
    m_pods.insert(QStringLiteral("web-1"), pod);
    servePod(QStringLiteral("web-1"));
    {
        PodLogSet set(m_client.get(), PodLogSetOptions{});
        set.applyPod(pod);
        QCOMPARE(set.streamKeys(), (QStringList{QStringLiteral("default/web-1/main"), QStringLiteral("default/web-1/sidecar")}));
    }
    {
        PodLogSetOptions options;
        options.includeInitContainers = true;
        options.containerFilter = QRegularExpression(QStringLiteral("^(setup|main)$"));
        PodLogSet set(m_client.get(), options);
        set.applyPod(pod);
        QCOMPARE(set.streamKeys(), (QStringList{QStringLiteral("default/web-1/main"), QStringLiteral("default/web-1/setup")}));
    }
}

void TestPodLogSet::restartedContainerFollowedFromItsStart()
{
    // Instance 0 logs and exits: its stream ends. The pod watch then reports restartCount 1 and a
    // running container: a new stream reads the new instance from its start (no tail, no since).
    const FakeKubeletLog first = FakeKubeletLog::generate(4, 5);
    const FakeKubeletLog second = FakeKubeletLog::generate(3, 6, first.lines.last().timestamp.seconds + 10);
    m_logs.insert(QStringLiteral("web-1/main"), first);
    m_pods.insert(QStringLiteral("web-1"), podJson(QStringLiteral("web-1"), {{QStringLiteral("main"), QStringLiteral("terminated")}}));
    servePod(QStringLiteral("web-1"));
    PodLogSetOptions options;
    options.windowMs = 50;
    options.tailLines = 100;
    PodLogSet set(m_client.get(), options);
    QSignalSpy status(&set, &PodLogSet::statusChanged);
    QList<MergedLogLine> got;
    connect(&set, &PodLogSet::lines, this, [&got](const QList<MergedLogLine> &b) { got += b; });
    set.applyPod(m_pods.value(QStringLiteral("web-1")));
    QTRY_COMPARE(got.size(), 4);
    QTRY_COMPARE(status.last()[1].toString(), QStringLiteral("ended default/web-1/main"));
    m_logs.insert(QStringLiteral("web-1/main"), second);
    ContainerSpec restarted{QStringLiteral("main"), QStringLiteral("running")};
    restarted.restartCount = 1;
    m_pods.insert(QStringLiteral("web-1"), podJson(QStringLiteral("web-1"), {restarted}));
    set.applyPod(m_pods.value(QStringLiteral("web-1")));
    QTRY_COMPARE(got.size(), 7);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(got[4 + i].text, second.lines[i].text);
    const QList<HttpRequest> requests = m_server->requests(QStringLiteral("/api/v1/namespaces/default/pods/web-1/log"));
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[0].query.queryItemValue(QStringLiteral("tailLines")), QStringLiteral("100"));
    QVERIFY(!requests[1].query.hasQueryItem(QStringLiteral("tailLines")));
    QVERIFY(!requests[1].query.hasQueryItem(QStringLiteral("sinceTime")));
}

void TestPodLogSet::drivenByAnInformer()
{
    // The two-line wiring: an Informer on pods feeds the set; a DELETED event ends the pod.
    m_logs.insert(QStringLiteral("web-1/main"), FakeKubeletLog::generate(6, 11));
    m_pods.insert(QStringLiteral("web-1"), podJson(QStringLiteral("web-1"), {{QStringLiteral("main"), QStringLiteral("running")}}));
    servePod(QStringLiteral("web-1"));
    QPointer<HttpResponder> watch;
    m_server->addRoute(QStringLiteral("/api/v1/namespaces/default/pods"), [this, &watch](const HttpRequest &request, HttpResponder *r) {
        if (request.query.queryItemValue(QStringLiteral("watch")) == u"true") {
            r->writeHead(200, {{"Content-Type", "application/json"}});
            watch = r;
            return;
        }
        r->respond(200, "application/json",
                   "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"10\"},\"items\":["
                       + m_pods.value(QStringLiteral("web-1")) + "]}");
    });
    PodLogSetOptions options;
    options.windowMs = 50;
    PodLogSet set(m_client.get(), options);
    Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"));
    connect(&informer, &Informer::changes, &set, &PodLogSet::applyChanges);
    QSignalSpy status(&set, &PodLogSet::statusChanged);
    QList<MergedLogLine> got;
    connect(&set, &PodLogSet::lines, this, [&got](const QList<MergedLogLine> &b) { got += b; });
    informer.start();
    QTRY_COMPARE(got.size(), 6);
    QCOMPARE(set.streamKeys(), QStringList{QStringLiteral("default/web-1/main")});
    QTRY_VERIFY(watch);
    // The deletion as the informer reports it (a DELETED watch event written to `watch` crashes
    // the watch decoder at the time of writing: reported to its owner).
    WatchChange deleted;
    deleted.kind = WatchChange::Kind::Deleted;
    deleted.object.name = "web-1";
    deleted.object.namespaceName = "default";
    deleted.object.object = m_pods.value(QStringLiteral("web-1"));
    set.applyChanges({deleted});
    QCOMPARE(status.last()[1].toString(), QStringLiteral("pod default/web-1 deleted"));
    QVERIFY(set.streamKeys().isEmpty());
    informer.stop();
}

QTEST_GUILESS_MAIN(TestPodLogSet)
#include "tst_pod_log_set.moc"
