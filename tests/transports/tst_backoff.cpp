#include "backoff.h"

#include <QTest>

#include <optional>

class TestBackoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void delays_data();
    void delays();
    void jitterSubtractsUpToFraction();
    void serverRetryFirstAttemptIsExact();
    void retryZeroStillGrows();
    void nextCountsAndResets();
    void injectedRandomSourceIsUsed();
    void hugeAttemptSaturatesAtCap();
    void healthyConnection_data();
    void healthyConnection();
    void unhealthyConnectionsKeepCounting();
};

void TestBackoff::delays_data()
{
    QTest::addColumn<int>("initialMs");
    QTest::addColumn<int>("maxMs");
    QTest::addColumn<double>("multiplier");
    QTest::addColumn<qint64>("serverRetry"); // -1: none
    QTest::addColumn<QList<int>>("expected");  // attempts 1..n, no jitter

    QTest::newRow("defaults") << 1000 << 30'000 << 2.0 << qint64(-1)
                              << QList<int>{1000, 2000, 4000, 8000, 16000, 30000, 30000};
    QTest::newRow("small cap") << 50 << 400 << 2.0 << qint64(-1)
                               << QList<int>{50, 100, 200, 400, 400};
    QTest::newRow("multiplier 1.5") << 100 << 1000 << 1.5 << qint64(-1)
                                    << QList<int>{100, 150, 225, 337, 506, 759, 1000};
    QTest::newRow("server retry base") << 1000 << 30'000 << 2.0 << qint64(1500)
                                       << QList<int>{1500, 3000, 6000, 12000, 24000, 30000};
    QTest::newRow("server retry above cap") << 1000 << 2000 << 2.0 << qint64(5000)
                                            << QList<int>{5000, 5000, 5000};
    QTest::newRow("multiplier below 1 acts as 1") << 300 << 1000 << 0.5 << qint64(-1)
                                                  << QList<int>{300, 300, 300};
}

void TestBackoff::delays()
{
    QFETCH(int, initialMs);
    QFETCH(int, maxMs);
    QFETCH(double, multiplier);
    QFETCH(qint64, serverRetry);
    QFETCH(QList<int>, expected);
    const BackoffPolicy policy{initialMs, maxMs, multiplier, 0.0};
    const std::optional<qint64> retry = serverRetry >= 0 ? std::optional<qint64>(serverRetry) : std::nullopt;
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(Backoff::delayFor(policy, retry, i + 1, 0.5), expected.at(i));
}

void TestBackoff::jitterSubtractsUpToFraction()
{
    const BackoffPolicy policy{1000, 30'000, 2.0, 0.2};
    QCOMPARE(Backoff::delayFor(policy, std::nullopt, 1, 0.0), 1000);
    QCOMPARE(Backoff::delayFor(policy, std::nullopt, 1, 0.5), 900);
    QCOMPARE(Backoff::delayFor(policy, std::nullopt, 1, 0.999999), 800);
    QCOMPARE(Backoff::delayFor(policy, std::nullopt, 3, 0.5), 3600);
    QCOMPARE(Backoff::delayFor(policy, std::nullopt, 10, 0.5), 27000); // cap, then jitter
}

void TestBackoff::serverRetryFirstAttemptIsExact()
{
    const BackoffPolicy policy{1000, 30'000, 2.0, 0.5};
    QCOMPARE(Backoff::delayFor(policy, 2000, 1, 0.99), 2000);
    QCOMPARE(Backoff::delayFor(policy, 2000, 2, 0.0), 4000);
    QCOMPARE(Backoff::delayFor(policy, 2000, 2, 0.5), 3000);
}

void TestBackoff::retryZeroStillGrows()
{
    const BackoffPolicy policy{1000, 30'000, 2.0, 0.0};
    QCOMPARE(Backoff::delayFor(policy, 0, 1, 0.0), 0);
    int previous = 0;
    for (int attempt = 2; attempt <= 12; ++attempt) {
        const int delay = Backoff::delayFor(policy, 0, attempt, 0.0);
        QVERIFY2(delay > previous || delay == 30'000, qPrintable(QString::number(attempt)));
        QVERIFY(delay >= Backoff::MinRepeatBaseMs);
        previous = delay;
    }
    QCOMPARE(Backoff::delayFor(policy, 0, 2, 0.0), Backoff::MinRepeatBaseMs);
    QCOMPARE(Backoff::delayFor(policy, 0, 3, 0.0), 2 * Backoff::MinRepeatBaseMs);
}

void TestBackoff::nextCountsAndResets()
{
    Backoff backoff(BackoffPolicy{100, 1000, 2.0, 0.0});
    QCOMPARE(backoff.attempt(), 0);
    QCOMPARE(backoff.next(std::nullopt), 100);
    QCOMPARE(backoff.next(std::nullopt), 200);
    QCOMPARE(backoff.next(std::nullopt), 400);
    QCOMPARE(backoff.attempt(), 3);
    backoff.reset();
    QCOMPARE(backoff.attempt(), 0);
    QCOMPARE(backoff.next(std::nullopt), 100);
    QCOMPARE(backoff.next(250), 500); // attempt 2 from the server's base
}

void TestBackoff::injectedRandomSourceIsUsed()
{
    int calls = 0;
    Backoff backoff(BackoffPolicy{1000, 10'000, 2.0, 0.5}, [&calls] {
        ++calls;
        return 1.0 - 1e-9;
    });
    QCOMPARE(backoff.next(std::nullopt), 500);
    QCOMPARE(backoff.next(std::nullopt), 1000);
    QCOMPARE(calls, 2);
    // Default source: values stay inside [delay × (1 − jitter), delay].
    Backoff real(BackoffPolicy{1000, 10'000, 2.0, 0.5});
    for (int i = 0; i < 50; ++i) {
        real.reset();
        const int delay = real.next(std::nullopt);
        QVERIFY(delay >= 500 && delay <= 1000);
    }
}

void TestBackoff::hugeAttemptSaturatesAtCap()
{
    const BackoffPolicy policy{1000, 60'000, 10.0, 0.0};
    QCOMPARE(Backoff::delayFor(policy, std::nullopt, 100'000, 0.0), 60'000);
    QCOMPARE(Backoff::delayFor(policy, std::nullopt, 0, 0.0), 1000);
    QCOMPARE(Backoff::delayFor(policy, std::numeric_limits<qint64>::max(), 1, 0.0),
             std::numeric_limits<int>::max());
}

void TestBackoff::healthyConnection_data()
{
    QTest::addColumn<quint64>("events");
    QTest::addColumn<qint64>("openForMs");
    QTest::addColumn<bool>("healthy");
    QTest::newRow("nothing, at once") << quint64(0) << qint64(0) << false;
    QTest::newRow("nothing, just under") << quint64(0) << Backoff::HealthyConnectionMs - 1 << false;
    QTest::newRow("nothing, long enough") << quint64(0) << Backoff::HealthyConnectionMs << true;
    QTest::newRow("one event, at once") << quint64(1) << qint64(0) << true;
    QTest::newRow("many events") << quint64(1000) << qint64(20) << true;
}

void TestBackoff::healthyConnection()
{
    QFETCH(quint64, events);
    QFETCH(qint64, openForMs);
    QFETCH(bool, healthy);
    QCOMPARE(Backoff::HealthyConnectionMs, qint64(5000));
    QCOMPARE(Backoff::isHealthyConnection(events, openForMs), healthy);

    Backoff backoff(BackoffPolicy{100, 30'000, 2.0, 0.0});
    QCOMPARE(backoff.next(1500), 1500);
    QCOMPARE(backoff.next(1500), 3000);
    QCOMPARE(backoff.connectionEnded(events, openForMs), healthy);
    QCOMPARE(backoff.attempt(), healthy ? 0 : 2);
    // C3: after a healthy connection that sent `retry: 1500`, the next wait is exactly 1500 ms.
    QCOMPARE(backoff.next(1500), healthy ? 1500 : 6000);
}

void TestBackoff::unhealthyConnectionsKeepCounting()
{
    // A server that answers 200 + `retry: 0` and closes at once: 0, then growing, then capped.
    Backoff backoff(BackoffPolicy{1000, 800, 2.0, 0.0});
    QList<int> delays;
    for (int i = 0; i < 7; ++i) {
        if (i > 0)
            QVERIFY(!backoff.connectionEnded(0, 3));
        delays.append(backoff.next(0));
    }
    QCOMPARE(delays, (QList<int>{0, 100, 200, 400, 800, 800, 800}));
    QCOMPARE(backoff.attempt(), 7);
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
