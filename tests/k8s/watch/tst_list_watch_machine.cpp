// ListWatchMachine: client-go Reflector rules (protocols.md 2.3, 2.4; W3-W10).

#include "list_watch_machine.h"

#include <QTest>

namespace {

WatchObject pod(const char *name, const char *rv, const char *ns = "default")
{
    WatchObject o;
    o.name = name;
    o.namespaceName = ns;
    o.resourceVersion = rv;
    o.object = QByteArray("{\"metadata\":{\"name\":\"") + name + "\",\"resourceVersion\":\"" + rv + "\"}}";
    return o;
}

WatchEvent watchEvent(WatchEvent::Type type, const char *name, const char *rv)
{
    WatchEvent e;
    static_cast<WatchObject &>(e) = pod(name, rv);
    e.type = type;
    return e;
}

WatchEvent bookmark(const char *rv, bool initialEventsEnd = false)
{
    WatchEvent e;
    e.type = WatchEvent::Type::Bookmark;
    e.resourceVersion = rv;
    e.initialEventsEnd = initialEventsEnd;
    return e;
}

K8sError httpError(int status, const QString &reason = {}, int retryAfter = 0)
{
    K8sError e;
    e.httpStatus = status;
    e.reason = reason;
    e.retryAfterSeconds = retryAfter;
    e.kind = status == 410 ? K8sError::Kind::Gone : status == 429 ? K8sError::Kind::TooManyRequests : K8sError::Kind::Server;
    return e;
}

QStringList changes(const WatchStep &step)
{
    QStringList out;
    for (const WatchChange &c : step.changes) {
        const char *kind = c.kind == WatchChange::Kind::Added ? "+" : c.kind == WatchChange::Kind::Modified ? "~" : "-";
        out << QString::fromLatin1(kind + c.object.key() + '@' + c.object.resourceVersion);
    }
    return out;
}

/// A machine after LIST (a@1, b@1) rv 100 and WATCH opened from 100; r = 0.5.
ListWatchMachine listedMachine(qint64 now = 0)
{
    ListWatchMachine m(false, [] { return 0.5; });
    m.start(now);
    m.listSucceeded({pod("a", "1"), pod("b", "1")}, "100", now);
    m.watchOpened(now);
    return m;
}

} // namespace

class TestListWatchMachine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initialListThenWatch()
    {
        ListWatchMachine m(false, [] { return 0.0; });
        WatchStep s = m.start(0);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(s.next->resourceVersion, QByteArray("0"));
        s = m.listSucceeded({pod("a", "1"), pod("b", "2", "")}, "100", 0);
        QCOMPARE(changes(s), QStringList({"+default/a@1", "+b@2"}));
        QCOMPARE(s.synced, 2);
        QCOMPARE(s.next->kind, WatchAction::Kind::Watch);
        QCOMPARE(s.next->resourceVersion, QByteArray("100"));
        QCOMPARE(s.next->timeoutSeconds, 300);
        QVERIFY(!s.next->sendInitialEvents);
        QCOMPARE(s.next->delayMs, 0);
        ListWatchMachine high(false, [] { return 0.999999; });
        high.start(0);
        QCOMPARE(high.listSucceeded({}, "1", 0).next->timeoutSeconds, 600);
    }

    void w1EventsMoveTheResourceVersion()
    {
        ListWatchMachine m = listedMachine();
        const WatchStep s = m.watchEvents({watchEvent(WatchEvent::Type::Added, "c", "101"),
                                           watchEvent(WatchEvent::Type::Modified, "c", "105")}, 10);
        QCOMPARE(changes(s), QStringList({"+default/c@101", "~default/c@105"}));
        QVERIFY(!s.next);
        QCOMPARE(m.resourceVersion(), QByteArray("105"));
        const WatchStep d = m.watchEvents({watchEvent(WatchEvent::Type::Deleted, "a", "106")}, 10);
        QCOMPARE(changes(d), QStringList({"-default/a@106"}));
        QCOMPARE(m.store().size(), 2);
    }

    void w3BookmarkUpdatesRvOnly()
    {
        ListWatchMachine m = listedMachine();
        const WatchStep s = m.watchEvents({bookmark("200")}, 10);
        QVERIFY(s.changes.isEmpty());
        QVERIFY(!s.synced);
        QCOMPARE(m.resourceVersion(), QByteArray("200"));
        const WatchStep end = m.watchEnded(true, 1, 300'000, 300'000);
        QCOMPARE(end.next->kind, WatchAction::Kind::Watch);
        QCOMPARE(end.next->resourceVersion, QByteArray("200"));
    }

    void w4InStream410RelistsWithDifferences()
    {
        ListWatchMachine m = listedMachine();
        m.watchEvents({watchEvent(WatchEvent::Type::Modified, "a", "150")}, 10);
        WatchEvent gone;
        gone.type = WatchEvent::Type::Error;
        gone.code = 410;
        gone.reason = "Expired";
        gone.message = "too old resource version: 150 (2000)";
        WatchStep s = m.watchEvents({gone}, 20);
        QVERIFY(s.error);
        QCOMPARE(s.error->httpStatus, 410);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(s.next->resourceVersion, QByteArray("150"));
        QCOMPARE(s.next->delayMs, 0);
        // The relist from 150 expires as well: a consistent read.
        s = m.listFailed(httpError(410, QStringLiteral("Expired")), 30);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(s.next->resourceVersion, QByteArray(""));
        QCOMPARE(s.next->delayMs, 0);
        // a unchanged (150), b gone, c new.
        s = m.listSucceeded({pod("a", "150"), pod("c", "1990")}, "2000", 40);
        QCOMPARE(changes(s), QStringList({"+default/c@1990", "-default/b@1"}));
        QCOMPARE(s.synced, 2);
        QCOMPARE(s.next->kind, WatchAction::Kind::Watch);
        QCOMPARE(s.next->resourceVersion, QByteArray("2000"));
    }

    void w5Http410AtWatchStart()
    {
        ListWatchMachine m = listedMachine();
        const WatchStep s = m.watchFailed(httpError(410, QStringLiteral("Expired")), 10);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(s.next->resourceVersion, QByteArray("100"));
        QCOMPARE(s.next->delayMs, 0);
    }

    void tooLargeResourceVersionListsFromEmpty()
    {
        ListWatchMachine m = listedMachine();
        WatchStep s = m.watchFailed(httpError(504, QStringLiteral("Timeout")), 10);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(s.next->resourceVersion, QByteArray(""));
        ListWatchMachine m2 = listedMachine();
        K8sError e = httpError(400);
        e.reason = QStringLiteral("ResourceVersionTooLarge");
        s = m2.watchFailed(e, 10);
        QCOMPARE(s.next->resourceVersion, QByteArray(""));
    }

    void w6CleanEndRewatchesWithoutList()
    {
        ListWatchMachine m = listedMachine();
        m.watchEvents({watchEvent(WatchEvent::Type::Modified, "a", "120")}, 10);
        const WatchStep s = m.watchEnded(true, 1, 300'000, 300'000);
        QVERIFY(!s.error);
        QCOMPARE(s.next->kind, WatchAction::Kind::Watch);
        QCOMPARE(s.next->resourceVersion, QByteArray("120"));
        QCOMPARE(s.next->delayMs, 0);
        // Quiet but long-lived: also fine.
        m.watchOpened(300'000);
        QCOMPARE(m.watchEnded(true, 0, 5000, 305'000).next->kind, WatchAction::Kind::Watch);
    }

    void w7TooManyRequestsWaitsThenRewatches()
    {
        ListWatchMachine m = listedMachine();
        const WatchStep s = m.watchFailed(httpError(429, QStringLiteral("TooManyRequests"), 2), 10);
        QCOMPARE(s.next->kind, WatchAction::Kind::Watch);
        QCOMPARE(s.next->resourceVersion, QByteArray("100"));
        QVERIFY(s.next->delayMs >= 2000);
        QVERIFY(s.next->delayMs < 2 * 30'000);
    }

    void w8TruncatedRewatches()
    {
        ListWatchMachine m = listedMachine();
        m.watchEvents({watchEvent(WatchEvent::Type::Modified, "a", "130")}, 10);
        const WatchStep s = m.watchEnded(false, 1, 5000, 5000);
        QVERIFY(s.error);
        QCOMPARE(s.next->kind, WatchAction::Kind::Watch);
        QCOMPARE(s.next->resourceVersion, QByteArray("130"));
        QCOMPARE(s.next->delayMs, 0);
    }

    void w9UnknownTypeRelists()
    {
        ListWatchMachine m = listedMachine();
        WatchEvent odd = watchEvent(WatchEvent::Type::Unknown, "a", "140");
        odd.typeText = "SURPRISE";
        const WatchStep s = m.watchEvents({watchEvent(WatchEvent::Type::Added, "z", "139"), odd}, 10);
        QCOMPARE(changes(s), QStringList({"+default/z@139"}));
        QVERIFY(s.error);
        QVERIFY(s.error->message.contains(QStringLiteral("SURPRISE")));
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(s.next->resourceVersion, QByteArray("139"));
        QVERIFY(s.next->delayMs >= 800 && s.next->delayMs < 1600);
    }

    void shortWatchWithoutEventsIsAnError()
    {
        ListWatchMachine m = listedMachine();
        const WatchStep s = m.watchEnded(true, 0, 200, 200);
        QVERIFY(s.error);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QVERIFY(s.next->delayMs >= 800);
    }

    void otherFailuresBackOffAndList()
    {
        ListWatchMachine m = listedMachine();
        const WatchStep s = m.watchFailed(httpError(500), 10);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(s.next->resourceVersion, QByteArray("100"));
        QCOMPARE(s.next->delayMs, 1200); // 800 + 0.5 * 800
        K8sError refused;
        refused.kind = K8sError::Kind::Network;
        const WatchStep r = m.watchFailed(refused, 20);
        QCOMPARE(r.next->kind, WatchAction::Kind::Watch); // connection refused: no relist
        QCOMPARE(r.next->delayMs, 2400);
    }

    void backoffBoundsCapAndReset()
    {
        double r = 0.0;
        ListWatchMachine m(false, [&r] { return r; });
        m.start(0);
        qint64 now = 0;
        qint64 expected = 800;
        for (int i = 0; i < 10; ++i) {
            r = (i % 2) ? 0.999999 : 0.0;
            const WatchStep s = m.listFailed(httpError(500), now);
            QVERIFY2(s.next->delayMs >= expected && s.next->delayMs < 2 * expected,
                     qPrintable(QStringLiteral("%1: %2 not in [%3, %4)").arg(i).arg(s.next->delayMs).arg(expected).arg(2 * expected)));
            expected = std::min<qint64>(expected * 2, 30'000);
            now += 1000;
        }
        QCOMPARE(m.currentBackoffBaseMs(), 30'000);
        // Two minutes without failures: back to 800 ms.
        r = 0.0;
        QCOMPARE(m.listFailed(httpError(500), now + 120'000).next->delayMs, 800);
    }

    void syntheticAddedRvsAreNotKept()
    {
        ListWatchMachine m(false, [] { return 0.0; });
        m.start(0);
        m.listSucceeded({}, "", 0); // a list without RV: the watch starts from ""
        m.watchOpened(0);
        m.watchEvents({watchEvent(WatchEvent::Type::Added, "a", "50"), watchEvent(WatchEvent::Type::Added, "b", "40")}, 0);
        QCOMPARE(m.resourceVersion(), QByteArray(""));
        m.watchEvents({watchEvent(WatchEvent::Type::Modified, "a", "60")}, 0);
        QCOMPARE(m.resourceVersion(), QByteArray("60"));
        m.watchEvents({watchEvent(WatchEvent::Type::Added, "c", "61")}, 0);
        QCOMPARE(m.resourceVersion(), QByteArray("61"));
    }

    void w10StreamingListSyncsOnceAtBookmark()
    {
        ListWatchMachine m(true, [] { return 0.0; });
        WatchStep s = m.start(0);
        QCOMPARE(s.next->kind, WatchAction::Kind::Watch);
        QVERIFY(s.next->sendInitialEvents);
        QCOMPARE(s.next->resourceVersion, QByteArray(""));
        m.watchOpened(0);
        s = m.watchEvents({watchEvent(WatchEvent::Type::Added, "a", "5"), watchEvent(WatchEvent::Type::Added, "b", "3")}, 0);
        QCOMPARE(changes(s), QStringList({"+default/a@5", "+default/b@3"}));
        QVERIFY(!s.synced);
        QCOMPARE(m.resourceVersion(), QByteArray(""));
        s = m.watchEvents({bookmark("7"), bookmark("8", true)}, 0);
        QVERIFY(s.changes.isEmpty());
        QCOMPARE(s.synced, 2);
        QCOMPARE(m.resourceVersion(), QByteArray("8"));
        s = m.watchEvents({watchEvent(WatchEvent::Type::Modified, "a", "9"), bookmark("10", true)}, 0);
        QCOMPARE(changes(s), QStringList({"~default/a@9"}));
        QVERIFY(!s.synced);
        s = m.watchEnded(true, 5, 400'000, 400'000);
        QCOMPARE(s.next->kind, WatchAction::Kind::Watch);
        QVERIFY(!s.next->sendInitialEvents);
        QCOMPARE(s.next->resourceVersion, QByteArray("10"));
        QVERIFY(m.isStreamingListEnabled());
    }

    void streamingListRejectedFallsBackForGood()
    {
        ListWatchMachine m(true, [] { return 0.0; });
        m.start(0);
        WatchStep s = m.watchFailed(httpError(422, QStringLiteral("Invalid")), 0);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(s.next->resourceVersion, QByteArray("0"));
        QVERIFY(!m.isStreamingListEnabled());
        s = m.listSucceeded({pod("a", "1")}, "100", 0);
        QCOMPARE(s.synced, 1);
        QVERIFY(!s.next->sendInitialEvents);
        // A later failure relists; it never goes back to streaming.
        s = m.watchFailed(httpError(500), 10);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QCOMPARE(m.start(20).next->kind, WatchAction::Kind::List);
    }

    void streamingListEndingEarlyFallsBack()
    {
        ListWatchMachine m(true, [] { return 0.0; });
        m.start(0);
        m.watchOpened(0);
        m.watchEvents({watchEvent(WatchEvent::Type::Added, "a", "5")}, 0);
        const WatchStep s = m.watchEnded(true, 1, 3000, 3000);
        QVERIFY(s.error);
        QCOMPARE(s.next->kind, WatchAction::Kind::List);
        QVERIFY(!m.isStreamingListEnabled());
    }
};

QTEST_GUILESS_MAIN(TestListWatchMachine)
#include "tst_list_watch_machine.moc"
