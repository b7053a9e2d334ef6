// ResourceTableModel + ResourceFilterProxy under informer load: a 10,000-row pod table taking
// 1,000-event batches (what 1,000 events/s delivers in one second, or in one read), with and
// without a sort or a filter active. Prints the time per batch (median and worst of the runs).
#include "resource_filter_proxy.h"
#include "resource_table_model.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

namespace {

constexpr int Rows = 10'000;
constexpr int BatchEvents = 1'000;
constexpr int Runs = 15;
constexpr qint64 Now = 1'700'000'000'000;

std::vector<TableColumn> podColumns()
{
    auto col = [](const char *name, const char *type, int priority, const char *format = "") {
        TableColumn c;
        c.name = QString::fromLatin1(name);
        c.type = QString::fromLatin1(type);
        c.format = QString::fromLatin1(format);
        c.priority = priority;
        return c;
    };
    return {col("Name", "string", 0, "name"), col("Ready", "string", 0), col("Status", "string", 0),
            col("Restarts", "integer", 0), col("Age", "string", 0), col("IP", "string", 1), col("Node", "string", 1)};
}

const QStringList Statuses = {QStringLiteral("Running"), QStringLiteral("Pending"), QStringLiteral("CrashLoopBackOff"),
                              QStringLiteral("ContainerCreating"), QStringLiteral("Terminating")};

ResourceChange pod(int id, int generation, QRandomGenerator &random)
{
    ResourceChange c;
    const QByteArray name = (id % 3 == 0 ? "web-" : id % 3 == 1 ? "api-" : "db-") + QByteArray::number(id);
    c.object.name = name;
    c.object.namespaceName = "bench";
    // A pod keeps its creation time across modifications (spread over 30 days by its id).
    const qint64 created = Now - (qint64(id) * 7919 % (30 * 86400)) * 1000;
    c.object.creationTimestamp = QDateTime::fromMSecsSinceEpoch(created, Qt::UTC).toString(Qt::ISODate).toLatin1();
    c.object.resourceVersion = QByteArray::number(generation);
    c.object.object = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"bench\"}}";
    c.cells = {QString::fromLatin1(name), QStringLiteral("1/1"), Statuses[random.bounded(int(Statuses.size()))],
               QString::number(random.bounded(50)), QStringLiteral("5d"), QStringLiteral("10.0.%1.%2").arg(id / 250).arg(id % 250),
               QStringLiteral("node-%1").arg(id % 12)};
    return c;
}

struct Figures
{
    double medianMs = 0;
    double worstMs = 0;
};

} // namespace

class BenchResourceTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batches_data();
    void batches();
};

void BenchResourceTable::batches_data()
{
    QTest::addColumn<bool>("proxy");
    QTest::addColumn<int>("sortColumn"); // -1: none
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("churn"); // 5 % deletions + 5 % additions per batch (one layoutChanged)
    QTest::newRow("model only, modifications") << false << -1 << QString() << false;
    QTest::newRow("proxy, no sort/filter") << true << -1 << QString() << false;
    QTest::newRow("proxy, sort by AGE") << true << 4 << QString() << false;
    QTest::newRow("proxy, sort by RESTARTS") << true << 3 << QString() << false;
    QTest::newRow("proxy, sort by STATUS + filter") << true << 2 << QStringLiteral("web") << false;
    QTest::newRow("model only, churn") << false << -1 << QString() << true;
    QTest::newRow("proxy, sort by AGE, churn") << true << 4 << QString() << true;
    QTest::newRow("proxy, sort by NAME + filter, churn") << true << 0 << QStringLiteral("crash") << true;
}

void BenchResourceTable::batches()
{
    QFETCH(bool, proxy);
    QFETCH(int, sortColumn);
    QFETCH(QString, filter);
    QFETCH(bool, churn);

    QRandomGenerator random(42);
    ResourceTableModel model;
    model.setClock([] { return Now; });
    ResourceBatch initial;
    initial.columns = podColumns();
    initial.replace = true;
    for (int i = 0; i < Rows; ++i)
        initial.changes.push_back(pod(i, 1, random));
    model.applyChanges(initial);
    QCOMPARE(model.rowCount(), Rows);

    ResourceFilterProxy filterProxy;
    if (proxy) {
        filterProxy.setSourceModel(&model);
        if (sortColumn >= 0)
            filterProxy.sort(sortColumn, Qt::AscendingOrder);
        filterProxy.setFilterText(filter);
    }

    std::vector<double> times;
    int nextId = Rows;
    std::vector<int> live(Rows);
    for (int i = 0; i < Rows; ++i)
        live[size_t(i)] = i;
    for (int run = 0; run < Runs; ++run) {
        ResourceBatch batch;
        int modifications = BatchEvents;
        if (churn) {
            const int churned = BatchEvents / 20;
            modifications -= 2 * churned;
            for (int k = 0; k < churned; ++k) {
                const size_t at = size_t(random.bounded(int(live.size())));
                ResourceChange del = pod(live[at], run + 2, random);
                del.type = ResourceChange::Type::Delete;
                batch.changes.push_back(del);
                live[at] = live.back();
                live.pop_back();
                live.push_back(nextId);
                batch.changes.push_back(pod(nextId++, run + 2, random));
            }
        }
        for (int k = 0; k < modifications; ++k)
            batch.changes.push_back(pod(live[size_t(random.bounded(int(live.size())))], run + 2, random));
        QElapsedTimer timer;
        timer.start();
        model.applyChanges(batch);
        if (proxy)
            QVERIFY(filterProxy.rowCount() >= 0);
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    QCOMPARE(model.rowCount(), Rows);
    if (proxy && filter.isEmpty())
        QCOMPARE(filterProxy.rowCount(), Rows);
    if (proxy && sortColumn == 4) { // still sorted by age after the updates
        for (int r = 1; r < filterProxy.rowCount(); r += 97) {
            QVERIFY(filterProxy.index(r - 1, 0).data(ResourceTableModel::CreationMsRole).toLongLong()
                    >= filterProxy.index(r, 0).data(ResourceTableModel::CreationMsRole).toLongLong());
        }
    }
    std::sort(times.begin(), times.end());
    Figures f{times[times.size() / 2], times.back()};
    qInfo("%s: %.2f ms median, %.2f ms worst per %d-event batch on %d rows", QTest::currentDataTag(), f.medianMs,
          f.worstMs, BatchEvents, Rows);
}

QTEST_GUILESS_MAIN(BenchResourceTable)
#include "bench_resource_table.moc"
