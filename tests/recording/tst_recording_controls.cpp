// RecordingControls on the offscreen platform: the bar drives the RecordingPlayer (play/pause,
// speed, seek by slider) and follows it (button text, slider, time label).
#include "recording_controls.h"
#include "recording_player.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

class TestRecordingControls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatTime();
    void showsDurationBeforeOpen();
    void playPauseButton();
    void speedComboSetsSpeed();
    void sliderFollowsAndSeeks();

private:
    QString recording();
    QTemporaryDir m_dir;
};

QString TestRecordingControls::recording()
{
    const QString path = m_dir.filePath(QStringLiteral("c.cast"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write");
    file.write("{\"version\": 2, \"width\": 40, \"height\": 5}\n"
               "[0, \"o\", \"a\"]\n[1.0, \"o\", \"b\"]\n[65.0, \"o\", \"c\"]\n");
    return path;
}

void TestRecordingControls::formatTime()
{
    QCOMPARE(RecordingControls::formatTime(0), QStringLiteral("0:00"));
    QCOMPARE(RecordingControls::formatTime(7.9), QStringLiteral("0:07"));
    QCOMPARE(RecordingControls::formatTime(723), QStringLiteral("12:03"));
    QCOMPARE(RecordingControls::formatTime(3723), QStringLiteral("1:02:03"));
    QCOMPARE(RecordingControls::formatTime(-5), QStringLiteral("0:00"));
}

void TestRecordingControls::showsDurationBeforeOpen()
{
    RecordingPlayer player(recording());
    RecordingControls controls(&player);
    QCOMPARE(controls.timeLabel()->text(), QStringLiteral("0:00 / 1:05"));
    QCOMPARE(controls.seekSlider()->maximum(), 65'000);
    QCOMPARE(controls.playButton()->text(), QStringLiteral("Play"));
    QCOMPARE(controls.speedCombo()->currentText(), QStringLiteral("1\u00d7"));
    QCOMPARE(controls.speedCombo()->count(), 5);
}

void TestRecordingControls::playPauseButton()
{
    RecordingPlayer player(recording());
    RecordingControls controls(&player);
    QSignalSpy playing(&player, &RecordingPlayer::playingChanged);
    player.open(40, 5);
    QVERIFY(playing.wait(2000));
    QCOMPARE(controls.playButton()->text(), QStringLiteral("Pause"));
    QTest::mouseClick(controls.playButton(), Qt::LeftButton);
    QVERIFY(!player.isPlaying());
    QCOMPARE(controls.playButton()->text(), QStringLiteral("Play"));
    QTest::mouseClick(controls.playButton(), Qt::LeftButton);
    QVERIFY(player.isPlaying());
    player.close();
}

void TestRecordingControls::speedComboSetsSpeed()
{
    RecordingPlayer player(recording());
    RecordingControls controls(&player);
    QCOMPARE(player.speed(), 1.0);
    controls.speedCombo()->setCurrentIndex(4);
    QCOMPARE(player.speed(), 8.0);
    controls.speedCombo()->setCurrentIndex(0);
    QCOMPARE(player.speed(), 0.5);
}

void TestRecordingControls::sliderFollowsAndSeeks()
{
    RecordingPlayer player(recording());
    RecordingControls controls(&player);
    QSignalSpy output(&player, &TerminalBackend::output);
    player.open(40, 5);
    QVERIFY(output.wait(2000));
    player.pause();
    // the player's position reaches the slider and the label
    player.seek(30);
    QCOMPARE(controls.seekSlider()->value(), 30'000);
    QCOMPARE(controls.timeLabel()->text(), QStringLiteral("0:30 / 1:05"));
    // a value set by the user (a click on the track, a key) seeks the player
    output.clear();
    controls.seekSlider()->setValue(500);
    QCOMPARE(player.position(), 0.5);
    QCOMPARE(output.size(), 2); // back: reset, then the re-render
    QCOMPARE(output.at(0).at(0).toByteArray(), QByteArray("\x1b" "c"));
    QCOMPARE(output.at(1).at(0).toByteArray(), QByteArray("a"));
    // while dragging only the label follows; the seek happens on release
    output.clear();
    controls.seekSlider()->setSliderDown(true);
    controls.seekSlider()->setValue(65'000);
    QCOMPARE(controls.timeLabel()->text(), QStringLiteral("1:05 / 1:05"));
    QCOMPARE(player.position(), 0.5);
    QCOMPARE(output.size(), 0);
    controls.seekSlider()->setSliderDown(false);
    QCOMPARE(player.position(), 65.0);
    QCOMPARE(output.size(), 1);
    QCOMPARE(output.at(0).at(0).toByteArray(), QByteArray("bc"));
}

QTEST_MAIN(TestRecordingControls)
#include "tst_recording_controls.moc"
