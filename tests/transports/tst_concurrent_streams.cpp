#include "test_server.h"
#include "http/network_pool.h"
#include "sse/sse_transport.h"
#include "transport_test_support.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace TestSupport;

class TestConcurrentStreams : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void fiftySseStreamsAllFlow();
    void sevenStreamsOnOneManagerStarve();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestConcurrentStreams::initTestCase()
{
    qRegisterMetaType<StreamEvent>();
    qRegisterMetaType<QList<StreamEvent>>();
    qRegisterMetaType<TransportError>();
}

void TestConcurrentStreams::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
}

void TestConcurrentStreams::cleanup()
{
    m_server.reset();
}

void TestConcurrentStreams::fiftySseStreamsAllFlow()
{
    constexpr int Streams = 50;
    std::vector<std::unique_ptr<SseTransport>> transports;
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < Streams; ++i) {
        transports.push_back(std::make_unique<SseTransport>());
        spies.push_back(std::make_unique<QSignalSpy>(transports.back().get(), &Transport::eventsReceived));
        transports.back()->open(fastConfig(m_server->httpUrl(QStringLiteral("/sse/metrics?hz=20"))));
    }
    const auto allFlowing = [&] {
        for (int i = 0; i < Streams; ++i)
            if (transports[i]->state() != Transport::State::Open || dataEvents(*spies[i]).size() < 3)
                return false;
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allFlowing(), 15000);
    qInfo("%d streams open with >= 3 events each after %lld ms", Streams, clock.elapsed());
    QCOMPARE(m_server->requests(QStringLiteral("/sse/metrics")).size(), Streams);
    // 4 streams per manager and host:port → at least 13 managers.
    QVERIFY(NetworkPool::forCurrentThread()->managerCount() >= (Streams + 3) / 4);
    for (int i = 0; i < Streams; ++i)
        QCOMPARE(dataEvents(*spies[i]).first().id, QByteArray("1"));
    for (auto &transport : transports)
        transport->close();
}

/// Documents why NetworkPool exists: Qt 6.4 gives one QNetworkAccessManager at most 6 HTTP/1.1
/// connections per host:port and silently queues the rest, so a 7th long-lived stream never starts.
void TestConcurrentStreams::sevenStreamsOnOneManagerStarve()
{
    QNetworkAccessManager manager;
    std::vector<QNetworkReply *> replies;
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    for (int i = 0; i < 7; ++i) {
        QNetworkRequest request(m_server->httpUrl(QStringLiteral("/sse/metrics?hz=20")));
        replies.push_back(manager.get(request));
        spies.push_back(std::make_unique<QSignalSpy>(replies.back(), &QNetworkReply::readyRead));
    }
    const auto flowing = [&] {
        int count = 0;
        for (const auto &spy : spies)
            count += spy->isEmpty() ? 0 : 1;
        return count;
    };
    QTRY_COMPARE(flowing(), 6);
    QVERIFY(!spies[6]->wait(1000)); // the 7th stays queued while six streams run
    QCOMPARE(m_server->requests(QStringLiteral("/sse/metrics")).size(), 6);
    replies[0]->abort(); // free one connection: the queued request starts at once
    QTRY_VERIFY(!spies[6]->isEmpty());
    for (QNetworkReply *reply : replies) {
        reply->abort();
        reply->deleteLater();
    }
}

QTEST_GUILESS_MAIN(TestConcurrentStreams)
#include "tst_concurrent_streams.moc"
