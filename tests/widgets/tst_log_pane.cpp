#include "event_log_model.h"
#include "log_filter_proxy.h"
#include "log_detail_view.h"
#include "log_pane.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QTemporaryDir>
#include <QDateTime>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

namespace {

StreamEvent makeEvent(const QString &source, quint64 seq, const QByteArray &payload,
                  const QByteArray &type = "message", StreamEvent::Kind kind = StreamEvent::Kind::Data)
{
    StreamEvent e;
    e.kind = kind;
    e.source = source;
    e.seq = seq;
    e.receivedMs = QDateTime::currentMSecsSinceEpoch();
    e.type = type;
    e.payload = payload;
    return e;
}

QList<StreamEvent> numbered(quint64 first, int count)
{
    QList<StreamEvent> out;
    for (int i = 0; i < count; ++i)
        out.append(makeEvent(QStringLiteral("http://127.0.0.1/tail"), first + quint64(i),
                         "line " + QByteArray::number(first + quint64(i))));
    return out;
}

quint64 topSeq(const LogPane &pane)
{
    QTableView *view = pane.view();
    const int row = view->rowAt(0);
    return view->model()->index(row, 0).data(EventLogModel::SeqRole).toULongLong();
}

bool isRowVisible(const LogPane &pane, int row)
{
    QTableView *view = pane.view();
    const QRect rect = view->visualRect(view->model()->index(row, 0));
    return rect.isValid() && view->viewport()->rect().contains(rect.center());
}

} // namespace

class TestLogPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filters_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<int>("shown"); // reconnect markers obey the filter like every row
        QTest::newRow("no filter") << QString() << false << 5;
        QTest::newRow("substring, case-insensitive") << QStringLiteral("ALPHA") << false << 1;
        QTest::newRow("matches type") << QStringLiteral("update") << false << 1;
        QTest::newRow("matches full source id") << QStringLiteral("host-b.example") << false << 1;
        QTest::newRow("source id keeps its markers") << QStringLiteral("host-a.example") << false << 4;
        QTest::newRow("matches error detail") << QStringLiteral("unterminated") << false << 1;
        QTest::newRow("matches a marker's reason") << QStringLiteral("connection reset") << false << 1;
        QTest::newRow("regex") << QStringLiteral("^(alpha|beta) ") << true << 2;
        QTest::newRow("regex is case-insensitive") << QStringLiteral("GAMMA\\d") << true << 1;
        QTest::newRow("nothing matches") << QStringLiteral("zzz") << false << 0;
        QTest::newRow("regex text as substring") << QStringLiteral("^alpha") << false << 0;
    }
    void filters()
    {
        QFETCH(QString, pattern);
        QFETCH(bool, regex);
        QFETCH(int, shown);

        EventLogModel model;
        LogPane pane(&model);
        QAbstractItemModelTester tester(pane.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString a = QStringLiteral("http://host-a.example/events");
        const QString b = QStringLiteral("ws://host-b.example/ws");
        StreamEvent error = makeEvent(a, 3, "{\"x\":", "error", StreamEvent::Kind::Error);
        error.detail = QStringLiteral("unterminated object");
        StreamEvent gap = makeEvent(a, 3, {}, "gap", StreamEvent::Kind::Gap);
        gap.detail = QStringLiteral("connection reset");
        model.append({makeEvent(a, 1, "alpha one"), makeEvent(b, 1, "beta two", "update"),
                      makeEvent(a, 2, "gamma3 three"), error, gap});
        model.flushNow();

        QVERIFY(pane.setFilter(pattern, regex));
        QCOMPARE(pane.visibleRowCount(), shown);
        if (!pattern.isEmpty())
            QVERIFY2(pane.statusText().endsWith(QStringLiteral("filter: %1 shown").arg(shown)),
                     qPrintable(pane.statusText()));
        else
            QCOMPARE(pane.statusText(), QStringLiteral("5 rows \u00B7 1 gaps \u00B7 0 dropped"));

        // New rows are filtered as they arrive.
        model.append({makeEvent(a, 4, "alpha again")});
        model.flushNow();
        QVERIFY(pane.visibleRowCount() >= shown);
    }

    void invalidRegexShowsAnErrorAndNothing()
    {
        EventLogModel model;
        LogPane pane(&model);
        QAbstractItemModelTester tester(pane.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({makeEvent(QStringLiteral("s"), 1, "alpha"), makeEvent(QStringLiteral("s"), 2, "beta")});
        model.flushNow();
        QVERIFY(pane.setFilter(QStringLiteral("alp"), true));
        QCOMPARE(pane.visibleRowCount(), 1);

        QVERIFY(!pane.setFilter(QStringLiteral("(unclosed"), true));
        QCOMPARE(pane.visibleRowCount(), 0); // not the previous filter's result
        QVERIFY(pane.proxy()->isInvalid());
        auto *edit = pane.findChild<QLineEdit *>(QStringLiteral("logFilterEdit"));
        QVERIFY(edit);
        QVERIFY2(edit->toolTip().contains(QStringLiteral("missing closing parenthesis")), qPrintable(edit->toolTip()));
        QVERIFY(edit->styleSheet().contains(QStringLiteral("border")));
        QVERIFY2(pane.statusText().contains(QStringLiteral("invalid regular expression: missing closing parenthesis")),
                 qPrintable(pane.statusText()));
        model.append({makeEvent(QStringLiteral("s"), 3, "alpha (unclosed")});
        model.flushNow();
        QCOMPARE(pane.visibleRowCount(), 0); // new rows do not slip through either

        QVERIFY(pane.setFilter(QStringLiteral("b.t"), true));
        QCOMPARE(pane.visibleRowCount(), 1);
        QVERIFY(!pane.proxy()->isInvalid());
        QVERIFY(edit->toolTip().isEmpty());
        QVERIFY(edit->styleSheet().isEmpty());
        QVERIFY(!pane.statusText().contains(QStringLiteral("invalid")));
        QVERIFY(!pane.setFilter(QStringLiteral("[x"), true));
        QVERIFY(pane.setFilter(QStringLiteral("[x"), false)); // the same text as a substring is fine
        QCOMPARE(pane.visibleRowCount(), 0);
    }

    // A flapping source: 114 reconnect markers around one matching line. The text filter, the
    // source filter and the toggle all apply to markers; removing the source takes them along.
    void reconnectMarkersObeyFilters()
    {
        EventLogModel model;
        LogPane pane(&model);
        QAbstractItemModelTester tester(pane.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString flapping = QStringLiteral("http://flaky.example/sse");
        const QString steady = QStringLiteral("ws://steady.example/ws");
        QList<StreamEvent> batch;
        for (int i = 0; i < 114; ++i) {
            StreamEvent gap = makeEvent(flapping, quint64(i), {}, "gap", StreamEvent::Kind::Gap);
            gap.detail = QStringLiteral("reconnected after: server closed the stream");
            batch.append(gap);
            batch.append(makeEvent(steady, quint64(i + 1), "tick " + QByteArray::number(i)));
        }
        batch.append(makeEvent(flapping, 1, "the needle"));
        model.append(batch);
        model.flushNow();
        QCOMPARE(pane.visibleRowCount(), 229);

        QVERIFY(pane.setFilter(QStringLiteral("needle"), false));
        QCOMPARE(pane.visibleRowCount(), 1);
        QVERIFY(pane.setFilter(QString(), false));

        auto *sources = pane.findChild<QComboBox *>(QStringLiteral("logSourceBox"));
        QVERIFY(sources);
        QCOMPARE(sources->count(), 3); // All sources + two
        QCOMPARE(sources->itemData(2).toString(), steady);
        sources->setCurrentIndex(2);
        QCOMPARE(pane.visibleRowCount(), 114); // the steady source's ticks, none of the other's markers
        sources->setCurrentIndex(1);
        QCOMPARE(pane.visibleRowCount(), 115); // the flapping source with its markers
        pane.showGapsAction()->setChecked(false);
        QCOMPARE(pane.visibleRowCount(), 1);
        sources->setCurrentIndex(0);
        QCOMPARE(pane.visibleRowCount(), 115);
        pane.showGapsAction()->setChecked(true);
        QCOMPARE(pane.visibleRowCount(), 229);

        sources->setCurrentIndex(1);
        model.removeSource(flapping);
        QCOMPARE(model.gapCount(), 0);
        QCOMPARE(sources->count(), 2);
        QCOMPARE(sources->currentIndex(), 0); // the filtered source went away: all sources again
        QCOMPARE(pane.visibleRowCount(), 114);
        QVERIFY2(pane.statusText().startsWith(QStringLiteral("114 rows \u00B7 0 gaps")), qPrintable(pane.statusText()));
    }

    void sentMessagesAreListedAndFilterable()
    {
        EventLogModel model;
        LogPane pane(&model);
        const QString ws = QStringLiteral("ws://chat.example/room");
        model.append({makeEvent(ws, 1, "welcome", "text"),
                      makeEvent(ws, 1, R"({"join":"lobby"})", "text", StreamEvent::Kind::Sent),
                      makeEvent(ws, 2, "joined lobby", "text")});
        model.flushNow();
        QCOMPARE(pane.visibleRowCount(), 3);
        const QModelIndex sent = pane.proxy()->index(1, EventLogModel::DataColumn);
        QVERIFY(sent.data().toString().startsWith(QChar(0x2192)));
        QVERIFY(sent.data(Qt::BackgroundRole).isValid());
        QVERIFY(pane.setFilter(QString(QChar(0x2192)), false)); // the arrow is filterable text
        QCOMPARE(pane.visibleRowCount(), 1);
        QVERIFY(pane.setFilter(QStringLiteral("lobby"), false));
        QCOMPARE(pane.visibleRowCount(), 2);
        pane.showSentAction()->setChecked(false);
        QCOMPARE(pane.visibleRowCount(), 1);
    }

    void levelFilterAndColours()
    {
        EventLogModel model;
        LogPane pane(&model);
        QAbstractItemModelTester tester(pane.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString src = QStringLiteral("http://127.0.0.1/logs");
        StreamEvent gap = makeEvent(src, 4, {}, "gap", StreamEvent::Kind::Gap);
        model.append({makeEvent(src, 1, R"({"level":"INFO","msg":"ok"})", "json"),
                      makeEvent(src, 2, R"({"level":"WARN","msg":"slow"})", "json"),
                      makeEvent(src, 3, "2026-11-21 ERROR db down", "line"), gap,
                      makeEvent(src, 5, "DEBUG cache miss", "line"),
                      makeEvent(src, 6, "no level here", "line")});
        model.flushNow();

        // Colours: error red, warn amber, debug grey, info and unknown default.
        const auto colour = [&](int row) {
            return model.index(row, EventLogModel::DataColumn).data(Qt::ForegroundRole);
        };
        QVERIFY(!colour(0).isValid());
        QVERIFY(colour(1).isValid());
        QVERIFY(colour(2).isValid());
        QVERIFY(colour(1).value<QBrush>().color() != colour(2).value<QBrush>().color());
        QVERIFY(colour(4).isValid());
        QVERIFY(!colour(5).isValid());
        QCOMPARE(model.index(2, 0).data(EventLogModel::LevelRole).toInt(), int(LogLevel::Error));

        auto *levels = pane.findChild<QComboBox *>(QStringLiteral("logLevelBox"));
        QVERIFY(levels);
        QCOMPARE(pane.visibleRowCount(), 6);
        levels->setCurrentIndex(levels->findData(int(LogLevel::Warn)));
        QCOMPARE(pane.visibleRowCount(), 3); // WARN, ERROR and the gap marker (a reconnect warns)
        levels->setCurrentIndex(levels->findData(int(LogLevel::Error)));
        QCOMPARE(pane.visibleRowCount(), 1); // ERROR only
        QVERIFY(pane.setFilter(QStringLiteral("nothing matches this"), false));
        QCOMPARE(pane.visibleRowCount(), 0);
        QVERIFY(pane.setFilter(QString(), false));
        levels->setCurrentIndex(0);
        QCOMPARE(pane.visibleRowCount(), 6);
    }

    void statusCountsWithGrouping()
    {
        EventLogModel model;
        LogPane pane(&model);
        model.setCapacity(12'000);
        model.append(numbered(1, 12'345));
        model.flushNow();
        QCOMPARE(pane.statusText(), QStringLiteral("12,000 rows \u00B7 0 gaps \u00B7 345 dropped"));
    }

    void followTail()
    {
        EventLogModel model;
        LogPane pane(&model);
        pane.resize(700, 300);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QScrollBar *bar = pane.view()->verticalScrollBar();
        QSignalSpy following(&pane, &LogPane::followingChanged);

        model.append(numbered(1, 500));
        model.flushNow();
        QVERIFY(pane.isFollowing());
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(isRowVisible(pane, 499));

        // More rows while following: still at the very bottom.
        model.append(numbered(501, 100));
        model.flushNow();
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(isRowVisible(pane, 599));

        // The user scrolls up: following pauses and new rows do not move the view.
        bar->triggerAction(QAbstractSlider::SliderPageStepSub);
        QVERIFY(!pane.isFollowing());
        QCOMPARE(following.size(), 1);
        auto *followButton = pane.findChild<QToolButton *>(QStringLiteral("followButton"));
        QVERIFY(followButton);
        QVERIFY(!followButton->isChecked());
        const int pausedValue = bar->value();
        const quint64 pausedTop = topSeq(pane);
        model.append(numbered(601, 100));
        model.flushNow();
        QTRY_VERIFY(bar->maximum() >= 600);
        QVERIFY(!isRowVisible(pane, 699));
        QCOMPARE(bar->value(), pausedValue);
        QCOMPARE(topSeq(pane), pausedTop);
        QVERIFY(!pane.isFollowing());

        // Scrolling back to the bottom resumes.
        bar->triggerAction(QAbstractSlider::SliderToMaximum);
        QVERIFY(pane.isFollowing());
        QVERIFY(followButton->isChecked());
        model.append(numbered(701, 50));
        model.flushNow();
        QCOMPARE(bar->value(), bar->maximum());

        // Pause with a key press (Page Up on the view), resume with the Follow button.
        pane.view()->setFocus();
        pane.view()->setCurrentIndex(pane.view()->model()->index(740, 0));
        QTest::keyClick(pane.view(), Qt::Key_PageUp);
        QTRY_VERIFY(!pane.isFollowing());
        followButton->click();
        QVERIFY(pane.isFollowing());
        QCOMPARE(bar->value(), bar->maximum());
    }

    // A burst of 100,000 lines trims the front of a full log: the view's scroll value moves under
    // it, but Follow is the user's choice and stays on.
    void burstKeepsFollowing()
    {
        EventLogModel model;
        model.setCapacity(5'000);
        LogPane pane(&model);
        pane.resize(700, 300);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QSignalSpy following(&pane, &LogPane::followingChanged);
        model.append(numbered(1, 5'000));
        model.flushNow();
        for (int b = 0; b < 20; ++b)
            model.append(numbered(5'001 + quint64(b) * 5'000, 5'000));
        model.flushNow();
        QVERIFY(pane.isFollowing());
        QCOMPARE(following.size(), 0);
        QScrollBar *bar = pane.view()->verticalScrollBar();
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(isRowVisible(pane, model.rowCount() - 1));
    }

    void pausedFollowCountsNewRows()
    {
        EventLogModel model;
        LogPane pane(&model);
        pane.resize(700, 300);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        model.append(numbered(1, 300));
        model.flushNow();
        auto *followButton = pane.findChild<QToolButton *>(QStringLiteral("followButton"));
        QVERIFY(followButton);
        QCOMPARE(followButton->text(), QStringLiteral("Follow"));

        pane.view()->verticalScrollBar()->triggerAction(QAbstractSlider::SliderPageStepSub);
        QVERIFY(!pane.isFollowing());
        model.append(numbered(301, 1'234));
        model.flushNow();
        QCOMPARE(pane.newRowCount(), 1'234);
        QCOMPARE(followButton->text(), QStringLiteral("Follow (1,234 new)"));
        // Only rows that pass the filter count.
        QVERIFY(pane.setFilter(QStringLiteral("line 15"), false));
        model.append(numbered(1'535, 20)); // 1535..1554: "line 15xx" x 20
        model.flushNow();
        QCOMPARE(pane.newRowCount(), 1'254);

        pane.followAction()->trigger();
        QVERIFY(pane.isFollowing());
        QCOMPARE(pane.newRowCount(), 0);
        QCOMPARE(followButton->text(), QStringLiteral("Follow"));
    }

    void shortcutsAreWindowActions()
    {
        EventLogModel model;
        LogPane pane(&model);
        QAction *find = pane.findAction();
        QCOMPARE(find->shortcut(), QKeySequence(QKeySequence::Find));
        QCOMPARE(find->shortcutContext(), Qt::WindowShortcut);
        QVERIFY(!find->text().isEmpty());
        QAction *follow = pane.followAction();
        QCOMPARE(follow->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_End));
        QCOMPARE(follow->shortcutContext(), Qt::WindowShortcut);
        QVERIFY(!follow->text().isEmpty());
        QVERIFY(pane.actions().contains(find));
        QVERIFY(pane.actions().contains(follow));

        pane.resize(700, 300);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        model.append(numbered(1, 300));
        model.flushNow();
        pane.view()->setFocus();
        pane.view()->verticalScrollBar()->triggerAction(QAbstractSlider::SliderPageStepSub);
        QVERIFY(!pane.isFollowing());
        QTest::keyClick(pane.view(), Qt::Key_End, Qt::ControlModifier);
        QVERIFY(pane.isFollowing());
        QTest::keyClick(pane.view(), Qt::Key_F, Qt::ControlModifier);
        auto *edit = pane.findChild<QLineEdit *>(QStringLiteral("logFilterEdit"));
        QTRY_VERIFY(edit->hasFocus());
    }

    void detailViewShowsTheSelectedRow()
    {
        EventLogModel model;
        LogPane pane(&model);
        pane.resize(800, 500);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        const QString src = QStringLiteral("http://api.example/stream");
        StreamEvent error = makeEvent(src, 2, "<html>502 Bad Gateway</html>", "error", StreamEvent::Kind::Error);
        error.detail = QStringLiteral("HTTP 502 Bad Gateway\ncontent-type: text/html\nserver: nginx");
        model.append({makeEvent(src, 1, R"({"user":{"id":7,"name":"ada"},"tags":["a","b"]})", "json"), error,
                      makeEvent(src, 3, QByteArray::fromHex("00ff41"), "binary"), makeEvent(src, 4, "{broken", "line")});
        model.flushNow();
        QVERIFY(!pane.isDetailVisible()); // nothing selected yet

        LogDetailView *detail = pane.detailView();
        pane.view()->setCurrentIndex(pane.proxy()->index(0, 0));
        QVERIFY(pane.isDetailVisible());
        QCOMPARE(detail->currentTabName(), QStringLiteral("pretty"));
        const QString indented = QStringLiteral("\"user\": {\n        \"id\": 7,");
        QVERIFY2(detail->prettyText().contains(indented), qPrintable(detail->prettyText()));
        const QString raw = QStringLiteral(R"({"user":{"id":7,"name":"ada"},"tags":["a","b"]})");
        QCOMPARE(detail->rawText(), raw);
        QVERIFY(detail->headerText().contains(src));
        QVERIFY(detail->headerText().contains(QStringLiteral("type json")));

        pane.view()->setCurrentIndex(pane.proxy()->index(1, 0));
        QCOMPARE(detail->currentTabName(), QStringLiteral("detail"));
        QCOMPARE(detail->detailText(), error.detail);
        QCOMPARE(detail->rawText(), QStringLiteral("<html>502 Bad Gateway</html>"));

        pane.view()->setCurrentIndex(pane.proxy()->index(2, 0));
        QCOMPARE(detail->currentTabName(), QStringLiteral("raw"));
        QVERIFY2(detail->rawText().startsWith(QStringLiteral("00000000  00 ff 41")), qPrintable(detail->rawText()));
        QVERIFY(detail->rawText().contains(QStringLiteral("..A")));

        pane.view()->setCurrentIndex(pane.proxy()->index(3, 0));
        QVERIFY2(detail->prettyText().startsWith(QStringLiteral("Not valid JSON")), qPrintable(detail->prettyText()));

        QCOMPARE(pane.detailPlacement(), Qt::Vertical); // 800x500: below the table
        pane.resize(800, 220); // the log of an 800x500 window: beside the table
        QTRY_COMPARE(pane.detailPlacement(), Qt::Horizontal);
        pane.resize(800, 500);
        QTRY_COMPARE(pane.detailPlacement(), Qt::Vertical);

        // Closing hides it until asked again; the content stays after the row is evicted.
        auto *close = detail->findChild<QToolButton *>();
        QVERIFY(close);
        close->click();
        QVERIFY(!pane.isDetailVisible());
        pane.view()->setCurrentIndex(pane.proxy()->index(0, 0));
        QVERIFY(!pane.isDetailVisible());
        pane.showGapsAction(); // (unrelated toggle untouched)
        model.clear();
        QVERIFY(detail->hasEvent());
    }

    void exportsShownRows()
    {
        EventLogModel model;
        LogPane pane(&model);
        const QString src = QStringLiteral("http://h.example/s?a=1");
        StreamEvent tricky = makeEvent(src, 2, "=HYPERLINK(\"http://evil\"),x\nline two", "message");
        tricky.id = "7";
        model.append({makeEvent(src, 1, "alpha"), tricky, makeEvent(src, 3, "-42", "line"),
                      makeEvent(src, 4, "beta", "line"), makeEvent(src, 5, "hi", "text", StreamEvent::Kind::Sent)});
        model.flushNow();
        QVERIFY(pane.setFilter(QStringLiteral("beta"), false) && pane.visibleRowCount() == 1);
        QTemporaryDir dir;
        QString error;
        const QString ndjson = dir.filePath(QStringLiteral("log.ndjson"));
        QVERIFY2(pane.exportRows(ndjson, LogExport::Format::Ndjson, &error), qPrintable(error));
        QFile n(ndjson);
        QVERIFY(n.open(QIODevice::ReadOnly));
        const QByteArray json = n.readAll();
        QCOMPARE(json.count('\n'), 1);
        const QByteArray expectedStart = "{\"source\":\"http://h.example/s?a=1\",\"seq\":4,\"type\":\"line\",\"id\":\"\",\"data\":\"beta\",\"ts\":\"";
        QVERIFY(json.startsWith(expectedStart));

        QVERIFY(pane.setFilter(QString(), false));
        const QString csvPath = dir.filePath(QStringLiteral("log.csv"));
        QVERIFY2(pane.exportRows(csvPath, LogExport::Format::Csv, &error), qPrintable(error));
        QFile c(csvPath);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QByteArray csv = c.readAll();
        QVERIFY(csv.startsWith("time,source,direction,kind,type,id,seq,data,detail\n"));
        QVERIFY(csv.contains(",http://h.example/s?a=1,received,data,message,,1,alpha,\n"));
        // Quoted (comma, quote, newline) and defused as a formula.
        QVERIFY2(csv.contains(",received,data,message,7,2,\"'=HYPERLINK(\"\"http://evil\"\"),x\nline two\",\n"), csv.constData());
        QVERIFY(csv.contains(",line,,3,-42,\n")); // a plain number is left alone
        QVERIFY(csv.contains(",sent,sent,text,,5,hi,\n"));
        QVERIFY(!pane.exportRows(dir.filePath(QStringLiteral("missing/dir/x.csv")), LogExport::Format::Csv, &error));
        QVERIFY(error.contains(QStringLiteral("could not write")));
    }

    void pausedViewDoesNotJumpWhenTrimmed()
    {
        EventLogModel model;
        model.setCapacity(1'000);
        LogPane pane(&model);
        pane.resize(700, 300);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QScrollBar *bar = pane.view()->verticalScrollBar();

        model.append(numbered(1, 1'000));
        model.flushNow();
        bar->triggerAction(QAbstractSlider::SliderPageStepSub);
        bar->setValue(500);
        QVERIFY(!pane.isFollowing());
        const quint64 top = topSeq(pane);
        QCOMPARE(top, 501ULL);

        model.append(numbered(1'001, 100)); // trims rows 1..100 from the front
        model.flushNow();
        QCOMPARE(model.droppedCount(), 100ULL);
        QTRY_COMPARE(bar->value(), 400);
        QCOMPARE(topSeq(pane), top);
        QVERIFY(!pane.isFollowing());
    }
};

QTEST_MAIN(TestLogPane)
#include "tst_log_pane.moc"
