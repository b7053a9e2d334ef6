// Terminal throughput end to end (issue 7 section 7): the 20 MB of coloured output bench_terminal
// feeds in process (coloured_output.h), written to a file and `cat`-ed through a real exec session
// into the terminal: K8sExecSession (WebSocket, v5.channel.k8s.io, tty=true) → the demo server's
// fake cluster (K8sFixture, 127.0.0.1 only) → pod db-0, container main, which runs `cat FILE` as a
// local process on a pty (FakePtyProcess) → the session's output() → TerminalScreen::feed, as
// TerminalTab does it. Server, pty, client and terminal share this thread's event loop, as they do
// in `livedash --demo`. One session per slot:
//   execHeadless    output only counted: the exec path's own ceiling (pty + both WebSocket ends)
//   execIntoScreen  TerminalScreen 120×40, no view
//   execIntoWidget  TerminalScreen + TerminalView shown at 120×40 (offscreen), coalesced paints
// Timed from open() to finished() (connection set-up included; "opened after" says how much of it
// that was), MB/s over the file's size (1 MB = 10^6 bytes). The wait is a QEventLoop bounded by a
// timer, not QTRY_*: QTest::qWaitFor sleeps 10 ms whenever a pass of the event loop ran dry, and
// meanwhile the pty fills and cat blocks, so the figure would depend on when those sleeps fall.
// Run: cmake --build --preset release --target bench_terminal_exec && QT_QPA_PLATFORM=offscreen build/release/tests/bench/bench_terminal_exec
// With BENCH_KUBECONFIG=<path> the cluster is not started here but reached through that
// kubeconfig, e.g. one printed by `fake_cluster_serve` in another process (only the client side
// then runs on this thread, as with a real cluster; the file must be readable by that process).
#include "coloured_output.h"
#include "k8s_exec_session.h"
#include "k8s_exec_spec.h"
#include "k8s_fixture.h"
#include "terminal_screen.h"
#include "terminal_view.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>

namespace {

constexpr int Columns = 120;
constexpr int Rows = 40;
constexpr int SessionTimeoutMs = 120'000;

/// The format of bench_terminal's report().
void report(const char *what, qsizetype bytes, qint64 ns, const char *extra = "")
{
    std::printf("%-44s %6.1f MB in %7.3f s = %6.1f MB/s %s\n", what, double(bytes) / 1e6, double(ns) / 1e9,
                double(bytes) / 1e3 / (double(ns) / 1e6), extra);
    std::fflush(stdout);
}

/// One exec session, open() to finished().
struct ExecRun
{
    QElapsedTimer clock;     ///< started right before open()
    qint64 openedNs = -1;    ///< open() → opened()
    qint64 finishedNs = -1;  ///< open() → finished(); -1 when it did not finish in time
    qint64 received = 0;     ///< output bytes
    qint64 messages = 0;     ///< output() emissions
    qint64 stderrBytes = 0;  ///< output marked Stderr (none with a tty)
    int finishedCount = 0;
    TerminalExit exit;
    QString error;           ///< K8sExecSession::create failed
};

/// "(opened after 3.1 ms, N bytes received in M outputs)"
QByteArray summary(const ExecRun &run)
{
    return "(opened after " + QByteArray::number(double(run.openedNs) / 1e6, 'f', 1) + " ms, "
        + QByteArray::number(run.received) + " bytes received in " + QByteArray::number(run.messages) + " outputs)";
}

using Consumer = std::function<void(const QByteArray &bytes, TerminalBackend::Stream stream)>;

/// What TerminalTab::handleOutput does with a backend's output (no recorder here).
Consumer feedInto(TerminalScreen &screen)
{
    return [&screen](const QByteArray &bytes, TerminalBackend::Stream stream) {
        if (stream == TerminalBackend::Stream::Stderr)
            screen.feedStderr(bytes);
        else
            screen.feed(bytes);
    };
}

} // namespace

class BenchTerminalExec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void execHeadless();
    void execIntoScreen();
    void execIntoWidget();

private:
    /// Runs `cat FILE` on db-0/main with a tty of columns × rows; `consume` gets every output().
    ExecRun runExec(int columns, int rows, const Consumer &consume);
    /// The checks every run must pass (the caller returns when QTest::currentTestFailed()).
    void checkRun(const ExecRun &run);

    K8sFixture m_k8s;
    std::shared_ptr<K8sEnvironment> m_env; ///< m_k8s's, or BENCH_KUBECONFIG's
    QTemporaryDir m_dataDir;
    K8sExecSpec m_spec;
    qsizetype m_fileBytes = 0;
    qsizetype m_lines = 0;
};

void BenchTerminalExec::initTestCase()
{
    QString error;
    const QString external = qEnvironmentVariable("BENCH_KUBECONFIG");
    if (external.isEmpty()) {
        QVERIFY2(m_k8s.start(&error), qPrintable(error));
        m_env = m_k8s.env;
    } else {
        // The fake cluster in another process (fake_cluster_serve): only the client side here,
        // as with a real cluster.
        KubeconfigLoadOptions options;
        options.explicitPath = external;
        m_env = std::make_shared<K8sEnvironment>(options);
        std::printf("cluster: %s (another process)\n", qPrintable(external));
    }
    QVERIFY(m_dataDir.isValid());
    const QByteArray data = colouredOutput();
    m_fileBytes = data.size();
    m_lines = data.count('\n');
    const QString path = m_dataDir.filePath(QStringLiteral("coloured.txt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(data), qint64(m_fileBytes));
    file.close();

    QUrl url(QStringLiteral("k8s:exec/db-0/main"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("command"), QStringLiteral("cat"));
    query.addQueryItem(QStringLiteral("command"), path);
    query.addQueryItem(QStringLiteral("tty"), QStringLiteral("true"));
    url.setQuery(query);
    const std::optional<K8sExecSpec> spec = K8sExecSpec::parse(url, &error);
    QVERIFY2(spec, qPrintable(error));
    QCOMPARE(spec->command, (QStringList{QStringLiteral("cat"), path}));
    QVERIFY(spec->tty.value_or(false));
    m_spec = *spec;
    std::printf("input: %lld bytes, %lld lines in %s, exec %s, %dx%d\n", qlonglong(m_fileBytes), qlonglong(m_lines),
                qPrintable(path), qPrintable(url.toString()), Columns, Rows);
}

ExecRun BenchTerminalExec::runExec(int columns, int rows, const Consumer &consume)
{
    ExecRun run;
    std::unique_ptr<K8sExecSession> session(K8sExecSession::create(m_env.get(), m_spec, /*defaultTty=*/true, &run.error));
    if (!session)
        return run;
    QEventLoop loop;
    QSignalSpy finished(session.get(), &TerminalBackend::finished);
    connect(session.get(), &TerminalBackend::opened, &loop, [&] {
        run.openedNs = run.clock.nsecsElapsed();
        session->resize(columns, rows); // as TerminalTab: the size may have changed while connecting
    });
    connect(session.get(), &TerminalBackend::output, &loop, [&](const QByteArray &bytes, TerminalBackend::Stream stream) {
        run.received += bytes.size();
        ++run.messages;
        if (stream == TerminalBackend::Stream::Stderr)
            run.stderrBytes += bytes.size();
        if (consume)
            consume(bytes, stream);
    });
    connect(session.get(), &TerminalBackend::finished, &loop, [&](const TerminalExit &exit) {
        run.finishedNs = run.clock.nsecsElapsed();
        run.exit = exit;
        loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(SessionTimeoutMs);
    run.clock.start();
    session->open(columns, rows);
    if (finished.isEmpty()) // a failure may finish inside open()
        loop.exec();
    run.finishedCount = int(finished.size());
    return run;
}

void BenchTerminalExec::checkRun(const ExecRun &run)
{
    QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
    QVERIFY2(run.finishedNs >= 0, "the exec did not finish within the timeout");
    QCOMPARE(run.finishedCount, 1);
    QVERIFY2(run.exit.kind == TerminalExit::Kind::Exited, qPrintable(run.exit.message));
    QCOMPARE(run.exit.exitCode.value_or(-1), 0);
    QCOMPARE(run.stderrBytes, qint64(0));
    // The pty's line discipline has OPOST|ONLCR (forkpty's defaults): every "\n" of the file,
    // already preceded by "\r", leaves the terminal as "\r\n" — one byte more per line.
    QVERIFY(run.received >= ColouredOutputBytes);
    QCOMPARE(run.received, qint64(m_fileBytes + m_lines));
}

void BenchTerminalExec::execHeadless()
{
    const ExecRun run = runExec(Columns, Rows, {});
    checkRun(run);
    if (QTest::currentTestFailed())
        return;
    report("exec cat 20 MB -> counted only (transport)", m_fileBytes, run.finishedNs, summary(run).constData());
}

void BenchTerminalExec::execIntoScreen()
{
    TerminalScreen screen(Columns, Rows);
    const ExecRun run = runExec(screen.columns(), screen.rows(), feedInto(screen));
    checkRun(run);
    if (QTest::currentTestFailed())
        return;
    report("exec cat 20 MB -> TerminalScreen (end to end)", m_fileBytes, run.finishedNs, summary(run).constData());
    QVERIFY(screen.lineText(screen.lastLine() - 1).endsWith(QString::number(m_lines - 1)));
    QCOMPARE(screen.scrollbackSize(), TerminalScreen::DefaultScrollback);
}

void BenchTerminalExec::execIntoWidget()
{
    TerminalScreen screen(Columns, Rows);
    TerminalView view(&screen);
    const QSize cell = view.cellSize();
    const int bar = view.sizeHint().width() - 80 * cell.width();
    view.resize(Columns * cell.width() + bar, Rows * cell.height());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(screen.columns(), Columns);
    QCOMPARE(screen.rows(), Rows);
    QCoreApplication::processEvents();
    const int paintsBefore = view.paintCount();
    const ExecRun run = runExec(screen.columns(), screen.rows(), feedInto(screen));
    view.flushFrame(); // the final frame
    QCoreApplication::processEvents();
    const qint64 ns = run.clock.nsecsElapsed();
    checkRun(run);
    if (QTest::currentTestFailed())
        return;
    const QByteArray extra = "(" + QByteArray::number(view.paintCount() - paintsBefore) + " paints) " + summary(run);
    report("exec cat 20 MB -> TerminalView 120x40 (end to end)", m_fileBytes, ns, extra.constData());
    QVERIFY(view.paintCount() > paintsBefore);
    QVERIFY(screen.lineText(screen.lastLine() - 1).endsWith(QString::number(m_lines - 1)));
}

QTEST_MAIN(BenchTerminalExec)
#include "bench_terminal_exec.moc"
