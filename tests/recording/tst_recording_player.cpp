// RecordingPlayer: real timers (short recordings), speed, pause, seek back (RIS + re-render),
// resize events, idle_time_limit, input not replayed, raw files, failures, close.
#include "recording_player.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray Header = "{\"version\": 2, \"width\": 90, \"height\": 30}\n";
const QByteArray Abc = "[0.0, \"o\", \"a\"]\n[0.3, \"o\", \"b\"]\n[0.6, \"o\", \"c\"]\n";

QByteArray joinedOutput(const QSignalSpy &spy)
{
    QByteArray all;
    for (const QList<QVariant> &args : spy)
        all += args.at(0).toByteArray();
    return all;
}

} // namespace

class TestRecordingPlayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void playsInTimeAtSpeed();
    void idleTimeLimitShortensPauses();
    void pauseStopsOutput();
    void seekBackReRenders();
    void seekForwardEmitsAtOnce();
    void resizeEvents();
    void inputIsNotReplayed();
    void rawFileAllAtOnce();
    void unreadableFileFails_data();
    void unreadableFileFails();
    void problemsAreNoticed();
    void closeEmitsClosed();
    void playAgainAfterEnd();

private:
    QString write(const QString &name, const QByteArray &content);
    QTemporaryDir m_dir;
};

QString TestRecordingPlayer::write(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write the test recording");
    return path;
}

void TestRecordingPlayer::playsInTimeAtSpeed()
{
    RecordingPlayer player(write(QStringLiteral("abc.cast"), Header + Abc));
    QVERIFY(player.load());
    QCOMPARE(player.duration(), 0.6);
    QCOMPARE(player.columns(), 90);
    QVERIFY(!player.acceptsInput());
    player.setSpeed(2.0);
    QSignalSpy opened(&player, &TerminalBackend::opened);
    QSignalSpy output(&player, &TerminalBackend::output);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    QSignalSpy playing(&player, &RecordingPlayer::playingChanged);
    QSignalSpy resized(&player, &RecordingPlayer::resizeRequested);
    QElapsedTimer clock;
    clock.start();
    player.open(80, 24);
    QCOMPARE(opened.size(), 0); // signals come from the event loop
    QVERIFY(finished.wait(5000));
    const qint64 ms = clock.elapsed();
    QCOMPARE(opened.size(), 1);
    QCOMPARE(resized.size(), 1);
    QCOMPARE(resized.at(0).at(0).toInt(), 90);
    QCOMPARE(resized.at(0).at(1).toInt(), 30);
    QCOMPARE(joinedOutput(output), QByteArray("abc"));
    QCOMPARE(output.size(), 3); // one per instant
    QVERIFY2(ms >= 290, qPrintable(QString::number(ms))); // 0.6 s at 2x
    QVERIFY2(ms < 2000, qPrintable(QString::number(ms)));
    const TerminalExit exit = finished.at(0).at(0).value<TerminalExit>();
    QCOMPARE(exit.kind, TerminalExit::Kind::Exited);
    QVERIFY(!exit.exitCode);
    QCOMPARE(exit.message, QStringLiteral("end of recording"));
    QCOMPARE(playing.size(), 2);
    QCOMPARE(playing.at(0).at(0).toBool(), true);
    QCOMPARE(playing.at(1).at(0).toBool(), false);
    QCOMPARE(player.position(), 0.6);
    QCOMPARE(player.state(), TerminalBackend::State::Finished);
}

void TestRecordingPlayer::idleTimeLimitShortensPauses()
{
    const QByteArray file = "{\"version\": 2, \"width\": 80, \"height\": 24, \"idle_time_limit\": 0.1}\n"
                            "[0, \"o\", \"a\"]\n[100, \"o\", \"b\"]\n[100.05, \"o\", \"c\"]\n";
    RecordingPlayer player(write(QStringLiteral("idle.cast"), file));
    QVERIFY(player.load());
    QVERIFY(qAbs(player.duration() - 0.15) < 1e-9);
    QSignalSpy output(&player, &TerminalBackend::output);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    player.open(80, 24);
    QVERIFY(finished.wait(3000));
    QCOMPARE(joinedOutput(output), QByteArray("abc"));
}

void TestRecordingPlayer::pauseStopsOutput()
{
    RecordingPlayer player(write(QStringLiteral("pause.cast"), Header + Abc));
    QSignalSpy output(&player, &TerminalBackend::output);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    player.open(80, 24);
    QVERIFY(output.wait(2000));
    QCOMPARE(joinedOutput(output), QByteArray("a"));
    player.pause();
    QVERIFY(!player.isPlaying());
    const double at = player.position();
    QVERIFY(at < 0.3);
    QVERIFY(!output.wait(700)); // "b" was due at 0.3 s: nothing comes while paused
    QCOMPARE(player.position(), at);
    player.play();
    QVERIFY(finished.wait(3000));
    QCOMPARE(joinedOutput(output), QByteArray("abc"));
}

void TestRecordingPlayer::seekBackReRenders()
{
    RecordingPlayer player(write(QStringLiteral("seek.cast"), Header + Abc));
    player.setSpeed(8);
    QSignalSpy output(&player, &TerminalBackend::output);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    QSignalSpy resized(&player, &RecordingPlayer::resizeRequested);
    QSignalSpy position(&player, &RecordingPlayer::positionChanged);
    player.open(80, 24);
    QVERIFY(finished.wait(3000));
    output.clear();
    resized.clear();
    position.clear();
    player.seek(0.3);
    QCOMPARE(output.size(), 2);
    QCOMPARE(output.at(0).at(0).toByteArray(), QByteArray("\x1b" "c"));
    QCOMPARE(output.at(1).at(0).toByteArray(), QByteArray("ab"));
    QCOMPARE(resized.size(), 1);
    QCOMPARE(resized.at(0).at(0).toInt(), 90);
    QCOMPARE(position.constLast().at(0).toDouble(), 0.3);
    QCOMPARE(player.position(), 0.3);
    QCOMPARE(player.state(), TerminalBackend::State::Open);
    // seeking to the start clears everything (0.0 "a" is still shown: it is at 0)
    output.clear();
    player.seek(0);
    QCOMPARE(joinedOutput(output), QByteArray("\x1b" "ca"));
}

void TestRecordingPlayer::seekForwardEmitsAtOnce()
{
    RecordingPlayer player(write(QStringLiteral("fwd.cast"), Header + Abc));
    QSignalSpy output(&player, &TerminalBackend::output);
    player.open(80, 24);
    QVERIFY(output.wait(2000));
    player.pause();
    QCOMPARE(joinedOutput(output), QByteArray("a"));
    output.clear();
    player.seek(0.6);
    QCOMPARE(output.size(), 1);
    QCOMPARE(output.at(0).at(0).toByteArray(), QByteArray("bc"));
    QVERIFY(!player.isPlaying());
    QCOMPARE(player.state(), TerminalBackend::State::Open); // paused at the end, not finished
}

void TestRecordingPlayer::resizeEvents()
{
    const QByteArray file = Header + "[0, \"o\", \"x\"]\n[0.05, \"r\", \"100x40\"]\n[0.05, \"o\", \"y\"]\n[0.1, \"r\", \"50x10\"]\n";
    RecordingPlayer player(write(QStringLiteral("resize.cast"), file));
    QSignalSpy resized(&player, &RecordingPlayer::resizeRequested);
    QSignalSpy output(&player, &TerminalBackend::output);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    player.open(80, 24);
    QVERIFY(finished.wait(3000));
    QCOMPARE(resized.size(), 3);
    QCOMPARE(resized.at(0), (QList<QVariant>{90, 30}));
    QCOMPARE(resized.at(1), (QList<QVariant>{100, 40}));
    QCOMPARE(resized.at(2), (QList<QVariant>{50, 10}));
    QCOMPARE(joinedOutput(output), QByteArray("xy"));
    // seeking back restores the header size first, then replays the resize in order
    resized.clear();
    output.clear();
    QList<QByteArray> order;
    connect(&player, &TerminalBackend::output, this, [&](const QByteArray &bytes) { order.append(bytes); });
    connect(&player, &RecordingPlayer::resizeRequested, this, [&](int c, int r) { order.append(QByteArray::number(c) + 'x' + QByteArray::number(r)); });
    player.seek(0.07);
    QCOMPARE(order, (QList<QByteArray>{"\x1b" "c", "90x30", "x", "100x40", "y"}));
}

void TestRecordingPlayer::inputIsNotReplayed()
{
    const QByteArray file = Header + "[0, \"i\", \"secret\\r\"]\n[0.01, \"o\", \"shown\"]\n[0.02, \"m\", \"mark\"]\n";
    RecordingPlayer player(write(QStringLiteral("input.cast"), file));
    QSignalSpy output(&player, &TerminalBackend::output);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    player.open(80, 24);
    QVERIFY(finished.wait(3000));
    QCOMPARE(joinedOutput(output), QByteArray("shown"));
}

void TestRecordingPlayer::rawFileAllAtOnce()
{
    const QByteArray raw = "plain \x1b[1mbytes\x1b[0m\r\nsecond line\r\n";
    RecordingPlayer player(write(QStringLiteral("raw.txt"), raw));
    QVERIFY(player.load());
    QVERIFY(player.isRaw());
    QCOMPARE(player.duration(), 0.0);
    QSignalSpy output(&player, &TerminalBackend::output);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    player.open(80, 24);
    QVERIFY(finished.wait(2000));
    QCOMPARE(output.size(), 1);
    QCOMPARE(output.at(0).at(0).toByteArray(), raw);
    QCOMPARE(player.title(), QStringLiteral("replay: raw.txt"));
}

void TestRecordingPlayer::unreadableFileFails_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("version 1") << QStringLiteral("v1.cast") << QByteArray("{\"version\": 1, \"width\": 80, \"height\": 24}\n")
                               << QStringLiteral("v1.cast: line 1: asciicast version 1 is not supported; expected version 2");
    QTest::newRow("no width") << QStringLiteral("w.cast") << QByteArray("{\"version\": 2, \"height\": 24}\n")
                              << QStringLiteral("w.cast: line 1: expected \"width\" in the header, got nothing");
    QTest::newRow("missing") << QString() << QByteArray() << QStringLiteral("cannot read ");
}

void TestRecordingPlayer::unreadableFileFails()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const QString path = name.isEmpty() ? m_dir.filePath(QStringLiteral("does-not-exist.cast")) : write(name, content);
    RecordingPlayer player(path);
    QSignalSpy opened(&player, &TerminalBackend::opened);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    player.open(80, 24);
    QVERIFY(finished.wait(2000));
    QCOMPARE(opened.size(), 0);
    const TerminalExit exit = finished.at(0).at(0).value<TerminalExit>();
    QCOMPARE(exit.kind, TerminalExit::Kind::Failed);
    QVERIFY2(exit.message.startsWith(message), qPrintable(exit.message));
    player.play(); // nothing to play: no crash, no signal
    player.seek(1);
    QCOMPARE(finished.size(), 1);
}

void TestRecordingPlayer::problemsAreNoticed()
{
    RecordingPlayer player(write(QStringLiteral("bad-lines.cast"), Header + "junk\n[0, \"o\", \"ok\"]\n"));
    QSignalSpy notice(&player, &TerminalBackend::notice);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    player.open(80, 24);
    QVERIFY(finished.wait(2000));
    QCOMPARE(notice.size(), 1);
    QVERIFY2(notice.at(0).at(0).toString().startsWith(QStringLiteral("1 problem(s) in the recording, skipped; first: line 2: ")),
             qPrintable(notice.at(0).at(0).toString()));
}

void TestRecordingPlayer::closeEmitsClosed()
{
    RecordingPlayer player(write(QStringLiteral("close.cast"), Header + Abc));
    QSignalSpy opened(&player, &TerminalBackend::opened);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    QSignalSpy output(&player, &TerminalBackend::output);
    player.open(80, 24);
    QVERIFY(opened.wait(2000));
    player.close();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<TerminalExit>().kind, TerminalExit::Kind::Closed);
    QVERIFY(!player.isPlaying());
    const qsizetype before = output.size();
    QVERIFY(!output.wait(500)); // "b" at 0.3 s never comes
    QCOMPARE(output.size(), before);
    player.play(); // closed: stays closed
    QVERIFY(!player.isPlaying());
    player.close();
    QCOMPARE(finished.size(), 1);
}

void TestRecordingPlayer::playAgainAfterEnd()
{
    RecordingPlayer player(write(QStringLiteral("again.cast"), Header + Abc));
    player.setSpeed(16);
    QSignalSpy output(&player, &TerminalBackend::output);
    QSignalSpy finished(&player, &TerminalBackend::finished);
    player.open(80, 24);
    QVERIFY(finished.wait(3000));
    output.clear();
    player.play();
    QVERIFY(player.isPlaying());
    QCOMPARE(player.state(), TerminalBackend::State::Open);
    QVERIFY(finished.wait(3000));
    QCOMPARE(joinedOutput(output), QByteArray("\x1b" "cabc"));
    QCOMPARE(finished.size(), 2);
}

QTEST_GUILESS_MAIN(TestRecordingPlayer)
#include "tst_recording_player.moc"
