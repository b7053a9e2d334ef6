// Terminals and port forwards in the real window (offscreen), against the demo's fake cluster:
// Shell on a pod opens a terminal tab into a real shell, the size reaches the remote side, a saved
// terminal tab reopens without running anything, and a port forward moves bytes and counts them.
#include "cluster_browser.h"
#include "demo_server.h"
#include "k8s_fixture.h"
#include "fake_cluster.h"
#include "k8s_environment.h"
#include "k8s_exec_spec.h"
#include "k8s_transports.h"
#include "main_window.h"
#include "port_forward_list_model.h"
#include "port_forwards_panel.h"
#include "resource_table_model.h"
#include "resource_table_panel.h"
#include "resource_table_view.h"
#include "terminal_controller.h"
#include "terminal_panel.h"
#include "terminal_screen.h"
#include "terminal_tab.h"
#include "terminal_view.h"
#include "transport.h"
#include "workspace.h"

#include <QAction>
#include <QDir>
#include <QTableView>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString Context = QStringLiteral("livedash-demo");

ResourceTableView *openPods(MainWindow &window)
{
    window.clusterBrowser()->expandContext(Context);
    if (!QTest::qWaitFor([&] { return window.clusterBrowser()->openTable(Context, QStringLiteral("default"), QStringLiteral("pods")); },
                         15'000))
        return nullptr;
    ResourceTableView *view = window.resourcePanels().isEmpty() ? nullptr : window.resourcePanels().first()->view();
    if (!view || !QTest::qWaitFor([&] { return view->selectKey(QStringLiteral("default/db-0")); }, 15'000))
        return nullptr;
    return view;
}

/// The window on the fixture's cluster, shown; it writes no last session.
void showOnCluster(MainWindow &window, K8sFixture &k8s)
{
    window.setSavesLastSession(false);
    window.setK8sEnvironment(k8s.env);
    window.show();
}

QAction *actionNamed(const QList<QAction *> &actions, const QString &text)
{
    for (QAction *action : actions)
        if (action->text() == text)
            return action;
    return nullptr;
}

void typeLine(TerminalTab *tab, const QString &line)
{
    QTest::keyClicks(tab->view(), line);
    QTest::keyClick(tab->view(), Qt::Key_Return);
}

} // namespace

class TestTerminalWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shellFromClusterBrowserRunsAndFollowsTheSize();
    void savedTerminalReopensWithoutRunning();
    void portForwardMovesAndCountsBytes();
};

void TestTerminalWindow::shellFromClusterBrowserRunsAndFollowsTheSize()
{
    K8sFixture k8s;
    QString error;
    QVERIFY2(k8s.start(&error), qPrintable(error));
    MainWindow window(&k8s.registry);
    showOnCluster(window, k8s);
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ResourceTableView *view = openPods(window);
    QVERIFY(view);
    const QList<QAction *> actions = view->actionsForRow(view->table()->currentIndex().row(), &window);
    QVERIFY(actionNamed(actions, QStringLiteral("Attach to main")));
    QVERIFY(actionNamed(actions, QStringLiteral("Shell in metrics")));
    QVERIFY(actionNamed(actions, QStringLiteral("Port forward…")));
    QVERIFY(actionNamed(actions, QStringLiteral("Shell in main")));
    // "Shell" on a two-container pod goes to its default (first) container, as kubectl exec does.
    QAction *shell = actionNamed(actions, QStringLiteral("Shell"));
    QVERIFY(shell);
    shell->trigger();
    QCOMPARE(window.terminals()->terminalPanels().size(), 1);
    TerminalTab *tab = window.terminals()->terminalPanels().first()->tab();
    QVERIFY(tab);
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), TerminalTab::State::Connected, 15'000);
    QVERIFY(tab->view()->hasFocus());
    typeLine(tab, QStringLiteral("echo hi-$((6*7))"));
    QTRY_VERIFY_WITH_TIMEOUT(tab->screen()->screenText().contains(QStringLiteral("\nhi-42")), 10'000);

    // The terminal's size is the remote side's: stty size prints "ROWS COLS".
    auto sizeLine = [&] { return QStringLiteral("%1 %2").arg(tab->screen()->rows()).arg(tab->screen()->columns()); };
    typeLine(tab, QStringLiteral("stty size"));
    QTRY_VERIFY_WITH_TIMEOUT(tab->screen()->screenText().contains(u'\n' + sizeLine() + u'\n'), 10'000);
    const QString before = sizeLine();
    window.resize(window.width() - 200, window.height() - 120);
    QTRY_VERIFY_WITH_TIMEOUT(sizeLine() != before, 5'000);
    QTest::qWait(TerminalTab::ResizeDebounceMs * 3); // the remote resize is debounced
    typeLine(tab, QStringLiteral("clear; stty size")); // the answer is on the first row
    QTRY_VERIFY2_WITH_TIMEOUT(tab->screen()->screenText().split(u'\n').contains(sizeLine()),
                              qPrintable(sizeLine() + QStringLiteral(" not in:\n") + tab->screen()->screenText()), 10'000);

    // exit: the tab says how it ended and offers a new shell.
    typeLine(tab, QStringLiteral("exit 3"));
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), TerminalTab::State::Exited, 10'000);
    QVERIFY2(tab->statusText().contains(QStringLiteral("3")), qPrintable(tab->statusText()));
    QVERIFY(tab->screen()->screenText().contains(QStringLiteral("new shell")));
}

void TestTerminalWindow::savedTerminalReopensWithoutRunning()
{
    K8sFixture k8s;
    QString error;
    QVERIFY2(k8s.start(&error), qPrintable(error));
    const QString path = k8s.dir.filePath(QStringLiteral("terminal.livedash"));
    const QString url = QStringLiteral("k8s:exec/db-0/main?context=livedash-demo&namespace=default");
    {
        MainWindow window(&k8s.registry);
        window.setSavesLastSession(false);
        window.setK8sEnvironment(k8s.env);
        window.show();
        QVERIFY(window.terminals()->openTerminal(TerminalTarget{url, {}}, &error));
        TerminalTab *tab = window.terminals()->terminalPanels().first()->tab();
        QTRY_COMPARE_WITH_TIMEOUT(tab->state(), TerminalTab::State::Connected, 15'000);
        QVERIFY2(window.saveDashboard(path, &error), qPrintable(error));
    }
    const QString execPath = QStringLiteral("/api/v1/namespaces/default/pods/db-0/exec");
    const qsizetype execsBefore = k8s.server.requests(execPath).size();
    QVERIFY(execsBefore >= 1);

    MainWindow reopened(&k8s.registry);
    reopened.setSavesLastSession(false);
    reopened.setK8sEnvironment(k8s.env);
    reopened.show();
    QVERIFY2(reopened.openDashboard(path, &error), qPrintable(error));
    QCOMPARE(reopened.terminals()->terminalPanels().size(), 1);
    TerminalPanel *panel = reopened.terminals()->terminalPanels().first();
    QCOMPARE(panel->target().url, url);
    QVERIFY(panel->tab());
    QVERIFY(panel->tab()->isAwaitingReconnect());
    QTest::qWait(500);
    QCOMPARE(k8s.server.requests(execPath).size(), execsBefore); // nothing ran by itself
    // Enter opens a new shell.
    QTest::keyClick(panel->tab()->view(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(panel->tab()->state(), TerminalTab::State::Connected, 15'000);
    QCOMPARE(k8s.server.requests(execPath).size(), execsBefore + 1);
}

void TestTerminalWindow::portForwardMovesAndCountsBytes()
{
    K8sFixture k8s;
    QString error;
    QVERIFY2(k8s.start(&error), qPrintable(error));
    MainWindow window(&k8s.registry);
    showOnCluster(window, k8s);
    const std::optional<K8sExecSpec> spec =
        K8sExecSpec::parse(QUrl(QStringLiteral("k8s:forward/db-0/0:8080?context=livedash-demo&namespace=default")), &error);
    QVERIFY2(spec, qPrintable(error));
    QVERIFY2(window.terminals()->startForward(*spec, &error), qPrintable(error));
    PortForwardListModel *model = window.terminals()->forwards();
    QCOMPARE(model->rowCount(), 1);
    const quint16 port = quint16(model->index(0, 0).data(PortForwardListModel::LocalPortRole).toUInt());
    QVERIFY(port > 0);
    QVERIFY(window.workspace()->panel(QLatin1String(TerminalController::ForwardsPanelId)));

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(socket.waitForConnected(5'000));
    socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QByteArray reply;
    QTRY_VERIFY_WITH_TIMEOUT((reply += socket.readAll()).contains("db-0"), 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data(PortForwardListModel::TotalRole).toInt(), 1, 5'000);
    QTRY_VERIFY_WITH_TIMEOUT(model->index(0, 0).data(PortForwardListModel::BytesInRole).toLongLong() >= reply.size(), 5'000);
    QVERIFY(model->index(0, 0).data(PortForwardListModel::BytesOutRole).toLongLong() > 40);
    socket.close();
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data(PortForwardListModel::ActiveRole).toInt(), 0, 10'000);
    model->stop(0);
    QCOMPARE(model->rowCount(), 0);
}

QTEST_MAIN(TestTerminalWindow)
#include "tst_terminal_window.moc"
