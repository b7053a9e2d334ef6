// The workspace of docks: panels come and go, each log pane / chart sees only its bound sources,
// and the layout survives saveState/restoreState.
#include "bound_chart_panel.h"
#include "bound_log_pane.h"
#include "event_log_model.h"
#include "fake_transport.h"
#include "log_pane.h"
#include "source_list_model.h"
#include "stream_key_delegate.h"
#include "workspace.h"

#include <QAction>
#include <QDockWidget>
#include <QHeaderView>
#include <QJsonArray>
#include <QPointer>
#include <QMenu>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

namespace {

TransportConfig fakeConfig(const QString &url, const QString &name)
{
    TransportConfig config;
    config.url = QUrl(url);
    config.sourceId = name;
    config.transportId = QStringLiteral("fake");
    return config;
}

int rowsOf(const EventLogModel *model, const QString &source)
{
    int n = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        n += model->eventAt(row).source == source ? 1 : 0;
    return n;
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void newPanelsAndClose();
    void boundPaneSeesOnlyItsSources();
    void allFollowsNewSources();
    void removedSourceLeavesEveryBinding();
    void renamedSourceStaysBound();
    void bindingMenuChangesBinding();
    void panelSpecsAndUnknownKinds();
    void customKindPlugsIn();
    void saveAndRestoreState();
    void shortcutsTurnLocalWithTwoPanes();
    void kubernetesStreamKeys();

private:
    void feed(const QString &source, const QByteArray &payload);

    TransportRegistry m_registry;
    SourceListModel *m_sources = nullptr;
};

void TestWorkspace::initTestCase()
{
    registerFakeTransports(m_registry, nullptr);
}

void TestWorkspace::init()
{
    m_sources = new SourceListModel(&m_registry);
    QVERIFY(m_sources->addSource(fakeConfig(QStringLiteral("http://a.test/x"), QStringLiteral("alpha"))) >= 0);
    QVERIFY(m_sources->addSource(fakeConfig(QStringLiteral("http://b.test/y"), QStringLiteral("beta"))) >= 0);
}

void TestWorkspace::cleanup()
{
    delete m_sources;
    m_sources = nullptr;
}

void TestWorkspace::feed(const QString &source, const QByteArray &payload)
{
    auto *transport = qobject_cast<FakeTransport *>(m_sources->transportAt(m_sources->rowOfSource(source)));
    QVERIFY(transport);
    transport->emitData({payload});
}

void TestWorkspace::newPanelsAndClose()
{
    Workspace workspace(m_sources);
    QSignalSpy changed(&workspace, &Workspace::changed);
    BoundLogPane *log = workspace.addLogPane();
    BoundLogPane *log2 = workspace.addLogPane();
    BoundChartPanel *chart = workspace.addChartPanel();
    QVERIFY(log && log2 && chart);
    QCOMPARE(workspace.panelIds(), (QStringList{QStringLiteral("log-1"), QStringLiteral("log-2"), QStringLiteral("chart-1")}));
    QCOMPARE(workspace.panelTitle(QStringLiteral("log-1")), QStringLiteral("Log"));
    QCOMPARE(workspace.panelTitle(QStringLiteral("log-2")), QStringLiteral("Log 2"));
    QVERIFY(changed.size() >= 3);
    // Docks: tabbable, floatable, closable, named after the id (restoreState matches names).
    QDockWidget *dock = workspace.dock(QStringLiteral("log-2"));
    QCOMPARE(dock->objectName(), QStringLiteral("log-2"));
    QVERIFY(dock->features() & QDockWidget::DockWidgetFloatable);
    QVERIFY(dock->features() & QDockWidget::DockWidgetClosable);
    QVERIFY(workspace.isDockNestingEnabled());
    QVERIFY(workspace.tabifiedDockWidgets(workspace.dock(QStringLiteral("log-1"))).contains(dock));
    // Titles are editable.
    workspace.setPanelTitle(QStringLiteral("log-2"), QStringLiteral("Errors only"));
    QCOMPARE(dock->windowTitle(), QStringLiteral("Errors only"));
    // The dock's close button closes the panel for good.
    QPointer<BoundLogPane> gone = log2;
    dock->close();
    QTRY_VERIFY(gone.isNull());
    QCOMPARE(workspace.panelIds(), (QStringList{QStringLiteral("log-1"), QStringLiteral("chart-1")}));
    QCOMPARE(workspace.logPanes().size(), 1);
    // A fixed panel cannot be closed.
    auto *fixed = new QWidget;
    QVERIFY(workspace.addPanel(fixed, QStringLiteral("sources"), QStringLiteral("Sources"), Qt::LeftDockWidgetArea,
                               QStringLiteral("sources"), false));
    QVERIFY(!workspace.closePanel(QStringLiteral("sources")));
    QVERIFY(!(workspace.dock(QStringLiteral("sources"))->features() & QDockWidget::DockWidgetClosable));
    QVERIFY(!workspace.addPanel(new QWidget(&workspace), QStringLiteral("sources"), QString(), Qt::LeftDockWidgetArea));
}

void TestWorkspace::boundPaneSeesOnlyItsSources()
{
    Workspace workspace(m_sources);
    BoundLogPane *all = workspace.addLogPane();
    BoundLogPane *onlyAlpha = workspace.addLogPane(SourceBinding::only({QStringLiteral("alpha")}));
    BoundChartPanel *chart = workspace.addChartPanel(SourceBinding::only({QStringLiteral("beta")}));
    for (int i = 0; i < 5; ++i) {
        feed(QStringLiteral("alpha"), "{\"a\": 1}");
        feed(QStringLiteral("beta"), "{\"b\": 2}");
    }
    all->model()->flushNow();
    onlyAlpha->model()->flushNow();
    QCOMPARE(rowsOf(all->model(), QStringLiteral("alpha")), 5);
    QCOMPARE(rowsOf(all->model(), QStringLiteral("beta")), 5);
    QCOMPARE(rowsOf(onlyAlpha->model(), QStringLiteral("alpha")), 5);
    QCOMPARE(rowsOf(onlyAlpha->model(), QStringLiteral("beta")), 0);
    QCOMPARE(onlyAlpha->bindingText(), QStringLiteral("Sources: alpha"));
    chart->buffer()->flushNow();
    QTRY_VERIFY(!chart->buffer()->knownFields().isEmpty());
    for (const SeriesKey &key : chart->buffer()->knownFields())
        QCOMPARE(key.source, QStringLiteral("beta"));
    // The events reach the bound pane as the same payloads (shared, not copied).
    QCOMPARE(onlyAlpha->model()->eventAt(0).payload.constData(), all->model()->eventAt(0).payload.constData());
    // Unbinding a source forgets its rows in that pane only.
    all->setBinding(SourceBinding::only({QStringLiteral("beta")}));
    all->model()->flushNow();
    QCOMPARE(rowsOf(all->model(), QStringLiteral("alpha")), 0);
    QCOMPARE(rowsOf(all->model(), QStringLiteral("beta")), 5);
    QCOMPARE(rowsOf(onlyAlpha->model(), QStringLiteral("alpha")), 5);
}

void TestWorkspace::allFollowsNewSources()
{
    Workspace workspace(m_sources);
    BoundLogPane *all = workspace.addLogPane();
    BoundLogPane *fixed = workspace.addLogPane(SourceBinding::only({QStringLiteral("alpha"), QStringLiteral("beta")}));
    QVERIFY(m_sources->addSource(fakeConfig(QStringLiteral("http://c.test/z"), QStringLiteral("gamma"))) >= 0);
    feed(QStringLiteral("gamma"), "new");
    all->model()->flushNow();
    fixed->model()->flushNow();
    QCOMPARE(rowsOf(all->model(), QStringLiteral("gamma")), 1);
    QCOMPARE(rowsOf(fixed->model(), QStringLiteral("gamma")), 0);
    QVERIFY(all->binding().all);
}

void TestWorkspace::removedSourceLeavesEveryBinding()
{
    Workspace workspace(m_sources);
    BoundLogPane *all = workspace.addLogPane();
    BoundLogPane *pair = workspace.addLogPane(SourceBinding::only({QStringLiteral("alpha"), QStringLiteral("beta")}));
    BoundChartPanel *chart = workspace.addChartPanel(SourceBinding::only({QStringLiteral("alpha")}));
    feed(QStringLiteral("alpha"), "{\"v\": 1}");
    feed(QStringLiteral("beta"), "{\"v\": 2}");
    all->model()->flushNow();
    pair->model()->flushNow();
    chart->buffer()->flushNow();
    QTRY_COMPARE(chart->buffer()->knownFields().size(), 1);
    QSignalSpy bindingChanged(pair, &BoundPanel::bindingChanged);
    m_sources->removeSource(m_sources->rowOfSource(QStringLiteral("alpha")));
    all->model()->flushNow();
    pair->model()->flushNow();
    QCOMPARE(pair->binding().sources, QStringList{QStringLiteral("beta")});
    QCOMPARE(bindingChanged.size(), 1);
    QVERIFY(chart->binding().sources.isEmpty());
    QCOMPARE(chart->bindingText(), QStringLiteral("Sources: none"));
    QCOMPARE(rowsOf(all->model(), QStringLiteral("alpha")), 0);
    QCOMPARE(rowsOf(pair->model(), QStringLiteral("alpha")), 0);
    QCOMPARE(rowsOf(pair->model(), QStringLiteral("beta")), 1);
    QTRY_VERIFY(chart->buffer()->knownFields().isEmpty());
}

void TestWorkspace::renamedSourceStaysBound()
{
    Workspace workspace(m_sources);
    BoundLogPane *pane = workspace.addLogPane(SourceBinding::only({QStringLiteral("alpha")}));
    QVERIFY(m_sources->renameSource(m_sources->rowOfSource(QStringLiteral("alpha")), QStringLiteral("first")));
    QCOMPARE(pane->binding().sources, QStringList{QStringLiteral("first")});
    feed(QStringLiteral("first"), "renamed");
    pane->model()->flushNow();
    QCOMPARE(rowsOf(pane->model(), QStringLiteral("first")), 1);
}

void TestWorkspace::bindingMenuChangesBinding()
{
    Workspace workspace(m_sources);
    BoundLogPane *pane = workspace.addLogPane();
    QMenu *menu = pane->bindingMenu();
    Q_EMIT menu->aboutToShow();
    QAction *beta = nullptr;
    QAction *all = nullptr;
    for (QAction *action : menu->actions()) {
        if (action->data().toString() == QStringLiteral("beta"))
            beta = action;
        if (action->objectName() == QStringLiteral("bindAllAction"))
            all = action;
    }
    QVERIFY(beta && all);
    QVERIFY(all->isChecked() && beta->isChecked());
    beta->trigger(); // unchecks beta: every other source stays
    QCOMPARE(pane->binding(), SourceBinding::only({QStringLiteral("alpha")}));
    QCOMPARE(pane->bindingButton()->text(), QStringLiteral("Sources: alpha"));
    Q_EMIT menu->aboutToShow();
    for (QAction *action : menu->actions())
        if (action->objectName() == QStringLiteral("bindAllAction"))
            action->trigger();
    QVERIFY(pane->binding().all);
    QCOMPARE(pane->bindingButton()->text(), QStringLiteral("Sources: all"));
}

void TestWorkspace::panelSpecsAndUnknownKinds()
{
    Workspace workspace(m_sources);
    QList<DashboardPanel> specs;
    specs.append({QStringLiteral("log"), QStringLiteral("errors"), QStringLiteral("Errors"), false, {QStringLiteral("beta")},
                  QJsonObject{{QStringLiteral("filter"), QStringLiteral("error")}, {QStringLiteral("regex"), false}}});
    specs.append({QStringLiteral("chart"), QStringLiteral("cpu"), QStringLiteral("CPU"), true, {},
                  QJsonObject{{QStringLiteral("windowMs"), 300'000}, {QStringLiteral("scale"), QStringLiteral("shared")},
                              {QStringLiteral("fields"), QJsonArray{QJsonObject{{QStringLiteral("source"), QStringLiteral("alpha")},
                                                                                 {QStringLiteral("pointer"), QStringLiteral("/v")}}}}}});
    specs.append({QStringLiteral("k8s-pods"), QStringLiteral("pods"), QStringLiteral("Pods"), true, {},
                  QJsonObject{{QStringLiteral("columns"), 3}}});
    QStringList notes;
    workspace.setPanels(specs, &notes);
    QCOMPARE(workspace.panelIds(), (QStringList{QStringLiteral("errors"), QStringLiteral("cpu")}));
    QCOMPARE(notes.size(), 1);
    QVERIFY2(notes.first().contains(QStringLiteral("k8s-pods")), qPrintable(notes.first()));
    BoundLogPane *log = workspace.logPanes().first();
    QCOMPARE(log->binding(), SourceBinding::only({QStringLiteral("beta")}));
    QCOMPARE(log->settings().value(QStringLiteral("filter")).toString(), QStringLiteral("error"));
    BoundChartPanel *chart = workspace.chartPanels().first();
    QCOMPARE(chart->buffer()->windowMs(), 300'000);
    // The chart selects the field the dashboard names once it appears.
    feed(QStringLiteral("alpha"), "{\"u\": 1, \"v\": 2}");
    chart->buffer()->flushNow();
    QTRY_COMPARE(chart->buffer()->knownFields().size(), 2);
    QCOMPARE(chart->buffer()->selectedFields(), (QList<SeriesKey>{{QStringLiteral("alpha"), QStringLiteral("/v")}}));
    // Saved back as given, the unknown kind included.
    const QList<DashboardPanel> saved = workspace.panelSpecs();
    QCOMPARE(saved.size(), 3);
    QCOMPARE(saved.at(0), specs.at(0));
    QCOMPARE(saved.at(1).settings.value(QStringLiteral("scale")).toString(), QStringLiteral("shared"));
    QCOMPARE(saved.at(1).settings.value(QStringLiteral("fields")), specs.at(1).settings.value(QStringLiteral("fields")));
    QCOMPARE(saved.at(2), specs.at(2));
}

void TestWorkspace::customKindPlugsIn()
{
    Workspace workspace(m_sources);
    workspace.kinds().add({QStringLiteral("notes"), QStringLiteral("Notes"), Qt::RightDockWidgetArea,
                           [](Workspace &, const DashboardPanel &spec) -> QWidget * {
                               auto *w = new QWidget;
                               w->setObjectName(spec.settings.value(QStringLiteral("name")).toString());
                               return w;
                           },
                           [](const QWidget *panel) { return QJsonObject{{QStringLiteral("name"), panel->objectName()}}; }});
    QString error;
    QWidget *panel = workspace.createPanel({QStringLiteral("notes"), QStringLiteral("n1"), QString(), true, {},
                                            QJsonObject{{QStringLiteral("name"), QStringLiteral("hello")}}},
                                           &error);
    QVERIFY2(panel, qPrintable(error));
    QCOMPARE(workspace.panelTitle(QStringLiteral("n1")), QStringLiteral("Notes"));
    QCOMPARE(workspace.panelSpecs().first().settings.value(QStringLiteral("name")).toString(), QStringLiteral("hello"));
    QVERIFY(!workspace.createPanel({QStringLiteral("nope"), QStringLiteral("x"), {}, true, {}, {}}, &error));
    QVERIFY(error.contains(QStringLiteral("nope")));
}

void TestWorkspace::saveAndRestoreState()
{
    QByteArray state;
    {
        Workspace workspace(m_sources);
        workspace.resize(1200, 800);
        workspace.addLogPane();
        workspace.addChartPanel();
        workspace.addLogPane();
        workspace.show();
        QVERIFY(QTest::qWaitForWindowExposed(&workspace));
        workspace.arrangeDefault(workspace.size());
        // Move the second log pane to the right area, beside the chart, and float the first.
        QDockWidget *log2 = workspace.dock(QStringLiteral("log-2"));
        workspace.addDockWidget(Qt::RightDockWidgetArea, log2);
        workspace.dock(QStringLiteral("log-1"))->setFloating(true);
        QTRY_COMPARE(workspace.dockWidgetArea(log2), Qt::RightDockWidgetArea);
        state = workspace.saveState();
    }
    Workspace restored(m_sources);
    restored.resize(1200, 800);
    restored.addLogPane();
    restored.addChartPanel();
    restored.addLogPane();
    QVERIFY(restored.restoreState(state));
    restored.show();
    QVERIFY(QTest::qWaitForWindowExposed(&restored));
    QCOMPARE(restored.dockWidgetArea(restored.dock(QStringLiteral("log-2"))), Qt::RightDockWidgetArea);
    QVERIFY(restored.dock(QStringLiteral("log-1"))->isFloating());
    QCOMPARE(restored.dockWidgetArea(restored.dock(QStringLiteral("chart-1"))), Qt::RightDockWidgetArea);
}

void TestWorkspace::shortcutsTurnLocalWithTwoPanes()
{
    Workspace workspace(m_sources);
    BoundLogPane *first = workspace.addLogPane();
    auto windowWide = [](BoundPanel *panel) {
        int n = 0;
        for (QAction *action : panel->findChildren<QAction *>())
            n += !action->shortcuts().isEmpty() && action->shortcutContext() == Qt::WindowShortcut ? 1 : 0;
        return n;
    };
    const int alone = windowWide(first);
    QVERIFY(alone > 0); // Ctrl+F, Ctrl+End
    workspace.addLogPane();
    QCOMPARE(windowWide(first), 0);
    workspace.closePanel(QStringLiteral("log-2"));
    QCOMPARE(windowWide(first), alone);
}

void TestWorkspace::kubernetesStreamKeys()
{
    BoundLogPane pane(m_sources);
    QTableView *view = pane.pane()->view();
    QVERIFY(qobject_cast<StreamKeyDelegate *>(view->itemDelegateForColumn(EventLogModel::IdColumn)));
    // One bound source: the title names it, the Source column goes.
    pane.setBinding(SourceBinding::only({QStringLiteral("alpha")}));
    QVERIFY(view->isColumnHidden(EventLogModel::SourceColumn));
    pane.setBinding(SourceBinding::everything());
    QVERIFY(!view->isColumnHidden(EventLogModel::SourceColumn));

    // Kubernetes lines: the ID column grows to show "namespace/pod/container".
    const int before = view->horizontalHeader()->sectionSize(EventLogModel::IdColumn);
    QList<StreamEvent> events;
    for (const char *key : {"default/web-5d8f7c9b6d-9dkk2/main", "default/web-5d8f7c9b6d-g4gkr/main"}) {
        StreamEvent event;
        event.kind = StreamEvent::Kind::Data;
        event.source = QStringLiteral("alpha");
        event.type = "log";
        event.id = key;
        event.payload = "GET /healthz 200";
        events.append(event);
    }
    pane.appendEvents(events);
    pane.model()->flushNow();
    QCOMPARE(pane.model()->rowCount(), 2);
    const int x = pane.pane()->fontMetrics().horizontalAdvance(QLatin1Char('x'));
    QVERIFY(view->horizontalHeader()->sectionSize(EventLogModel::IdColumn) > before);
    QVERIFY(view->horizontalHeader()->sectionSize(EventLogModel::IdColumn) >= x * int(events.first().id.size()));

    // Colours: stable per key, and different keys do not all share one.
    const QString a = QString::fromUtf8(events.at(0).id);
    QCOMPARE(StreamKeyDelegate::colorFor(a), StreamKeyDelegate::colorFor(a));
    QSet<QRgb> colours;
    for (int i = 0; i < 12; ++i)
        colours.insert(StreamKeyDelegate::colorFor(QStringLiteral("default/web-%1/main").arg(i)).rgb());
    QVERIFY(colours.size() >= 3);
}

QTEST_MAIN(TestWorkspace)
#include "tst_workspace.moc"
