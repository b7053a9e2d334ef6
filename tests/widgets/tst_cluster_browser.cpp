#include "cluster_browser.h"
#include "demo_server.h"
#include "fake_cluster.h"
#include "k8s_environment.h"
#include "log_source_url.h"
#include "object_details_view.h"
#include "resource_filter_proxy.h"
#include "resource_table_model.h"
#include "resource_table_view.h"

#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QPointer>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

namespace {

const QString Context = QStringLiteral("livedash-demo");

QStringList childTexts(const QStandardItem *item)
{
    QStringList out;
    for (int row = 0; row < item->rowCount(); ++row)
        out << item->child(row)->text();
    return out;
}

QStandardItem *childNamed(const QStandardItem *item, const QString &text)
{
    for (int row = 0; row < item->rowCount(); ++row) {
        if (item->child(row)->text() == text)
            return item->child(row);
    }
    return nullptr;
}

QStringList headerTitles(const QAbstractItemModel *model)
{
    QStringList out;
    for (int c = 0; c < model->columnCount(); ++c)
        out << model->headerData(c, Qt::Horizontal).toString();
    return out;
}

QAction *actionNamed(const QList<QAction *> &actions, const QString &text)
{
    for (QAction *a : actions) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

/// Saves a PNG of `widget` under /tmp when LIVEDASH_TEST_SCREENSHOTS is set.
void screenshot(QWidget *widget, const QString &name)
{
    if (qEnvironmentVariableIsEmpty("LIVEDASH_TEST_SCREENSHOTS"))
        return;
    widget->grab().save(QStringLiteral("/tmp/livedash-%1.png").arg(name));
}

} // namespace

class TestClusterBrowser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void logUrls();
    void contextsListed();
    void kindsFromDiscoveryAndNamespaces();
    void podsTableWithServerColumns();
    void watchEventsUpdateRows();
    void followLogsActions();
    void workloadFollowsItsPods();
    void relistAfter410();
    void detailsFollowTheObject();
    void openTwiceFocuses();

private:
    ResourceTableView *openTable(const QString &ns, const QString &resource);

    QTemporaryDir m_dir;
    std::unique_ptr<DemoServer> m_server;
    std::unique_ptr<K8sEnvironment> m_env;
    std::unique_ptr<ClusterBrowser> m_browser;
    QList<QPointer<QWidget>> m_opened;
};

void TestClusterBrowser::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qRegisterMetaType<ResourceTableView *>();
}

void TestClusterBrowser::init()
{
    m_server = std::make_unique<DemoServer>();
    QVERIFY(m_server->listen());
    FakeCluster *cluster = m_server->cluster();
    QVERIFY(cluster);
    FakeCluster::LifePeriods quiet;
    quiet.replacePodMs = 0;
    quiet.restartContainerMs = 0;
    cluster->setLifePeriods(quiet);
    cluster->setLogRates(0);
    QString error;
    const QString path = cluster->writeKubeconfig(m_dir.filePath(QStringLiteral("kubeconfig")), &error);
    QVERIFY2(!path.isEmpty(), qPrintable(error));
    KubeconfigLoadOptions options;
    options.explicitPath = path;
    m_env = std::make_unique<K8sEnvironment>(options);
    m_browser = std::make_unique<ClusterBrowser>(m_env.get());
    connect(m_browser.get(), &ClusterBrowser::resourceTableOpened, this, [this](ResourceTableView *view) {
        m_opened << view;
        connect(view, &ResourceTableView::detailsViewOpened, this, [this](ObjectDetailsView *d) { m_opened << d; });
    });
}

void TestClusterBrowser::cleanup()
{
    for (const QPointer<QWidget> &w : std::as_const(m_opened))
        delete w.data();
    m_opened.clear();
    m_browser.reset();
    m_env.reset();
    m_server.reset();
}

ResourceTableView *TestClusterBrowser::openTable(const QString &ns, const QString &resource)
{
    m_browser->expandContext(Context);
    QStandardItem *ctx = m_browser->contextItem(Context);
    if (!ctx || !QTest::qWaitFor([ctx] { return ctx->rowCount() >= 2 && ctx->child(0)->rowCount() > 0; }, 10'000))
        return nullptr;
    const qsizetype before = m_opened.size();
    if (!m_browser->openTable(Context, ns, resource) || m_opened.size() != before + 1)
        return nullptr;
    auto *view = qobject_cast<ResourceTableView *>(m_opened.last().data());
    if (view) {
        view->resize(900, 420);
        view->show();
    }
    return view;
}

void TestClusterBrowser::logUrls()
{
    QCOMPARE(LogSourceUrl::forPod(QStringLiteral("ctx"), QStringLiteral("ns"), QStringLiteral("p")),
             QStringLiteral("k8s:logs/p?namespace=ns&context=ctx"));
    QCOMPARE(LogSourceUrl::forPod(QStringLiteral("ctx"), QStringLiteral("ns"), QStringLiteral("p"), QStringLiteral("c")),
             QStringLiteral("k8s:logs/p/c?namespace=ns&context=ctx"));
    QCOMPARE(LogSourceUrl::forWorkload(QStringLiteral("ctx"), QStringLiteral("ns"), QStringLiteral("statefulsets"), QStringLiteral("db")),
             QStringLiteral("k8s:logs/statefulset/db?namespace=ns&context=ctx"));
    QCOMPARE(LogSourceUrl::forSelector(QStringLiteral("ctx"), QStringLiteral("ns"), QStringLiteral("app=web,tier in (a b)")),
             QStringLiteral("k8s:logs?selector=app=web,tier%20in%20(a%20b)&namespace=ns&context=ctx"));
    QCOMPARE(LogSourceUrl::forPod(QStringLiteral("a&b"), QString(), QStringLiteral("p")), QStringLiteral("k8s:logs/p?context=a%26b"));
}

void TestClusterBrowser::contextsListed()
{
    QStandardItemModel *model = m_browser->treeModel();
    QCOMPARE(model->rowCount(), 1);
    QStandardItem *ctx = model->item(0);
    QCOMPARE(ctx->data(ClusterBrowser::ContextRole).toString(), Context);
    QVERIFY(ctx->text().contains(QStringLiteral("(current)")));
    QVERIFY(ctx->font().bold());
}

void TestClusterBrowser::kindsFromDiscoveryAndNamespaces()
{
    m_browser->expandContext(Context);
    QStandardItem *ctx = m_browser->contextItem(Context);
    QVERIFY(ctx);
    QTRY_VERIFY_WITH_TIMEOUT(childNamed(ctx, QStringLiteral("shop")) != nullptr, 10'000);
    QStringList top = childTexts(ctx);
    QCOMPARE(top.mid(0, 2), (QStringList{"All namespaces", "Cluster"}));
    QVERIFY(top.contains(QStringLiteral("default")));
    QVERIFY(top.indexOf(QStringLiteral("default")) < top.indexOf(QStringLiteral("shop")));

    const QStringList kinds = childTexts(ctx->child(0));
    // Common kinds first, in their order; the rest grouped by API group (the custom resource too).
    QStringList common; // the common kinds this cluster serves, in the browser's order
    for (const QString &name : ClusterBrowser::commonKinds()) {
        const QString plural = name.section(u'.', 0, 0);
        if (kinds.contains(plural) && plural != u"namespaces" && plural != u"nodes")
            common << plural;
    }
    QVERIFY(common.size() >= 5);
    QCOMPARE(common.mid(0, 3), (QStringList{"pods", "deployments", "statefulsets"}));
    QCOMPARE(kinds.mid(0, common.size()), common);
    QStandardItem *demoGroup = childNamed(ctx->child(0), QStringLiteral("demo.livedash.io"));
    QVERIFY2(demoGroup, qPrintable(kinds.join(u',')));
    QVERIFY(childTexts(demoGroup).contains(QStringLiteral("widgets")));
    const QStringList cluster = childTexts(ctx->child(1));
    QVERIFY(cluster.contains(QStringLiteral("nodes")));
    QVERIFY(cluster.contains(QStringLiteral("namespaces")));
    QVERIFY(!cluster.contains(QStringLiteral("pods")));

    // A namespace's kinds appear when it is expanded.
    QStandardItem *shop = childNamed(ctx, QStringLiteral("shop"));
    m_browser->tree()->expand(shop->index());
    QTRY_VERIFY(childTexts(shop).contains(QStringLiteral("pods")));

    m_browser->resize(320, 520);
    m_browser->show();
    m_browser->tree()->expand(ctx->child(0)->index());
    screenshot(m_browser.get(), QStringLiteral("cluster-browser"));
}

void TestClusterBrowser::podsTableWithServerColumns()
{
    ResourceTableView *view = openTable(QStringLiteral("default"), QStringLiteral("pods"));
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() > 0, 10'000);
    QCOMPARE(headerTitles(view->proxy()), (QStringList{"NAME", "READY", "STATUS", "RESTARTS", "AGE"}));
    const QStringList pods = m_server->cluster()->podNames(QStringLiteral("default"));
    QCOMPARE(view->model()->rowCount(), pods.size());
    const QString first = view->model()->index(view->model()->rowOf("default/" + pods.first().toUtf8()), 0).data().toString();
    QCOMPARE(first, pods.first());
    QTRY_COMPARE(view->countText(), QStringLiteral("%1 pods").arg(pods.size()));
    QTRY_COMPARE(view->statusText(), QStringLiteral("watching"));

    // Filter over every cell; the count says how many of how many.
    view->filterEdit()->setText(QStringLiteral("db-"));
    QCOMPARE(view->proxy()->rowCount(), 1);
    QCOMPARE(view->countText(), QStringLiteral("1 of %1 pods").arg(pods.size()));
    view->filterEdit()->clear();
    screenshot(view, QStringLiteral("resource-table"));
}

void TestClusterBrowser::watchEventsUpdateRows()
{
    ResourceTableView *view = openTable(QStringLiteral("default"), QStringLiteral("pods"));
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(view->statusText(), QStringLiteral("watching"), 10'000);
    ResourceTableModel *model = view->model();
    FakeCluster *cluster = m_server->cluster();
    QVERIFY(cluster->addPod(QStringLiteral("extra"), {QStringLiteral("main"), QStringLiteral("sidecar")}));
    QTRY_VERIFY(model->rowOf("default/extra") >= 0);
    const int restarts = model->columnOf(QStringLiteral("RESTARTS"));
    const int status = model->columnOf(QStringLiteral("STATUS"));
    QCOMPARE(model->index(model->rowOf("default/extra"), status).data().toString(), QStringLiteral("Running"));
    QVERIFY(model->index(model->rowOf("default/extra"), restarts).data().toString().startsWith(u'0'));
    QVERIFY(cluster->restartContainer(QStringLiteral("extra"), QStringLiteral("main")));
    QTRY_VERIFY(model->index(model->rowOf("default/extra"), restarts).data().toString().startsWith(u'1'));
    QVERIFY(cluster->deletePod(QStringLiteral("extra")));
    QTRY_COMPARE(model->rowOf("default/extra"), -1);
}

void TestClusterBrowser::followLogsActions()
{
    ResourceTableView *view = openTable(QStringLiteral("default"), QStringLiteral("pods"));
    QVERIFY(view);
    QVERIFY(m_server->cluster()->addPod(QStringLiteral("extra"), {QStringLiteral("main"), QStringLiteral("sidecar")}));
    QTRY_VERIFY_WITH_TIMEOUT(view->selectKey(QStringLiteral("default/extra")), 10'000);
    QSignalSpy follow(view, &ResourceTableView::followLogsRequested);
    const QList<QAction *> actions = view->actionsForRow(view->table()->currentIndex().row(), view);
    QStringList texts;
    for (QAction *a : actions)
        texts << a->text();
    QCOMPARE(texts, (QStringList{"Follow logs", "Follow logs of main", "Follow logs of sidecar", "Shell", "Shell in main",
                                 "Shell in sidecar", "Attach to main", "Attach to sidecar", "Port forward…", "Show details"}));
    actionNamed(actions, QStringLiteral("Follow logs of sidecar"))->trigger();
    actionNamed(actions, QStringLiteral("Follow logs"))->trigger();
    QCOMPARE(follow.size(), 2);
    QCOMPARE(follow.at(0).at(0).toString(), QStringLiteral("k8s:logs/extra/sidecar?namespace=default&context=livedash-demo"));
    QCOMPARE(follow.at(1).at(0).toString(), QStringLiteral("k8s:logs/extra?namespace=default&context=livedash-demo"));
    // Shell / Attach hand a k8s:exec / k8s:attach URL to a terminal; Port forward… the pod itself.
    QSignalSpy terminal(view, &ResourceTableView::terminalRequested);
    QSignalSpy forward(view, &ResourceTableView::portForwardRequested);
    actionNamed(actions, QStringLiteral("Shell"))->trigger();
    actionNamed(actions, QStringLiteral("Attach to sidecar"))->trigger();
    actionNamed(actions, QStringLiteral("Port forward…"))->trigger();
    QCOMPARE(terminal.size(), 2);
    QCOMPARE(terminal.at(0).at(0).toString(), QStringLiteral("k8s:exec/extra/main?namespace=default&context=livedash-demo"));
    QCOMPARE(terminal.at(1).at(0).toString(), QStringLiteral("k8s:attach/extra/sidecar?namespace=default&context=livedash-demo"));
    QCOMPARE(forward.size(), 1);
    QCOMPARE(forward.at(0).at(2).toString(), QStringLiteral("pods"));
    QCOMPARE(forward.at(0).at(3).toString(), QStringLiteral("extra"));
    QVERIFY(forward.at(0).at(4).toByteArray().contains("containerPort"));
    qDeleteAll(actions);
}

void TestClusterBrowser::workloadFollowsItsPods()
{
    ResourceTableView *view = openTable(QStringLiteral("default"), QStringLiteral("deployments.apps"));
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->selectKey(QStringLiteral("default/web")), 10'000);
    QCOMPARE(headerTitles(view->proxy()).mid(0, 2), (QStringList{"NAME", "READY"}));
    QSignalSpy follow(view, &ResourceTableView::followLogsRequested);
    const QList<QAction *> actions = view->actionsForRow(view->table()->currentIndex().row(), view);
    QAction *its = actionNamed(actions, QStringLiteral("Follow logs of its pods"));
    QVERIFY(its);
    its->trigger();
    QCOMPARE(follow.size(), 1);
    QCOMPARE(follow.at(0).at(0).toString(), QStringLiteral("k8s:logs/deployment/web?namespace=default&context=livedash-demo"));
    qDeleteAll(actions);

    ResourceTableView *services = openTable(QStringLiteral("default"), QStringLiteral("services"));
    QVERIFY(services);
    QTRY_VERIFY_WITH_TIMEOUT(services->selectKey(QStringLiteral("default/web")), 10'000);
    QSignalSpy followService(services, &ResourceTableView::followLogsRequested);
    const QList<QAction *> serviceActions = services->actionsForRow(services->table()->currentIndex().row(), services);
    QAction *bySelector = actionNamed(serviceActions, QStringLiteral("Follow logs of its pods"));
    QVERIFY(bySelector);
    bySelector->trigger();
    QCOMPARE(followService.at(0).at(0).toString(), QStringLiteral("k8s:logs?selector=app=web&namespace=default&context=livedash-demo"));
    qDeleteAll(serviceActions);
}

void TestClusterBrowser::relistAfter410()
{
    ResourceTableView *view = openTable(QString(), QStringLiteral("pods"));
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(view->statusText(), QStringLiteral("watching"), 10'000);
    QCOMPARE(headerTitles(view->proxy()).first(), QStringLiteral("NAMESPACE"));
    FakeCluster *cluster = m_server->cluster();
    QVERIFY(cluster->addPod(QStringLiteral("before"), {QStringLiteral("main")}, {}, QStringLiteral("shop")));
    QTRY_VERIFY(view->model()->rowOf("shop/before") >= 0);
    // History gone and the stream cut: the re-watch gets 410 and the view relists.
    cluster->compactHistory();
    cluster->cutStreams();
    QVERIFY(cluster->deletePod(QStringLiteral("before")));
    QVERIFY(cluster->addPod(QStringLiteral("after"), {QStringLiteral("main")}, {}, QStringLiteral("shop")));
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowOf("shop/after") >= 0, 10'000);
    QTRY_COMPARE(view->model()->rowOf("shop/before"), -1);
    QCOMPARE(view->model()->rowCount(), cluster->podNames().size());
}

void TestClusterBrowser::detailsFollowTheObject()
{
    ResourceTableView *view = openTable(QStringLiteral("default"), QStringLiteral("pods"));
    QVERIFY(view);
    FakeCluster *cluster = m_server->cluster();
    QVERIFY(cluster->addPod(QStringLiteral("extra"), {QStringLiteral("main")}));
    QTRY_VERIFY_WITH_TIMEOUT(view->selectKey(QStringLiteral("default/extra")), 10'000);
    const qsizetype before = m_opened.size();
    const QList<QAction *> actions = view->actionsForRow(view->table()->currentIndex().row(), view);
    actionNamed(actions, QStringLiteral("Show details"))->trigger();
    qDeleteAll(actions);
    QCOMPARE(m_opened.size(), before + 1);
    auto *details = qobject_cast<ObjectDetailsView *>(m_opened.last().data());
    QVERIFY(details);
    details->resize(700, 600);
    details->show();
    QCOMPARE(details->title(), QStringLiteral("pod default/extra"));
    QTRY_VERIFY_WITH_TIMEOUT(details->jsonText().contains(QStringLiteral("\"name\": \"extra\"")), 10'000);
    QVERIFY(!details->isDeleted());
    QVERIFY(cluster->restartContainer(QStringLiteral("extra"), QStringLiteral("main")));
    QTRY_VERIFY(details->jsonText().contains(QStringLiteral("\"restartCount\": 1")));
    QTRY_VERIFY(details->eventCount() > 0); // BackOff and Started of the restart
    bool backOff = false;
    for (int i = 0; i < details->eventCount(); ++i)
        backOff = backOff || details->eventsTable()->topLevelItem(i)->text(1) == u"BackOff";
    QVERIFY(backOff);
    screenshot(details, QStringLiteral("object-details"));
    QVERIFY(cluster->deletePod(QStringLiteral("extra")));
    QTRY_VERIFY(details->isDeleted());
    QVERIFY(details->jsonText().contains(QStringLiteral("\"name\": \"extra\"")));
}

void TestClusterBrowser::openTwiceFocuses()
{
    ResourceTableView *view = openTable(QStringLiteral("default"), QStringLiteral("pods"));
    QVERIFY(view);
    QSignalSpy focus(m_browser.get(), &ClusterBrowser::resourceTableFocusRequested);
    const qsizetype before = m_opened.size();
    QVERIFY(m_browser->openTable(Context, QStringLiteral("default"), QStringLiteral("pods")));
    QCOMPARE(m_opened.size(), before);
    QCOMPARE(focus.size(), 1);
    QCOMPARE(focus.at(0).at(0).value<ResourceTableView *>(), view);
}

QTEST_MAIN(TestClusterBrowser)
#include "tst_cluster_browser.moc"
