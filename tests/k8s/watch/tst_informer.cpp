// Informer against the in-process DemoServer: initial (paged) list → synced, watch events flow,
// in-stream 410 → relist with only the differences, clean EOF → re-watch from the stored RV
// without a list, 429 + Retry-After respected, Table mode.

#include "demo_server.h"
#include "informer.h"
#include "k8s_client.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <deque>
#include <functional>

namespace {

const QString PodsPath = QStringLiteral("/api/v1/namespaces/default/pods");

using Script = std::function<void(const HttpRequest &, HttpResponder *)>;

QByteArray podJson(const char *name, const char *rv)
{
    return QByteArray("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"") + name
           + "\",\"namespace\":\"default\",\"uid\":\"uid-" + name + "\",\"resourceVersion\":\"" + rv
           + "\",\"creationTimestamp\":\"2024-05-01T10:00:00Z\"}}";
}

QByteArray listBody(const QList<QByteArray> &pods, const char *rv, const char *continueToken = "")
{
    QByteArray items;
    for (const QByteArray &pod : pods)
        items += (items.isEmpty() ? "" : ",") + pod;
    return QByteArray("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"") + rv
           + "\",\"continue\":\"" + continueToken + "\"},\"items\":[" + items + "]}";
}

QByteArray watchLine(const char *type, const QByteArray &object)
{
    return QByteArray("{\"type\":\"") + type + "\",\"object\":" + object + "}\n";
}

Script respondList(const QByteArray &body)
{
    return [body](const HttpRequest &, HttpResponder *r) { r->respond(200, "application/json", body); };
}

/// 200, writes `lines` at once, then keeps the stream open (or ends it after `endAfterMs`).
Script streamWatch(const QByteArray &lines, int endAfterMs = -1)
{
    return [lines, endAfterMs](const HttpRequest &, HttpResponder *r) {
        r->writeHead(200, {{"Content-Type", "application/json"}});
        if (!lines.isEmpty())
            r->write(lines);
        if (endAfterMs >= 0)
            QTimer::singleShot(endAfterMs, r, [r] { r->end(); });
    };
}

} // namespace

class TestInformer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<DemoServer>();
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
        m_lists.clear();
        m_watches.clear();
        m_server->addRoute(PodsPath, [this](const HttpRequest &request, HttpResponder *responder) {
            const bool watch = request.query.queryItemValue(QStringLiteral("watch")) == u"true";
            std::deque<Script> &queue = watch ? m_watches : m_lists;
            if (queue.empty()) {
                // Out of script: a watch stays open and silent, a list is refused.
                if (watch)
                    responder->writeHead(200, {{"Content-Type", "application/json"}});
                else
                    responder->respond(500, "text/plain", "unscripted list");
                return;
            }
            Script script = std::move(queue.front());
            queue.pop_front();
            script(request, responder);
        });
        KubeContext context;
        context.contextName = QStringLiteral("test");
        context.clusterName = QStringLiteral("demo");
        context.server = m_server->httpUrl();
        context.token = "test-token";
        m_client = std::make_unique<K8sClient>(context);
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void initialListSyncsThenWatchEventsFlow()
    {
        m_lists.push_back(respondList(listBody({podJson("a", "90")}, "100", "page2")));
        m_lists.push_back(respondList(listBody({podJson("b", "95")}, "100")));
        m_watches.push_back(streamWatch(watchLine("MODIFIED", podJson("a", "101"))
                                        + watchLine("BOOKMARK", "{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"102\"}}")));
        Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"));
        QSignalSpy synced(&informer, &Informer::synced);
        QSignalSpy changes(&informer, &Informer::changes);
        QVERIFY(synced.isValid() && changes.isValid());
        informer.start();
        QTRY_COMPARE(synced.size(), 1);
        QCOMPARE(synced.at(0).at(0).toInt(), 2);
        QCOMPARE(changes.at(0).at(0).value<QList<WatchChange>>().size(), 2); // one batch for the list
        QTRY_COMPARE(changes.size(), 2);
        const QList<WatchChange> batch = changes.at(1).at(0).value<QList<WatchChange>>();
        QCOMPARE(batch.size(), 1);
        QCOMPARE(batch[0].kind, WatchChange::Kind::Modified);
        QCOMPARE(batch[0].object.resourceVersion, QByteArray("101"));
        QTRY_COMPARE(informer.resourceVersion(), QByteArray("102"));
        QCOMPARE(informer.state(), Informer::State::Watching);
        QCOMPARE(informer.objects().size(), 2);

        const QList<HttpRequest> requests = m_server->requests(PodsPath);
        QCOMPARE(requests.size(), 3);
        QCOMPARE(requests[0].query.queryItemValue(QStringLiteral("limit")), QStringLiteral("500"));
        QCOMPARE(requests[0].query.queryItemValue(QStringLiteral("resourceVersion")), QStringLiteral("0"));
        QCOMPARE(requests[0].header("Authorization"), QByteArray("Bearer test-token"));
        QCOMPARE(requests[1].query.queryItemValue(QStringLiteral("continue")), QStringLiteral("page2"));
        QVERIFY(!requests[1].query.hasQueryItem(QStringLiteral("resourceVersion")));
        const QUrlQuery watch = requests[2].query;
        QCOMPARE(watch.queryItemValue(QStringLiteral("resourceVersion")), QStringLiteral("100"));
        QCOMPARE(watch.queryItemValue(QStringLiteral("allowWatchBookmarks")), QStringLiteral("true"));
        const int timeout = watch.queryItemValue(QStringLiteral("timeoutSeconds")).toInt();
        QVERIFY(timeout >= 300 && timeout <= 600);
        informer.stop();
        QCOMPARE(informer.state(), Informer::State::Idle);
    }

    void inStream410RelistsWithOnlyDifferences()
    {
        m_lists.push_back(respondList(listBody({podJson("a", "90"), podJson("b", "95")}, "100")));
        m_watches.push_back(streamWatch(watchLine("ERROR", "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                                                            "\"status\":\"Failure\",\"message\":\"too old resource version\","
                                                            "\"reason\":\"Expired\",\"code\":410}")));
        m_lists.push_back(respondList(listBody({podJson("a", "90"), podJson("c", "150")}, "200")));
        Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"));
        QSignalSpy synced(&informer, &Informer::synced);
        QSignalSpy changes(&informer, &Informer::changes);
        QSignalSpy errors(&informer, &Informer::errorOccurred);
        informer.start();
        QTRY_COMPARE(synced.size(), 2);
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).at(0).value<K8sError>().httpStatus, 410);
        QCOMPARE(changes.size(), 2);
        const QList<WatchChange> relist = changes.at(1).at(0).value<QList<WatchChange>>();
        QCOMPARE(relist.size(), 2);
        QCOMPARE(relist[0].kind, WatchChange::Kind::Added);
        QCOMPARE(relist[0].object.name, QByteArray("c"));
        QCOMPARE(relist[1].kind, WatchChange::Kind::Deleted);
        QCOMPARE(relist[1].object.name, QByteArray("b"));
        QTRY_COMPARE(m_server->requests(PodsPath).size(), 4);
        const QList<HttpRequest> requests = m_server->requests(PodsPath);
        QCOMPARE(requests[2].query.queryItemValue(QStringLiteral("resourceVersion")), QStringLiteral("100"));
        QCOMPARE(requests[3].query.queryItemValue(QStringLiteral("resourceVersion")), QStringLiteral("200"));
    }

    void cleanEndRewatchesFromStoredRvWithoutList()
    {
        m_lists.push_back(respondList(listBody({podJson("a", "90")}, "100")));
        m_watches.push_back(streamWatch(watchLine("MODIFIED", podJson("a", "150")), 50));
        Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"));
        QSignalSpy errors(&informer, &Informer::errorOccurred);
        informer.start();
        QTRY_COMPARE(m_server->requests(PodsPath).size(), 3);
        const QList<HttpRequest> requests = m_server->requests(PodsPath);
        QCOMPARE(requests[2].query.queryItemValue(QStringLiteral("watch")), QStringLiteral("true"));
        QCOMPARE(requests[2].query.queryItemValue(QStringLiteral("resourceVersion")), QStringLiteral("150"));
        QCOMPARE(errors.size(), 0);
    }

    void tooManyRequestsRespectsRetryAfter()
    {
        m_lists.push_back(respondList(listBody({podJson("a", "90")}, "100")));
        m_watches.push_back([](const HttpRequest &, HttpResponder *r) {
            r->respond(429, "application/json",
                       "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"TooManyRequests\",\"code\":429}",
                       {{"Retry-After", "2"}});
        });
        Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"));
        QSignalSpy states(&informer, &Informer::stateChanged);
        informer.start();
        QTRY_COMPARE(m_server->requests(PodsPath).size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->requests(PodsPath).size(), 3, 8000);
        const QList<HttpRequest> requests = m_server->requests(PodsPath);
        QCOMPARE(requests[2].query.queryItemValue(QStringLiteral("watch")), QStringLiteral("true"));
        QCOMPARE(requests[2].query.queryItemValue(QStringLiteral("resourceVersion")), QStringLiteral("100"));
        QVERIFY2(requests[2].receivedMs - requests[1].receivedMs >= 1990,
                 qPrintable(QString::number(requests[2].receivedMs - requests[1].receivedMs)));
        bool failed = false;
        for (const QList<QVariant> &s : states)
            failed = failed || s.at(0).value<Informer::State>() == Informer::State::Failed;
        QVERIFY(failed);
    }

    void truncatedEventRewatches()
    {
        m_lists.push_back(respondList(listBody({podJson("a", "90")}, "100")));
        m_watches.push_back([](const HttpRequest &, HttpResponder *r) {
            r->writeHead(200, {{"Content-Type", "application/json"}});
            r->write(watchLine("MODIFIED", podJson("a", "120")) + "{\"type\":\"MODIFIED\",\"object\":{\"kind\"");
            QTimer::singleShot(50, r, [r] { r->abort(); });
        });
        Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"));
        informer.start();
        QTRY_COMPARE(m_server->requests(PodsPath).size(), 3);
        const QList<HttpRequest> requests = m_server->requests(PodsPath);
        QCOMPARE(requests[2].query.queryItemValue(QStringLiteral("watch")), QStringLiteral("true"));
        QCOMPARE(requests[2].query.queryItemValue(QStringLiteral("resourceVersion")), QStringLiteral("120"));
    }

    void unauthorizedIsRetriedOnce()
    {
        const auto unauthorized = [](const HttpRequest &, HttpResponder *r) {
            r->respond(401, "application/json",
                       "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Unauthorized\",\"code\":401}");
        };
        m_lists.push_back(unauthorized);
        m_lists.push_back(respondList(listBody({podJson("a", "90")}, "100")));
        Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"));
        QSignalSpy synced(&informer, &Informer::synced);
        QSignalSpy errors(&informer, &Informer::errorOccurred);
        informer.start();
        QTRY_COMPARE(synced.size(), 1);
        QCOMPARE(errors.size(), 0);
        informer.stop();

        // Refused twice: reported, and the informer backs off (no third request at once).
        m_server->clearRequests();
        m_lists.push_back(unauthorized);
        m_lists.push_back(unauthorized);
        Informer refused(m_client.get(), ApiResource::pods(), QStringLiteral("default"));
        QSignalSpy refusedErrors(&refused, &Informer::errorOccurred);
        refused.start();
        QTRY_COMPARE(refusedErrors.size(), 1);
        QCOMPARE(refusedErrors.at(0).at(0).value<K8sError>().httpStatus, 401);
        // (The first informer's watch may still reach the server after clearRequests(): count lists.)
        int lists = 0;
        for (const HttpRequest &request : m_server->requests(PodsPath))
            lists += request.query.hasQueryItem(QStringLiteral("watch")) ? 0 : 1;
        QCOMPARE(lists, 2);
        QCOMPARE(refused.state(), Informer::State::Failed);
    }

    void streamingListSyncsAtBookmark()
    {
        m_watches.push_back(streamWatch(watchLine("ADDED", podJson("a", "7")) + watchLine("ADDED", podJson("b", "5"))
                                        + watchLine("BOOKMARK", "{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"9\","
                                                                "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}")));
        InformerOptions options;
        options.streamingList = true;
        Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"), options);
        QSignalSpy synced(&informer, &Informer::synced);
        informer.start();
        QTRY_COMPARE(synced.size(), 1);
        QCOMPARE(synced.at(0).at(0).toInt(), 2);
        QCOMPARE(informer.resourceVersion(), QByteArray("9"));
        const QUrlQuery query = m_server->requests(PodsPath).at(0).query;
        QCOMPARE(query.queryItemValue(QStringLiteral("sendInitialEvents")), QStringLiteral("true"));
        QCOMPARE(query.queryItemValue(QStringLiteral("resourceVersionMatch")), QStringLiteral("NotOlderThan"));
        QVERIFY(query.hasQueryItem(QStringLiteral("resourceVersion")));
        QCOMPARE(query.queryItemValue(QStringLiteral("resourceVersion")), QString());
    }

    void tableModeAndFallback()
    {
        const QByteArray table =
            "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"100\"},"
            "\"columnDefinitions\":[{\"name\":\"Name\",\"type\":\"string\",\"format\":\"name\",\"priority\":0},"
            "{\"name\":\"Status\",\"type\":\"string\",\"format\":\"\",\"priority\":0}],"
            "\"rows\":[{\"cells\":[\"a\",\"Running\"],\"object\":{\"kind\":\"PartialObjectMetadata\",\"metadata\":"
            "{\"name\":\"a\",\"namespace\":\"default\",\"resourceVersion\":\"90\"}}}]}";
        m_lists.push_back(respondList(table));
        const QByteArray rowEvent =
            "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"101\"},"
            "\"columnDefinitions\":[],\"rows\":[{\"cells\":[\"a\",\"Succeeded\"],\"object\":{\"kind\":\"PartialObjectMetadata\","
            "\"metadata\":{\"name\":\"a\",\"namespace\":\"default\",\"resourceVersion\":\"101\"}}}]}";
        m_watches.push_back(streamWatch(watchLine("MODIFIED", rowEvent)));
        InformerOptions options;
        options.table = true;
        Informer informer(m_client.get(), ApiResource::pods(), QStringLiteral("default"), options);
        QSignalSpy changes(&informer, &Informer::changes);
        informer.start();
        QTRY_COMPARE(changes.size(), 2);
        QCOMPARE(informer.columns().size(), 2);
        QCOMPARE(informer.columns()[1].name, QStringLiteral("Status"));
        const QList<WatchChange> modified = changes.at(1).at(0).value<QList<WatchChange>>();
        QCOMPARE(modified[0].object.cells, QStringList({"a", "Succeeded"}));
        QCOMPARE(modified[0].object.resourceVersion, QByteArray("101"));
        QVERIFY(m_server->requests(PodsPath)[0].header("Accept").startsWith(Informer::TableAccept));

        // A server without Tables answers plain lists: NAME/AGE columns.
        m_lists.push_back(respondList(listBody({podJson("b", "5")}, "10")));
        Informer plain(m_client.get(), ApiResource::pods(), QStringLiteral("default"), options);
        QSignalSpy synced(&plain, &Informer::synced);
        plain.start();
        QTRY_COMPARE(synced.size(), 1);
        QCOMPARE(plain.columns().size(), 2);
        QCOMPARE(plain.columns()[1].name, QStringLiteral("Age"));
        QCOMPARE(plain.objects().at(0).cells, QStringList({"b", "2024-05-01T10:00:00Z"}));
    }

private:
    std::unique_ptr<DemoServer> m_server;
    std::unique_ptr<K8sClient> m_client;
    std::deque<Script> m_lists;
    std::deque<Script> m_watches;
};

QTEST_GUILESS_MAIN(TestInformer)
#include "tst_informer.moc"
