// The real window on the offscreen platform, connected to the in-process demo server: the log pane
// and the chart must fill with live data, and a screenshot must be written.
#include "bound_chart_panel.h"
#include "bound_log_pane.h"
#include "chart_panel.h"
#include "cluster_browser.h"
#include "dashboard_file.h"
#include "demo_server.h"
#include "k8s_fixture.h"
#include "fake_cluster.h"
#include "test_server.h"
#include "demo_sources.h"
#include "event_log_model.h"
#include "log_pane.h"
#include "main_window.h"
#include "object_details_view.h"
#include "header_table.h"
#include "k8s_environment.h"
#include "k8s_transports.h"
#include "log_source_url.h"
#include "resource_table_model.h"
#include "resource_table_panel.h"
#include "resource_table_view.h"
#include "send_bar.h"
#include "source_options_form.h"
#include "series_buffer.h"
#include "source_list_model.h"
#include "source_details.h"
#include "sources_panel.h"
#include "secret_store.h"
#include "transport.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QPointer>
#include <QProcess>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QHeaderView>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

namespace {

/// LIVEDASH_TEST_SCREENSHOTS=dir keeps a PNG of the window for people to look at.
void keepScreenshot(QWidget &window, const QString &name)
{
    const QString dir = qEnvironmentVariable("LIVEDASH_TEST_SCREENSHOTS");
    if (!dir.isEmpty())
        window.grab().save(QDir(dir).filePath(name), "PNG");
}

BoundLogPane *logPaneTitled(MainWindow &window, const QString &title)
{
    for (const QString &id : window.workspace()->panelIds())
        if (window.workspace()->panelTitle(id) == title)
            if (auto *pane = qobject_cast<BoundLogPane *>(window.workspace()->panel(id)))
                return pane;
    return nullptr;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demoFillsLogAndChart();
    void removedSourceTakesItsRowsAndFields();
    void screenshotOptionWritesPng();
    void usableAt800x500();
    void tabMovesPaneByPane();
    void shortcutsListEveryAction();
    void editedSourceReconnectsWithItsSettings();
    void dashboardSavedAndOpenedInNewWindow();
    void missingSecretKeepsSourcePaused();
    void lastSessionWrittenOnCloseAndRestored();
    void badDashboardChangesNothing();
    void demoDashboardBindsPanels();
    void clusterFollowLogsAndDashboardRoundTrip();
};

void TestMainWindow::removedSourceTakesItsRowsAndFields()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    MainWindow window(&registry);
    const QList<TransportConfig> configs = demoSourceConfigs(server);
    QCOMPARE(window.addSources(configs), configs.size());
    const int metricsRow = window.sourceModel()->rowOfSource(configs.first().effectiveSourceId());
    QVERIFY(metricsRow >= 0);
    const QString metrics = window.sourceModel()->transportAt(metricsRow)->sourceId();
    auto rowsOf = [&window](const QString &source) {
        int n = 0;
        for (int row = 0; row < window.logModel()->rowCount(); ++row)
            n += window.logModel()->eventAt(row).source == source ? 1 : 0;
        return n;
    };
    auto fieldsOf = [&window](const QString &source) {
        int n = 0;
        for (const SeriesKey &key : window.seriesBuffer()->knownFields())
            n += key.source == source ? 1 : 0;
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowsOf(metrics) > 5 && fieldsOf(metrics) > 0, 10'000);
    const int others = window.logModel()->rowCount() - rowsOf(metrics);
    window.sourceModel()->removeSource(metricsRow);
    window.logModel()->flushNow();
    QCOMPARE(rowsOf(metrics), 0);
    QTRY_COMPARE(fieldsOf(metrics), 0);
    QVERIFY(window.logModel()->rowCount() >= others); // the other sources keep theirs
}

void TestMainWindow::demoFillsLogAndChart()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);

    MainWindow window(&registry);
    const QList<TransportConfig> configs = demoSourceConfigs(server);
    QVERIFY(configs.size() >= 4);
    QCOMPARE(window.addSources(configs), configs.size());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QCOMPARE(window.sourceModel()->rowCount(), configs.size());
    QTRY_VERIFY_WITH_TIMEOUT(window.logModel()->rowCount() > 20, 10'000);
    // Every demo source reaches Open.
    for (int row = 0; row < window.sourceModel()->rowCount(); ++row)
        QTRY_COMPARE_WITH_TIMEOUT(window.sourceModel()->transportAt(row)->state(), Transport::State::Open, 10'000);
    // The chart has numeric fields, auto-selected ones, and points in them.
    QTRY_VERIFY_WITH_TIMEOUT(!window.seriesBuffer()->knownFields().isEmpty(), 10'000);
    SeriesKey selected;
    for (const SeriesKey &key : window.seriesBuffer()->knownFields())
        if (window.seriesBuffer()->isSelected(key))
            selected = key;
    QVERIFY(!selected.pointer.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(window.seriesBuffer()->points(selected).size() > 5, 10'000);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("shot.png"));
    QString error;
    QVERIFY2(window.saveScreenshot(path, &error), qPrintable(error));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800 && image.height() >= 500);
    keepScreenshot(window, QStringLiteral("window-default.png"));

    // At the default size the add options open inline, under the add bar.
    auto *options = window.sourcesPanel()->findChild<QToolButton *>(QStringLiteral("optionsButton"));
    options->click();
    QWidget *area = window.sourcesPanel()->findChild<QWidget *>(QStringLiteral("optionsArea"));
    QTRY_VERIFY(area->isVisible());
    QVERIFY(area->isAncestorOf(window.sourcesPanel()->optionsForm()));
    QVERIFY(window.sourcesPanel()->findChild<QDialog *>(QStringLiteral("optionsDialog")) == nullptr);
    QVERIFY(window.sourcesPanel()->view()->isVisible());
    // The whole form fits: no scrolling at the default size.
    QTRY_VERIFY(!static_cast<QScrollArea *>(area)->verticalScrollBar()->isVisible());
    keepScreenshot(window, QStringLiteral("window-default-options.png"));
}

// The command-line path a user takes: livedash --demo --screenshot FILE exits 0 with a PNG written.
void TestMainWindow::screenshotOptionWritesPng()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("demo.png"));
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(LIVEDASH_BIN), {QStringLiteral("--demo"), QStringLiteral("--screenshot"), path,
                                                 QStringLiteral("--screenshot-delay"), QStringLiteral("1500")});
    QVERIFY(process.waitForStarted(5000));
    QVERIFY(process.waitForFinished(30'000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    const QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800 && image.height() >= 500);
}

// The smallest size the issue names: nothing is cut off, every pane keeps room to work in.
void TestMainWindow::usableAt800x500()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    MainWindow window(&registry);
    const QList<TransportConfig> configs = demoSourceConfigs(server);
    QCOMPARE(window.addSources(configs), configs.size());
    window.resize(800, 500);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(window.logModel()->rowCount() > 20, 10'000);
    for (QWidget *pane : {static_cast<QWidget *>(window.sourcesPanel()), static_cast<QWidget *>(window.logPane()),
                          static_cast<QWidget *>(window.chartPanel())})
        qInfo() << pane->metaObject()->className() << "minimum" << pane->minimumSizeHint() << "size" << pane->size();
    keepScreenshot(window, QStringLiteral("window-800x500.png"));
    QCOMPARE(window.size(), QSize(800, 500));
    QVERIFY2(window.minimumSizeHint().width() <= 800 && window.minimumSizeHint().height() <= 500,
             qPrintable(QStringLiteral("%1x%2").arg(window.minimumSizeHint().width()).arg(window.minimumSizeHint().height())));

    SourcesPanel *sources = window.sourcesPanel();
    const QRect inside = window.rect();
    auto visibleIn = [&window, inside](QWidget *w) {
        const QRect r(w->mapTo(&window, QPoint(0, 0)), w->size());
        return w->isVisible() && inside.contains(r);
    };
    QTableView *table = sources->view();
    QVERIFY(visibleIn(table));
    QVERIFY2(table->viewport()->height() >= table->verticalHeader()->defaultSectionSize() * 3,
             qPrintable(QString::number(table->viewport()->height())));
    QVERIFY(visibleIn(sources->urlEdit()));
    QVERIFY(sources->urlEdit()->width() >= 120);
    QVERIFY(visibleIn(sources->sendBar()));
    QVERIFY(visibleIn(window.logPane()->view()));
    QVERIFY2(window.logPane()->view()->viewport()->height() >= 60,
             qPrintable(QString::number(window.logPane()->view()->viewport()->height())));
    QVERIFY(visibleIn(window.chartPanel()));
    QVERIFY2(window.chartPanel()->height() >= 120, qPrintable(QString::number(window.chartPanel()->height())));

    // The add options have no room under the add bar here: they open in a dialog, with the same
    // form (what is set stays set), and the table and send bar stay as they were.
    auto *options = sources->findChild<QToolButton *>(QStringLiteral("optionsButton"));
    QVERIFY(options);
    const QRect tableBefore = table->geometry();
    options->click();
    QPointer<QDialog> dialog = sources->findChild<QDialog *>(QStringLiteral("optionsDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY(dialog->isAncestorOf(sources->optionsForm()));
    QVERIFY(sources->optionsForm()->isVisible());
    QCOMPARE(table->geometry(), tableBefore);
    QVERIFY(visibleIn(sources->sendBar()));
    keepScreenshot(*dialog, QStringLiteral("options-dialog.png"));
    sources->optionsForm()->headerTable()->pasteLines(QStringLiteral("Authorization: Bearer x"));
    dialog->accept();
    QTRY_VERIFY(dialog.isNull()); // closed and deleted; the form is back under the add bar
    QVERIFY(!sources->optionsForm()->isVisible());
    QVERIFY(sources->findChild<QWidget *>(QStringLiteral("optionsArea"))->isAncestorOf(sources->optionsForm()));
    QVERIFY2(sources->optionsButtonText().contains(QStringLiteral("1 header")), qPrintable(sources->optionsButtonText()));
    QVERIFY(!options->isChecked());
}

// Tab walks URL → sources table → send bar → log filter → log → chart and never sticks in a table.
void TestMainWindow::tabMovesPaneByPane()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    MainWindow window(&registry);
    window.addSources(demoSourceConfigs(server));
    window.show();
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    // Select the WebSocket source, so the send bar takes part.
    SourcesPanel *sources = window.sourcesPanel();
    int wsRow = -1;
    for (int row = 0; row < window.sourceModel()->rowCount(); ++row)
        if (window.sourceModel()->transportAt(row)->isDuplex())
            wsRow = row;
    QVERIFY(wsRow >= 0);
    sources->view()->selectRow(wsRow);
    QVERIFY(sources->sendBar()->editor()->isEnabled());

    enum Stop { Url, Table, Send, LogFilter, LogView, Chart };
    auto walk = [&]() {
        sources->urlEdit()->setFocus(Qt::TabFocusReason);
        QList<Stop> stops{Url};
        if (QApplication::focusWidget() != sources->urlEdit())
            return QList<Stop>();
        for (int i = 0; i < 80 && stops.last() != Chart; ++i) {
            QWidget *before = QApplication::focusWidget();
            QTest::keyClick(before, Qt::Key_Tab);
            QWidget *now = QApplication::focusWidget();
            if (!now || now == before)
                break;
            if (now == sources->view())
                stops.append(Table);
            else if (now == sources->sendBar()->editor())
                stops.append(Send);
            else if (window.logPane()->isAncestorOf(now) && qobject_cast<QLineEdit *>(now) && !stops.contains(LogFilter))
                stops.append(LogFilter);
            else if (now == window.logPane()->view())
                stops.append(LogView);
            else if (window.chartPanel()->isAncestorOf(now))
                stops.append(Chart);
            else if (now == sources->urlEdit())
                break; // wrapped around without reaching the chart
        }
        return stops;
    };
    const QList<Stop> expected{Url, Table, Send, LogFilter, LogView, Chart};
    QCOMPARE(walk(), expected);
    // The same after the window switched to its narrow arrangement (the log pane moved).
    window.resize(800, 500);
    QTRY_COMPARE(window.size(), QSize(800, 500));
    QTRY_VERIFY(window.logPane()->width() > window.sourcesPanel()->width() * 2); // full width now
    QCOMPARE(walk(), expected);
    // The selection did not move while Tab passed through the table.
    QCOMPARE(sources->view()->selectionModel()->selectedRows().first().row(), wsRow);
    for (QAbstractItemView *view : window.findChildren<QAbstractItemView *>())
        QVERIFY2(!view->tabKeyNavigation(), qPrintable(view->objectName()));
}

// Help → Keyboard shortcuts lists every action with a key, also ones a pane adds later.
void TestMainWindow::shortcutsListEveryAction()
{
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    MainWindow window(&registry);
    auto *late = new QAction(QStringLiteral("Jump to newest"), window.logPane());
    late->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_J));
    window.logPane()->addAction(late);

    const QList<MainWindow::ShortcutEntry> entries = window.shortcutEntries();
    auto find = [&entries](const QKeySequence &keys) -> const MainWindow::ShortcutEntry * {
        for (const MainWindow::ShortcutEntry &entry : entries)
            if (entry.keys == keys)
                return &entry;
        return nullptr;
    };
    const QList<QKeySequence> expected = {
        QKeySequence(Qt::CTRL | Qt::Key_L), QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::CTRL | Qt::Key_E),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), QKeySequence(QKeySequence::Delete), QKeySequence(Qt::Key_F2),
        QKeySequence(QKeySequence::HelpContents), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_J)};
    for (const QKeySequence &keys : expected)
        QVERIFY2(find(keys), qPrintable(keys.toString()));
    QCOMPARE(find(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_J))->where, QStringLiteral("Log"));
    QCOMPARE(find(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_J))->action, QStringLiteral("Jump to newest"));
    const MainWindow::ShortcutEntry *remove = find(QKeySequence(QKeySequence::Delete));
    QVERIFY(!remove->windowWide);
    QVERIFY2(remove->where.contains(QStringLiteral("sources table")), qPrintable(remove->where));
    QCOMPARE(find(QKeySequence(Qt::CTRL | Qt::Key_R))->where, QStringLiteral("Sources"));
    // Every action with a key is listed, whoever created it.
    int withKeys = 0;
    QSet<QAction *> actions;
    for (QAction *action : window.findChildren<QAction *>())
        if (!action->text().isEmpty() && !actions.contains(action)) {
            actions.insert(action);
            withKeys += int(action->shortcuts().size());
        }
    QCOMPARE(entries.size(), withKeys);
    // Two window-wide actions on one key would both stay silent.
    const QList<QKeySequence> conflicts = window.conflictingShortcuts();
    QVERIFY2(conflicts.isEmpty(), qPrintable(conflicts.isEmpty() ? QString() : conflicts.first().toString()));

    QDialog *dialog = window.showShortcuts();
    QVERIFY(dialog && dialog->isVisible());
    auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
    QVERIFY(table);
    QVERIFY(table->rowCount() > entries.size()); // plus Tab, Enter and the other field keys
    bool listed = false;
    for (int row = 0; row < table->rowCount(); ++row)
        listed |= table->item(row, 1)->text() == QStringLiteral("Jump to newest");
    QVERIFY(listed);
    keepScreenshot(*dialog, QStringLiteral("shortcuts-dialog.png"));
    dialog->close();
}

// A real SSE source of the demo, edited after adding: it reconnects with the new settings and
// its events carry the new name from then on.
void TestMainWindow::editedSourceReconnectsWithItsSettings()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    MainWindow window(&registry);
    const QList<TransportConfig> configs = demoSourceConfigs(server);
    QVERIFY(window.addSources({configs.first()}) == 1);
    SourceListModel *model = window.sourceModel();
    Transport *transport = model->transportAt(0);
    QTRY_COMPARE_WITH_TIMEOUT(transport->state(), Transport::State::Open, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(model->statsAt(0).received > 2, 10'000);

    TransportConfig edited = model->configAt(0);
    edited.sourceId = QStringLiteral("metrics");
    edited.headers = {{"X-Trace", "on"}};
    edited.idleTimeoutMs = 30'000;
    QSignalSpy states(transport, &Transport::stateChanged);
    QVERIFY(model->updateSource(0, edited));
    QCOMPARE(model->transportAt(0), transport); // same transport id: reopened, not replaced
    QTRY_COMPARE_WITH_TIMEOUT(transport->state(), Transport::State::Open, 10'000);
    QVERIFY(!states.isEmpty());
    QCOMPARE(transport->config().headers, edited.headers);
    QCOMPARE(transport->config().idleTimeoutMs, 30'000);
    QCOMPARE(transport->sourceId(), QStringLiteral("metrics"));
    QCOMPARE(model->index(0, SourceListModel::NameColumn).data().toString(), QStringLiteral("metrics"));
    // New log rows carry the new name.
    const int rowsBefore = window.logModel()->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(window.logModel()->rowCount() > rowsBefore + 2, 10'000);
    const QModelIndex newest = window.logModel()->index(window.logModel()->rowCount() - 1, 0);
    QCOMPARE(newest.data(EventLogModel::SourceIdRole).toString(), QStringLiteral("metrics"));
}

namespace {

/// The first demo feed, named, with one plain and one secret header.
TransportConfig namedMetrics(const TestServer &server)
{
    TransportConfig config = demoSourceConfigs(server).first();
    config.sourceId = QStringLiteral("metrics");
    config.headers = {{"X-Trace", "on"}, {"Authorization", "Bearer t0ken-value"}};
    config.idleTimeoutMs = 40'000;
    return config;
}

QStringList titlesOf(const Workspace *workspace)
{
    QStringList titles;
    for (const QString &id : workspace->panelIds())
        titles.append(id + QLatin1Char('=') + workspace->panelTitle(id));
    return titles;
}

} // namespace

// Save a dashboard, open it in a new window: the same sources (options and secret included),
// panels, titles and bindings; the secret is in the store, never in the file.
void TestMainWindow::dashboardSavedAndOpenedInNewWindow()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("ops.livedash"));

    auto store = std::make_unique<MemorySecretStore>();
    MemorySecretStore *firstStore = store.get();
    MainWindow first(&registry);
    first.setLastSessionPath(dir.filePath(QStringLiteral("last.livedash")));
    first.setSecretStore(std::move(store));
    const QList<TransportConfig> demo = demoSourceConfigs(server);
    QCOMPARE(first.addSources({namedMetrics(server), demo.at(2)}), 2);
    first.sourceModel()->setPaused(1, true);
    BoundLogPane *metricsLog = first.workspace()->addLogPane(SourceBinding::only({QStringLiteral("metrics")}));
    first.workspace()->setPanelTitle(first.workspace()->panelIds().last(), QStringLiteral("Metrics only"));
    metricsLog->pane()->setFilter(QStringLiteral("cpu"), false);
    first.workspace()->addChartPanel(SourceBinding::only({QStringLiteral("metrics")}));
    QVERIFY(first.isDashboardModified());
    QVERIFY(first.windowTitle().contains(QStringLiteral("[*]")));

    QString error;
    QVERIFY2(first.saveDashboard(path, &error), qPrintable(error));
    QVERIFY(!first.isDashboardModified());
    QCOMPARE(first.dashboardName(), QStringLiteral("ops"));
    QVERIFY(first.windowTitle().startsWith(QStringLiteral("ops")));
    QVERIFY(first.recentDashboards().contains(QFileInfo(path).absoluteFilePath()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(!text.contains("t0ken"));
    QVERIFY(text.contains("\"valueIn\": \"keyring\""));
    QCOMPARE(firstStore->values().size(), 1);
    const QStringList panels = titlesOf(first.workspace());
    QList<DashboardPanel> specs = first.workspace()->panelSpecs();

    auto secondStore = std::make_unique<MemorySecretStore>();
    for (auto it = firstStore->values().constBegin(); it != firstStore->values().constEnd(); ++it)
        secondStore->write(it.key(), it.value());
    MainWindow second(&registry);
    second.setLastSessionPath(dir.filePath(QStringLiteral("last.livedash")));
    second.setSecretStore(std::move(secondStore));
    int prompts = 0;
    second.setSecretPrompt([&prompts](const QString &, const QByteArray &) {
        ++prompts;
        return std::optional<QByteArray>();
    });
    QVERIFY2(second.openDashboard(path, &error), qPrintable(error));
    QCOMPARE(prompts, 0);
    QVERIFY2(second.dashboardNotes().isEmpty(), qPrintable(second.dashboardNotes().join(QLatin1Char('\n'))));
    QCOMPARE(second.dashboardPath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(!second.isDashboardModified());
    QCOMPARE(second.sourceModel()->rowCount(), 2);
    const TransportConfig metrics = second.sourceModel()->configAt(0);
    QCOMPARE(metrics.sourceId, QStringLiteral("metrics"));
    QCOMPARE(metrics.headers, namedMetrics(server).headers); // the secret came back from the store
    QCOMPARE(metrics.idleTimeoutMs, 40'000);
    QCOMPARE(second.sourceModel()->configAt(1).url, demo.at(2).url);
    QVERIFY(!second.sourceModel()->isPaused(0));
    QVERIFY(second.sourceModel()->isPaused(1));
    QCOMPARE(titlesOf(second.workspace()), panels);
    QCOMPARE(second.workspace()->panelSpecs(), specs);
    BoundLogPane *reopened = second.workspace()->logPanes().last();
    QCOMPARE(reopened->binding(), SourceBinding::only({QStringLiteral("metrics")}));
    QCOMPARE(reopened->settings().value(QStringLiteral("filter")).toString(), QStringLiteral("cpu"));
    // The bound pane gets the metrics events and nothing else.
    QTRY_VERIFY_WITH_TIMEOUT(reopened->model()->rowCount() > 3, 10'000);
    for (int row = 0; row < reopened->model()->rowCount(); ++row)
        QCOMPARE(reopened->model()->eventAt(row).source, QStringLiteral("metrics"));
}

// No keyring value: the prompt asks for it; Cancel keeps the source paused with a note.
void TestMainWindow::missingSecretKeepsSourcePaused()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("nokeyring.livedash"));
    {
        auto store = std::make_unique<MemorySecretStore>();
        store->setAvailable(false); // like this machine: no secret service
        MainWindow window(&registry);
        window.setLastSessionPath(dir.filePath(QStringLiteral("last.livedash")));
        window.setSecretStore(std::move(store));
        QCOMPARE(window.addSources({namedMetrics(server)}), 1);
        QString error;
        QVERIFY2(window.saveDashboard(path, &error), qPrintable(error));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(!text.contains("t0ken"));
    QVERIFY(text.contains("\"valueIn\": \"prompt\""));

    for (const bool answer : {false, true}) {
        MainWindow window(&registry);
        window.setLastSessionPath(dir.filePath(QStringLiteral("last.livedash")));
        window.setSecretStore(std::make_unique<MemorySecretStore>());
        QStringList asked;
        window.setSecretPrompt([&](const QString &source, const QByteArray &header) {
            asked.append(source + QLatin1Char('/') + QString::fromLatin1(header));
            return answer ? std::optional<QByteArray>("Bearer typed") : std::nullopt;
        });
        QString error;
        QVERIFY2(window.openDashboard(path, &error), qPrintable(error));
        QCOMPARE(asked, QStringList{QStringLiteral("metrics/Authorization")});
        QCOMPARE(window.sourceModel()->rowCount(), 1);
        QCOMPARE(window.sourceModel()->isPaused(0), !answer);
        if (answer) {
            QVERIFY(window.dashboardNotes().isEmpty());
            QVERIFY(window.sourceModel()->configAt(0).headers.contains(qMakePair(QByteArray("Authorization"), QByteArray("Bearer typed"))));
        } else {
            QCOMPARE(window.dashboardNotes().size(), 1);
            QVERIFY2(window.dashboardNotes().first().contains(QStringLiteral("Authorization"))
                         && window.dashboardNotes().first().contains(QStringLiteral("paused")),
                     qPrintable(window.dashboardNotes().first()));
        }
    }
}

// Closing writes the last session (to the path the test sets); a new window restores it.
void TestMainWindow::lastSessionWrittenOnCloseAndRestored()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString session = dir.filePath(QStringLiteral("config/last-session.livedash"));
    QStringList panels;
    {
        MainWindow window(&registry);
        window.setLastSessionPath(session);
        window.setSavesLastSession(true);
        window.setSecretStore(std::make_unique<MemorySecretStore>());
        window.addSources(demoSourceConfigs(server));
        window.workspace()->addLogPane(SourceBinding::only({window.sourceModel()->configAt(0).effectiveSourceId()}));
        panels = titlesOf(window.workspace());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.close();
    }
    QVERIFY(QFileInfo::exists(session));
    QString error;
    QVERIFY2(DashboardFile::read(session, &error), qPrintable(error));

    MainWindow restored(&registry);
    restored.setLastSessionPath(session);
    restored.setSecretStore(std::make_unique<MemorySecretStore>());
    QVERIFY2(restored.restoreLastSession(&error), qPrintable(error));
    QCOMPARE(restored.sourceModel()->rowCount(), demoSourceConfigs(server).size());
    QCOMPARE(titlesOf(restored.workspace()), panels);
    QVERIFY(restored.dashboardPath().isEmpty()); // the session is not a file the user chose
    QVERIFY(!restored.isDashboardModified());
    // Without a session file there is nothing to restore, and no error.
    MainWindow fresh(&registry);
    fresh.setLastSessionPath(dir.filePath(QStringLiteral("none.livedash")));
    error.clear();
    QVERIFY(!fresh.restoreLastSession(&error));
    QVERIFY(error.isEmpty());
}

// A file that cannot be read or parsed: a specific error, and the window keeps what it had.
void TestMainWindow::badDashboardChangesNothing()
{
    TestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MainWindow window(&registry);
    window.setLastSessionPath(dir.filePath(QStringLiteral("last.livedash")));
    window.addSources(demoSourceConfigs(server));
    const QStringList panels = titlesOf(window.workspace());
    const QString bad = dir.filePath(QStringLiteral("bad.livedash"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": \"livedash-dashboard\", \"version\": 1,\n \"sources\": [{\"url\": 3}]}");
    file.close();
    QString error;
    QVERIFY(!window.openDashboard(bad, &error));
    QVERIFY2(error.startsWith(bad) && error.contains(QStringLiteral("sources[0].url"))
                 && error.contains(QStringLiteral("expected a string")),
             qPrintable(error));
    QCOMPARE(window.sourceModel()->rowCount(), demoSourceConfigs(server).size());
    QCOMPARE(titlesOf(window.workspace()), panels);
    QVERIFY(!window.openDashboard(dir.filePath(QStringLiteral("missing.livedash")), &error));
    QVERIFY2(error.contains(QStringLiteral("cannot open")), qPrintable(error));
}

// The shipped demo dashboard: named sources, charts and logs bound to some of them.
void TestMainWindow::demoDashboardBindsPanels()
{
    K8sFixture k8s;
    QString error;
    QVERIFY2(k8s.start(&error), qPrintable(error));
    const QString demoFile = QFINDTESTDATA("../../resources/dashboards/demo.livedash");
    QVERIFY(!demoFile.isEmpty());
    MainWindow window(&k8s.registry);
    window.setK8sEnvironment(k8s.env);
    window.setLastSessionPath(k8s.dir.filePath(QStringLiteral("last.livedash")));
    QVERIFY2(window.openDashboard(demoFile, &error, k8s.substitutions()), qPrintable(error));
    QVERIFY2(window.dashboardNotes().isEmpty(), qPrintable(window.dashboardNotes().join(QLatin1Char('\n'))));
    QCOMPARE(window.dashboardName(), QStringLiteral("LiveDash demo"));
    QCOMPARE(window.sourceModel()->rowCount(), 6);
    QCOMPARE(window.workspace()->logPanes().size(), 3);
    QCOMPARE(window.workspace()->chartPanels().size(), 2);
    QCOMPARE(window.resourcePanels().size(), 1);
    BoundLogPane *appLogs = window.workspace()->logPanes().last();
    QTRY_VERIFY_WITH_TIMEOUT(appLogs->model()->rowCount() > 3, 10'000);
    for (int row = 0; row < appLogs->model()->rowCount(); ++row)
        QVERIFY(appLogs->model()->eventAt(row).source.startsWith(QStringLiteral("logs-")));
    // The demo cluster: web's logs flow into "web logs" on first start, the pods table fills.
    BoundLogPane *webLogs = logPaneTitled(window, QStringLiteral("web logs"));
    QVERIFY(webLogs);
    QTRY_VERIFY_WITH_TIMEOUT(webLogs->model()->rowCount() > 0, 15'000);
    QCOMPARE(webLogs->model()->eventAt(0).source, QStringLiteral("logs: deployment/web"));
    QVERIFY(webLogs->model()->eventAt(0).id.startsWith("default/web-"));
    ResourceTablePanel *pods = window.resourcePanels().first();
    QTRY_VERIFY_WITH_TIMEOUT(pods->view() && pods->view()->model()->rowCount() > 0, 15'000);
    QVERIFY(pods->view()->model()->columnOf(QStringLiteral("STATUS")) >= 0); // the server's columns
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showCluster(QStringLiteral("livedash-demo"));
    QVERIFY(window.clusterBrowser()->contextItem(QStringLiteral("livedash-demo")));
    keepScreenshot(window, QStringLiteral("window-demo-dashboard.png"));
}

void TestMainWindow::clusterFollowLogsAndDashboardRoundTrip()
{
    K8sFixture k8s;
    QString error;
    QVERIFY2(k8s.start(&error), qPrintable(error));
    const QString context = QStringLiteral("livedash-demo");
    const QString path = k8s.dir.filePath(QStringLiteral("cluster.livedash"));
    {
        MainWindow window(&k8s.registry);
        window.setLastSessionPath(k8s.dir.filePath(QStringLiteral("last.livedash")));
        window.setK8sEnvironment(k8s.env);
        QVERIFY(window.workspace()->dock(QStringLiteral("cluster")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.clusterBrowser()->expandContext(context);
        QTRY_VERIFY_WITH_TIMEOUT(window.clusterBrowser()->openTable(context, QStringLiteral("default"), QStringLiteral("pods")),
                                 15'000);
        QCOMPARE(window.resourcePanels().size(), 1);
        ResourceTableView *view = window.resourcePanels().first()->view();
        QVERIFY(view);
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() > 0, 15'000);
        // Opening the same table again focuses the panel instead of adding one.
        QVERIFY(window.clusterBrowser()->openTable(context, QStringLiteral("default"), QStringLiteral("pods")));
        QCOMPARE(window.resourcePanels().size(), 1);

        const int sourcesBefore = window.sourceModel()->rowCount();
        const QString url = LogSourceUrl::forWorkload(context, QStringLiteral("default"), QStringLiteral("deployments"),
                                                      QStringLiteral("web"));
        Q_EMIT view->followLogsRequested(url);
        QCOMPARE(window.sourceModel()->rowCount(), sourcesBefore + 1);
        const QString name = QStringLiteral("logs: deployment/web");
        QVERIFY(window.sourceModel()->rowOfSource(name) >= 0);
        BoundLogPane *pane = logPaneTitled(window, name);
        QVERIFY(pane);
        QCOMPARE(pane->binding(), SourceBinding::only({name}));
        QTRY_VERIFY_WITH_TIMEOUT(pane->model()->rowCount() > 0, 15'000);
        QVERIFY(pane->model()->eventAt(0).id.startsWith("default/web-")); // the stream key shows
        // Per-stream news of the k8s source show in its details.
        SourceDetails *details = window.sourcesPanel()->details();
        details->setRow(window.sourceModel()->rowOfSource(name));
        QTRY_VERIFY_WITH_TIMEOUT(details->plainText().contains(QStringLiteral("following default/web-")), 10'000);
        QVERIFY(pane->pane()->view()->isColumnHidden(EventLogModel::SourceColumn)); // the title names it
        // The same URL again: no second source.
        QCOMPARE(window.followLogs(url), name);
        QCOMPARE(window.sourceModel()->rowCount(), sourcesBefore + 1);
        // Show details opens a live details panel (not saved in the dashboard).
        QVERIFY(view->selectKey(QStringLiteral("default/db-0")));
        QAction *showDetails = nullptr;
        const QList<QAction *> actions = view->actionsForRow(view->table()->currentIndex().row(), &window);
        for (QAction *action : actions)
            if (action->text() == QStringLiteral("Show details"))
                showDetails = action;
        QVERIFY(showDetails);
        showDetails->trigger();
        QCOMPARE(window.detailsViews().size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(window.detailsViews().first()->jsonText().contains(QStringLiteral("\"name\": \"db-0\"")),
                                 10'000);
        QVERIFY2(window.saveDashboard(path, &error), qPrintable(error));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray saved = file.readAll();
    QVERIFY(saved.contains("\"k8s-resources\""));
    QVERIFY(saved.contains("k8s:logs/deployment/web"));
    QVERIFY(!saved.contains("k8s-details")); // details are not saved

    MainWindow reopened(&k8s.registry);
    reopened.setLastSessionPath(k8s.dir.filePath(QStringLiteral("last.livedash")));
    reopened.setK8sEnvironment(k8s.env);
    QVERIFY2(reopened.openDashboard(path, &error), qPrintable(error));
    QVERIFY2(reopened.dashboardNotes().isEmpty(), qPrintable(reopened.dashboardNotes().join(QLatin1Char('\n'))));
    QCOMPARE(reopened.resourcePanels().size(), 1);
    ResourceTablePanel *panel = reopened.resourcePanels().first();
    QCOMPARE(panel->settings().value(QStringLiteral("resource")).toString(), QStringLiteral("pods"));
    QCOMPARE(panel->settings().value(QStringLiteral("namespace")).toString(), QStringLiteral("default"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->view() && panel->view()->model()->rowCount() > 0, 15'000);
    const QString name = QStringLiteral("logs: deployment/web");
    QVERIFY(reopened.sourceModel()->rowOfSource(name) >= 0);
    BoundLogPane *pane = logPaneTitled(reopened, name);
    QVERIFY(pane);
    QTRY_VERIFY_WITH_TIMEOUT(pane->model()->rowCount() > 0, 15'000); // logs flow again
    // The reopened table is known to the browser: activating its kind focuses it.
    reopened.clusterBrowser()->expandContext(context);
    QTRY_VERIFY_WITH_TIMEOUT(reopened.clusterBrowser()->openTable(context, QStringLiteral("default"), QStringLiteral("pods")),
                             15'000);
    QCOMPARE(reopened.resourcePanels().size(), 1);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
