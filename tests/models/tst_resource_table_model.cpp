#include "resource_filter_proxy.h"
#include "resource_table_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {

constexpr qint64 Now = 1'700'000'000'000; // 2023-11-14T22:13:20Z

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
            col("Restarts", "integer", 0), col("Age", "string", 0), col("IP", "string", 1),
            col("Node", "string", 1)};
}

/// An RFC 3339 timestamp `agoSeconds` before Now.
QByteArray createdAgo(qint64 agoSeconds)
{
    return QDateTime::fromMSecsSinceEpoch(Now - agoSeconds * 1000, Qt::UTC).toString(Qt::ISODate).toLatin1();
}

ResourceChange pod(const QByteArray &name, const QString &status = QStringLiteral("Running"), int restarts = 0,
                   qint64 agoSeconds = 60, const QByteArray &ns = "default")
{
    ResourceChange c;
    c.object.name = name;
    c.object.namespaceName = ns;
    c.object.creationTimestamp = createdAgo(agoSeconds);
    c.object.object = "{\"metadata\":{\"name\":\"" + name + "\"}}";
    c.cells = {QString::fromLatin1(name), QStringLiteral("1/1"), status, QString::number(restarts),
               QStringLiteral("1m"), QStringLiteral("10.0.0.1"), QStringLiteral("node-1")};
    return c;
}

ResourceChange deletion(const QByteArray &name, const QByteArray &ns = "default")
{
    ResourceChange c;
    c.type = ResourceChange::Type::Delete;
    c.object.name = name;
    c.object.namespaceName = ns;
    return c;
}

/// Counts every structural signal of a model.
struct StructureSpy
{
    explicit StructureSpy(QAbstractItemModel *m)
        : inserted(m, &QAbstractItemModel::rowsInserted), removed(m, &QAbstractItemModel::rowsRemoved),
          layout(m, &QAbstractItemModel::layoutChanged), reset(m, &QAbstractItemModel::modelReset),
          changed(m, &QAbstractItemModel::dataChanged)
    {
    }
    int structural() const { return int(inserted.size() + removed.size() + layout.size() + reset.size()); }
    void clear()
    {
        inserted.clear();
        removed.clear();
        layout.clear();
        reset.clear();
        changed.clear();
    }
    QSignalSpy inserted, removed, layout, reset, changed;
};

QStringList columnTexts(const QAbstractItemModel &m, int column)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, column).data().toString();
    return out;
}

} // namespace

class TestResourceTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fallbackColumns();
    void tableColumns();
    void wideAndNamespaceColumns();
    void appendBatchIsOneInsert();
    void modifyBatchIsOnlyDataChanged();
    void contiguousDeleteIsOneRemove();
    void mixedBatchIsOneLayoutChange();
    void lastChangeOfAKeyWins();
    void replaceRemovesMissing();
    void ageText_data();
    void ageText();
    void liveAge();
    void statusTone();
    void roles();
    void sortByAgeAndRestarts();
    void filterAndSortFollowUpdates();
    void informerBatch();
};

void TestResourceTableModel::fallbackColumns()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    model.setClock([] { return Now; });
    ResourceBatch batch;
    ResourceChange c;
    c.object.name = "kube-system";
    c.object.creationTimestamp = createdAgo(90);
    batch.changes.push_back(c);
    model.applyChanges(batch);
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("NAME"));
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("AGE"));
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("kube-system"));
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("90s"));
    QCOMPARE(model.keyAt(0), QByteArray("kube-system"));
}

void TestResourceTableModel::tableColumns()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    model.setClock([] { return Now; });
    ResourceBatch batch;
    batch.columns = podColumns();
    batch.changes.push_back(pod("web-1", QStringLiteral("Running"), 2, 3 * 3600));
    model.applyChanges(batch);
    // Priority 0 only, kubectl's upper-case titles.
    QCOMPARE(model.columnCount(), 5);
    QStringList titles;
    for (int c = 0; c < model.columnCount(); ++c)
        titles << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(titles, (QStringList{"NAME", "READY", "STATUS", "RESTARTS", "AGE"}));
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("web-1"));
    QCOMPARE(model.index(0, 2).data().toString(), QStringLiteral("Running"));
    QCOMPARE(model.index(0, 3).data().toString(), QStringLiteral("2"));
    // The server's "1m" is replaced by the live age.
    QCOMPARE(model.ageColumn(), 4);
    QCOMPARE(model.index(0, 4).data().toString(), QStringLiteral("3h"));
}

void TestResourceTableModel::wideAndNamespaceColumns()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    ResourceBatch batch;
    batch.columns = podColumns();
    batch.changes.push_back(pod("web-1"));
    model.applyChanges(batch);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setWide(true);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.columnCount(), 7);
    QCOMPARE(model.headerData(6, Qt::Horizontal).toString(), QStringLiteral("NODE"));
    QCOMPARE(model.index(0, 6).data().toString(), QStringLiteral("node-1"));
    model.setShowNamespace(true);
    QCOMPARE(model.columnCount(), 8);
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("NAMESPACE"));
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("default"));
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("web-1"));
}

void TestResourceTableModel::appendBatchIsOneInsert()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    ResourceBatch first;
    first.columns = podColumns();
    model.applyChanges(first); // columns only
    StructureSpy spy(&model);
    ResourceBatch batch;
    for (int i = 0; i < 1000; ++i)
        batch.changes.push_back(pod("p-" + QByteArray::number(i)));
    model.applyChanges(batch);
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(spy.structural(), 1);
    QCOMPARE(spy.inserted.size(), 1);
    QCOMPARE(spy.inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(spy.inserted.at(0).at(2).toInt(), 999);
    QCOMPARE(model.rowOf("default/p-500"), 500);
}

void TestResourceTableModel::modifyBatchIsOnlyDataChanged()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    ResourceBatch batch;
    batch.columns = podColumns();
    for (int i = 0; i < 100; ++i)
        batch.changes.push_back(pod("p-" + QByteArray::number(i)));
    model.applyChanges(batch);
    StructureSpy spy(&model);
    ResourceBatch mods;
    for (int i : {3, 4, 5, 50, 99})
        mods.changes.push_back(pod("p-" + QByteArray::number(i), QStringLiteral("Failed"), 7));
    model.applyChanges(mods);
    QCOMPARE(spy.structural(), 0);
    QCOMPARE(spy.changed.size(), 3); // runs 3..5, 50, 99
    QCOMPARE(spy.changed.at(0).at(0).toModelIndex().row(), 3);
    QCOMPARE(spy.changed.at(0).at(1).toModelIndex().row(), 5);
    QCOMPARE(model.index(4, 2).data().toString(), QStringLiteral("Failed"));
    QCOMPARE(model.index(99, 3).data().toString(), QStringLiteral("7"));
    QCOMPARE(model.index(2, 2).data().toString(), QStringLiteral("Running"));
}

void TestResourceTableModel::contiguousDeleteIsOneRemove()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    ResourceBatch batch;
    for (int i = 0; i < 10; ++i)
        batch.changes.push_back(pod("p-" + QByteArray::number(i)));
    model.applyChanges(batch);
    StructureSpy spy(&model);
    ResourceBatch dels;
    for (int i : {5, 3, 4})
        dels.changes.push_back(deletion("p-" + QByteArray::number(i)));
    dels.changes.push_back(deletion("never-existed"));
    model.applyChanges(dels);
    QCOMPARE(spy.structural(), 1);
    QCOMPARE(spy.removed.size(), 1);
    QCOMPARE(spy.removed.at(0).at(1).toInt(), 3);
    QCOMPARE(spy.removed.at(0).at(2).toInt(), 5);
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(model.rowOf("default/p-6"), 3);
    QCOMPARE(model.rowOf("default/p-4"), -1);
}

void TestResourceTableModel::mixedBatchIsOneLayoutChange()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    ResourceBatch batch;
    for (int i = 0; i < 10; ++i)
        batch.changes.push_back(pod("p-" + QByteArray::number(i)));
    model.applyChanges(batch);
    const QPersistentModelIndex kept = model.index(8, 0);
    const QPersistentModelIndex gone = model.index(2, 0);
    StructureSpy spy(&model);
    QSignalSpy applied(&model, &ResourceTableModel::changesApplied);
    ResourceBatch mixed;
    mixed.changes.push_back(deletion("p-2"));
    mixed.changes.push_back(pod("new-1"));
    mixed.changes.push_back(pod("p-7", QStringLiteral("Pending")));
    mixed.changes.push_back(deletion("p-6"));
    mixed.changes.push_back(pod("new-2"));
    model.applyChanges(mixed);
    QCOMPARE(spy.structural(), 1);
    QCOMPARE(spy.layout.size(), 1);
    QCOMPARE(model.rowCount(), 10);
    QVERIFY(!gone.isValid());
    QCOMPARE(kept.row(), 6);
    QCOMPARE(kept.data().toString(), QStringLiteral("p-8"));
    QCOMPARE(columnTexts(model, 0),
             (QStringList{"p-0", "p-1", "p-3", "p-4", "p-5", "p-7", "p-8", "p-9", "new-1", "new-2"}));
    QCOMPARE(applied.size(), 1);
    QCOMPARE(applied.at(0), (QVariantList{2, 1, 2}));
}

void TestResourceTableModel::lastChangeOfAKeyWins()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    ResourceBatch batch;
    batch.columns = podColumns();
    batch.changes.push_back(pod("a", QStringLiteral("Pending")));
    batch.changes.push_back(pod("a", QStringLiteral("Running")));
    batch.changes.push_back(pod("b"));
    batch.changes.push_back(deletion("b"));
    model.applyChanges(batch);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 2).data().toString(), QStringLiteral("Running"));
}

void TestResourceTableModel::replaceRemovesMissing()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    ResourceBatch batch;
    for (const char *n : {"a", "b", "c", "d"})
        batch.changes.push_back(pod(n));
    model.applyChanges(batch);
    StructureSpy spy(&model);
    ResourceBatch relist;
    relist.replace = true;
    relist.changes.push_back(pod("a"));
    relist.changes.push_back(pod("c"));
    model.applyChanges(relist);
    QCOMPARE(spy.structural(), 1);
    QCOMPARE(columnTexts(model, 0), (QStringList{"a", "c"}));
}

void TestResourceTableModel::ageText_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("0") << qint64(0) << "0s";
    QTest::newRow("119s") << qint64(119) << "119s";
    QTest::newRow("2m") << qint64(120) << "2m";
    QTest::newRow("3m12s") << qint64(192) << "3m12s";
    QTest::newRow("10m") << qint64(600 + 59) << "10m";
    QTest::newRow("179m") << qint64(179 * 60) << "179m";
    QTest::newRow("3h") << qint64(3 * 3600) << "3h";
    QTest::newRow("7h59m") << qint64(7 * 3600 + 59 * 60) << "7h59m";
    QTest::newRow("47h") << qint64(47 * 3600 + 100) << "47h";
    QTest::newRow("2d4h") << qint64(52 * 3600) << "2d4h";
    QTest::newRow("30d") << qint64(30 * 86400) << "30d";
    QTest::newRow("2y3d") << qint64((2 * 365 + 3) * 86400LL) << "2y3d";
    QTest::newRow("9y") << qint64(9 * 365 * 86400LL) << "9y";
}

void TestResourceTableModel::ageText()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(ResourceTableModel::humanDuration(seconds * 1000), text);
}

void TestResourceTableModel::liveAge()
{
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    qint64 now = Now;
    model.setClock([&now] { return now; });
    ResourceBatch batch;
    batch.columns = podColumns();
    batch.changes.push_back(pod("a", QStringLiteral("Running"), 0, 5));
    model.applyChanges(batch);
    QCOMPARE(model.index(0, 4).data().toString(), QStringLiteral("5s"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    now += 1000;
    model.refreshAges();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().column(), 4);
    QCOMPARE(changed.at(0).at(1).toModelIndex().column(), 4);
    QCOMPARE(model.index(0, 4).data().toString(), QStringLiteral("6s"));
    QCOMPARE(model.index(0, 4).data(Qt::ToolTipRole).toString(), QString::fromLatin1(createdAgo(5)));
}

void TestResourceTableModel::statusTone()
{
    using Tone = ResourceTableModel::Tone;
    QCOMPARE(ResourceTableModel::toneOf(QStringLiteral("Running"), {}), Tone::Good);
    QCOMPARE(ResourceTableModel::toneOf(QStringLiteral("Pending"), {}), Tone::Progress);
    QCOMPARE(ResourceTableModel::toneOf(QStringLiteral("Init:0/1"), {}), Tone::Progress);
    QCOMPARE(ResourceTableModel::toneOf(QStringLiteral("CrashLoopBackOff"), {}), Tone::Bad);
    QCOMPARE(ResourceTableModel::toneOf(QStringLiteral("Failed"), {}), Tone::Bad);
    QCOMPARE(ResourceTableModel::toneOf(QStringLiteral("Terminating"), {}), Tone::Terminating);
    QCOMPARE(ResourceTableModel::toneOf({}, QStringLiteral("1/3")), Tone::Progress);
    QCOMPARE(ResourceTableModel::toneOf({}, QStringLiteral("3/3")), Tone::Good);
    QCOMPARE(ResourceTableModel::toneOf({}, {}), Tone::Normal);

    ResourceTableModel model;
    ResourceBatch batch;
    batch.columns = podColumns();
    batch.changes.push_back(pod("a", QStringLiteral("CrashLoopBackOff")));
    batch.changes.push_back(pod("b", QStringLiteral("Running")));
    model.applyChanges(batch);
    QCOMPARE(model.index(0, 0).data(ResourceTableModel::ToneRole).toInt(), int(Tone::Bad));
    const QColor bad = model.index(0, 2).data(Qt::ForegroundRole).value<QBrush>().color();
    const QColor good = model.index(1, 2).data(Qt::ForegroundRole).value<QBrush>().color();
    QVERIFY(bad.red() > bad.green());
    QVERIFY(good.green() > good.red());
}

void TestResourceTableModel::roles()
{
    ResourceTableModel model;
    ResourceBatch batch;
    batch.changes.push_back(pod("a", QStringLiteral("Running"), 0, 60, "shop"));
    model.applyChanges(batch);
    const QModelIndex i = model.index(0, 0);
    QCOMPARE(i.data(ResourceTableModel::KeyRole).toString(), QStringLiteral("shop/a"));
    QCOMPARE(i.data(ResourceTableModel::NamespaceRole).toString(), QStringLiteral("shop"));
    QCOMPARE(i.data(ResourceTableModel::NameRole).toString(), QStringLiteral("a"));
    QCOMPARE(i.data(ResourceTableModel::ObjectJsonRole).toByteArray(), QByteArray("{\"metadata\":{\"name\":\"a\"}}"));
    QCOMPARE(i.data(ResourceTableModel::CreationMsRole).toLongLong(), Now - 60'000);
}

void TestResourceTableModel::sortByAgeAndRestarts()
{
    ResourceTableModel model;
    model.setClock([] { return Now; });
    ResourceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy);
    ResourceBatch batch;
    batch.columns = podColumns();
    batch.changes.push_back(pod("young", QStringLiteral("Running"), 10, 30));
    batch.changes.push_back(pod("old", QStringLiteral("Running"), 9, 90'000));
    batch.changes.push_back(pod("mid", QStringLiteral("Running"), 100, 700));
    model.applyChanges(batch);
    proxy.sort(4, Qt::AscendingOrder); // AGE: youngest first, by time ("30s" < "11m" < "25h" as text would not be)
    QCOMPARE(columnTexts(proxy, 0), (QStringList{"young", "mid", "old"}));
    proxy.sort(4, Qt::DescendingOrder);
    QCOMPARE(columnTexts(proxy, 0), (QStringList{"old", "mid", "young"}));
    proxy.sort(3, Qt::AscendingOrder); // RESTARTS numerically: 9 < 10 < 100
    QCOMPARE(columnTexts(proxy, 0), (QStringList{"old", "young", "mid"}));
}

void TestResourceTableModel::filterAndSortFollowUpdates()
{
    ResourceTableModel model;
    ResourceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy);
    ResourceBatch batch;
    batch.columns = podColumns();
    batch.changes.push_back(pod("web-1"));
    batch.changes.push_back(pod("web-2", QStringLiteral("CrashLoopBackOff")));
    batch.changes.push_back(pod("db-0"));
    model.applyChanges(batch);
    proxy.setFilterText(QStringLiteral("WEB"));
    QCOMPARE(columnTexts(proxy, 0), (QStringList{"web-1", "web-2"}));
    proxy.setFilterText(QStringLiteral("crashloop")); // any cell, case-insensitive
    QCOMPARE(columnTexts(proxy, 0), (QStringList{"web-2"}));
    // A modification that makes a row match shows it; one that stops matching hides it.
    ResourceBatch mods;
    mods.changes.push_back(pod("db-0", QStringLiteral("CrashLoopBackOff")));
    mods.changes.push_back(pod("web-2", QStringLiteral("Running")));
    model.applyChanges(mods);
    QCOMPARE(columnTexts(proxy, 0), (QStringList{"db-0"}));
    proxy.setFilterText(QString());
    proxy.sort(3, Qt::DescendingOrder);
    ResourceBatch restart;
    restart.changes.push_back(pod("web-1", QStringLiteral("Running"), 4));
    model.applyChanges(restart);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("web-1"));
}

void TestResourceTableModel::informerBatch()
{
    QList<WatchChange> changes;
    for (const char *name : {"a", "b"}) {
        WatchChange c;
        c.object = pod(name).object;
        c.object.cells = pod(name, QStringLiteral("Pending")).cells;
        changes << c;
    }
    const auto columns = podColumns();
    ResourceTableModel model;
    QAbstractItemModelTester tester(&model);
    model.applyChanges(resourceBatchFrom(changes, QList<TableColumn>(columns.begin(), columns.end())));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, 2).data().toString(), QStringLiteral("Pending"));
    QList<WatchChange> deletion(1);
    deletion[0].kind = WatchChange::Kind::Deleted;
    deletion[0].object = pod("a").object;
    model.applyChanges(resourceBatchFrom(deletion));
    QCOMPARE(columnTexts(model, 0), QStringList{"b"});
}

QTEST_GUILESS_MAIN(TestResourceTableModel)
#include "tst_resource_table_model.moc"
