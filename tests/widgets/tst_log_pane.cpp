#include "event_log_model.h"
#include "log_filter_proxy.h"
#include "log_pane.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QComboBox>
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
        QTest::addColumn<int>("shown"); // includes the gap row, which always passes
        QTest::newRow("no filter") << QString() << false << 5;
        QTest::newRow("substring, case-insensitive") << QStringLiteral("ALPHA") << false << 2;
        QTest::newRow("matches type") << QStringLiteral("update") << false << 2;
        QTest::newRow("matches full source id") << QStringLiteral("host-b.example") << false << 2;
        QTest::newRow("matches error detail") << QStringLiteral("unterminated") << false << 2;
        QTest::newRow("regex") << QStringLiteral("^(alpha|beta) ") << true << 3;
        QTest::newRow("regex is case-insensitive") << QStringLiteral("GAMMA\\d") << true << 2;
        QTest::newRow("nothing matches") << QStringLiteral("zzz") << false << 1;
        QTest::newRow("regex text as substring") << QStringLiteral("^alpha") << false << 1;
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
        bool gapShown = false;
        for (int row = 0; row < pane.proxy()->rowCount(); ++row)
            gapShown |= pane.proxy()->index(row, 0).data(EventLogModel::KindRole).toInt()
                == int(StreamEvent::Kind::Gap);
        QVERIFY(gapShown);
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

    void invalidRegexKeepsFilter()
    {
        EventLogModel model;
        LogPane pane(&model);
        model.append({makeEvent(QStringLiteral("s"), 1, "alpha"), makeEvent(QStringLiteral("s"), 2, "beta")});
        model.flushNow();
        QVERIFY(pane.setFilter(QStringLiteral("alp"), true));
        QCOMPARE(pane.visibleRowCount(), 1);

        QVERIFY(!pane.setFilter(QStringLiteral("(unclosed"), true));
        QCOMPARE(pane.visibleRowCount(), 1); // unchanged
        QCOMPARE(pane.proxy()->pattern(), QStringLiteral("alp"));
        auto *edit = pane.findChild<QLineEdit *>();
        QVERIFY(edit);
        QVERIFY2(edit->toolTip().contains(QStringLiteral("missing closing parenthesis")), qPrintable(edit->toolTip()));
        QVERIFY(edit->styleSheet().contains(QStringLiteral("border")));

        QVERIFY(pane.setFilter(QStringLiteral("b.t"), true));
        QCOMPARE(pane.visibleRowCount(), 1);
        QVERIFY(edit->toolTip().isEmpty());
        QVERIFY(edit->styleSheet().isEmpty());
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

        auto *levels = pane.findChild<QComboBox *>();
        QVERIFY(levels);
        QCOMPARE(pane.visibleRowCount(), 6);
        levels->setCurrentIndex(levels->findData(int(LogLevel::Warn)));
        QCOMPARE(pane.visibleRowCount(), 3); // WARN, ERROR and the gap marker
        levels->setCurrentIndex(levels->findData(int(LogLevel::Error)));
        QCOMPARE(pane.visibleRowCount(), 2); // ERROR and the gap marker
        QVERIFY(pane.setFilter(QStringLiteral("nothing matches this"), false));
        QCOMPARE(pane.visibleRowCount(), 1); // the gap marker stays
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
        auto *followButton = pane.findChild<QToolButton *>();
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
