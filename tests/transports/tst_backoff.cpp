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
    QTest::newRow("small cap, floor") << 50 << 1000 << 2.0 << qint64(-1)
                                      << QList<int>{250, 500, 1000, 1000};
    QTest::newRow("multiplier 1.5") << 400 << 2000 << 1.5 << qint64(-1)
                                    << QList<int>{400, 600, 900, 1350, 2000};
    QTest::newRow("server retry base") << 1000 << 30'000 << 2.0 << qint64(1500)
                                       << QList<int>{1500, 3000, 6000, 12000, 24000, 30000};
    QTest::newRow("server retry above cap") << 1000 << 2000 << 2.0 << qint64(5000)
                                            << QList<int>{5000, 5000, 5000};
    QTest::newRow("multiplier below 1 acts as 1") << 300 << 1000 << 0.5 << qint64(-1)
                                                  << QList<int>{300, 300, 300};
    QTest::newRow("server retry below the floor") << 1000 << 30'000 << 2.0 << qint64(10)
                                                  << QList<int>{250, 500, 1000};
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
    // `retry: 0` never means "no wait": the floor holds from the first attempt, then it grows.
    const BackoffPolicy policy{1000, 30'000, 2.0, 0.0};
    QCOMPARE(Backoff::delayFor(policy, 0, 1, 0.0), Backoff::FloorMs);
    int previous = 0;
    for (int attempt = 2; attempt <= 12; ++attempt) {
        const int delay = Backoff::delayFor(policy, 0, attempt, 0.0);
        QVERIFY2(delay > previous || delay == 30'000, qPrintable(QString::number(attempt)));
        QVERIFY(delay >= Backoff::FloorMs);
        previous = delay;
    }
    QCOMPARE(Backoff::delayFor(policy, 0, 2, 0.0), 2 * Backoff::FloorMs);
    QCOMPARE(Backoff::delayFor(policy, 0, 3, 0.0), 4 * Backoff::FloorMs);
    // Jitter never takes a delay below the floor.
    QCOMPARE(Backoff::delayFor(BackoffPolicy{100, 30'000, 2.0, 1.0}, 0, 2, 0.999), Backoff::FloorMs);
}

void TestBackoff::nextCountsAndResets()
{
    Backoff backoff(BackoffPolicy{100, 1000, 2.0, 0.0});
    QCOMPARE(backoff.attempt(), 0);
    QCOMPARE(backoff.next(std::nullopt), 250); // the floor
    QCOMPARE(backoff.next(std::nullopt), 500);
    QCOMPARE(backoff.next(std::nullopt), 1000);
    QCOMPARE(backoff.attempt(), 3);
    backoff.reset();
    QCOMPARE(backoff.attempt(), 0);
    QCOMPARE(backoff.next(std::nullopt), 250);
    QCOMPARE(backoff.next(300), 600); // attempt 2 from the server's base
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
    QTest::addColumn<qint64>("openForMs");
    QTest::addColumn<bool>("healthy");
    QTest::newRow("at once") << qint64(0) << false;
    QTest::newRow("just under") << Backoff::HealthyConnectionMs - 1 << false;
    QTest::newRow("long enough") << Backoff::HealthyConnectionMs << true;
    QTest::newRow("an hour") << qint64(3'600'000) << true;
}

void TestBackoff::healthyConnection()
{
    QFETCH(qint64, openForMs);
    QFETCH(bool, healthy);
    QCOMPARE(Backoff::HealthyConnectionMs, qint64(5000));
    QCOMPARE(Backoff::isHealthyConnection(openForMs), healthy);

    Backoff backoff(BackoffPolicy{100, 30'000, 2.0, 0.0});
    QCOMPARE(backoff.next(1500), 1500);
    QCOMPARE(backoff.next(1500), 3000);
    QCOMPARE(backoff.connectionEnded(openForMs), healthy);
    QCOMPARE(backoff.attempt(), healthy ? 0 : 2);
    // C3: after a healthy connection that sent `retry: 1500`, the next wait is exactly 1500 ms.
    QCOMPARE(backoff.next(1500), healthy ? 1500 : 6000);
}

void TestBackoff::unhealthyConnectionsKeepCounting()
{
    // The hostile server of issue 5: 200 + `retry: 0` + one event, then close, for ever. Delivering
    // an event does not make a connection healthy; only its lifetime does. So: floor, then growing,
    // then capped; never the ~2,400 connections a second of a reset-on-first-event rule.
    Backoff backoff(BackoffPolicy{1000, 4000, 2.0, 0.0});
    QList<int> delays;
    for (int i = 0; i < 7; ++i) {
        if (i > 0)
            QVERIFY(!backoff.connectionEnded(3));
        delays.append(backoff.next(0));
    }
    QCOMPARE(delays, (QList<int>{250, 500, 1000, 2000, 4000, 4000, 4000}));
    QCOMPARE(backoff.attempt(), 7);
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
