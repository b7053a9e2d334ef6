#include "container_log_stream.h"
#include "demo_server.h"
#include "fake_kubelet_log.h"
#include "k8s_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

namespace {

const QString LogPath = QStringLiteral("/api/v1/namespaces/default/pods/web-1/log");
const QString PodPath = QStringLiteral("/api/v1/namespaces/default/pods/web-1");

QByteArray statusJson(int code, const QString &reason, const QString &message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                     {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                     {QStringLiteral("status"), QStringLiteral("Failure")},
                                     {QStringLiteral("reason"), reason},
                                     {QStringLiteral("message"), message},
                                     {QStringLiteral("code"), code}})
        .toJson(QJsonDocument::Compact);
}

/// A scripted kubelet + apiserver for one pod "default/web-1": its containers' states, restart
/// count and log; how each log request is answered is up to the test (`answer`).
class FakePod
{
public:
    QStringList containers{QStringLiteral("main")};
    QString state = QStringLiteral("running"); ///< running | terminated | waiting
    int restartCount = 0;
    bool podExists = true;
    /// Answers a log request; default: the replay of `log` for the request's sinceTime, kept open.
    std::function<void(const HttpRequest &, HttpResponder *)> answer;
    FakeKubeletLog log;

    QByteArray podJson() const
    {
        QJsonArray specs, statuses;
        for (const QString &name : containers) {
            specs.append(QJsonObject{{QStringLiteral("name"), name}});
            QJsonObject st{{QStringLiteral("name"), name}, {QStringLiteral("restartCount"), restartCount}};
            st.insert(QStringLiteral("state"),
                      QJsonObject{{state, state == u"waiting"
                                              ? QJsonObject{{QStringLiteral("reason"), QStringLiteral("ContainerCreating")}}
                                              : QJsonObject{}}});
            statuses.append(st);
        }
        const QJsonObject pod{
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("web-1")},
                                                     {QStringLiteral("namespace"), QStringLiteral("default")}}},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"), specs}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")},
                                                   {QStringLiteral("containerStatuses"), statuses}}}};
        return QJsonDocument(pod).toJson(QJsonDocument::Compact);
    }

    /// sinceTime as the kubelet honours it: whole seconds.
    static std::optional<KubeTimestamp> since(const HttpRequest &request)
    {
        const QString text = request.query.queryItemValue(QStringLiteral("sinceTime"));
        if (text.isEmpty())
            return std::nullopt;
        const auto ts = KubeTimestamp::parse(text.toLatin1());
        return ts ? std::optional(ts->truncatedToSecond()) : std::nullopt;
    }

    void install(DemoServer &server)
    {
        server.addRoute(PodPath, [this](const HttpRequest &, HttpResponder *r) {
            if (!podExists)
                r->respond(404, "application/json", statusJson(404, QStringLiteral("NotFound"), QStringLiteral("pods \"web-1\" not found")));
            else
                r->respond(200, "application/json", podJson());
        });
        server.addRoute(LogPath, [this](const HttpRequest &request, HttpResponder *r) {
            if (!podExists) {
                r->respond(404, "application/json", statusJson(404, QStringLiteral("NotFound"), QStringLiteral("pods \"web-1\" not found")));
                return;
            }
            const QString container = request.query.queryItemValue(QStringLiteral("container"));
            if (container.isEmpty() && containers.size() > 1) {
                r->respond(400, "application/json",
                           statusJson(400, QStringLiteral("BadRequest"),
                                      QStringLiteral("a container name must be specified for pod web-1, choose one of: [%1]")
                                          .arg(containers.join(QLatin1Char(' ')))));
                return;
            }
            if (state == u"waiting") {
                r->respond(400, "application/json",
                           statusJson(400, QStringLiteral("BadRequest"),
                                      QStringLiteral("container \"main\" in pod \"web-1\" is waiting to start: ContainerCreating")));
                return;
            }
            if (answer) {
                answer(request, r);
                return;
            }
            r->writeHead(200, {{"Content-Type", "text/plain"}});
            r->write(log.replay(since(request)));
            if (state == u"terminated")
                r->end();
        });
    }
};

KubeContext contextFor(const DemoServer &server)
{
    KubeContext context;
    context.contextName = QStringLiteral("test");
    context.clusterName = QStringLiteral("test");
    context.server = server.httpUrl();
    return context;
}

} // namespace

class TestContainerLogStream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void sinceSecondsWithSinceTimeRefused();  // L3
    void multiContainerNeedsName();           // L4
    void eofWhileRunningResumes();            // L5
    void eofAfterTerminatedEnds();            // L5
    void waitingIsRetried();
    void podGoneEnds();
    void forbidden();
    void unauthorizedRetriedOnce();
    void restartFetchesPreviousThenNewInstance();
    void limitBytesEndsWithThePartialLine();
    void randomCutsLoseNothingDoubleNothing();

private:
    std::unique_ptr<DemoServer> m_server;
    std::unique_ptr<FakePod> m_pod;
    std::unique_ptr<K8sClient> m_client;
};

void TestContainerLogStream::init()
{
    m_server = std::make_unique<DemoServer>();
    QVERIFY(m_server->listen());
    m_pod = std::make_unique<FakePod>();
    m_pod->install(*m_server);
    m_client = std::make_unique<K8sClient>(contextFor(*m_server));
}

void TestContainerLogStream::cleanup()
{
    m_client.reset();
    m_pod.reset();
    m_server.reset();
}

void TestContainerLogStream::sinceSecondsWithSinceTimeRefused()
{
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    options.sinceSeconds = 10;
    options.sinceTime = QStringLiteral("2026-12-01T23:10:01Z");
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QSignalSpy errors(&stream, &ContainerLogStream::errorOccurred);
    QVERIFY(!stream.start());
    QCOMPARE(stream.state(), ContainerLogStream::State::Failed);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0][0].value<K8sError>().message.contains(QStringLiteral("sinceSeconds and sinceTime")));
    QTest::qWait(50); // give a (wrong) request the chance to arrive
    QVERIFY(m_server->requests(LogPath).isEmpty());
    QVERIFY(m_server->requests(PodPath).isEmpty());
}

void TestContainerLogStream::multiContainerNeedsName()
{
    m_pod->containers = {QStringLiteral("main"), QStringLiteral("sidecar")};
    ContainerLogOptions options;
    options.restartCount = 0;
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QSignalSpy errors(&stream, &ContainerLogStream::errorOccurred);
    QVERIFY(stream.start());
    QTRY_COMPARE(stream.state(), ContainerLogStream::State::Failed);
    QCOMPARE(errors.size(), 1);
    const K8sError error = errors[0][0].value<K8sError>();
    QCOMPARE(error.httpStatus, 400);
    QVERIFY2(error.statusMessage.contains(QStringLiteral("choose one of: [main sidecar]")), qPrintable(error.statusMessage));
    QCOMPARE(m_server->requests(LogPath).size(), 1);
}

void TestContainerLogStream::eofWhileRunningResumes()
{
    m_pod->log = FakeKubeletLog::generate(30, 5);
    int served = 0;
    m_pod->answer = [this, &served](const HttpRequest &request, HttpResponder *r) {
        r->writeHead(200, {{"Content-Type", "text/plain"}});
        r->write(m_pod->log.replay(FakePod::since(request)));
        if (++served == 1)
            r->end(); // a clean EOF although the container still runs (an idle timeout)
    };
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    options.tailLines = 100;
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QSignalSpy resumed(&stream, &ContainerLogStream::resumed);
    QList<KubeLogLine> got;
    connect(&stream, &ContainerLogStream::lines, this, [&got](const QList<KubeLogLine> &b) { got += b; });
    QVERIFY(stream.start());
    QTRY_COMPARE(resumed.size(), 1);
    QCOMPARE(resumed[0][0].toString(), QStringLiteral("end of stream"));
    QCOMPARE(resumed[0][1].toInt(), 0);
    QVERIFY(resumed[0][2].toInt() >= 1);
    QCOMPARE(got, m_pod->log.lines);
    QCOMPARE(stream.state(), ContainerLogStream::State::Following);
    const QList<HttpRequest> requests = m_server->requests(LogPath);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[0].query.queryItemValue(QStringLiteral("tailLines")), QStringLiteral("100"));
    QCOMPARE(requests[0].query.queryItemValue(QStringLiteral("follow")), QStringLiteral("true"));
    QCOMPARE(requests[0].query.queryItemValue(QStringLiteral("timestamps")), QStringLiteral("true"));
    QCOMPARE(requests[0].query.queryItemValue(QStringLiteral("container")), QStringLiteral("main"));
    QVERIFY(!requests[1].query.hasQueryItem(QStringLiteral("tailLines")));
    QCOMPARE(requests[1].query.queryItemValue(QStringLiteral("sinceTime")),
             m_pod->log.lines.last().timestamp.toSinceTime());
    QVERIFY(!m_server->requests(PodPath).isEmpty()); // it asked whether the container still runs
}

void TestContainerLogStream::eofAfterTerminatedEnds()
{
    m_pod->state = QStringLiteral("terminated");
    m_pod->log = FakeKubeletLog::generate(10, 6);
    m_pod->answer = [this](const HttpRequest &request, HttpResponder *r) {
        r->writeHead(200, {{"Content-Type", "text/plain"}});
        r->write(m_pod->log.replay(FakePod::since(request)) + m_pod->log.lines.last().timestamp.toRfc3339Nanos() + " bye");
        r->end();
    };
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QList<KubeLogLine> got;
    connect(&stream, &ContainerLogStream::lines, this, [&got](const QList<KubeLogLine> &b) { got += b; });
    QVERIFY(stream.start());
    QTRY_COMPARE(stream.state(), ContainerLogStream::State::Ended);
    QCOMPARE(got.size(), 11);
    QCOMPARE(got.last().text, QByteArray("bye")); // its last words, without a newline
    QCOMPARE(m_server->requests(LogPath).size(), 1);
    QCOMPARE(stream.resumeCount(), 0);
}

void TestContainerLogStream::waitingIsRetried()
{
    m_pod->state = QStringLiteral("waiting");
    m_pod->log = FakeKubeletLog::generate(5, 7);
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QSignalSpy errors(&stream, &ContainerLogStream::errorOccurred);
    QList<KubeLogLine> got;
    connect(&stream, &ContainerLogStream::lines, this, [&got](const QList<KubeLogLine> &b) { got += b; });
    QVERIFY(stream.start());
    QTRY_COMPARE(stream.state(), ContainerLogStream::State::Waiting);
    // The first retry after 1 s (minus the shared backoff policy's jitter of at most 20 %).
    QVERIFY2(stream.lastRetryDelayMs() >= 800 && stream.lastRetryDelayMs() <= 1000,
             qPrintable(QString::number(stream.lastRetryDelayMs())));
    m_pod->state = QStringLiteral("running");
    QTRY_COMPARE_WITH_TIMEOUT(stream.state(), ContainerLogStream::State::Following, 5000);
    QTRY_COMPARE(got.size(), 5);
    QVERIFY(errors.isEmpty()); // waiting is a state, not an error
    QCOMPARE(m_server->requests(LogPath).size(), 2);
}

void TestContainerLogStream::podGoneEnds()
{
    m_pod->podExists = false;
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QSignalSpy errors(&stream, &ContainerLogStream::errorOccurred);
    QVERIFY(stream.start());
    QTRY_COMPARE(stream.state(), ContainerLogStream::State::Ended);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0][0].value<K8sError>().httpStatus, 404);
}

void TestContainerLogStream::forbidden()
{
    m_pod->answer = [](const HttpRequest &, HttpResponder *r) {
        r->respond(403, "application/json",
                   statusJson(403, QStringLiteral("Forbidden"),
                              QStringLiteral("pods \"web-1\" is forbidden: User \"u\" cannot get resource \"pods/log\"")));
    };
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    options.restartCount = 0;
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QSignalSpy errors(&stream, &ContainerLogStream::errorOccurred);
    QVERIFY(stream.start());
    QTRY_COMPARE(stream.state(), ContainerLogStream::State::Forbidden);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0][0].value<K8sError>().message.contains(QStringLiteral("pods/log")));
}

void TestContainerLogStream::unauthorizedRetriedOnce()
{
    m_pod->log = FakeKubeletLog::generate(3, 8);
    int served = 0;
    m_pod->answer = [this, &served](const HttpRequest &request, HttpResponder *r) {
        if (++served == 1) {
            r->respond(401, "application/json", statusJson(401, QStringLiteral("Unauthorized"), QStringLiteral("Unauthorized")));
            return;
        }
        r->writeHead(200, {{"Content-Type", "text/plain"}});
        r->write(m_pod->log.replay(FakePod::since(request)));
    };
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    options.restartCount = 0;
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QList<KubeLogLine> got;
    connect(&stream, &ContainerLogStream::lines, this, [&got](const QList<KubeLogLine> &b) { got += b; });
    QVERIFY(stream.start());
    QTRY_COMPARE(got.size(), 3);
    QCOMPARE(stream.state(), ContainerLogStream::State::Following);
    QCOMPARE(served, 2);
}

void TestContainerLogStream::restartFetchesPreviousThenNewInstance()
{
    const FakeKubeletLog oldLog = FakeKubeletLog::generate(20, 9);
    const FakeKubeletLog newLog = FakeKubeletLog::generate(7, 10, oldLog.lines.last().timestamp.seconds + 5);
    int served = 0;
    m_pod->answer = [&](const HttpRequest &request, HttpResponder *r) {
        ++served;
        r->writeHead(200, {{"Content-Type", "text/plain"}});
        const bool previous = request.query.queryItemValue(QStringLiteral("previous")) == u"true";
        if (served == 1) {          // the old instance: 12 lines, then it crashes
            FakeKubeletLog part;
            part.lines = oldLog.lines.first(12);
            r->write(part.replay());
            m_pod->restartCount = 1;
            r->end();
        } else if (previous) {      // its whole log, filtered by sinceTime
            r->write(oldLog.replay(FakePod::since(request)));
            r->end();
        } else {                    // the new instance from its start
            r->write(newLog.replay(FakePod::since(request)));
        }
    };
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QSignalSpy resumed(&stream, &ContainerLogStream::resumed);
    QList<KubeLogLine> got;
    connect(&stream, &ContainerLogStream::lines, this, [&got](const QList<KubeLogLine> &b) { got += b; });
    QVERIFY(stream.start());
    QTRY_COMPARE(got.size(), 27);
    QCOMPARE(got, oldLog.lines + newLog.lines);
    QCOMPARE(resumed.size(), 1);
    QCOMPARE(resumed[0][0].toString(), QStringLiteral("container restarted"));
    const QList<HttpRequest> requests = m_server->requests(LogPath);
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests[1].query.queryItemValue(QStringLiteral("previous")), QStringLiteral("true"));
    QVERIFY(requests[1].query.hasQueryItem(QStringLiteral("sinceTime")));
    QVERIFY(!requests[1].query.hasQueryItem(QStringLiteral("follow")));
    QVERIFY(!requests[2].query.hasQueryItem(QStringLiteral("previous")));
    QVERIFY(!requests[2].query.hasQueryItem(QStringLiteral("sinceTime")));
    QCOMPARE(requests[2].query.queryItemValue(QStringLiteral("follow")), QStringLiteral("true"));
}

void TestContainerLogStream::limitBytesEndsWithThePartialLine()
{
    m_pod->log = FakeKubeletLog::generate(10, 12);
    m_pod->answer = [this](const HttpRequest &request, HttpResponder *r) {
        const qsizetype limit = request.query.queryItemValue(QStringLiteral("limitBytes")).toLongLong();
        r->writeHead(200, {{"Content-Type", "text/plain"}});
        r->write(m_pod->log.replay().left(limit)); // "stop after about N bytes (may cut a line)"
        r->end();
    };
    const QByteArray whole = m_pod->log.replay();
    const qsizetype limit = whole.indexOf('\n', whole.size() / 2) + 20; // 20 bytes into a line
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    options.limitBytes = limit;
    options.restartCount = 0;
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QList<KubeLogLine> got;
    connect(&stream, &ContainerLogStream::lines, this, [&got](const QList<KubeLogLine> &b) { got += b; });
    QVERIFY(stream.start());
    QTRY_COMPARE(stream.state(), ContainerLogStream::State::Ended);
    const int complete = int(whole.left(limit).count('\n'));
    QCOMPARE(got.size(), complete + 1);
    QCOMPARE(got.first(complete), m_pod->log.lines.first(complete));
    QVERIFY(!got.last().hasTimestamp); // 20 bytes: the timestamp itself was cut
    QCOMPARE(m_server->requests(LogPath).size(), 1);
    QCOMPARE(m_server->requests(LogPath)[0].query.queryItemValue(QStringLiteral("limitBytes")), QString::number(limit));
}

void TestContainerLogStream::randomCutsLoseNothingDoubleNothing()
{
    // ~5,000 lines, many sharing a second and runs sharing an exact timestamp; the server cuts
    // 50 connections at seeded random byte positions (mid-line, mid-timestamp, anywhere).
    m_pod->log = FakeKubeletLog::generate(5000, 2026);
    const qsizetype totalBytes = m_pod->log.replay().size();
    constexpr int Cuts = 50;
    QRandomGenerator rng(424242);
    int connections = 0;
    m_pod->answer = [&](const HttpRequest &request, HttpResponder *r) {
        const QByteArray bytes = m_pod->log.replay(FakePod::since(request));
        r->writeHead(200, {{"Content-Type", "text/plain"}});
        if (++connections > Cuts) {
            r->write(bytes); // the rest, and the follow stays open
            return;
        }
        const qsizetype cut = std::min<qsizetype>(bytes.size(), rng.bounded(quint32(2 * totalBytes / Cuts)));
        for (qsizetype at = 0; at < cut;) {
            const qsizetype piece = std::min<qsizetype>(cut - at, 1 + rng.bounded(4000));
            r->write(bytes.mid(at, piece));
            at += piece;
        }
        if (rng.bounded(2) == 0)
            r->abort();   // the connection drops
        else
            r->end();     // or ends cleanly (an intermediary's idle timeout)
    };
    ContainerLogOptions options;
    options.container = QStringLiteral("main");
    ContainerLogStream stream(m_client.get(), QStringLiteral("default"), QStringLiteral("web-1"), options);
    QSignalSpy resumed(&stream, &ContainerLogStream::resumed);
    QList<KubeLogLine> got;
    connect(&stream, &ContainerLogStream::lines, this, [&got](const QList<KubeLogLine> &b) { got += b; });
    QVERIFY(stream.start());
    QTRY_VERIFY_WITH_TIMEOUT(connections > Cuts && got.size() >= m_pod->log.lines.size(), 90'000);
    QTest::qWait(100); // anything doubled would arrive now
    QCOMPARE(got.size(), m_pod->log.lines.size());
    QCOMPARE(got, m_pod->log.lines);
    QCOMPARE(resumed.size(), Cuts);
    qint64 duplicates = 0;
    for (const QList<QVariant> &r : resumed) {
        QCOMPARE(r[1].toInt(), 0);
        duplicates += r[2].toInt();
    }
    QVERIFY(duplicates > 0);
    for (const HttpRequest &request : m_server->requests(LogPath))
        QVERIFY(!request.query.hasQueryItem(QStringLiteral("tailLines")));
    qInfo("%d connections, %lld duplicates skipped, %lld lines", connections, duplicates, qint64(got.size()));
}

QTEST_GUILESS_MAIN(TestContainerLogStream)
#include "tst_container_log_stream.moc"
