// The real window on the offscreen platform, connected to the in-process demo server: the log pane
// and the chart must fill with live data, and a screenshot must be written.
#include "chart_panel.h"
#include "test_server.h"
#include "demo_sources.h"
#include "event_log_model.h"
#include "log_pane.h"
#include "main_window.h"
#include "header_table.h"
#include "send_bar.h"
#include "source_options_form.h"
#include "series_buffer.h"
#include "source_list_model.h"
#include "sources_panel.h"
#include "transport.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
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

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
