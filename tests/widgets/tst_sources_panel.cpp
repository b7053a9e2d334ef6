#include "source_list_model.h"
#include "sources_panel.h"
#include "source_details.h"
#include "header_table.h"
#include "send_bar.h"
#include "source_edit_dialog.h"
#include "source_options_form.h"
#include "status_line.h"

#include "fake_transport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

namespace {

/// LIVEDASH_TEST_SCREENSHOTS=dir keeps PNGs for people to look at.
void keepScreenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("LIVEDASH_TEST_SCREENSHOTS");
    if (!dir.isEmpty())
        widget.grab().save(dir + QLatin1Char('/') + name, "PNG");
}

} // namespace

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
    static TransportConfig fakeConfig(const QString &url, const QString &transport = QStringLiteral("fake"))
    {
        TransportConfig config;
        config.url = QUrl(url);
        config.transportId = transport;
        return config;
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
            if (a->text() == text || a->text() == text + QStringLiteral("\u2026"))
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
        config.headers = {{"Authorization", "Bearer abc.def"}, {"X-Team", "sre"}, {"X-Tenant-Key", "k-123"}};
        config.secretHeaders = {"x-tenant-key"};
        config.insecureTls = true;
        config.idleTimeoutMs = 60'000;
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
        QVERIFY(text.contains(QStringLiteral("X-Tenant-Key: <redacted>"))); // marked secret by the user
        QVERIFY(!text.contains(QStringLiteral("k-123")));
        QVERIFY2(text.contains(QStringLiteral("connect 30 s \u00B7 read idle 60 s")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("0 received \u00B7 0 sent \u00B7 1 errors \u00B7 0 reconnects")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Last activity")));
        QVERIFY(text.contains(QStringLiteral("Heartbeat")));

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
        QCOMPARE(url, panel.urlEdit());
        QCOMPARE(url->placeholderText(), QStringLiteral("http://\u2026 or ws://\u2026 \u2014 Enter to add"));
        auto *transport = panel.findChild<QComboBox *>(QStringLiteral("transportBox"));
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

        // Options: headers (one marked secret), body, insecure TLS, timeouts, close codes.
        transport->setCurrentIndex(transport->findText(QStringLiteral("fake")));
        SourceOptionsForm *options = panel.optionsForm();
        HeaderTable *headers = options->headerTable();
        QCOMPARE(panel.optionsButtonText(), QStringLiteral("Options"));
        headers->setHeaders({{"bad name", "x"}}, {});
        QTest::keyClick(url, Qt::Key_Return);
        QVERIFY2(panel.errorText().contains(QStringLiteral("Header row 1")), qPrintable(panel.errorText()));
        QCOMPARE(headers->pasteLines(QStringLiteral("X-Token: abc: def\n\nAccept: text/plain")), 2);
        headers->removeRow(0); // the bad one
        QCOMPARE(headers->headerCount(), 2);
        headers->item(1, HeaderTable::SecretColumn)->setCheckState(Qt::Checked); // Accept, as a test
        panel.findChild<QPlainTextEdit *>(QStringLiteral("bodyEdit"))->setPlainText(QStringLiteral("{\"q\":1}"));
        panel.findChild<QCheckBox *>(QStringLiteral("insecureTls"))->setChecked(true);
        panel.findChild<QSpinBox *>(QStringLiteral("idleTimeout"))->setValue(60);
        panel.findChild<QSpinBox *>(QStringLiteral("connectTimeout"))->setValue(5);
        panel.findChild<QCheckBox *>(QStringLiteral("detectStalls"))->setChecked(false);
        auto *codes = panel.findChild<QLineEdit *>(QStringLiteral("closeCodes"));
        codes->setText(QStringLiteral("4001, 99"));
        QTest::keyClick(url, Qt::Key_Return);
        QVERIFY2(panel.errorText().contains(QStringLiteral("\"99\"")), qPrintable(panel.errorText()));
        codes->setText(QStringLiteral("4001, 4403"));
        // Set options are visible on the collapsed button.
        QVERIFY2(panel.optionsButtonText().startsWith(QStringLiteral("Options (2 headers (2 secret), body +5)")),
                 qPrintable(panel.optionsButtonText()));
        button(panel, QStringLiteral("Add"))->click();
        QVERIFY2(panel.errorText().contains(QStringLiteral("Added")), qPrintable(panel.errorText()));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(added.size(), 1);
        QCOMPARE(added.at(0).at(0).toString(), QStringLiteral("http://127.0.0.1:9/events"));
        QVERIFY(url->text().isEmpty());
        const TransportConfig config = m_created.first()->config();
        QCOMPARE(config.headers.size(), 2);
        QCOMPARE(config.headers.at(0).first, QByteArray("X-Token"));
        QCOMPARE(config.headers.at(0).second, QByteArray("abc: def"));
        QCOMPARE(config.secretHeaders, QList<QByteArray>({"Accept"}));
        QCOMPARE(config.body.value_or(QByteArray()), QByteArray("{\"q\":1}"));
        QVERIFY(config.insecureTls);
        QCOMPARE(config.idleTimeoutMs, 60'000);
        QCOMPARE(config.connectTimeoutMs, 5'000);
        QVERIFY(!config.detectStalls);
        QCOMPARE(config.finalCloseCodes, QList<int>({4001, 4403}));
        QCOMPARE(config.transportId, QStringLiteral("fake"));

        // Options belong to that one add: the next URL gets none of them.
        QCOMPARE(panel.optionsButtonText(), QStringLiteral("Options"));
        QCOMPARE(headers->headerCount(), 0);
        url->setText(QStringLiteral("http://127.0.0.1:9/other"));
        QTest::keyClick(url, Qt::Key_Return);
        QCOMPARE(model.rowCount(), 2);
        const TransportConfig next = m_created.at(1)->config();
        QVERIFY(next.headers.isEmpty());
        QVERIFY(!next.body);
        QVERIFY(!next.insecureTls);
        QCOMPARE(next.idleTimeoutMs, 0);
        QCOMPARE(next.connectTimeoutMs, TransportConfig::DefaultConnectTimeoutMs);
        QVERIFY(next.detectStalls);
        QVERIFY(next.finalCloseCodes.isEmpty());
    }

    void headerTableMarksSecretsAndMasksValues()
    {
        HeaderTable table;
        QSignalSpy changed(&table, &HeaderTable::headersChanged);
        QCOMPARE(table.rowCount(), 1); // the empty row to type into
        QCOMPARE(table.pasteLines(QStringLiteral("Authorization: Bearer abc\nX-Api-Id: 7\nnot a header")), 2);
        QCOMPARE(table.rowCount(), 3);
        QVERIFY(!changed.isEmpty());
        // Authorization is always secret: checked and not user-checkable.
        QTableWidgetItem *auth = table.item(0, HeaderTable::SecretColumn);
        QCOMPARE(auth->checkState(), Qt::Checked);
        QVERIFY(!(auth->flags() & Qt::ItemIsUserCheckable));
        QVERIFY(table.isSecretRow(0));
        QVERIFY(!table.isSecretRow(1));
        table.item(1, HeaderTable::SecretColumn)->setCheckState(Qt::Checked);
        QVERIFY(table.isSecretRow(1));
        QCOMPARE(table.secretCount(), 2);
        QList<QPair<QByteArray, QByteArray>> headers;
        QList<QByteArray> secret;
        QString error;
        QVERIFY(table.readHeaders(&headers, &secret, &error));
        QCOMPARE(headers.size(), 2);
        QCOMPARE(secret, QList<QByteArray>({"X-Api-Id"})); // Authorization needs no mark
        // Typing "Name: value" into the name cell splits it.
        table.item(2, HeaderTable::NameColumn)->setText(QStringLiteral("X-Trace: on"));
        QCOMPARE(table.item(2, HeaderTable::NameColumn)->text(), QStringLiteral("X-Trace"));
        QCOMPARE(table.item(2, HeaderTable::ValueColumn)->text(), QStringLiteral("on"));
        QCOMPARE(table.rowCount(), 4); // a new empty row appeared
        // A value without a name is an error.
        table.item(3, HeaderTable::ValueColumn)->setText(QStringLiteral("orphan"));
        QVERIFY(!table.readHeaders(&headers, &secret, &error));
        QVERIFY2(error.contains(QStringLiteral("no name")), qPrintable(error));
        // Round trip through setHeaders keeps the user's marks.
        table.setHeaders({{"X-Api-Id", "7"}, {"Cookie", "c=1"}}, {"x-api-id"});
        QVERIFY(table.isSecretRow(0));
        QVERIFY(table.isSecretRow(1));
        QVERIFY(!table.tabKeyNavigation());
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
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/a"))), 0);
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("ws://127.0.0.1:9/b"), QStringLiteral("fake-duplex"))), 1);
        FakeTransport *ws = m_created.at(1);
        ws->goOpen(QStringLiteral("WebSocket"));

        QAction *reconnect = panel.reconnectAction();
        QAction *remove = panel.removeAction();
        QCOMPARE(action(panel, QStringLiteral("Reconnect")), reconnect);
        QCOMPARE(action(panel, QStringLiteral("Edit")), panel.editAction());
        QCOMPARE(reconnect->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
        QCOMPARE(remove->shortcut(), QKeySequence(QKeySequence::Delete));
        QCOMPARE(panel.pauseAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
        QPushButton *sendText = button(panel, QStringLiteral("Send"));
        QPushButton *sendBinary = button(panel, QStringLiteral("Send hex"));
        QVERIFY(sendText && sendBinary);
        // The first row is current: it can be reconnected, not removed without a selection.
        QVERIFY(reconnect->isEnabled());
        QVERIFY(!remove->isEnabled());
        QVERIFY(!sendText->isEnabled());

        panel.view()->selectRow(0);
        QVERIFY(remove->isEnabled());
        QVERIFY(!sendText->isEnabled()); // simplex

        panel.view()->selectRow(1);
        QVERIFY(sendText->isEnabled());
        QVERIFY(sendBinary->isEnabled());
        QLineEdit *message = panel.sendBar()->editor();
        QVERIFY(message->placeholderText().contains(QStringLiteral("127.0.0.1:9/b")));
        message->setText(QStringLiteral("hello"));
        QTest::keyClick(message, Qt::Key_Return); // Enter sends text
        QVERIFY(message->text().isEmpty());
        message->setText(QStringLiteral("01 ff 7a"));
        QTest::keyClick(message, Qt::Key_Return, Qt::ControlModifier); // Ctrl+Enter sends hex
        message->setText(QStringLiteral("zz"));
        sendBinary->click();
        QVERIFY(panel.sendErrorText().contains(QStringLiteral("hex")));
        QVERIFY(panel.errorText().isEmpty()); // the add bar says nothing about the send bar
        QCOMPARE(message->text(), QStringLiteral("zz")); // kept for correcting
        QCOMPARE(ws->sent.size(), 2);
        QCOMPARE(ws->sent.at(0), qMakePair(QByteArray("hello"), false));
        QCOMPARE(ws->sent.at(1), qMakePair(QByteArray::fromHex("01ff7a"), true));
        QCOMPARE(model.statsAt(1).sent, 2ULL);

        // History: Up walks back, Down returns to the draft.
        QCOMPARE(panel.sendBar()->history(), QStringList({QStringLiteral("hello"), QStringLiteral("01 ff 7a")}));
        QTest::keyClick(message, Qt::Key_Up);
        QCOMPARE(message->text(), QStringLiteral("01 ff 7a"));
        QTest::keyClick(message, Qt::Key_Up);
        QCOMPARE(message->text(), QStringLiteral("hello"));
        QTest::keyClick(message, Qt::Key_Up);
        QCOMPARE(message->text(), QStringLiteral("hello"));
        QTest::keyClick(message, Qt::Key_Down);
        QTest::keyClick(message, Qt::Key_Down);
        QCOMPARE(message->text(), QStringLiteral("zz"));
        QTest::keyClick(message, Qt::Key_Up);
        QTest::keyClick(message, Qt::Key_Return); // resend from the history
        QCOMPARE(ws->sent.size(), 3);
        QCOMPARE(ws->sent.at(2), qMakePair(QByteArray("01 ff 7a"), false)); // Enter: as text

        // Not open: the error is inline under the send bar.
        ws->scheduleRetry(5'000);
        message->setText(QStringLiteral("later"));
        QTest::keyClick(message, Qt::Key_Return);
        QVERIFY2(panel.sendErrorText().contains(QStringLiteral("reconnecting")), qPrintable(panel.sendErrorText()));

        reconnect->trigger();
        QCOMPARE(ws->reconnectCalls, 1);
        remove->trigger();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.transportAt(0)->sourceId(), QStringLiteral("http://127.0.0.1:9/a"));
        QVERIFY(!sendText->isEnabled());
        // The remaining row is selected, so Delete can go on.
        QCOMPARE(panel.view()->selectionModel()->selectedRows().size(), 1);
    }

    // Errors in the send bar and the add bar never move the table.
    void messagesDoNotMoveTheLayout()
    {
        SourceListModel model(&m_registry);
        SourcesPanel panel(&model, &m_registry);
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("ws://127.0.0.1:9/b"), QStringLiteral("fake-duplex"))), 0);
        m_created.first()->goOpen(QStringLiteral("WebSocket"));
        panel.resize(400, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.view()->selectRow(0);
        const QRect table = panel.view()->geometry();
        const QRect send = panel.sendBar()->geometry();
        panel.sendBar()->editor()->setText(QStringLiteral("not hex"));
        QTest::keyClick(panel.sendBar()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(!panel.sendErrorText().isEmpty());
        panel.urlEdit()->setText(QStringLiteral("nope"));
        QTest::keyClick(panel.urlEdit(), Qt::Key_Return);
        QVERIFY(!panel.errorText().isEmpty());
        QCoreApplication::processEvents();
        QCOMPARE(panel.view()->geometry(), table);
        QCOMPARE(panel.sendBar()->geometry(), send);
        auto *status = panel.findChild<StatusLine *>(QStringLiteral("sendStatus"));
        QVERIFY(status);
        // The error sits right under the send field.
        QVERIFY(status->geometry().top() >= panel.sendBar()->editor()->geometry().bottom());
        QVERIFY(status->isVisible());
    }

    void pauseRenameAndEdit()
    {
        SourceListModel model(&m_registry);
        SourcesPanel panel(&model, &m_registry);
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/a"))), 0);
        QCOMPARE(model.addSource(fakeConfig(QStringLiteral("http://127.0.0.1:9/b"))), 1);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.view()->selectRow(0);

        // Pause / Resume on the selection.
        QAction *pause = panel.pauseAction();
        QCOMPARE(pause->text(), QStringLiteral("Pause"));
        pause->trigger();
        QVERIFY(model.isPaused(0));
        QVERIFY(!model.isPaused(1));
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        QCOMPARE(model.index(0, SourceListModel::StateColumn).data().toString(), QStringLiteral("paused"));
        pause->trigger();
        QVERIFY(!model.isPaused(0));

        // F2 edits the name in place.
        panel.view()->setFocus();
        panel.renameAction()->trigger();
        auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
        QVERIFY(editor);
        QVERIFY(panel.view()->isAncestorOf(editor));
        editor->setText(QStringLiteral("feed A"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(model.index(0, SourceListModel::NameColumn).data().toString(), QStringLiteral("feed A"));
        QCOMPARE(m_created.at(0)->sourceId(), QStringLiteral("feed A"));

        // The edit dialog: new header and name; the source reconnects with them.
        SourceEditDialog *dialog = panel.editSource(0);
        QVERIFY(dialog);
        QPointer<SourceEditDialog> guard(dialog);
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"));
        auto *editUrl = dialog->findChild<QLineEdit *>(QStringLiteral("editUrl"));
        QCOMPARE(name->text(), QStringLiteral("feed A"));
        QCOMPARE(editUrl->text(), QStringLiteral("http://127.0.0.1:9/a"));
        dialog->options()->headerTable()->pasteLines(QStringLiteral("X-Api-Key: s3cr3t"));
        dialog->findChild<QSpinBox *>(QStringLiteral("idleTimeout"))->setValue(15);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        keepScreenshot(*dialog, QStringLiteral("edit-dialog.png"));
        // First a URL that is already in the list: refused inline, dialog stays.
        editUrl->setText(QStringLiteral("http://127.0.0.1:9/b"));
        dialog->options()->headerTable()->clearHeaders();
        dialog->accept();
        QVERIFY2(dialog->errorText().contains(QStringLiteral("already in the list")), qPrintable(dialog->errorText()));
        QVERIFY(dialog->isVisible());
        editUrl->setText(QStringLiteral("http://127.0.0.1:9/a2"));
        dialog->options()->headerTable()->pasteLines(QStringLiteral("X-Api-Key: s3cr3t"));
        const int opensBefore = m_created.at(0)->openCalls;
        dialog->accept();
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QTRY_VERIFY(guard.isNull()); // closed and deleted
        FakeTransport *a = m_created.at(0);
        QCOMPARE(a->openCalls, opensBefore + 1);
        QCOMPARE(a->config().url, QUrl(QStringLiteral("http://127.0.0.1:9/a2")));
        QCOMPARE(a->config().idleTimeoutMs, 15'000);
        QCOMPARE(a->config().headers.size(), 1);
        QCOMPARE(a->sourceId(), QStringLiteral("feed A"));
        // The details show the secret header redacted.
        auto *details = panel.findChild<SourceDetails *>();
        panel.view()->selectRow(0);
        QTRY_VERIFY(details->plainText().contains(QStringLiteral("X-Api-Key: <redacted>")));
        // A paused and a stalled row, for the eye.
        m_created.at(0)->goOpen();
        m_created.at(1)->goOpen();
        Q_EMIT m_created.at(1)->stallChanged(true, QStringLiteral("stalled for 45 s (usually every 15 s)"));
        model.setPaused(0, true);
        panel.resize(560, 520);
        keepScreenshot(panel, QStringLiteral("panel-paused-stalled.png"));
        QVERIFY(!details->plainText().contains(QStringLiteral("s3cr3t")));

        // Editing a source that was removed meanwhile is refused.
        SourceEditDialog *late = panel.editSource(1);
        model.removeSource(1);
        QVERIFY(!late->apply());
        QVERIFY(late->errorText().contains(QStringLiteral("removed")));
        late->close();
    }

    // Tab leaves the table instead of walking its cells, and does not change the selected source.
    void tabLeavesTheTable()
    {
        SourceListModel model(&m_registry);
        SourcesPanel panel(&model, &m_registry);
        for (const char *path : {"a", "b", "c"})
            QVERIFY(model.addSource(fakeConfig(QStringLiteral("ws://127.0.0.1:9/") + QLatin1String(path),
                                               QStringLiteral("fake-duplex"))) >= 0);
        for (FakeTransport *t : std::as_const(m_created))
            t->goOpen(QStringLiteral("WebSocket"));
        panel.show();
        QApplication::setActiveWindow(&panel);
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        QVERIFY(!panel.view()->tabKeyNavigation());
        panel.view()->setFocus();
        panel.view()->selectRow(1);
        QTRY_COMPARE(QApplication::focusWidget(), panel.view());
        QTest::keyClick(panel.view(), Qt::Key_Tab);
        QVERIFY(QApplication::focusWidget() != panel.view());
        QCOMPARE(panel.view()->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(panel.view()->selectionModel()->selectedRows().first().row(), 1);
        // From the table, Tab reaches the send bar next (buttons with shortcuts are no Tab stops).
        QCOMPARE(QApplication::focusWidget(), panel.sendBar()->editor());
        QTest::keyClick(panel.sendBar()->editor(), Qt::Key_Backtab);
        QCOMPARE(QApplication::focusWidget(), panel.view());
    }
};

QTEST_MAIN(TestSourcesPanel)
#include "tst_sources_panel.moc"
