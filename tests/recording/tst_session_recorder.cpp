// SessionRecorder: the file it writes (header, events, times), input only when opted in, UTF-8
// split across calls, errors, and that asciicast readers (ours) accept it.
#include "asciicast_reader.h"
#include "session_recorder.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestSessionRecorder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesHeaderAndEvents();
    void inputOnlyWhenOptedIn();
    void utf8SplitAcrossCalls();
    void eventsAreOnDiskBeforeStop();
    void unwritablePathFails();
    void nothingBeforeStartOrAfterStop();

private:
    static QByteArray readFile(const QString &path);
    static QList<AsciicastEvent> parse(const QString &path, AsciicastReader &reader);
    QTemporaryDir m_dir;
};

QByteArray TestSessionRecorder::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QList<AsciicastEvent> TestSessionRecorder::parse(const QString &path, AsciicastReader &reader)
{
    return AsciicastReader::readAll(readFile(path), reader);
}

void TestSessionRecorder::writesHeaderAndEvents()
{
    const QString path = m_dir.filePath(QStringLiteral("a.cast"));
    SessionRecorder recorder(path, 120, 40, QStringLiteral("web-1/app: sh"), false);
    QVERIFY(!recorder.isRecording());
    QString error;
    QVERIFY2(recorder.start(&error), qPrintable(error));
    QVERIFY(recorder.isRecording());
    QCOMPARE(recorder.path(), path);
    recorder.output("$ ");
    recorder.resized(100, 30);
    recorder.resized(100, 30); // unchanged: no event
    recorder.output("\x1b[31mred\x1b[0m\r\n");
    recorder.stop();
    QVERIFY(!recorder.isRecording());

    const QByteArray content = readFile(path);
    QVERIFY(content.startsWith("{\"version\":2,\"width\":120,\"height\":40,\"timestamp\":"));
    QVERIFY(content.endsWith("\n"));
    AsciicastReader reader;
    const QList<AsciicastEvent> events = parse(path, reader);
    QVERIFY(reader.issues().isEmpty());
    QCOMPARE(reader.format(), AsciicastReader::Format::Asciicast);
    QCOMPARE(reader.header()->width, 120);
    QCOMPARE(reader.header()->height, 40);
    QCOMPARE(reader.header()->title, QStringLiteral("web-1/app: sh"));
    QVERIFY(qAbs(*reader.header()->timestamp - QDateTime::currentSecsSinceEpoch()) < 60);
    QCOMPARE(events.size(), 3);
    QCOMPARE(events.at(0).type, AsciicastEvent::Type::Output);
    QCOMPARE(events.at(0).data, QByteArray("$ "));
    QCOMPARE(events.at(1).type, AsciicastEvent::Type::Resize);
    QCOMPARE(events.at(1).columns, 100);
    QCOMPARE(events.at(1).rows, 30);
    QCOMPARE(events.at(2).data, QByteArray("\x1b[31mred\x1b[0m\r\n"));
    QVERIFY(events.at(0).time >= 0);
    QVERIFY(events.at(0).time <= events.at(1).time && events.at(1).time <= events.at(2).time);
    QVERIFY(events.at(2).time < 10);
    // lines are "[t,"o",...]" with 6 decimals
    const QList<QByteArray> lines = content.split('\n');
    QVERIFY(lines.at(1).startsWith('['));
    QCOMPARE(lines.at(1).indexOf(',') - lines.at(1).indexOf('.') - 1, 6);
}

void TestSessionRecorder::inputOnlyWhenOptedIn()
{
    for (const bool recordInput : {false, true}) {
        const QString path = m_dir.filePath(QStringLiteral("input-%1.cast").arg(recordInput));
        SessionRecorder recorder(path, 80, 24, QString(), recordInput);
        QVERIFY(recorder.start(nullptr));
        recorder.input("secret\r");
        recorder.output("ok");
        recorder.stop();
        AsciicastReader reader;
        const QList<AsciicastEvent> events = parse(path, reader);
        QCOMPARE(readFile(path).contains("secret"), recordInput);
        QCOMPARE(events.size(), recordInput ? 2 : 1);
        if (recordInput) {
            QCOMPARE(events.at(0).type, AsciicastEvent::Type::Input);
            QCOMPARE(events.at(0).data, QByteArray("secret\r"));
        }
        QCOMPARE(events.constLast().data, QByteArray("ok"));
    }
}

void TestSessionRecorder::utf8SplitAcrossCalls()
{
    const QString path = m_dir.filePath(QStringLiteral("utf8.cast"));
    SessionRecorder recorder(path, 80, 24, QString(), false);
    QVERIFY(recorder.start(nullptr));
    recorder.output("\xE4");
    recorder.output("\xB8\xAD\xF0\x9F");
    recorder.output("\x98\x80 \xC3");
    recorder.stop(); // the dangling C3 becomes U+FFFD
    AsciicastReader reader;
    const QList<AsciicastEvent> events = parse(path, reader);
    QVERIFY(reader.issues().isEmpty());
    QByteArray joined;
    for (const AsciicastEvent &event : events)
        joined += event.data;
    QCOMPARE(joined, QByteArray("\xE4\xB8\xAD\xF0\x9F\x98\x80 \xEF\xBF\xBD"));
}

void TestSessionRecorder::eventsAreOnDiskBeforeStop()
{
    const QString path = m_dir.filePath(QStringLiteral("crash.cast"));
    SessionRecorder recorder(path, 80, 24, QString(), false);
    QVERIFY(recorder.start(nullptr));
    recorder.output("before the crash");
    // another reader sees it at once (no stop(), as after a crash)
    QVERIFY(readFile(path).contains("before the crash"));
}

void TestSessionRecorder::unwritablePathFails()
{
    SessionRecorder recorder(m_dir.filePath(QStringLiteral("no/such/dir/x.cast")), 80, 24, QString(), false);
    QString error;
    QVERIFY(!recorder.start(&error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot write ")), qPrintable(error));
    QVERIFY(!recorder.isRecording());
    recorder.output("ignored"); // must not crash
}

void TestSessionRecorder::nothingBeforeStartOrAfterStop()
{
    const QString path = m_dir.filePath(QStringLiteral("bounds.cast"));
    SessionRecorder recorder(path, 80, 24, QString(), true);
    recorder.output("early");
    QVERIFY(!QFile::exists(path));
    QVERIFY(recorder.start(nullptr));
    recorder.output("during");
    recorder.stop();
    recorder.output("late");
    recorder.input("late");
    recorder.resized(10, 10);
    const QByteArray content = readFile(path);
    QVERIFY(content.contains("during"));
    QVERIFY(!content.contains("early"));
    QVERIFY(!content.contains("late"));
    QVERIFY(!content.contains("10x10"));
}

QTEST_GUILESS_MAIN(TestSessionRecorder)
#include "tst_session_recorder.moc"
