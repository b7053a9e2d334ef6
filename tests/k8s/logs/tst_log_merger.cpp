#include "log_merger.h"

#include <QTest>

namespace {

KubeTimestamp at(qint64 ms)
{
    return KubeTimestamp{1796166601 + ms / 1000, qint32(ms % 1000) * 1'000'000};
}

QStringList describe(const QList<MergedLogLine> &lines)
{
    QStringList out;
    for (const MergedLogLine &l : lines)
        out.append(l.streamKey + QLatin1Char(':') + QString::fromUtf8(l.text) + (l.late ? QStringLiteral("!") : QString()));
    return out;
}

} // namespace

class TestLogMerger : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ordersAcrossStreams();
    void holdsForTheWindow();
    void tiesByStreamThenArrival();
    void neverReordersWithinAStream();
    void lateLineReleasedAtOnce();
    void oldLineReleasesSmallerOnes();
    void capForcesRelease();
    void flushAllEmptiesBuffer();
};

void TestLogMerger::ordersAcrossStreams()
{
    LogMerger merger(300);
    merger.push(QStringLiteral("ns/b/c"), at(20), "b20", 0);
    merger.push(QStringLiteral("ns/a/c"), at(10), "a10", 5);
    merger.push(QStringLiteral("ns/b/c"), at(30), "b30", 10);
    merger.push(QStringLiteral("ns/a/c"), at(25), "a25", 50);
    QList<MergedLogLine> out;
    merger.takeReady(400, out);
    QCOMPARE(describe(out), (QStringList{QStringLiteral("ns/a/c:a10"), QStringLiteral("ns/b/c:b20"),
                                         QStringLiteral("ns/a/c:a25"), QStringLiteral("ns/b/c:b30")}));
    QCOMPARE(merger.lateLines(), 0);
    QCOMPARE(merger.nextDueMs(), -1);
}

void TestLogMerger::holdsForTheWindow()
{
    LogMerger merger(300);
    merger.push(QStringLiteral("s1"), at(100), "x", 1000);
    QCOMPARE(merger.nextDueMs(), 1300);
    QList<MergedLogLine> out;
    merger.takeReady(1299, out);
    QVERIFY(out.isEmpty());
    merger.takeReady(1300, out);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].arrivalMs, 1000);
}

void TestLogMerger::tiesByStreamThenArrival()
{
    LogMerger merger(100);
    merger.push(QStringLiteral("zeta"), at(5), "z1", 0);
    merger.push(QStringLiteral("alpha"), at(5), "a1", 1);
    merger.push(QStringLiteral("zeta"), at(5), "z2", 2);
    merger.push(QStringLiteral("alpha"), at(5), "a2", 3);
    QList<MergedLogLine> out;
    merger.takeReady(1000, out);
    QCOMPARE(describe(out), (QStringList{QStringLiteral("alpha:a1"), QStringLiteral("alpha:a2"),
                                         QStringLiteral("zeta:z1"), QStringLiteral("zeta:z2")}));
}

void TestLogMerger::neverReordersWithinAStream()
{
    LogMerger merger(100);
    merger.push(QStringLiteral("s"), at(50), "first", 0);
    merger.push(QStringLiteral("s"), at(10), "second", 1); // stamped earlier, but came later
    merger.push(QStringLiteral("t"), at(30), "t30", 2);
    QList<MergedLogLine> out;
    merger.takeReady(1000, out);
    QCOMPARE(describe(out), (QStringList{QStringLiteral("t:t30"), QStringLiteral("s:first"),
                                         QStringLiteral("s:second!")}));
    QCOMPARE(merger.lateLines(), 1);
}

void TestLogMerger::lateLineReleasedAtOnce()
{
    LogMerger merger(300);
    merger.push(QStringLiteral("fast"), at(100), "f100", 0);
    QList<MergedLogLine> out;
    merger.takeReady(300, out);
    QCOMPARE(out.size(), 1);
    merger.push(QStringLiteral("slow"), at(50), "s50", 400); // older than what was released
    merger.push(QStringLiteral("slow"), at(100), "s100", 400); // equal to it: no need to wait
    merger.push(QStringLiteral("slow"), at(200), "s200", 400);
    merger.takeReady(401, out); // long before its window ends
    QCOMPARE(describe(out), (QStringList{QStringLiteral("fast:f100"), QStringLiteral("slow:s50!"),
                                         QStringLiteral("slow:s100")}));
    QCOMPARE(merger.lateLines(), 1);
    QCOMPARE(merger.bufferedLines(), 1); // s200 still waits for the window
}

void TestLogMerger::oldLineReleasesSmallerOnes()
{
    // "b" at 50 arrives late in wall time but its stamp is small; when "a"'s line is due, every
    // buffered line stamped before it comes out first, even if it has not waited the window.
    LogMerger merger(300);
    merger.push(QStringLiteral("a"), at(100), "a100", 0);
    merger.push(QStringLiteral("b"), at(50), "b50", 250);
    merger.push(QStringLiteral("b"), at(150), "b150", 250);
    QList<MergedLogLine> out;
    merger.takeReady(300, out);
    QCOMPARE(describe(out), (QStringList{QStringLiteral("b:b50"), QStringLiteral("a:a100")}));
    QCOMPARE(merger.lateLines(), 0);
    QCOMPARE(merger.nextDueMs(), 550);
}

void TestLogMerger::capForcesRelease()
{
    LogMerger merger(10'000, 3);
    for (int i = 0; i < 5; ++i)
        merger.push(QStringLiteral("s%1").arg(i % 2), at(100 - i), QByteArray::number(i), i);
    QCOMPARE(merger.bufferedLines(), 3);
    QCOMPARE(merger.forcedReleases(), 2);
    QList<MergedLogLine> out;
    merger.takeReady(5, out); // only the forced ones are due
    QCOMPARE(out.size(), 2);
    merger.flushAll(out);
    QCOMPARE(out.size(), 5);
    QCOMPARE(merger.bufferedLines(), 0);
}

void TestLogMerger::flushAllEmptiesBuffer()
{
    LogMerger merger(300);
    merger.push(QStringLiteral("b"), at(2), "b", 0);
    merger.push(QStringLiteral("a"), at(1), "a", 0);
    QList<MergedLogLine> out;
    merger.flushAll(out);
    QCOMPARE(describe(out), (QStringList{QStringLiteral("a:a"), QStringLiteral("b:b")}));
}

QTEST_GUILESS_MAIN(TestLogMerger)
#include "tst_log_merger.moc"
