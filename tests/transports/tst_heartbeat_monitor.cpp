#include "liveness/heartbeat_monitor.h"

#include <QTest>

class TestHeartbeatMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nothingLearnedNoStall();
    void regularHeartbeat();
    void burstsAreOneActivity();
    void percentileIgnoresOneLongGap();
    void irregularStreamLearnsItsLongSilences();
    void fastFeedUsesFloor();
    void reconnectKeepsLearnedInterval();
};

void TestHeartbeatMonitor::nothingLearnedNoStall()
{
    HeartbeatMonitor m;
    m.connectionOpened(1000);
    QCOMPARE(m.usualIntervalMs(), 0);
    QVERIFY(!m.isStalled(1'000'000)); // no heartbeat learned: never "stalled", only timeouts apply
    m.activity(2000);
    m.activity(3000);
    m.activity(4000);
    QCOMPARE(m.gapCount(), 3);
    QVERIFY(!m.isStalled(100'000)); // MinGaps not reached yet
}

void TestHeartbeatMonitor::regularHeartbeat()
{
    HeartbeatMonitor m;
    m.connectionOpened(0);
    for (int i = 1; i <= 10; ++i)
        m.activity(i * 15'000);
    QCOMPARE(m.usualIntervalMs(), 15'000);
    QCOMPARE(m.stallThresholdMs(), 45'000);
    QVERIFY(!m.isStalled(150'000 + 45'000));
    QVERIFY(m.isStalled(150'000 + 45'001));
    QCOMPARE(m.silentForMs(150'000 + 45'001), 45'001);
    m.activity(200'000);
    QVERIFY(!m.isStalled(200'001));
}

void TestHeartbeatMonitor::burstsAreOneActivity()
{
    HeartbeatMonitor m;
    m.connectionOpened(0);
    for (int beat = 1; beat <= 6; ++beat) {
        const qint64 t = beat * 1000;
        m.activity(t);
        m.activity(t + 2); // the rest of the same body chunk, read separately
        m.activity(t + 5);
    }
    QCOMPARE(m.gapCount(), 6);
    QVERIFY(m.usualIntervalMs() >= 990 && m.usualIntervalMs() <= 1000);
}

void TestHeartbeatMonitor::percentileIgnoresOneLongGap()
{
    HeartbeatMonitor m;
    m.connectionOpened(0);
    qint64 t = 0;
    for (int i = 0; i < 30; ++i)
        m.activity(t += 1000);
    m.activity(t += 120'000); // one server GC pause
    QCOMPARE(m.usualIntervalMs(), 1000);
}

void TestHeartbeatMonitor::irregularStreamLearnsItsLongSilences()
{
    // Events every second with a 15 s pause every few events: "usually" silent up to 15 s.
    HeartbeatMonitor m;
    m.connectionOpened(0);
    qint64 t = 0;
    for (int i = 0; i < 32; ++i)
        m.activity(t += (i % 3 == 2) ? 15'000 : 1000);
    QCOMPARE(m.usualIntervalMs(), 15'000);
    QVERIFY(!m.isStalled(t + 30'000));
    QVERIFY(m.isStalled(t + 45'001));
}

void TestHeartbeatMonitor::fastFeedUsesFloor()
{
    HeartbeatMonitor m;
    m.connectionOpened(0);
    for (int i = 1; i <= 40; ++i)
        m.activity(i * 50);
    QCOMPARE(m.usualIntervalMs(), 50);
    QCOMPARE(m.stallThresholdMs(), HeartbeatMonitor::MinStallMs);
}

void TestHeartbeatMonitor::reconnectKeepsLearnedInterval()
{
    HeartbeatMonitor m;
    m.connectionOpened(0);
    for (int i = 1; i <= 10; ++i)
        m.activity(i * 5000);
    m.connectionOpened(500'000); // the time between the drop and the new open is not a gap
    QCOMPARE(m.usualIntervalMs(), 5000);
    QCOMPARE(m.silentForMs(500'100), 100);
    QVERIFY(!m.isStalled(500'100));
}

QTEST_GUILESS_MAIN(TestHeartbeatMonitor)
#include "tst_heartbeat_monitor.moc"
