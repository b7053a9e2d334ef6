// The demo's fake Kubernetes API server (app/demo/fake_cluster/) over real HTTP on 127.0.0.1.

#include "demo_server.h"
#include "fake_cluster.h"
#include "fake_objects.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTcpSocket>
#include <QTest>

#include <memory>

namespace {

const QByteArray TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

struct Response
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QList<QJsonObject> jsonLines(const QByteArray &body)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : body.split('\n')) {
        if (!line.trimmed().isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

QStringList names(const QJsonArray &items)
{
    QStringList out;
    for (const QJsonValue &item : items)
        out.append(item.toObject().value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString());
    return out;
}

/// A GET on a raw socket, to see the wire: whether a chunked body got its terminating chunk.
class RawStream
{
public:
    RawStream(quint16 port, const QByteArray &target, const QByteArray &token)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n");
        QObject::connect(&m_socket, &QIODevice::readyRead, &m_socket, [this] { m_data += m_socket.readAll(); });
    }
    bool isClosed() const { return m_socket.state() == QAbstractSocket::UnconnectedState; }
    const QByteArray &data() const { return m_data; }
    bool endedCleanly() const { return m_data.endsWith("\r\n0\r\n\r\n"); }

private:
    QTcpSocket m_socket;
    QByteArray m_data;
};

QString metaName(const QJsonObject &object)
{
    return object.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
}

} // namespace

class TestFakeCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void startsLazily();
    void unauthorizedWithoutToken();
    void prefixRoutesKeepExactRoutesFirst();
    void discovery();
    void listWithSelectors();
    void listAsTable();
    void listPaging();
    void getOneObject();
    void watchReplaysFromResourceVersion();
    void watchLiveEventsAndTableEvents();
    void watchExpiredAfterCompaction();
    void continueExpiredAfterCompaction();
    void bookmarks();
    void streamingListEndMarker();
    void watchTimeoutEndsCleanly();
    void logsParameters();
    void logsSinceSeconds();
    void logsErrors();
    void logsPreviousAfterRestart();
    void logsWaitingContainer();
    void followGetsNewLinesAndEndsOnRestart();
    void cutStreamsEndsFollow();
    void kubeconfigFileIsPrivate();
    void benchLogIsComplete();
    void benchWatchIsComplete();
    void generatedLogsShareTimestamps();
    void lifeReplacesPodsAndRestartsContainers();
    void silentThenRestart();
    void randomCuts();

private:
    QNetworkRequest request(const QString &pathAndQuery, bool withToken = true, const QByteArray &accept = {}) const;
    Response get(const QString &pathAndQuery, bool withToken = true, const QByteArray &accept = {});
    QNetworkReply *open(const QString &pathAndQuery, const QByteArray &accept = {});

    std::unique_ptr<DemoServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    FakeCluster *m_cluster = nullptr;
};

void TestFakeCluster::init()
{
    m_server = std::make_unique<DemoServer>();
    QVERIFY(m_server->listen());
    m_cluster = m_server->cluster();
    QVERIFY(m_cluster);
    FakeCluster::LifePeriods periods;
    periods.replacePodMs = 0;
    periods.restartContainerMs = 0;
    periods.bookmarkMs = 100;
    m_cluster->setLifePeriods(periods);
    m_cluster->setLogRates(0);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void TestFakeCluster::cleanup()
{
    m_nam.reset();
    m_cluster = nullptr;
    m_server.reset();
}

QNetworkRequest TestFakeCluster::request(const QString &pathAndQuery, bool withToken, const QByteArray &accept) const
{
    QNetworkRequest req(m_server->httpUrl(pathAndQuery));
    if (withToken)
        req.setRawHeader("Authorization", "Bearer " + m_cluster->token());
    req.setRawHeader("Accept", accept.isEmpty() ? QByteArray("application/json") : accept);
    return req;
}

Response TestFakeCluster::get(const QString &pathAndQuery, bool withToken, const QByteArray &accept)
{
    QNetworkReply *reply = m_nam->get(request(pathAndQuery, withToken, accept));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10'000);
    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    reply->deleteLater();
    return response;
}

QNetworkReply *TestFakeCluster::open(const QString &pathAndQuery, const QByteArray &accept)
{
    QNetworkReply *reply = m_nam->get(request(pathAndQuery, true, accept));
    reply->setParent(this);
    return reply;
}

void TestFakeCluster::startsLazily()
{
    DemoServer server;
    QVERIFY(server.listen());
    QSignalSpy changes(server.cluster(), &FakeCluster::podChanged);
    QNetworkRequest req(server.httpUrl(QStringLiteral("/sse/metrics?hz=1")));
    QNetworkReply *unrelated = m_nam->get(req);
    QTRY_VERIFY(unrelated->bytesAvailable() > 0);
    unrelated->abort();
    QCOMPARE(changes.size(), 0); // nothing made for a server that never served Kubernetes

    QNetworkRequest pods(server.httpUrl(QStringLiteral("/api/v1/pods")));
    pods.setRawHeader("Authorization", "Bearer " + server.cluster()->token());
    QNetworkReply *reply = m_nam->get(pods);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("items")).toArray().size(), changes.size());
    QVERIFY(changes.size() >= 6);
    reply->deleteLater();
}

void TestFakeCluster::unauthorizedWithoutToken()
{
    for (const QString &path : {QStringLiteral("/api/v1/pods"), QStringLiteral("/version"), QStringLiteral("/apis"),
                                QStringLiteral("/api/v1/namespaces/default/pods/db-0/log?container=main")}) {
        const Response r = get(path, false);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.body, QByteArray(R"({"apiVersion":"v1","code":401,"kind":"Status","message":"Unauthorized","metadata":{},"reason":"Unauthorized","status":"Failure"})"));
    }
    QNetworkRequest wrong = request(QStringLiteral("/api/v1/pods"), false);
    wrong.setRawHeader("Authorization", "Bearer " + QByteArray(64, 'a'));
    QNetworkReply *reply = m_nam->get(wrong);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
    reply->deleteLater();
    QCOMPARE(m_cluster->token().size(), 64);
    QVERIFY(QByteArray::fromHex(m_cluster->token()).size() == 32);
}

void TestFakeCluster::prefixRoutesKeepExactRoutesFirst()
{
    m_server->addRoute(QStringLiteral("/api/exact"), [](const HttpRequest &, HttpResponder *responder) {
        responder->respond(200, "text/plain", "exact");
    });
    QCOMPARE(get(QStringLiteral("/api/exact"), false).body, QByteArray("exact"));
    QCOMPARE(get(QStringLiteral("/apifoo"), false).status, 404); // not below "/api"
    QCOMPARE(get(QStringLiteral("/api/v1/nosuch")).status, 404);
    QCOMPARE(get(QStringLiteral("/openapi/v2")).status, 404);
}

void TestFakeCluster::discovery()
{
    QCOMPARE(get(QStringLiteral("/version")).json().value(QLatin1String("major")).toString(), QStringLiteral("1"));
    QCOMPARE(get(QStringLiteral("/api")).json().value(QLatin1String("versions")).toArray(), QJsonArray{QStringLiteral("v1")});

    const QJsonArray core = get(QStringLiteral("/api/v1")).json().value(QLatin1String("resources")).toArray();
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue &r : core)
        byName.insert(r.toObject().value(QLatin1String("name")).toString(), r.toObject());
    for (const char *name : {"pods", "pods/log", "namespaces", "nodes", "services", "events"})
        QVERIFY2(byName.contains(QLatin1String(name)), name);
    QCOMPARE(byName[QStringLiteral("pods")].value(QLatin1String("namespaced")).toBool(), true);
    QCOMPARE(byName[QStringLiteral("nodes")].value(QLatin1String("namespaced")).toBool(), false);
    QCOMPARE(byName[QStringLiteral("pods")].value(QLatin1String("shortNames")).toArray(), QJsonArray{QStringLiteral("po")});
    QVERIFY(byName[QStringLiteral("pods")].value(QLatin1String("verbs")).toArray().contains(QStringLiteral("watch")));

    QStringList groups;
    for (const QJsonValue &g : get(QStringLiteral("/apis")).json().value(QLatin1String("groups")).toArray())
        groups.append(g.toObject().value(QLatin1String("preferredVersion")).toObject().value(QLatin1String("groupVersion")).toString());
    QCOMPARE(groups, (QStringList{QStringLiteral("apps/v1"), QStringLiteral("batch/v1"), QStringLiteral("demo.livedash.io/v1")}));
    const QJsonObject widgets = get(QStringLiteral("/apis/demo.livedash.io/v1")).json();
    QCOMPARE(widgets.value(QLatin1String("groupVersion")).toString(), QStringLiteral("demo.livedash.io/v1"));
    QCOMPARE(widgets.value(QLatin1String("resources")).toArray().first().toObject().value(QLatin1String("name")).toString(), QStringLiteral("widgets"));
    QCOMPARE(get(QStringLiteral("/apis/apps/v1")).status, 200);
    QCOMPARE(get(QStringLiteral("/apis/nosuch.io/v1")).status, 404);
    // Aggregated discovery is not offered: the plain document comes back as application/json.
    const Response aggregated = get(QStringLiteral("/apis"), true, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
    QCOMPARE(aggregated.json().value(QLatin1String("kind")).toString(), QStringLiteral("APIGroupList"));
}

void TestFakeCluster::listWithSelectors()
{
    const QJsonObject list = get(QStringLiteral("/api/v1/namespaces/default/pods")).json();
    QCOMPARE(list.value(QLatin1String("kind")).toString(), QStringLiteral("PodList"));
    QCOMPARE(list.value(QLatin1String("metadata")).toObject().value(QLatin1String("resourceVersion")).toString(),
             QString::number(m_cluster->resourceVersion()));
    const QStringList all = names(list.value(QLatin1String("items")).toArray());
    QCOMPARE(all.size(), 4);
    QVERIFY(all.contains(QStringLiteral("db-0")));
    for (const QString &name : all)
        QVERIFY2(name == QLatin1String("db-0") || QRegularExpression(QStringLiteral("^web-[a-z0-9]{10}-[a-z0-9]{5}$")).match(name).hasMatch(), qPrintable(name));

    auto count = [this](const QString &query) {
        return get(QStringLiteral("/api/v1/namespaces/default/pods?") + query).json().value(QLatin1String("items")).toArray().size();
    };
    QCOMPARE(count(QStringLiteral("labelSelector=app%3Dweb")), 3);
    QCOMPARE(count(QStringLiteral("labelSelector=app%20in%20(web,db)")), 4);
    QCOMPARE(count(QStringLiteral("labelSelector=app!%3Dweb")), 1);
    QCOMPARE(count(QStringLiteral("labelSelector=app%3Dweb,pod-template-hash")), 3);
    QCOMPARE(count(QStringLiteral("fieldSelector=metadata.name%3Ddb-0")), 1);
    QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default/pods?fieldSelector=spec.bogus%3Dx")).status, 400);

    const QStringList everywhere = names(get(QStringLiteral("/api/v1/pods")).json().value(QLatin1String("items")).toArray());
    QVERIFY(std::any_of(everywhere.cbegin(), everywhere.cend(), [](const QString &n) { return n.startsWith(QLatin1String("checkout-")); }));
    QCOMPARE(names(get(QStringLiteral("/api/v1/nodes")).json().value(QLatin1String("items")).toArray()), QStringList{QStringLiteral("demo-node")});
    QVERIFY(names(get(QStringLiteral("/api/v1/namespaces")).json().value(QLatin1String("items")).toArray()).contains(QStringLiteral("shop")));
    QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default/nodes")).status, 404); // cluster-scoped
    QCOMPARE(names(get(QStringLiteral("/apis/apps/v1/namespaces/default/deployments")).json().value(QLatin1String("items")).toArray()),
             QStringList{QStringLiteral("web")});
    QVERIFY(get(QStringLiteral("/api/v1/namespaces/default/events")).json().value(QLatin1String("items")).toArray().size() >= 4);
}

void TestFakeCluster::listAsTable()
{
    const QJsonObject table = get(QStringLiteral("/api/v1/namespaces/default/pods"), true, TableAccept).json();
    QCOMPARE(table.value(QLatin1String("kind")).toString(), QStringLiteral("Table"));
    QCOMPARE(table.value(QLatin1String("apiVersion")).toString(), QStringLiteral("meta.k8s.io/v1"));
    QStringList columns;
    for (const QJsonValue &c : table.value(QLatin1String("columnDefinitions")).toArray())
        columns.append(c.toObject().value(QLatin1String("name")).toString());
    QCOMPARE(columns.mid(0, 7), (QStringList{QStringLiteral("Name"), QStringLiteral("Ready"), QStringLiteral("Status"),
                                             QStringLiteral("Restarts"), QStringLiteral("Age"), QStringLiteral("IP"), QStringLiteral("Node")}));
    const QJsonArray rows = table.value(QLatin1String("rows")).toArray();
    QCOMPARE(rows.size(), 4);
    const QJsonObject dbRow = rows.first().toObject();
    QCOMPARE(dbRow.value(QLatin1String("cells")).toArray().at(0).toString(), QStringLiteral("db-0"));
    QCOMPARE(dbRow.value(QLatin1String("cells")).toArray().at(1).toString(), QStringLiteral("2/2"));
    QCOMPARE(dbRow.value(QLatin1String("cells")).toArray().at(2).toString(), QStringLiteral("Running"));
    QCOMPARE(dbRow.value(QLatin1String("object")).toObject().value(QLatin1String("kind")).toString(), QStringLiteral("PartialObjectMetadata"));

    const QJsonObject full = get(QStringLiteral("/api/v1/namespaces/default/pods?includeObject=Object"), true, TableAccept).json();
    QCOMPARE(full.value(QLatin1String("rows")).toArray().first().toObject().value(QLatin1String("object")).toObject()
                 .value(QLatin1String("kind")).toString(), QStringLiteral("Pod"));

    const QJsonObject deploys = get(QStringLiteral("/apis/apps/v1/namespaces/default/deployments"), true, TableAccept).json();
    QCOMPARE(deploys.value(QLatin1String("columnDefinitions")).toArray().at(2).toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("Up-to-date"));
    QCOMPARE(deploys.value(QLatin1String("rows")).toArray().first().toObject().value(QLatin1String("cells")).toArray().at(1).toString(),
             QStringLiteral("3/3"));
    const QJsonObject widgets = get(QStringLiteral("/apis/demo.livedash.io/v1/namespaces/default/widgets"), true, TableAccept).json();
    QCOMPARE(widgets.value(QLatin1String("columnDefinitions")).toArray().size(), 2);
    QCOMPARE(widgets.value(QLatin1String("rows")).toArray().size(), 2);
}

void TestFakeCluster::listPaging()
{
    const QJsonObject first = get(QStringLiteral("/api/v1/pods?limit=2")).json();
    const QString token = first.value(QLatin1String("metadata")).toObject().value(QLatin1String("continue")).toString();
    QVERIFY(!token.isEmpty());
    QStringList seen = names(first.value(QLatin1String("items")).toArray());
    QCOMPARE(seen.size(), 2);
    QString next = token;
    for (int page = 0; page < 10 && !next.isEmpty(); ++page) {
        const QJsonObject more = get(QStringLiteral("/api/v1/pods?limit=2&continue=") + next).json();
        seen += names(more.value(QLatin1String("items")).toArray());
        next = more.value(QLatin1String("metadata")).toObject().value(QLatin1String("continue")).toString();
    }
    QVERIFY(next.isEmpty());
    const QStringList all = names(get(QStringLiteral("/api/v1/pods")).json().value(QLatin1String("items")).toArray());
    QCOMPARE(seen, all);
    QCOMPARE(get(QStringLiteral("/api/v1/pods?limit=2&continue=garbage!")).status, 400);
}

void TestFakeCluster::getOneObject()
{
    const QJsonObject pod = get(QStringLiteral("/api/v1/namespaces/default/pods/db-0")).json();
    QCOMPARE(pod.value(QLatin1String("kind")).toString(), QStringLiteral("Pod"));
    QCOMPARE(pod.value(QLatin1String("spec")).toObject().value(QLatin1String("initContainers")).toArray().size(), 1);
    QCOMPARE(pod.value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray().size(), 2);
    const Response missing = get(QStringLiteral("/api/v1/namespaces/default/pods/nope"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json().value(QLatin1String("reason")).toString(), QStringLiteral("NotFound"));
    QCOMPARE(missing.json().value(QLatin1String("message")).toString(), QStringLiteral("pods \"nope\" not found"));
    QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default")).json().value(QLatin1String("kind")).toString(), QStringLiteral("Namespace"));
    QCOMPARE(get(QStringLiteral("/api/v1/nodes/demo-node")).json().value(QLatin1String("kind")).toString(), QStringLiteral("Node"));
}

void TestFakeCluster::watchReplaysFromResourceVersion()
{
    const QString rv = QString::number(m_cluster->resourceVersion());
    QVERIFY(m_cluster->addPod(QStringLiteral("t1")));
    QVERIFY(m_cluster->deletePod(QStringLiteral("t1")));
    QNetworkReply *reply = open(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&resourceVersion=") + rv);
    QByteArray body;
    connect(reply, &QIODevice::readyRead, this, [&] { body += reply->readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(jsonLines(body).size(), 2, 5000);
    const QList<QJsonObject> events = jsonLines(body);
    QCOMPARE(events[0].value(QLatin1String("type")).toString(), QStringLiteral("ADDED"));
    QCOMPARE(metaName(events[0].value(QLatin1String("object")).toObject()), QStringLiteral("t1"));
    QCOMPARE(events[1].value(QLatin1String("type")).toString(), QStringLiteral("DELETED"));
    const qint64 addedRv = events[0].value(QLatin1String("object")).toObject().value(QLatin1String("metadata")).toObject()
                               .value(QLatin1String("resourceVersion")).toString().toLongLong();
    QVERIFY(addedRv > rv.toLongLong());
    reply->abort();
}

void TestFakeCluster::watchLiveEventsAndTableEvents()
{
    QNetworkReply *plain = open(QStringLiteral("/api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Dlive&resourceVersion=")
                                + QString::number(m_cluster->resourceVersion()));
    QNetworkReply *table = open(QStringLiteral("/api/v1/pods?watch=true&resourceVersion=") + QString::number(m_cluster->resourceVersion()), TableAccept);
    QByteArray plainBody, tableBody;
    connect(plain, &QIODevice::readyRead, this, [&] { plainBody += plain->readAll(); });
    connect(table, &QIODevice::readyRead, this, [&] { tableBody += table->readAll(); });
    QTRY_COMPARE(m_cluster->openStreams(), 2);
    QVERIFY(m_cluster->addPod(QStringLiteral("other")));
    QVERIFY(m_cluster->addPod(QStringLiteral("live"), {QStringLiteral("main")}, {{QStringLiteral("app"), QStringLiteral("live")}}));
    QTRY_COMPARE(jsonLines(plainBody).size(), 1);
    QCOMPARE(metaName(jsonLines(plainBody).first().value(QLatin1String("object")).toObject()), QStringLiteral("live"));
    QTRY_COMPARE(jsonLines(tableBody).size(), 2);
    const QJsonObject event = jsonLines(tableBody).last().value(QLatin1String("object")).toObject();
    QCOMPARE(event.value(QLatin1String("kind")).toString(), QStringLiteral("Table"));
    QCOMPARE(event.value(QLatin1String("rows")).toArray().size(), 1);
    QCOMPARE(event.value(QLatin1String("rows")).toArray().first().toObject().value(QLatin1String("cells")).toArray().first().toString(),
             QStringLiteral("live"));
    plain->abort();
    table->abort();
}

void TestFakeCluster::watchExpiredAfterCompaction()
{
    const QString old = QString::number(m_cluster->resourceVersion());
    QVERIFY(m_cluster->addPod(QStringLiteral("t2")));
    m_cluster->compactHistory();
    QNetworkReply *reply = open(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&resourceVersion=") + old);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QList<QJsonObject> events = jsonLines(reply->readAll());
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].value(QLatin1String("type")).toString(), QStringLiteral("ERROR"));
    const QJsonObject status = events[0].value(QLatin1String("object")).toObject();
    QCOMPARE(status.value(QLatin1String("kind")).toString(), QStringLiteral("Status"));
    QCOMPARE(status.value(QLatin1String("reason")).toString(), QStringLiteral("Expired"));
    QCOMPARE(status.value(QLatin1String("code")).toInt(), 410);
    QVERIFY(status.value(QLatin1String("message")).toString().startsWith(QStringLiteral("too old resource version: ") + old));

    // The current RV is still fine.
    QNetworkReply *current = open(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&resourceVersion=")
                                  + QString::number(m_cluster->resourceVersion()));
    QTRY_COMPARE(m_cluster->openStreams(), 1);
    QVERIFY(!current->isFinished());
    current->abort();
}

void TestFakeCluster::continueExpiredAfterCompaction()
{
    const QString token = get(QStringLiteral("/api/v1/pods?limit=1")).json().value(QLatin1String("metadata")).toObject()
                              .value(QLatin1String("continue")).toString();
    QVERIFY(!token.isEmpty());
    QVERIFY(m_cluster->addPod(QStringLiteral("t3")));
    m_cluster->compactHistory();
    const Response r = get(QStringLiteral("/api/v1/pods?limit=1&continue=") + token);
    QCOMPARE(r.status, 410);
    QCOMPARE(r.json().value(QLatin1String("reason")).toString(), QStringLiteral("Expired"));
    QCOMPARE(r.json().value(QLatin1String("code")).toInt(), 410);
}

void TestFakeCluster::bookmarks()
{
    QNetworkReply *reply = open(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&allowWatchBookmarks=true&resourceVersion=")
                                + QString::number(m_cluster->resourceVersion()));
    QByteArray body;
    connect(reply, &QIODevice::readyRead, this, [&] { body += reply->readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(jsonLines(body).size() >= 2, 5000);
    for (const QJsonObject &event : jsonLines(body)) {
        QCOMPARE(event.value(QLatin1String("type")).toString(), QStringLiteral("BOOKMARK"));
        const QJsonObject object = event.value(QLatin1String("object")).toObject();
        QCOMPARE(object.value(QLatin1String("kind")).toString(), QStringLiteral("Pod"));
        QCOMPARE(object.value(QLatin1String("metadata")).toObject().value(QLatin1String("resourceVersion")).toString(),
                 QString::number(m_cluster->resourceVersion()));
    }
    reply->abort();

    // Without allowWatchBookmarks: none.
    QNetworkReply *quiet = open(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&resourceVersion=")
                                + QString::number(m_cluster->resourceVersion()));
    QTRY_COMPARE(m_cluster->openStreams(), 1);
    QTest::qWait(400); // several bookmark periods
    QCOMPARE(quiet->bytesAvailable(), 0);
    quiet->abort();
}

void TestFakeCluster::streamingListEndMarker()
{
    const int pods = get(QStringLiteral("/api/v1/namespaces/default/pods")).json().value(QLatin1String("items")).toArray().size();
    QNetworkReply *reply = open(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true"
                                               "&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion="));
    QByteArray body;
    connect(reply, &QIODevice::readyRead, this, [&] { body += reply->readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(jsonLines(body).size() >= pods + 1, 5000);
    const QList<QJsonObject> events = jsonLines(body);
    for (int i = 0; i < pods; ++i)
        QCOMPARE(events[i].value(QLatin1String("type")).toString(), QStringLiteral("ADDED"));
    QCOMPARE(events[pods].value(QLatin1String("type")).toString(), QStringLiteral("BOOKMARK"));
    const QJsonObject meta = events[pods].value(QLatin1String("object")).toObject().value(QLatin1String("metadata")).toObject();
    QCOMPARE(meta.value(QLatin1String("annotations")).toObject().value(QLatin1String("k8s.io/initial-events-end")).toString(), QStringLiteral("true"));
    QCOMPARE(meta.value(QLatin1String("resourceVersion")).toString(), QString::number(m_cluster->resourceVersion()));
    reply->abort();

    const Response bad = get(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true"));
    QCOMPARE(bad.status, 422);
}

void TestFakeCluster::watchTimeoutEndsCleanly()
{
    QNetworkReply *reply = open(QStringLiteral("/api/v1/pods?watch=true&timeoutSeconds=1&resourceVersion=")
                                + QString::number(m_cluster->resourceVersion()));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
}

void TestFakeCluster::logsParameters()
{
    QVERIFY(m_cluster->addPod(QStringLiteral("logs-pod")));
    const qint64 s = 1'796'166'600; // a whole second (2026-12-01T23:10:00Z)
    const qint64 ns = 1'000'000'000;
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("logs-pod"), QStringLiteral("main"), {"a", "b"}, s * ns + 100'000'000));
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("logs-pod"), QStringLiteral("main"), {"c"}, (s + 1) * ns));
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("logs-pod"), QStringLiteral("main"), {"d", "e"}, (s + 1) * ns + 500'000'000));
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("logs-pod"), QStringLiteral("main"), {"f"}, (s + 2) * ns + 200'000'000));
    const QString base = QStringLiteral("/api/v1/namespaces/default/pods/logs-pod/log");

    Response r = get(base);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("a\nb\nc\nd\ne\nf\n"));
    QCOMPARE(get(base + QStringLiteral("?container=main&tailLines=2")).body, QByteArray("e\nf\n"));
    QCOMPARE(get(base + QStringLiteral("?tailLines=0")).body, QByteArray());
    const QByteArray stamp = FakeObjects::rfc3339Nanos(s * ns + 100'000'000);
    QCOMPARE(stamp, QByteArray("2026-12-01T23:10:00.100000000Z"));
    const QList<QByteArray> lines = get(base + QStringLiteral("?timestamps=true")).body.split('\n');
    QCOMPARE(lines.first(), stamp + " a");
    QCOMPARE(lines.at(3), QByteArray("2026-12-01T23:10:01.500000000Z d"));
    QCOMPARE(lines.at(4), QByteArray("2026-12-01T23:10:01.500000000Z e")); // one exact timestamp, two lines
    // sinceTime goes to the kubelet with second precision: 01.7 means 01.
    QCOMPARE(get(base + QStringLiteral("?sinceTime=2026-12-01T23:10:01.700000000Z")).body, QByteArray("c\nd\ne\nf\n"));
    QCOMPARE(get(base + QStringLiteral("?sinceTime=2026-12-02T00:10:02%2B01:00")).body, QByteArray("f\n"));
    QCOMPARE(get(base + QStringLiteral("?sinceTime=yesterday")).status, 400);
    QCOMPARE(get(base + QStringLiteral("?sinceTime=2026-12-01T23:10:01Z&tailLines=1")).body, QByteArray("f\n"));
    QCOMPARE(get(base + QStringLiteral("?limitBytes=3")).body, QByteArray("a\nb"));
    QCOMPARE(get(base + QStringLiteral("?limitBytes=35&timestamps=true")).body, QByteArray(stamp + " a\n" + stamp).left(35));
    QCOMPARE(get(base + QStringLiteral("?sinceSeconds=5&sinceTime=2026-12-01T23:10:01Z")).status, 400);
}

void TestFakeCluster::logsSinceSeconds()
{
    QVERIFY(m_cluster->addPod(QStringLiteral("recent")));
    const qint64 nowNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("recent"), QStringLiteral("main"), {"old"}, nowNs - 60'000'000'000));
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("recent"), QStringLiteral("main"), {"new"}, nowNs));
    QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default/pods/recent/log?sinceSeconds=10")).body, QByteArray("new\n"));
    QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default/pods/recent/log?sinceSeconds=120")).body, QByteArray("old\nnew\n"));
}

void TestFakeCluster::logsErrors()
{
    Response r = get(QStringLiteral("/api/v1/namespaces/default/pods/db-0/log"));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QLatin1String("message")).toString(),
             QStringLiteral("a container name must be specified for pod db-0, choose one of: [main metrics] or one of the init containers: [init-schema]"));
    QCOMPARE(r.json().value(QLatin1String("kind")).toString(), QStringLiteral("Status"));
    r = get(QStringLiteral("/api/v1/namespaces/default/pods/nope/log"));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value(QLatin1String("message")).toString(), QStringLiteral("pods \"nope\" not found"));
    QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default/pods/db-0/log?container=bogus")).status, 400);
    r = get(QStringLiteral("/api/v1/namespaces/default/pods/db-0/log?container=main&previous=true"));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QLatin1String("message")).toString(), QStringLiteral("previous terminated container \"main\" in pod \"db-0\" not found"));
    // The init container's log stays readable.
    QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default/pods/db-0/log?container=init-schema")).body,
             QByteArray("applying migration 0001_init\napplying migration 0002_orders\nschema up to date\n"));
}

void TestFakeCluster::logsPreviousAfterRestart()
{
    QVERIFY(m_cluster->addPod(QStringLiteral("crashy")));
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("crashy"), QStringLiteral("main"), {"first life"}, 1'796'166'600'000'000'000));
    QVERIFY(m_cluster->restartContainer(QStringLiteral("crashy"), QStringLiteral("main")));
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("crashy"), QStringLiteral("main"), {"second life"}, 1'796'166'601'000'000'000));
    const QString base = QStringLiteral("/api/v1/namespaces/default/pods/crashy/log");
    QCOMPARE(get(base + QStringLiteral("?previous=true")).body, QByteArray("first life\nfatal: out of memory, exiting\n"));
    QCOMPARE(get(base).body, QByteArray("second life\n"));
    const QJsonObject status = get(QStringLiteral("/api/v1/namespaces/default/pods/crashy")).json().value(QLatin1String("status")).toObject()
                                   .value(QLatin1String("containerStatuses")).toArray().first().toObject();
    QCOMPARE(status.value(QLatin1String("restartCount")).toInt(), 1);
    QCOMPARE(status.value(QLatin1String("lastState")).toObject().value(QLatin1String("terminated")).toObject()
                 .value(QLatin1String("reason")).toString(), QStringLiteral("OOMKilled"));
}

void TestFakeCluster::logsWaitingContainer()
{
    QString added;
    connect(m_cluster, &FakeCluster::podChanged, this, [&](const QString &type, const QString &, const QString &name) {
        if (type == QLatin1String("ADDED") && added.isEmpty())
            added = name;
    });
    FakeCluster::LifePeriods periods = m_cluster->lifePeriods();
    periods.replacePodMs = 50;
    periods.transitionMs = 60'000;
    m_cluster->setLifePeriods(periods);
    QTRY_VERIFY(!added.isEmpty());
    periods.replacePodMs = 0;
    m_cluster->setLifePeriods(periods);
    const Response r = get(QStringLiteral("/api/v1/namespaces/default/pods/") + added + QStringLiteral("/log"));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QLatin1String("message")).toString(),
             QStringLiteral("container \"main\" in pod \"%1\" is waiting to start: ContainerCreating").arg(added));
    const QJsonObject table = get(QStringLiteral("/api/v1/namespaces/default/pods/") + added, true, TableAccept).json();
    QCOMPARE(table.value(QLatin1String("rows")).toArray().first().toObject().value(QLatin1String("cells")).toArray().at(2).toString(),
             QStringLiteral("Pending"));
}

void TestFakeCluster::followGetsNewLinesAndEndsOnRestart()
{
    QVERIFY(m_cluster->addPod(QStringLiteral("tail")));
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("tail"), QStringLiteral("main"), {"one"}, 1'796'166'600'000'000'000));
    QNetworkReply *reply = open(QStringLiteral("/api/v1/namespaces/default/pods/tail/log?follow=true"));
    QByteArray body;
    connect(reply, &QIODevice::readyRead, this, [&] { body += reply->readAll(); });
    QTRY_COMPARE(body, QByteArray("one\n"));
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("tail"), QStringLiteral("main"), {"two", "three"}, 1'796'166'601'000'000'000));
    QTRY_COMPARE(body, QByteArray("one\ntwo\nthree\n"));
    QVERIFY(!reply->isFinished());
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(m_cluster->restartContainer(QStringLiteral("tail"), QStringLiteral("main")));
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->error(), QNetworkReply::NoError); // a clean end, like the kubelet's
    QCOMPARE(body, QByteArray("one\ntwo\nthree\nfatal: out of memory, exiting\n"));

    // Follow with limitBytes ends when the budget is spent.
    QNetworkReply *limited = open(QStringLiteral("/api/v1/namespaces/default/pods/tail/log?follow=true&limitBytes=6"));
    QSignalSpy limitedDone(limited, &QNetworkReply::finished);
    QTRY_COMPARE(m_cluster->openStreams(), 1);
    QVERIFY(m_cluster->appendLogLines(QStringLiteral("tail"), QStringLiteral("main"), {"abcd", "efgh"}, 1'796'166'602'000'000'000));
    QVERIFY(limitedDone.wait(5000));
    QCOMPARE(limited->readAll(), QByteArray("abcd\ne"));

    // Follow ends when the pod is deleted.
    QNetworkReply *gone = open(QStringLiteral("/api/v1/namespaces/default/pods/tail/log?follow=true"));
    QSignalSpy goneDone(gone, &QNetworkReply::finished);
    QTRY_COMPARE(m_cluster->openStreams(), 1);
    QVERIFY(m_cluster->deletePod(QStringLiteral("tail")));
    QVERIFY(goneDone.wait(5000));
}

void TestFakeCluster::cutStreamsEndsFollow()
{
    RawStream follow(m_server->httpPort(), "/api/v1/namespaces/default/pods/db-0/log?container=main&follow=true", m_cluster->token());
    RawStream watch(m_server->httpPort(), "/api/v1/pods?watch=true", m_cluster->token());
    QTRY_COMPARE(m_cluster->openStreams(), 2);
    QTRY_VERIFY(follow.data().contains("\r\n\r\n") && watch.data().contains("ADDED"));
    m_cluster->cutStreams();
    QTRY_VERIFY(follow.isClosed() && watch.isClosed());
    // Cut mid-body: no terminating chunk.
    QVERIFY(follow.data().startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(!follow.endedCleanly());
    QVERIFY(!watch.endedCleanly());
    QCOMPARE(m_cluster->openStreams(), 0);

    // A container restart ends a follow cleanly, as the kubelet does.
    RawStream again(m_server->httpPort(), "/api/v1/namespaces/default/pods/db-0/log?container=main&follow=true", m_cluster->token());
    QTRY_COMPARE(m_cluster->openStreams(), 1);
    QVERIFY(m_cluster->restartContainer(QStringLiteral("db-0"), QStringLiteral("main")));
    QTRY_VERIFY(again.isClosed());
    QVERIFY(again.endedCleanly());
}

void TestFakeCluster::kubeconfigFileIsPrivate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("kubeconfig"));
    {
        QFile existing(path); // a pre-existing world-readable file is narrowed before the token goes in
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("old");
        existing.close();
        QVERIFY(existing.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther | QFileDevice::ReadGroup));
    }
    QString error;
    QCOMPARE(m_cluster->writeKubeconfig(path, &error), path);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile file(path);
    QCOMPARE(file.permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QCOMPARE(text, m_cluster->kubeconfigYaml().toUtf8());
    QVERIFY(text.contains("current-context: livedash-demo\n"));
    QVERIFY(text.contains(QByteArray("    server: http://127.0.0.1:" + QByteArray::number(m_server->httpPort()) + "\n")));
    QVERIFY(text.contains(QByteArray("    token: " + m_cluster->token() + "\n")));
    QVERIFY(text.contains("    namespace: default\n"));

    const QString fresh = dir.filePath(QStringLiteral("new/kubeconfig"));
    QVERIFY(m_cluster->writeKubeconfig(fresh, &error).isEmpty()); // no such directory
    QVERIFY(!error.isEmpty());
    QVERIFY(!error.contains(QString::fromLatin1(m_cluster->token())));

    // No path: a file named after the port in the user's runtime (or temp) directory, also 0600.
    const QString defaultPath = m_cluster->writeKubeconfig(QString(), &error);
    QVERIFY2(!defaultPath.isEmpty(), qPrintable(error));
    QVERIFY(defaultPath.endsWith(QStringLiteral("livedash-demo-%1.kubeconfig").arg(m_server->httpPort())));
    QCOMPARE(QFile(defaultPath).permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QVERIFY(QFile::remove(defaultPath));
}

void TestFakeCluster::benchLogIsComplete()
{
    QNetworkReply *reply = open(QStringLiteral("/api/v1/namespaces/bench/pods/bench/log?follow=true"));
    qint64 bytes = 0, lines = 0;
    QByteArray last;
    connect(reply, &QIODevice::readyRead, this, [&] {
        const QByteArray chunk = reply->readAll();
        bytes += chunk.size();
        lines += chunk.count('\n');
        last = chunk.right(200);
    });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(60'000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(lines, qint64(FakeCluster::BenchLogLines));
    QVERIFY(last.contains("bench line 0999999 "));
    QVERIFY(bytes > 100'000'000);
}

void TestFakeCluster::benchWatchIsComplete()
{
    QNetworkReply *reply = open(QStringLiteral("/api/v1/namespaces/bench/pods?watch=true"));
    QByteArray partial;
    qint64 events = 0;
    QJsonObject last;
    connect(reply, &QIODevice::readyRead, this, [&] {
        partial += reply->readAll();
        const qsizetype end = partial.lastIndexOf('\n');
        if (end < 0)
            return;
        const QList<QByteArray> lines = partial.left(end).split('\n');
        events += lines.size();
        last = QJsonDocument::fromJson(lines.last()).object();
        partial.remove(0, end + 1);
    });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(60'000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(events, qint64(FakeCluster::BenchWatchEvents));
    QCOMPARE(last.value(QLatin1String("type")).toString(), QStringLiteral("MODIFIED"));
    QCOMPARE(metaName(last.value(QLatin1String("object")).toObject()), QStringLiteral("bench"));
    QCOMPARE(last.value(QLatin1String("object")).toObject().value(QLatin1String("metadata")).toObject()
                 .value(QLatin1String("resourceVersion")).toString(),
             QString::number(m_cluster->resourceVersion() + FakeCluster::BenchWatchEvents));
}

void TestFakeCluster::silentThenRestart()
{
    m_cluster->setSilent(true);
    QNetworkReply *held = open(QStringLiteral("/api/v1/pods"));
    QSignalSpy heldDone(held, &QNetworkReply::finished);
    QVERIFY(!heldDone.wait(300)); // accepted, never answered
    m_cluster->setSilent(false);
    QNetworkReply *watch = open(QStringLiteral("/api/v1/pods?watch=true"));
    QSignalSpy watchDone(watch, &QNetworkReply::finished);
    QTRY_COMPARE(m_cluster->openStreams(), 1);
    const qint64 rv = m_cluster->resourceVersion();
    m_cluster->restart();
    // The held request is dropped before any response; QNetworkAccessManager may resend it once
    // (an idempotent GET on a connection closed without a response), and that one is answered.
    QVERIFY(heldDone.wait(5000));
    QVERIFY(held->error() != QNetworkReply::NoError || held->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200);
    if (watchDone.isEmpty())
        QVERIFY(watchDone.wait(5000));
    QVERIFY(watch->error() != QNetworkReply::NoError);
    QCOMPARE(m_cluster->resourceVersion(), rv); // the state survives
    QCOMPARE(get(QStringLiteral("/api/v1/pods")).status, 200);
}

void TestFakeCluster::randomCuts()
{
    m_cluster->cutStreamsRandomly(true, 7);
    RawStream follow(m_server->httpPort(), "/api/v1/namespaces/default/pods/db-0/log?container=main&follow=true", m_cluster->token());
    QTRY_VERIFY_WITH_TIMEOUT(follow.isClosed(), 5000);
    QVERIFY(follow.data().startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(!follow.endedCleanly());
    m_cluster->cutStreamsRandomly(false);
    RawStream kept(m_server->httpPort(), "/api/v1/namespaces/default/pods/db-0/log?container=main&follow=true", m_cluster->token());
    QTRY_COMPARE(m_cluster->openStreams(), 1);
    QTest::qWait(3200); // longer than any random cut
    QVERIFY(!kept.isClosed());
}

void TestFakeCluster::generatedLogsShareTimestamps()
{
    const QString checkout = m_cluster->podNames(QStringLiteral("shop")).value(0);
    QVERIFY(checkout.startsWith(QLatin1String("checkout-")));
    const QString url = QStringLiteral("/api/v1/namespaces/shop/pods/") + checkout + QStringLiteral("/log?timestamps=true");
    const QList<QByteArray> backlog = get(url).body.split('\n');
    QVERIFY(backlog.size() > 500); // 30 s of history at 20 lines/s, there at start

    m_cluster->setLogRates(1);
    QNetworkReply *follow = open(url + QStringLiteral("&follow=true&tailLines=0"));
    QByteArray body;
    connect(follow, &QIODevice::readyRead, this, [&] { body += follow->readAll(); });
    QTRY_VERIFY_WITH_TIMEOUT(body.count('\n') >= 20, 5000); // live lines at ~20/s
    follow->abort();

    QSet<QByteArray> stamps, seconds;
    int sameStamp = 0, sameSecond = 0;
    QByteArray previous;
    for (const QByteArray &line : backlog) {
        if (line.isEmpty())
            continue;
        const QByteArray stamp = line.left(line.indexOf(' '));
        QCOMPARE(stamp.size(), 30); // 2026-12-01T23:10:01.123456789Z
        QVERIFY(stamp >= previous); // never out of order
        sameStamp += stamps.contains(stamp) ? 1 : 0;
        sameSecond += seconds.contains(stamp.left(19)) ? 1 : 0;
        stamps.insert(stamp);
        seconds.insert(stamp.left(19));
        QVERIFY(QJsonDocument::fromJson(line.mid(31)).object().contains(QLatin1String("level")));
        previous = stamp;
    }
    QVERIFY(sameStamp > 10);
    QVERIFY(sameSecond > 400);
}

void TestFakeCluster::lifeReplacesPodsAndRestartsContainers()
{
    QNetworkReply *watch = open(QStringLiteral("/api/v1/namespaces/default/pods?watch=true&resourceVersion=")
                                + QString::number(m_cluster->resourceVersion()));
    QByteArray body;
    connect(watch, &QIODevice::readyRead, this, [&] { body += watch->readAll(); });
    QTRY_COMPARE(m_cluster->openStreams(), 1);
    const QStringList before = m_cluster->podNames(QStringLiteral("default"));
    FakeCluster::LifePeriods periods = m_cluster->lifePeriods();
    periods.replacePodMs = 300;
    periods.transitionMs = 150;
    m_cluster->setLifePeriods(periods);
    QTRY_VERIFY_WITH_TIMEOUT(body.count("\"type\":\"DELETED\"") >= 1 && body.count("\"Running\"") >= 2, 5000);
    periods.replacePodMs = 0;
    m_cluster->setLifePeriods(periods);

    // Per pod: the sequence of (type, status text) the watch showed.
    QHash<QString, QStringList> seen;
    for (const QJsonObject &event : jsonLines(body)) {
        const QJsonObject pod = event.value(QLatin1String("object")).toObject();
        QString status = pod.value(QLatin1String("status")).toObject().value(QLatin1String("phase")).toString();
        const QJsonObject state = pod.value(QLatin1String("status")).toObject().value(QLatin1String("containerStatuses")).toArray()
                                      .first().toObject().value(QLatin1String("state")).toObject();
        if (state.contains(QLatin1String("waiting")))
            status = state.value(QLatin1String("waiting")).toObject().value(QLatin1String("reason")).toString(QStringLiteral("Pending"));
        if (pod.value(QLatin1String("metadata")).toObject().contains(QLatin1String("deletionTimestamp")))
            status = QStringLiteral("Terminating");
        seen[metaName(pod)].append(event.value(QLatin1String("type")).toString() + QLatin1Char(' ') + status);
    }
    QString fresh, gone;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
        if (!before.contains(it.key()) && fresh.isEmpty())
            fresh = it.key();
        if (before.contains(it.key()) && it.value().contains(QStringLiteral("DELETED Terminating")))
            gone = it.key();
    }
    QVERIFY(!fresh.isEmpty());
    QVERIFY(!gone.isEmpty());
    QCOMPARE(seen[fresh].mid(0, 3), (QStringList{QStringLiteral("ADDED Pending"), QStringLiteral("MODIFIED ContainerCreating"),
                                                 QStringLiteral("MODIFIED Running")}));
    QCOMPARE(seen[gone], (QStringList{QStringLiteral("MODIFIED Terminating"), QStringLiteral("DELETED Terminating")}));
    watch->abort();

    // A periodic restart bumps a restartCount and leaves a previous log.
    periods.restartContainerMs = 50;
    m_cluster->setLifePeriods(periods);
    QTRY_VERIFY_WITH_TIMEOUT(get(QStringLiteral("/api/v1/pods")).body.contains("\"restartCount\":1"), 5000);
    periods.restartContainerMs = 0;
    m_cluster->setLifePeriods(periods);
}

QTEST_GUILESS_MAIN(TestFakeCluster)
#include "tst_fake_cluster.moc"
