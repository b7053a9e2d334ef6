// K8sClient and K8sDiscovery against the demo's fake cluster on 127.0.0.1 (HTTP and HTTPS): the
// request it builds, the errors a person can act on, discovery lookups the way kubectl does them.

#include "demo_server.h"
#include "fake_cluster.h"
#include "k8s_client.h"
#include "k8s_discovery.h"
#include "k8s_status.h"

#include <QFile>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>
#include <QTest>

#include <memory>

namespace {

struct Result
{
    int status = 0;
    QByteArray body;
    std::optional<K8sError> error;
    bool done = false;
};

/// GET through the client and wait for the end; error = the client's K8sError for a refusal.
Result fetch(K8sClient &client, const QString &path)
{
    auto r = std::make_shared<Result>();
    QObject context;
    client.get(path, {}, "application/json", false, &context, [&client, r](QNetworkReply *reply, const std::optional<K8sError> &error) {
        if (!reply) {
            r->error = error;
            r->done = true;
            return;
        }
        QObject::connect(reply, &QNetworkReply::finished, reply, [&client, reply, r] {
            r->body = reply->readAll();
            r->status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (r->status == 0)
                r->error = client.networkErrorFor(reply);
            else if (r->status >= 300)
                r->error = K8sClient::errorFor(reply, r->body);
            r->done = true;
            reply->deleteLater();
        });
    });
    if (!QTest::qWaitFor([r] { return r->done; }, 10000)) {
        K8sError timeout;
        timeout.message = QStringLiteral("test: no answer within 10 s");
        r->error = timeout;
    }
    return *r;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestK8sClient : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<DemoServer> m_server;

    KubeContext contextFor(const QUrl &server, const QByteArray &token) const
    {
        KubeContext c;
        c.contextName = QStringLiteral("test");
        c.clusterName = QStringLiteral("fake");
        c.userName = QStringLiteral("tester");
        c.server = server;
        c.token = token;
        return c;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<DemoServer>();
        QVERIFY(m_server->listen());
    }
    void cleanup() { m_server.reset(); }

    void urlKeepsServerPrefix()
    {
        K8sClient client(contextFor(QUrl(QStringLiteral("https://h:6443/k8s/clusters/c1/")), "t"));
        QCOMPARE(client.apiUrl(QStringLiteral("/api/v1/pods")).toString(), QStringLiteral("https://h:6443/k8s/clusters/c1/api/v1/pods"));
    }

    void tokenIsSentAndListWorks()
    {
        K8sClient client(contextFor(m_server->httpUrl(), m_server->cluster()->token()));
        const Result r = fetch(client, QStringLiteral("/api/v1/namespaces/default/pods"));
        QVERIFY2(!r.error, r.error ? qPrintable(r.error->message) : "");
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("\"PodList\""));
        const HttpRequest last = m_server->requests(QStringLiteral("/api/v1/namespaces/default/pods")).last();
        QCOMPARE(last.header("User-Agent"), QByteArray("livedash/" LIVEDASH_VERSION));
        QCOMPARE(last.header("Authorization"), "Bearer " + m_server->cluster()->token());
    }

    void rejectedTokenSays401AndNeverShowsIt()
    {
        K8sClient client(contextFor(m_server->httpUrl(), "not-the-token-12345"));
        const Result r = fetch(client, QStringLiteral("/api/v1/namespaces/default/pods"));
        QVERIFY(r.error);
        QCOMPARE(r.error->kind, K8sError::Kind::Unauthorized);
        QCOMPARE(r.error->httpStatus, 401);
        QVERIFY2(r.error->message.contains(QStringLiteral("credential was rejected or has expired")), qPrintable(r.error->message));
        QVERIFY(!r.error->message.contains(QStringLiteral("12345")));
    }

    void forbiddenNamesVerbAndResource()
    {
        const QByteArray body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"pods is forbidden: User \\\"dev\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"kube-system\\\"\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"pods\"},\"code\":403}";
        const K8sError e = K8sStatus::errorFor(403, QStringLiteral("Forbidden"), body, QStringLiteral("GET"), QStringLiteral("/api/v1/namespaces/kube-system/pods"));
        QCOMPARE(e.kind, K8sError::Kind::Forbidden);
        QVERIFY(!e.retryable);
        QVERIFY2(e.message.contains(QStringLiteral("cannot list resource \"pods\"")), qPrintable(e.message));
        QVERIFY2(e.message.startsWith(QStringLiteral("HTTP 403 Forbidden")), qPrintable(e.message));
    }

    void tooLargeResourceVersionIsRecognised()
    {
        const QByteArray body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Too large resource version\",\"reason\":\"Timeout\",\"details\":{\"causes\":[{\"reason\":\"ResourceVersionTooLarge\",\"message\":\"Too large resource version\"}],\"retryAfterSeconds\":1},\"code\":504}";
        const K8sError e = K8sStatus::errorFor(504, QString(), body, QStringLiteral("GET"), QStringLiteral("/api/v1/pods"));
        QCOMPARE(e.reason, QStringLiteral("ResourceVersionTooLarge"));
        QCOMPARE(e.retryAfterSeconds, 1);
    }

    void serverTextIsEscaped()
    {
        const QByteArray body = "{\"kind\":\"Status\",\"message\":\"bad \\u001b[31mred\",\"code\":400}";
        const K8sError e = K8sStatus::errorFor(400, QStringLiteral("Bad Request"), body, QStringLiteral("GET"), QStringLiteral("/x"));
        QVERIFY(!e.message.contains(QChar(0x1b)));
        QVERIFY2(e.message.contains(QStringLiteral("\\x1b")), qPrintable(e.message));
    }

    void connectionRefusedNamesServerAndCluster()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        K8sClient client(contextFor(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), "t"));
        const Result r = fetch(client, QStringLiteral("/api"));
        QVERIFY(r.error);
        QCOMPARE(r.error->kind, K8sError::Kind::Network);
        QVERIFY2(r.error->message.contains(QStringLiteral("connection refused")), qPrintable(r.error->message));
        QVERIFY2(r.error->message.contains(QStringLiteral("cluster fake")), qPrintable(r.error->message));
    }

    void tlsNamesTheCaAndTheHost()
    {
        const QByteArray cert = readFile(QFINDTESTDATA("../../data/tls/test_cert.pem"));
        const QByteArray key = readFile(QFINDTESTDATA("../../data/tls/test_key.pem"));
        QVERIFY(!cert.isEmpty() && !key.isEmpty());
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(cert));
        tls.setPrivateKey(QSslKey(key, QSsl::Rsa));
        QVERIFY(m_server->listenTls(tls));
        const QByteArray token = m_server->cluster()->token();

        // The right CA: works.
        KubeContext good = contextFor(m_server->httpsUrl(), token);
        good.caPem = cert;
        good.caOrigin = QStringLiteral("/etc/k8s/ca.crt");
        {
            K8sClient client(good);
            const Result r = fetch(client, QStringLiteral("/version"));
            QVERIFY2(!r.error, r.error ? qPrintable(r.error->message) : "");
            QCOMPARE(r.status, 200);
        }
        // No CA (system trust store): the self-signed certificate is refused, saying by whom.
        {
            K8sClient client(contextFor(m_server->httpsUrl(), token));
            const Result r = fetch(client, QStringLiteral("/version"));
            QVERIFY(r.error);
            QCOMPARE(r.error->kind, K8sError::Kind::Tls);
            QVERIFY2(r.error->message.contains(QStringLiteral("not signed by the system's trust store")), qPrintable(r.error->message));
        }
        // Right CA, wrong expected name.
        {
            KubeContext wrongName = good;
            wrongName.tlsServerName = QStringLiteral("api.example.org");
            K8sClient client(wrongName);
            const Result r = fetch(client, QStringLiteral("/version"));
            QVERIFY(r.error);
            QCOMPARE(r.error->kind, K8sError::Kind::Tls);
            QVERIFY2(r.error->message.contains(QStringLiteral("is for 127.0.0.1")), qPrintable(r.error->message));
            QVERIFY2(r.error->message.contains(QStringLiteral("not api.example.org")), qPrintable(r.error->message));
        }
        // insecure-skip-tls-verify: works without the CA.
        {
            KubeContext insecure = contextFor(m_server->httpsUrl(), token);
            insecure.insecureSkipTlsVerify = true;
            K8sClient client(insecure);
            QCOMPARE(fetch(client, QStringLiteral("/version")).status, 200);
        }
    }

    void badCaIsAConfigError()
    {
        KubeContext c = contextFor(m_server->httpUrl(), "t");
        c.caPem = "not a certificate";
        c.caOrigin = QStringLiteral("certificate-authority-data");
        K8sClient client(c);
        const Result r = fetch(client, QStringLiteral("/version"));
        QVERIFY(r.error);
        QVERIFY2(r.error->message.contains(QStringLiteral("certificate-authority-data holds no PEM certificate")), qPrintable(r.error->message));
    }

    void discoveryFindsLikeKubectl()
    {
        K8sClient client(contextFor(m_server->httpUrl(), m_server->cluster()->token()));
        K8sDiscovery discovery(&client);
        bool ready = false;
        std::optional<K8sError> failure;
        QObject context;
        discovery.whenReady(&context, [&](const std::optional<K8sError> &e) {
            failure = e;
            ready = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(ready, 10000);
        QVERIFY2(!failure, failure ? qPrintable(failure->message) : "");
        QString error;
        QCOMPARE(discovery.find(QStringLiteral("po"), &error)->plural, QStringLiteral("pods"));
        QCOMPARE(discovery.find(QStringLiteral("Pod"), &error)->plural, QStringLiteral("pods"));
        const auto deploy = discovery.find(QStringLiteral("deploy"), &error);
        QVERIFY(deploy);
        QCOMPARE(deploy->group, QStringLiteral("apps"));
        QCOMPARE(deploy->collectionPath(QStringLiteral("web")), QStringLiteral("/apis/apps/v1/namespaces/web/deployments"));
        const auto widgets = discovery.find(QStringLiteral("widgets.demo.livedash.io"), &error);
        QVERIFY2(widgets, qPrintable(error));
        QCOMPARE(widgets->group, QStringLiteral("demo.livedash.io"));
        const auto nodes = discovery.find(QStringLiteral("nodes"), &error);
        QVERIFY(nodes);
        QVERIFY(!nodes->namespaced);
        QCOMPARE(nodes->collectionPath(QStringLiteral("default")), QStringLiteral("/api/v1/nodes"));
        QVERIFY(!discovery.find(QStringLiteral("gizmos"), &error));
        QVERIFY2(error.contains(QStringLiteral("doesn't have a resource type \"gizmos\"")), qPrintable(error));
    }

    void aggregatedDiscoveryParses()
    {
        const QByteArray json = "{\"kind\":\"APIGroupDiscoveryList\",\"apiVersion\":\"apidiscovery.k8s.io/v2\",\"items\":[\n"
            "          {\"metadata\":{\"name\":\"apps\"},\"versions\":[{\"version\":\"v1\",\"resources\":[\n"
            "            {\"resource\":\"deployments\",\"responseKind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"scope\":\"Namespaced\",\"singularResource\":\"deployment\",\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"deploy\"]}]}]},\n"
            "          {\"metadata\":{},\"versions\":[{\"version\":\"v1\",\"resources\":[\n"
            "            {\"resource\":\"nodes\",\"responseKind\":{\"kind\":\"Node\"},\"scope\":\"Cluster\",\"singularResource\":\"node\",\"verbs\":[\"list\",\"watch\"]}]}]}]}";
        const QList<ApiResource> list = K8sDiscovery::parseAggregated(json);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].qualifiedName(), QStringLiteral("deployments.apps"));
        QCOMPARE(list[0].shortNames, QStringList{QStringLiteral("deploy")});
        QVERIFY(list[0].namespaced);
        QCOMPARE(list[1].qualifiedName(), QStringLiteral("nodes"));
        QVERIFY(!list[1].namespaced);
    }
};

QTEST_GUILESS_MAIN(TestK8sClient)
#include "tst_k8s_client.moc"
