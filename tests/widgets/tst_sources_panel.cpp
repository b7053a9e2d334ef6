#include "source_list_model.h"
#include "sources_panel.h"
#include "source_details.h"

#include "fake_transport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

class TestSourcesPanel : public QObject
{
    Q_OBJECT
private:
    TransportRegistry m_registry;
    QList<FakeTransport *> m_created;

    static QLineEdit *urlEdit(SourcesPanel &panel)
    {
        for (QLineEdit *edit : panel.findChildren<QLineEdit *>())
            if (edit->placeholderText().startsWith(QStringLiteral("http://")))
                return edit;
        return nullptr;
    }
    static QPushButton *button(SourcesPanel &panel, const QString &text)
    {
        for (QPushButton *b : panel.findChildren<QPushButton *>())
            if (b->text() == text)
                return b;
        return nullptr;
    }
    static QAction *action(SourcesPanel &panel, const QString &text)
    {
        for (QAction *a : panel.view()->actions())
            if (a->text() == text)
                return a;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase() { registerFakeTransports(m_registry, &m_created); }
    void init() { m_created.clear(); }

    void detailsShowTheWholeErrorAndRedactSecrets()
    {
        SourceListModel model(&m_registry);
        SourcesPanel panel(&model, &m_registry);
        auto *details = panel.findChild<SourceDetails *>();
        QVERIFY(details);
        QVERIFY(details->plainText().contains(QStringLiteral("Select a source")));

        TransportConfig config;
        config.url = QUrl(QStringLiteral("https://ops:pw@127.0.0.1:9/feed?token=s3cr3t&x=1"));
        config.transportId = QStringLiteral("fake");
        config.headers = {{"Authorization", "Bearer abc.def"}, {"X-Team", "sre"}};
        config.insecureTls = true;
        QCOMPARE(model.addSource(config), 0);
        // The first source becomes current without being selected, so its details show at once.
        QVERIFY(panel.view()->selectionModel()->selectedRows().isEmpty());
        const QString longError = QStringLiteral("expected text/event-stream, got text/html; charset=utf-8 "
                                                 "from a proxy login page that the table can only elide");
        m_created.first()->fail(longError, false);
        QTRY_VERIFY2(details->plainText().contains(longError), qPrintable(details->plainText()));
        const QString text = details->plainText();
        QVERIFY2(text.contains(QStringLiteral("failed")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("verification OFF")));
        QVERIFY(text.contains(QStringLiteral("X-Team: sre")));
        QVERIFY(text.contains(QStringLiteral("Authorization: <redacted>")));
        QVERIFY(!text.contains(QStringLiteral("abc.def")));
        QVERIFY(!text.contains(QStringLiteral("s3cr3t")));
        QVERIFY(!text.contains(QStringLiteral(":pw@")));

        model.removeSource(0);
        QTRY_VERIFY(details->plainText().contains(QStringLiteral("Select a source")));
    }

    void addBar()
    {
        SourceListModel model(&m_registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SourcesPanel panel(&model, &m_registry);
        QSignalSpy added(&panel, &SourcesPanel::sourceAdded);
        QLineEdit *url = urlEdit(panel);
        QVERIFY(url);
        QCOMPARE(url->placeholderText(), QStringLiteral("http://\u2026 or ws://\u2026 \u2014 Enter to add"));
        auto *transport = panel.findChild<QComboBox *>();
        QCOMPARE(transport->itemText(0), QStringLiteral("auto"));
        QVERIFY(transport->findText(QStringLiteral("fake")) > 0);
        QCOMPARE(transport->findText(QStringLiteral("sse")), -1); // not in this registry

        // Bad URL: inline error, nothing added.
        QTest::keyClicks(url, QStringLiteral("not a url"));
        QTest::keyClick(url, Qt::Key_Return);
        QVERIFY(!panel.errorText().isEmpty());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(added.size(), 0);
        QTest::keyClick(url, Qt::Key_Backspace); // typing clears the message
        QVERIFY(panel.errorText().isEmpty());

        // Auto for http:// needs the "http" transport, which this registry lacks.
        url->setText(QStringLiteral("http://127.0.0.1:9/events"));
        QTest::keyClick(url, Qt::Key_Return);
        QVERIFY2(panel.errorText().contains(QStringLiteral("Unknown transport")), qPrintable(panel.errorText()));

        // Options: headers, body, insecure TLS.
        transport->setCurrentIndex(transport->findText(QStringLiteral("fake")));
        const QList<QPlainTextEdit *> texts = panel.findChildren<QPlainTextEdit *>();
        QCOMPARE(texts.size(), 2);
        texts.at(0)->setPlainText(QStringLiteral("bad header line"));
        QTest::keyClick(url, Qt::Key_Return);
        QVERIFY(panel.errorText().contains(QStringLiteral("Header line 1")));
        texts.at(0)->setPlainText(QStringLiteral("X-Token: abc: def\n\nAccept: text/plain"));
        texts.at(1)->setPlainText(QStringLiteral("{\"q\":1}"));
        panel.findChild<QCheckBox *>()->setChecked(true);
        button(panel, QStringLiteral("Add"))->click();
        QVERIFY(panel.errorText().isEmpty());
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(added.size(), 1);
        QCOMPARE(added.at(0).at(0).toString(), QStringLiteral("http://127.0.0.1:9/events"));
        QVERIFY(url->text().isEmpty());
        const TransportConfig &config = m_created.first()->config();
        QCOMPARE(config.headers.size(), 2);
        QCOMPARE(config.headers.at(0).first, QByteArray("X-Token"));
        QCOMPARE(config.headers.at(0).second, QByteArray("abc: def"));
        QCOMPARE(config.body.value_or(QByteArray()), QByteArray("{\"q\":1}"));
        QVERIFY(config.insecureTls);
        QCOMPARE(config.transportId, QStringLiteral("fake"));
    }

    // The demo's five sources in a panel of 500 px: every column starts inside the viewport, the
    // short columns are wide enough for their header, and the error column keeps useful room.
    void allColumnsVisibleAtDefaultWidth()
    {
        SourceListModel model(&m_registry);
        SourcesPanel panel(&model, &m_registry);
        const QStringList urls = {QStringLiteral("http://127.0.0.1:34921/sse/metrics"),
                                  QStringLiteral("http://127.0.0.1:34921/sse/notifications"),
                                  QStringLiteral("http://127.0.0.1:34921/ndjson/logs"),
                                  QStringLiteral("http://127.0.0.1:34921/lines/logs"),
                                  QStringLiteral("ws://127.0.0.1:35927/ws/ticker")};
        for (const QString &url : urls) {
            TransportConfig config;
            config.url = QUrl(url);
            config.transportId = QStringLiteral("fake");
            QVERIFY(model.addSource(config) >= 0);
        }
        m_created.first()->goOpen();
        panel.resize(500, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));

        QTableView *view = panel.view();
        QHeaderView *header = view->horizontalHeader();
        const int viewport = view->viewport()->width();
        QCOMPARE(view->horizontalScrollBar()->maximum(), 0);
        QCOMPARE(header->visualIndex(SourceListModel::TransportColumn), SourceListModel::ColumnCount - 1);
        QCOMPARE(header->visualIndex(SourceListModel::NameColumn), 0);
        const QFontMetrics metrics = view->fontMetrics();
        for (int column = 0; column < SourceListModel::ColumnCount; ++column) {
            const int left = header->sectionViewportPosition(column);
            const int width = header->sectionSize(column);
            const QString title = model.headerData(column, Qt::Horizontal).toString();
            QVERIFY2(left >= 0 && left + width <= viewport,
                     qPrintable(QStringLiteral("%1 at %2+%3, viewport %4").arg(title).arg(left).arg(width).arg(viewport)));
            if (column != SourceListModel::NameColumn && column != SourceListModel::ErrorColumn)
                QVERIFY2(width >= metrics.horizontalAdvance(title), qPrintable(title));
        }
        // The error column gets what is left, never less than the minimum; at the default width
        // of the window's panel (580 px) it has room for a short message.
        QVERIFY(header->sectionSize(SourceListModel::ErrorColumn) >= header->minimumSectionSize());
        // Names lose their start, so sources on one host stay distinguishable when narrow.
        QSet<QString> shown;
        for (int row = 0; row < model.rowCount(); ++row)
            shown.insert(metrics.elidedText(model.index(row, SourceListModel::NameColumn).data().toString(),
                                            Qt::ElideLeft, header->sectionSize(SourceListModel::NameColumn) - 8));
        QCOMPARE(shown.size(), urls.size());
        const QString shownNames = QStringList(shown.values()).join(QLatin1Char('|'));
        QVERIFY2(shownNames.contains(QStringLiteral("ndjson/logs")) && shownNames.contains(QStringLiteral("lines/logs")),
                 qPrintable(shownNames));
        panel.resize(580, 400);
        QTRY_VERIFY(header->sectionSize(SourceListModel::ErrorColumn) >= metrics.horizontalAdvance(QStringLiteral("connection refused")));
        QCOMPARE(view->horizontalScrollBar()->maximum(), 0);
        // The short name is shown; the full URL is one hover away.
        QCOMPARE(model.index(0, SourceListModel::NameColumn).data().toString(), QStringLiteral("127.0.0.1:34921/sse/metrics"));
        QVERIFY(model.index(0, SourceListModel::NameColumn).data(Qt::ToolTipRole).toString().contains(urls.first()));
    }

    void actionsAndSendBar()
    {
        SourceListModel model(&m_registry);
        SourcesPanel panel(&model, &m_registry);
        TransportConfig simplex;
        simplex.url = QUrl(QStringLiteral("http://127.0.0.1:9/a"));
        simplex.transportId = QStringLiteral("fake");
        TransportConfig duplex;
        duplex.url = QUrl(QStringLiteral("ws://127.0.0.1:9/b"));
        duplex.transportId = QStringLiteral("fake-duplex");
        QCOMPARE(model.addSource(simplex), 0);
        QCOMPARE(model.addSource(duplex), 1);
        FakeTransport *ws = m_created.at(1);
        ws->goOpen(QStringLiteral("WebSocket"));

        QAction *reconnect = action(panel, QStringLiteral("Reconnect"));
        QAction *remove = action(panel, QStringLiteral("Remove"));
        QPushButton *sendText = button(panel, QStringLiteral("Send text"));
        QPushButton *sendBinary = button(panel, QStringLiteral("Send binary (hex)"));
        QVERIFY(reconnect && remove && sendText && sendBinary);
        QVERIFY(!reconnect->isEnabled());
        QVERIFY(!remove->isEnabled());
        QVERIFY(!sendText->isEnabled());

        panel.view()->selectRow(0);
        QVERIFY(reconnect->isEnabled());
        QVERIFY(!sendText->isEnabled()); // simplex

        panel.view()->selectRow(1);
        QVERIFY(sendText->isEnabled());
        QVERIFY(sendBinary->isEnabled());
        QLineEdit *message = nullptr;
        for (QLineEdit *edit : panel.findChildren<QLineEdit *>())
            if (edit->placeholderText().startsWith(QStringLiteral("Message")))
                message = edit;
        QVERIFY(message);
        message->setText(QStringLiteral("hello"));
        sendText->click();
        message->setText(QStringLiteral("01 ff 7a"));
        sendBinary->click();
        message->setText(QStringLiteral("zz"));
        sendBinary->click();
        QVERIFY(panel.errorText().contains(QStringLiteral("hex")));
        QCOMPARE(ws->sent.size(), 2);
        QCOMPARE(ws->sent.at(0), qMakePair(QByteArray("hello"), false));
        QCOMPARE(ws->sent.at(1), qMakePair(QByteArray::fromHex("01ff7a"), true));

        reconnect->trigger();
        QCOMPARE(ws->reconnectCalls, 1);
        remove->trigger();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.transportAt(0)->sourceId(), QStringLiteral("http://127.0.0.1:9/a"));
        QVERIFY(!sendText->isEnabled());
    }
};

QTEST_MAIN(TestSourcesPanel)
#include "tst_sources_panel.moc"
