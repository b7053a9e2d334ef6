#include "fake_terminal_backend.h"
#include "terminal_screen.h"
#include "terminal_tab.h"
#include "terminal_view.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>

class TestTerminalTab : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startFeedsAndWrites();
    void remoteResizeDebounced();
    void dividerAndEnterReopens();
    void droppedShowsReason();
    void stderrMarked();
    void reconnectPromptWaits();
    void noticeAndTitle();
    void replayDictatesSize();
    void inputIgnoredWhenNotAccepted();
    void replayEndsWithPlayAgain();
    void recordsOutputNotInput();
};

void TestTerminalTab::startFeedsAndWrites()
{
    auto *backend = new FakeTerminalBackend;
    TerminalTab tab(backend);
    QCOMPARE(backend->parent(), &tab); // ownership taken
    tab.resize(700, 400);
    tab.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tab));
    QSignalSpy state(&tab, &TerminalTab::stateChanged);
    tab.start();
    QCOMPARE(backend->opens, 1);
    QCOMPARE(backend->openSize, QSize(tab.screen()->columns(), tab.screen()->rows()));
    QCOMPARE(tab.state(), TerminalTab::State::Connected);
    QCOMPARE(tab.statusText(), QStringLiteral("connected"));
    QVERIFY(state.size() >= 2); // connecting, connected
    backend->emitOutput("$ ");
    QCOMPARE(tab.screen()->lineText(tab.screen()->screenTopLine()), QStringLiteral("$"));
    tab.view()->setFocus();
    QTest::keyClicks(tab.view(), QStringLiteral("ls"));
    QTest::keyClick(tab.view(), Qt::Key_Return);
    QCOMPARE(backend->written, QByteArray("ls\r"));
}

void TestTerminalTab::remoteResizeDebounced()
{
    auto *backend = new FakeTerminalBackend;
    TerminalTab tab(backend);
    tab.resize(600, 400);
    tab.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tab));
    tab.start();
    backend->resizes.clear();
    const QSize cell = tab.view()->cellSize();
    for (int i = 1; i <= 5; ++i)
        tab.resize(600 + i * cell.width() * 3, 400 + i * cell.height());
    QCoreApplication::processEvents();
    // The screen follows at once, the remote side not yet.
    const QSize grid(tab.screen()->columns(), tab.screen()->rows());
    QVERIFY(backend->resizes.isEmpty());
    QTRY_COMPARE(backend->resizes.size(), 1);
    QCOMPARE(backend->resizes.first(), grid);
    QTest::qWait(TerminalTab::ResizeDebounceMs * 2);
    QCOMPARE(backend->resizes.size(), 1); // exactly one
}

void TestTerminalTab::dividerAndEnterReopens()
{
    auto *backend = new FakeTerminalBackend;
    TerminalTab tab(backend);
    tab.resize(900, 300);
    tab.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tab));
    tab.start();
    backend->emitOutput("bye");
    backend->finish({TerminalExit::Kind::Exited, 3, QStringLiteral("command terminated with non-zero exit code: 3")});
    QCOMPARE(tab.state(), TerminalTab::State::Exited);
    QCOMPARE(tab.statusText(), QStringLiteral("exited with code 3"));
    const QString text = tab.screen()->screenText();
    QVERIFY2(text.contains(QString::fromUtf8("\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80 exited with code 3 \xe2\x94\x80\xe2\x94\x80 press Enter to reconnect (reconnect opens a new shell) \xe2\x94\x80")),
             qPrintable(text));
    QVERIFY(text.startsWith(QStringLiteral("bye\n"))); // the divider is on its own line
    QVERIFY(tab.isAwaitingReconnect());
    auto *button = tab.findChild<QPushButton *>();
    QVERIFY(button && button->isVisible());
    backend->written.clear();
    tab.view()->setFocus();
    QTest::keyClick(tab.view(), Qt::Key_Return);
    QCOMPARE(backend->opens, 2);
    QCOMPARE(backend->written, QByteArray()); // that Enter is not forwarded
    QVERIFY(!button->isVisible());
    QCOMPARE(tab.state(), TerminalTab::State::Connected);
    // The button does the same.
    backend->finish({TerminalExit::Kind::Exited, 0, {}});
    button->click();
    QCOMPARE(backend->opens, 3);
}

void TestTerminalTab::droppedShowsReason()
{
    auto *backend = new FakeTerminalBackend;
    backend->hint.clear(); // cannot be opened again
    TerminalTab tab(backend);
    tab.start();
    backend->finish({TerminalExit::Kind::Dropped, std::nullopt, QStringLiteral("connection lost: no pong for 60 s")});
    QCOMPARE(tab.state(), TerminalTab::State::Dropped);
    QCOMPARE(tab.statusText(), QStringLiteral("connection lost: no pong for 60 s"));
    QVERIFY(tab.screen()->screenText().contains(QStringLiteral("connection lost: no pong for 60 s")));
    QVERIFY(!tab.isAwaitingReconnect());
    tab.screen()->sendKey(TerminalScreen::Key::Enter);
    QCOMPARE(backend->opens, 1);
}

void TestTerminalTab::stderrMarked()
{
    auto *backend = new FakeTerminalBackend;
    TerminalTab tab(backend);
    tab.start();
    backend->emitOutput("out ");
    backend->emitOutput("err", TerminalBackend::Stream::Stderr);
    const TerminalCell *cells = tab.screen()->rowCells(0);
    QVERIFY(!(cells[0].attrs & TerminalAttr::Stderr));
    QVERIFY(cells[4].attrs & TerminalAttr::Stderr);
}

void TestTerminalTab::reconnectPromptWaits()
{
    auto *backend = new FakeTerminalBackend;
    TerminalTab tab(backend);
    tab.showReconnectPrompt(QStringLiteral("reconnect opens a new shell"));
    QCOMPARE(backend->opens, 0);
    QVERIFY(tab.screen()->screenText().contains(QStringLiteral("press Enter to connect")));
    tab.screen()->sendText(QStringLiteral("x"));
    QCOMPARE(backend->opens, 0);
    tab.screen()->sendKey(TerminalScreen::Key::Enter);
    QCOMPARE(backend->opens, 1);
    QCOMPARE(backend->written, QByteArray());
}

void TestTerminalTab::noticeAndTitle()
{
    auto *backend = new FakeTerminalBackend;
    TerminalTab tab(backend);
    QSignalSpy title(&tab, &TerminalTab::titleChanged);
    QCOMPARE(tab.title(), QStringLiteral("web-7d9f/app: sh"));
    tab.start();
    backend->emitOutput("\x1b]2;vim \xe2\x80\xae" "file\x07");
    QCOMPARE(tab.title(), QStringLiteral("web-7d9f/app: sh: vim file"));
    QCOMPARE(title.size(), 1);
    Q_EMIT backend->notice(QStringLiteral("server chose v4.channel.k8s.io: no stdin close"));
    bool found = false;
    for (QLabel *label : tab.findChildren<QLabel *>())
        found = found || label->text() == QStringLiteral("server chose v4.channel.k8s.io: no stdin close");
    QVERIFY(found);
}

void TestTerminalTab::replayDictatesSize()
{
    auto *backend = new FakeReplayBackend;
    TerminalTab tab(backend);
    tab.resize(500, 300);
    tab.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tab));
    tab.start();
    Q_EMIT backend->resizeRequested(100, 30);
    QCOMPARE(tab.screen()->columns(), 100);
    QCOMPARE(tab.screen()->rows(), 30);
    tab.resize(800, 500);
    QCoreApplication::processEvents();
    QCOMPARE(tab.screen()->columns(), 100);
    QTest::qWait(TerminalTab::ResizeDebounceMs * 2);
    QVERIFY(backend->resizes.isEmpty()); // a replay is never resized from the view
}

void TestTerminalTab::inputIgnoredWhenNotAccepted()
{
    auto *backend = new FakeTerminalBackend;
    backend->inputAccepted = false;
    TerminalTab tab(backend);
    tab.start();
    tab.screen()->sendText(QStringLiteral("typed"));
    QCOMPARE(backend->written, QByteArray());
}

void TestTerminalTab::replayEndsWithPlayAgain()
{
    auto *backend = new FakeTerminalBackend;
    backend->inputAccepted = false; // what a RecordingPlayer says
    backend->hint = QStringLiteral("reopening plays the recording from the start");
    TerminalTab tab(backend);
    tab.start();
    backend->emitOutput("last screen of the recording");
    backend->finish({TerminalExit::Kind::Closed, std::nullopt, {}});
    QVERIFY(tab.isAwaitingReconnect());
    QPushButton *button = nullptr;
    for (QPushButton *b : tab.findChildren<QPushButton *>()) {
        if (b->text() == QStringLiteral("Play again"))
            button = b;
    }
    QVERIFY(button);
    QCOMPARE(button->toolTip(), backend->hint);
    // No divider: the recording's last screen stays as it was.
    QCOMPARE(tab.screen()->lineText(tab.screen()->screenTopLine()), QStringLiteral("last screen of the recording"));
    QCOMPARE(tab.screen()->lineText(tab.screen()->screenTopLine() + 1), QString());
    button->click();
    QCOMPARE(backend->opens, 2);
}

void TestTerminalTab::recordsOutputNotInput()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("session.cast"));
    auto *backend = new FakeTerminalBackend;
    TerminalTab tab(backend);
    tab.start();
    QString error;
    QVERIFY2(tab.startRecording(path, &error), qPrintable(error));
    QVERIFY(tab.isRecording());
    backend->emitOutput("hello \xe4\xb8");
    backend->emitOutput("\xad");
    tab.screen()->sendText(QStringLiteral("secret")); // input is not recorded unless opted in
    QCOMPARE(backend->written, QByteArray("secret"));
    tab.screen()->resize(100, 30);
    tab.stopRecording();
    QVERIFY(!tab.isRecording());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QVERIFY(lines.size() >= 3);
    const QJsonObject header = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(header.value(QStringLiteral("version")).toInt(), 2);
    QCOMPARE(header.value(QStringLiteral("width")).toInt(), 80);
    QString output;
    bool resized = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QJsonArray event = QJsonDocument::fromJson(lines.at(i)).array();
        QVERIFY(event.at(1).toString() != QStringLiteral("i"));
        if (event.at(1).toString() == QStringLiteral("o"))
            output += event.at(2).toString();
        if (event.at(1).toString() == QStringLiteral("r"))
            resized = event.at(2).toString() == QStringLiteral("100x30");
    }
    QCOMPARE(output, QString::fromUtf8("hello \xe4\xb8\xad"));
    QVERIFY(resized);
}

QTEST_MAIN(TestTerminalTab)
#include "tst_terminal_tab.moc"
