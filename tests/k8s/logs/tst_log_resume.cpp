#include "fake_kubelet_log.h"
#include "log_resume.h"

#include <QRandomGenerator>
#include <QTest>

namespace {

QByteArray ln(const char *ts, const char *text)
{
    return QByteArray(ts) + ' ' + text + '\n';
}

/// Feeds one piece (a QByteArray, so string-builder expressions can be passed as they are).
void feedBytes(LogResumeCursor &cursor, const QByteArray &bytes, QList<KubeLogLine> &out)
{
    cursor.feed(bytes, out);
}

QList<QByteArray> texts(const QList<KubeLogLine> &lines)
{
    QList<QByteArray> out;
    for (const KubeLogLine &l : lines)
        out.append(l.text);
    return out;
}

} // namespace

class TestLogResume : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitLineEmittedOnceComplete();   // L1
    void resumeThreeLinesSharingOneSecond(); // L2
    void resumeExactEqualTimestamps();     // L2
    void partialLineAtEofResumed();
    void partialLineAtEofFinished();
    void resumeBeforeAnyLine();
    void resumeDuringReplay();
    void rotatedLogFlagsGap();
    void untimestampedLineCounted();
    void randomCutsDeliverEveryLineOnce();
};

void TestLogResume::splitLineEmittedOnceComplete()
{
    const QByteArray stream = ln("2026-12-01T23:10:01.100000000Z", "first")
                              + ln("2026-12-01T23:10:01.200000000Z", "second");
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        LogResumeCursor cursor;
        QList<KubeLogLine> out;
        cursor.feed(QByteArrayView(stream).first(cut), out);
        const qsizetype firstEnd = stream.indexOf('\n') + 1;
        QCOMPARE(out.size(), cut >= stream.size() ? 2 : cut >= firstEnd ? 1 : 0);
        cursor.feed(QByteArrayView(stream).sliced(cut), out);
        QCOMPARE(texts(out), (QList<QByteArray>{"first", "second"}));
        QCOMPARE(cursor.linesAtLast(), 1);
        QVERIFY(!cursor.hasPartialLine());
    }
}

void TestLogResume::resumeThreeLinesSharingOneSecond()
{
    const QByteArray a = ln("2026-12-01T23:10:01.100000000Z", "a");
    const QByteArray b = ln("2026-12-01T23:10:01.200000000Z", "b");
    const QByteArray c = ln("2026-12-01T23:10:01.300000000Z", "c");
    const QByteArray d = ln("2026-12-01T23:10:02.000000000Z", "d");
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    feedBytes(cursor, a + b, out);                 // the stream drops after b
    QVERIFY(!cursor.resume());
    QCOMPARE(*cursor.sinceTime(), QStringLiteral("2026-12-01T23:10:01Z"));
    feedBytes(cursor, a + b + c + d, out);         // the kubelet replays the whole second
    QCOMPARE(texts(out), (QList<QByteArray>{"a", "b", "c", "d"}));
    QCOMPARE(cursor.report().duplicatesSkipped, 2);
    QCOMPARE(cursor.report().lost, 0);
    QVERIFY(cursor.report().complete);
    QVERIFY(!cursor.report().gapPossible);
    QCOMPARE(cursor.report().describe(), QStringLiteral("0 lost, 2 duplicates skipped"));
}

void TestLogResume::resumeExactEqualTimestamps()
{
    const char *t = "2026-12-01T23:10:01.500000000Z";
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    feedBytes(cursor, ln("2026-12-01T23:10:01.100000000Z", "x") + ln(t, "a") + ln(t, "b"), out);
    QCOMPARE(cursor.linesAtLast(), 2);
    cursor.resume();
    feedBytes(cursor, ln("2026-12-01T23:10:01.100000000Z", "x") + ln(t, "a") + ln(t, "b") + ln(t, "c")
                    + ln("2026-12-01T23:10:03.000000000Z", "d"),
                out);
    QCOMPARE(texts(out), (QList<QByteArray>{"x", "a", "b", "c", "d"}));
    QCOMPARE(cursor.report().duplicatesSkipped, 3);
}

void TestLogResume::partialLineAtEofResumed()
{
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    feedBytes(cursor, ln("2026-12-01T23:10:01.100000000Z", "a") + "2026-12-01T23:10:01.2000", out);
    QVERIFY(cursor.hasPartialLine());
    QVERIFY(cursor.resume()); // the fragment is discarded: it comes again whole
    feedBytes(cursor, ln("2026-12-01T23:10:01.100000000Z", "a") + ln("2026-12-01T23:10:01.200000000Z", "b"), out);
    QCOMPARE(texts(out), (QList<QByteArray>{"a", "b"}));
    QCOMPARE(cursor.report().duplicatesSkipped, 1);
}

void TestLogResume::partialLineAtEofFinished()
{
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    feedBytes(cursor, ln("2026-12-01T23:10:01.100000000Z", "a") + "2026-12-01T23:10:01.200000000Z bye", out);
    QCOMPARE(out.size(), 1);
    cursor.finish(out); // the container ended without a newline: its last words are delivered
    QCOMPARE(texts(out), (QList<QByteArray>{"a", "bye"}));
}

void TestLogResume::resumeBeforeAnyLine()
{
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    QVERIFY(!cursor.sinceTime().has_value());
    cursor.resume();
    QVERIFY(!cursor.isFilteringReplay());
    feedBytes(cursor, ln("2026-12-01T23:10:01.100000000Z", "a"), out);
    QCOMPARE(out.size(), 1);
}

void TestLogResume::resumeDuringReplay()
{
    // The connection drops again inside the replay: the cursor still filters against T.
    const QByteArray a = ln("2026-12-01T23:10:01.100000000Z", "a");
    const QByteArray b = ln("2026-12-01T23:10:01.200000000Z", "b");
    const QByteArray c = ln("2026-12-01T23:10:01.300000000Z", "c");
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    feedBytes(cursor, a + b, out);
    cursor.resume();
    feedBytes(cursor, a, out);
    cursor.resume();
    feedBytes(cursor, a + b + c, out);
    QCOMPARE(texts(out), (QList<QByteArray>{"a", "b", "c"}));
    QCOMPARE(cursor.totalDuplicatesSkipped(), 3);
}

void TestLogResume::rotatedLogFlagsGap()
{
    const char *t = "2026-12-01T23:10:01.500000000Z";
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    feedBytes(cursor, ln(t, "a") + ln(t, "b"), out);
    cursor.resume();
    feedBytes(cursor, ln("2026-12-01T23:10:05.000000000Z", "later"), out); // the lines at T are gone
    QCOMPARE(texts(out), (QList<QByteArray>{"a", "b", "later"}));
    QVERIFY(cursor.report().gapPossible);
    QCOMPARE(cursor.report().duplicatesSkipped, 0);
    QVERIFY(cursor.report().describe().contains(QStringLiteral("gap is possible")));
}

void TestLogResume::untimestampedLineCounted()
{
    const QByteArray stream = ln("2026-12-01T23:10:01.100000000Z", "a") + "no stamp\n"
                              + ln("2026-12-01T23:10:01.200000000Z", "b") + "again none\n";
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    feedBytes(cursor, stream, out);
    QCOMPARE(out.size(), 4);
    QVERIFY(!out[1].hasTimestamp);
    QCOMPARE(out[1].text, QByteArray("no stamp"));
    QCOMPARE(out[1].timestamp, out[0].timestamp);
    QCOMPARE(cursor.untimestampedLines(), 2);
    QCOMPARE(cursor.linesAtLast(), 2); // "b" and the line that inherited its timestamp
    cursor.resume();
    feedBytes(cursor, stream + ln("2026-12-01T23:10:02.000000000Z", "c"), out);
    QCOMPARE(out.size(), 5);
    QCOMPARE(out.last().text, QByteArray("c"));
}

void TestLogResume::randomCutsDeliverEveryLineOnce()
{
    // The whole protocol against a faithful kubelet replay: many cuts at random byte positions.
    int totalConnections = 0;
    qint64 totalDuplicates = 0;
    for (quint32 seed = 1; seed <= 20; ++seed) {
        const FakeKubeletLog log = FakeKubeletLog::generate(2000, seed);
        QRandomGenerator rng(seed * 7919);
        LogResumeCursor cursor;
        QList<KubeLogLine> out;
        int guard = 0;
        while (out.size() < log.lines.size() && ++guard < 1000) {
            const QByteArray bytes = log.replay(cursor.lastTimestamp());
            // A cut anywhere, or (one time in eight) the whole rest of the log.
            const qsizetype cut = rng.bounded(8) == 0 ? bytes.size()
                                                      : qsizetype(rng.bounded(quint32(bytes.size()) + 1));
            // Each connection delivers its bytes in random pieces up to the cut.
            qsizetype at = 0;
            while (at < cut) {
                const qsizetype piece = std::min<qsizetype>(cut - at, 1 + rng.bounded(300));
                cursor.feed(QByteArrayView(bytes).sliced(at, piece), out);
                at += piece;
            }
            if (cut == bytes.size())
                break;
            cursor.resume();
        }
        for (qsizetype i = 0; i < std::min(out.size(), log.lines.size()); ++i)
            QVERIFY2(out[i] == log.lines[i], qPrintable(QStringLiteral("seed %1 line %2 guard %3").arg(seed).arg(i).arg(guard)));
        totalConnections += guard;
        totalDuplicates += cursor.totalDuplicatesSkipped();
        QVERIFY2(out.size() == log.lines.size(), qPrintable(QStringLiteral("seed %1: %2 of %3 lines after %4 connections").arg(seed).arg(out.size()).arg(log.lines.size()).arg(guard)));
    }
    QVERIFY(totalConnections >= 60); // it really was cut, many times
    QVERIFY(totalDuplicates > 0);    // and the replays really overlapped what was delivered
}

QTEST_GUILESS_MAIN(TestLogResume)
#include "tst_log_resume.moc"
