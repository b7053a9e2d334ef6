// TerminalStreamTracker: the mirror of libvterm 0.1.4's parser state (ground, escape, CSI,
// strings), the guards it applies (CSI parameter overflow, long parameters, REP, DECALN) and the
// state that decides whether ASCII prints as itself (charsets, insert mode, left/right margins).
#include "terminal_stream_tracker.h"

#include <QTest>

namespace {

using Action = TerminalStreamTracker::Action;

/// What libvterm receives when `bytes` go through the tracker (Drop removes a byte, Cancel
/// replaces it by CAN).
QByteArray seen(TerminalStreamTracker &tracker, const QByteArray &bytes)
{
    QByteArray out;
    for (char c : bytes) {
        switch (tracker.step(uchar(c))) {
        case Action::Drop: break;
        case Action::Cancel: out += '\x18'; break;
        default: out += c; break;
        }
    }
    return out;
}

QList<Action> actions(TerminalStreamTracker &tracker, const QByteArray &bytes)
{
    QList<Action> out;
    for (char c : bytes)
        out.append(tracker.step(uchar(c)));
    return out;
}

} // namespace

class TestTerminalStreamTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void groundState_data();
    void groundState();
    void csiParameterOverflowCancelled();
    void longParametersCut();
    void repeatAndAlignReported();
    void charsets();
    void modes();
};

void TestTerminalStreamTracker::groundState_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("inText");
    QTest::newRow("text") << QByteArray("abc") << true;
    QTest::newRow("lone ESC") << QByteArray("\x1b") << false;
    QTest::newRow("CSI open") << QByteArray("\x1b[31") << false;
    QTest::newRow("CSI done") << QByteArray("\x1b[31m") << true;
    QTest::newRow("CSI private") << QByteArray("\x1b[?1049h") << true;
    QTest::newRow("CSI intermediate open") << QByteArray("\x1b[1 ") << false;
    QTest::newRow("CSI intermediate done") << QByteArray("\x1b[1 q") << true;
    QTest::newRow("C0 inside CSI keeps it") << QByteArray("\x1b[3\n") << false;
    QTest::newRow("C0 inside CSI, then final") << QByteArray("\x1b[3\n1m") << true;
    QTest::newRow("CAN cancels CSI") << QByteArray("\x1b[31\x18") << true;
    QTest::newRow("SUB cancels OSC") << QByteArray("\x1b]2;x\x1a") << true;
    QTest::newRow("invalid CSI byte") << QByteArray("\x1b[3\x80") << true;
    QTest::newRow("OSC open") << QByteArray("\x1b]2;title") << false;
    QTest::newRow("OSC by BEL") << QByteArray("\x1b]2;title\x07") << true;
    QTest::newRow("OSC by ST") << QByteArray("\x1b]2;title\x1b\\") << true;
    QTest::newRow("DCS open") << QByteArray("\x1bPq#0;1") << false;
    QTest::newRow("DCS by ST") << QByteArray("\x1bPq#0;1\x1b\\") << true;
    QTest::newRow("ESC in string starts a sequence") << QByteArray("\x1b]2;x\x1b[") << false;
    QTest::newRow("ESC in string, CSI done") << QByteArray("\x1b]2;x\x1b[m") << true;
    QTest::newRow("ESC with intermediate open") << QByteArray("\x1b(") << false;
    QTest::newRow("SCS done") << QByteArray("\x1b(B") << true;
    QTest::newRow("7-bit C1") << QByteArray("\x1b" "D") << true;
    QTest::newRow("ESC then 8-bit byte stays") << QByteArray("\x1b\xc3") << false;
    QTest::newRow("DEL ignored in CSI") << QByteArray("\x1b[3\x7f") << false;
}

void TestTerminalStreamTracker::groundState()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, inText);
    TerminalStreamTracker tracker;
    for (char c : bytes)
        QCOMPARE(tracker.step(uchar(c)), Action::Pass);
    QCOMPARE(tracker.inText(), inText);
}

void TestTerminalStreamTracker::csiParameterOverflowCancelled()
{
    // libvterm 0.1.4 stores CSI parameters in a 16-entry array without a bound: 16 parameters
    // (15 separators) are its limit, the 16th separator would write past it.
    TerminalStreamTracker tracker;
    const QByteArray sixteen = "\x1b[" + QByteArray(15, ';') + "m";
    QCOMPARE(seen(tracker, sixteen), sixteen);
    QVERIFY(tracker.inText());
    const QByteArray tooMany = "\x1b[" + QByteArray(16, ';') + "1;2:3m";
    QCOMPARE(seen(tracker, tooMany + "x"), "\x1b[" + QByteArray(15, ';') + "\x18" + "x");
    QVERIFY(tracker.inText());
    // C0 controls inside the discarded rest still act (as they would inside any CSI).
    QCOMPARE(seen(tracker, "\x1b[" + QByteArray(20, ':') + "\r9" + "H" + "y"),
             "\x1b[" + QByteArray(15, ':') + "\x18\r" + "y");
    // An ESC inside the discarded rest starts a new sequence.
    QCOMPARE(seen(tracker, "\x1b[" + QByteArray(17, ';') + "\x1b[1m"), "\x1b[" + QByteArray(15, ';') + "\x18\x1b[1m");
    QVERIFY(tracker.inText());
    // Thousands of separators cost one CAN, whatever follows.
    const QByteArray huge = "\x1b[" + QByteArray(5000, ';') + "31mred";
    QCOMPARE(seen(tracker, huge), "\x1b[" + QByteArray(15, ';') + "\x18" + "red");
}

void TestTerminalStreamTracker::longParametersCut()
{
    TerminalStreamTracker tracker;
    QCOMPARE(seen(tracker, "\x1b[1234567890123C"), QByteArray("\x1b[123456789C"));
    QCOMPARE(seen(tracker, "\x1b[12;000000000001H"), QByteArray("\x1b[12;000000000H"));
    QCOMPARE(seen(tracker, "\x1b[999999999X"), QByteArray("\x1b[999999999X"));
}

void TestTerminalStreamTracker::repeatAndAlignReported()
{
    TerminalStreamTracker tracker;
    QCOMPARE(actions(tracker, "\x1b[5b").last(), Action::Repeat);
    QCOMPARE(actions(tracker, "\x1b[b").last(), Action::Repeat);
    QCOMPARE(actions(tracker, "\x1b[?5b").last(), Action::Pass);
    QCOMPARE(actions(tracker, "\x1b[5 b").last(), Action::Pass);
    QCOMPARE(actions(tracker, "b").last(), Action::Pass);
    QCOMPARE(actions(tracker, "\x1b#8").last(), Action::Align);
    QCOMPARE(actions(tracker, "\x1b#6").last(), Action::Pass);
    // A control between the ESC and the backslash of an ST is left out; CAN still cancels.
    const QList<Action> st = actions(tracker, QByteArray("\x1b]0;t\x1b\x11\x00\x7f\\", 10));
    QCOMPARE(st.mid(5), (QList<Action>{Action::Pass, Action::DropAfterEsc, Action::DropAfterEsc, Action::DropAfterEsc, Action::Pass}));
    QVERIFY(tracker.inText());
    seen(tracker, "\x1b]0;t\x1b");
    QVERIFY(tracker.inString() && tracker.inStringTerminator());
    QCOMPARE(actions(tracker, "\x18").last(), Action::Pass);
    QVERIFY(tracker.inText());
}

void TestTerminalStreamTracker::charsets()
{
    TerminalStreamTracker tracker;
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b(0"); // G0 = DEC special graphics: q prints as a line
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b(B");
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b(A"); // UK: # prints as a pound sign
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b(Z"); // unknown to libvterm: nothing changes
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b(B\x1b)0"); // G1 only: GL is still G0
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x0e"); // SO: GL = G1
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x0f"); // SI
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b[1\x0e"); // SO acts even inside a CSI
    seen(tracker, "m");
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x0f\x1b*0\x1bn"); // LS2 with G2 graphics
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b" "c"); // RIS
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b(0\x1b[!p"); // DECSTR: libvterm 0.1.4 never recognises it
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b" "c");
    QVERIFY(tracker.plainAscii());
}

void TestTerminalStreamTracker::modes()
{
    TerminalStreamTracker tracker;
    seen(tracker, "\x1b[4h");
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b[4l");
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b[20;4h");
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b[!p"); // ignored by libvterm 0.1.4, so insert mode stays on
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b[4l");
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b[?4h"); // DECSCLM, not insert
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b[?1;69h");
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b[?69l");
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b[?6h"); // origin mode: libvterm clamps the cursor into the region on every CSI
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b[?6l");
    QVERIFY(tracker.plainAscii());
    seen(tracker, "\x1b[4"); // not yet a mode change; not text either
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "h");
    QVERIFY(!tracker.plainAscii());
    seen(tracker, "\x1b" "c");
    QVERIFY(tracker.plainAscii());
}

QTEST_APPLESS_MAIN(TestTerminalStreamTracker)
#include "tst_terminal_stream_tracker.moc"
