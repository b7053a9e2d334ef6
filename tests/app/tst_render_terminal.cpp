// Runs the built livedash binary with --headless --render-terminal FILE (like tst_headless):
// colours reduced to text, wide characters printed once, resize events, raw files, --size, and
// the exit codes of bad files and bad usage.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestRenderTerminal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void coloursAreText();
    void wideCharactersOnce();
    void resizeEventApplied();
    void rawFile();
    void sizeOption();
    void inputEventsAreNotScreen();
    void cursorMovementAndClear();
    void skippedLinesWarn();
    void unreadableFilesExitOne_data();
    void unreadableFilesExitOne();
    void badUsageExitsTwo_data();
    void badUsageExitsTwo();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
        QStringList lines; ///< stdout split into rows (the final newline removed)
    };
    Run render(const QByteArray &content, const QStringList &extra = {});
    Run run(const QStringList &args);

    QTemporaryDir m_dir;
    int m_files = 0;
};

void TestRenderTerminal::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::exists(QStringLiteral(LIVEDASH_BIN)));
}

TestRenderTerminal::Run TestRenderTerminal::run(const QStringList &args)
{
    Run result;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // headless needs no display platform
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(LIVEDASH_BIN), args);
    if (!process.waitForFinished(20'000)) {
        process.kill();
        process.waitForFinished(2000);
        qWarning() << "livedash did not finish" << args;
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    QString text = result.out;
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    result.lines = text.split(QLatin1Char('\n'));
    return result;
}

TestRenderTerminal::Run TestRenderTerminal::render(const QByteArray &content, const QStringList &extra)
{
    const QString path = m_dir.filePath(QStringLiteral("rec-%1.cast").arg(++m_files));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write the recording");
    file.close();
    return run(QStringList{QStringLiteral("--headless"), QStringLiteral("--render-terminal"), path} + extra);
}

void TestRenderTerminal::coloursAreText()
{
    const Run r = render("{\"version\": 2, \"width\": 40, \"height\": 4}\n"
                         "[0.1, \"o\", \"\\u001b[31mred\\u001b[0m \\u001b[38;5;82mgreen\\u001b[0m\\r\\n\"]\n"
                         "[0.2, \"o\", \"\\u001b[1;4;38;2;10;20;30mtrue\\u001b[0m end\"]\n");
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    QCOMPARE(r.lines, (QStringList{QStringLiteral("red green"), QStringLiteral("true end"), QString(), QString()}));
}

void TestRenderTerminal::wideCharactersOnce()
{
    const Run r = render("{\"version\": 2, \"width\": 20, \"height\": 2}\n"
                         "[0, \"o\", \"\xE4\xB8\xAD\xE6\x96\x87|\xF0\x9F\x98\x80|e\xCC\x81\"]\n");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.lines.size(), 2);
    QCOMPARE(r.lines.at(0), QString::fromUtf8("\xE4\xB8\xAD\xE6\x96\x87|\xF0\x9F\x98\x80|e\xCC\x81"));
}

void TestRenderTerminal::resizeEventApplied()
{
    const Run r = render("{\"version\": 2, \"width\": 80, \"height\": 24}\n"
                         "[0.1, \"r\", \"10x3\"]\n"
                         "[0.2, \"o\", \"0123456789abc\"]\n");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.lines, (QStringList{QStringLiteral("0123456789"), QStringLiteral("abc"), QString()}));
}

void TestRenderTerminal::rawFile()
{
    const Run r = render("plain \x1b[1mbold\x1b[0m\r\nsecond\r\n", {QStringLiteral("--size"), QStringLiteral("20x3")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.lines, (QStringList{QStringLiteral("plain bold"), QStringLiteral("second"), QString()}));
    const Run defaults = render("x");
    QCOMPARE(defaults.exitCode, 0);
    QCOMPARE(defaults.lines.size(), 24); // 80x24 without a header or --size
    QCOMPARE(defaults.lines.at(0), QStringLiteral("x"));
}

void TestRenderTerminal::sizeOption()
{
    const Run r = render("{\"version\": 2, \"width\": 80, \"height\": 24}\n[0, \"o\", \"abcdef\"]\n",
                         {QStringLiteral("--size"), QStringLiteral("4x2")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.lines, (QStringList{QStringLiteral("abcd"), QStringLiteral("ef")}));
}

void TestRenderTerminal::inputEventsAreNotScreen()
{
    const Run r = render("{\"version\": 2, \"width\": 20, \"height\": 1}\n[0, \"i\", \"secret\"]\n[0.1, \"o\", \"$ \"]\n");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.lines, QStringList{QStringLiteral("$")});
}

void TestRenderTerminal::cursorMovementAndClear()
{
    const Run r = render("{\"version\": 2, \"width\": 10, \"height\": 3}\n"
                         "[0, \"o\", \"junk\\r\\nmore\"]\n"
                         "[1, \"o\", \"\\u001b[2J\\u001b[H\\u001b[2;3Hmid\\u001b[1;1Htop\"]\n");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.lines, (QStringList{QStringLiteral("top"), QStringLiteral("  mid"), QString()}));
}

void TestRenderTerminal::skippedLinesWarn()
{
    const Run r = render("{\"version\": 2, \"width\": 10, \"height\": 1}\nnot json\n[0, \"o\", \"ok\"]\n");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.lines, QStringList{QStringLiteral("ok")});
    QVERIFY2(r.err.startsWith(QStringLiteral("livedash: warning: rec-")) && r.err.contains(QStringLiteral(": line 2: expected an event")),
             qPrintable(r.err));
}

void TestRenderTerminal::unreadableFilesExitOne_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("version 1") << QByteArray("{\"version\": 1, \"width\": 80, \"height\": 24, \"stdout\": []}\n")
                               << QStringLiteral("line 1: asciicast version 1 is not supported; expected version 2");
    QTest::newRow("bad width") << QByteArray("{\"version\": 2, \"width\": -1, \"height\": 24}\n")
                               << QStringLiteral("line 1: expected \"width\" to be an integer 1..1000, got -1");
}

void TestRenderTerminal::unreadableFilesExitOne()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const Run r = render(content);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains(message), qPrintable(r.err));

    const Run missing = run({QStringLiteral("--headless"), QStringLiteral("--render-terminal"), m_dir.filePath(QStringLiteral("nope.cast"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.startsWith(QStringLiteral("livedash: cannot read ")), qPrintable(missing.err));
}

void TestRenderTerminal::badUsageExitsTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString file = QStringLiteral("x.cast");
    QTest::newRow("bad size") << QStringList{QStringLiteral("--headless"), QStringLiteral("--render-terminal"), file, QStringLiteral("--size"), QStringLiteral("80by24")}
                              << QStringLiteral("--size needs COLSxROWS");
    QTest::newRow("zero size") << QStringList{QStringLiteral("--headless"), QStringLiteral("--render-terminal"), file, QStringLiteral("--size"), QStringLiteral("0x24")}
                               << QStringLiteral("--size needs COLSxROWS");
    QTest::newRow("size alone") << QStringList{QStringLiteral("--headless"), QStringLiteral("--size"), QStringLiteral("80x24"), QStringLiteral("http://127.0.0.1:1/")}
                                << QStringLiteral("--size only applies to --render-terminal");
    QTest::newRow("with a source") << QStringList{QStringLiteral("--headless"), QStringLiteral("--render-terminal"), file, QStringLiteral("http://127.0.0.1:1/")}
                                   << QStringLiteral("--render-terminal cannot be combined");
}

void TestRenderTerminal::badUsageExitsTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestRenderTerminal)
#include "tst_render_terminal.moc"
