#include "main_window.h"

#include "redaction.h"

#include "chart_panel.h"
#include "event_log_model.h"
#include "log_pane.h"
#include "series_buffer.h"
#include "source_list_model.h"
#include "sources_panel.h"
#include "transport.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSet>
#include <QSplitter>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace {

/// "&Add source…" → "Add source".
QString plainActionText(const QAction *action)
{
    QString text = action->text();
    text.remove(QLatin1Char('&'));
    if (text.endsWith(QChar(0x2026)))
        text.chop(1);
    if (text.endsWith(QStringLiteral("...")))
        text.chop(3);
    return text;
}

/// Keys that are not actions but that users look for in the same list.
struct FieldKey
{
    const char *keys;
    const char *what;
    const char *where;
};
constexpr FieldKey FieldKeys[] = {
    {"Tab / Shift+Tab", "Next / previous pane: source URL, sources, send bar, log filter, log, chart", "Window"},
    {"Enter", "Add the source", "Sources, in the URL field"},
    {"Enter", "Send the message as text", "Sources, in the send bar"},
    {"Ctrl+Enter", "Send the message as hex bytes (01 ff 7a)", "Sources, in the send bar"},
    {"Up / Down", "Previous / next sent message", "Sources, in the send bar"},
    {"Ctrl+V", "Paste \"Name: value\" lines as headers", "Sources, in the header table"},
    {"Double click", "Edit the source", "Sources, in the sources table"},
};

/// The central widget: reports the minimum of the narrow arrangement (so the window can be made
/// as small as that allows) and tells the window its width, which picks the arrangement.
class PaneContainer : public QWidget
{
public:
    using QWidget::QWidget;
    std::function<QSize()> minimumHint;
    std::function<void(int)> widthChanged;

    QSize minimumSizeHint() const override { return minimumHint ? minimumHint() : QWidget::minimumSizeHint(); }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QWidget::resizeEvent(event);
        if (widthChanged)
            widthChanged(width());
    }
};

QSize minimumOf(const QWidget *widget)
{
    return widget->minimumSizeHint().expandedTo(widget->minimumSize());
}

} // namespace

MainWindow::MainWindow(const TransportRegistry *registry, QWidget *parent)
    : QMainWindow(parent)
    , m_sources(new SourceListModel(registry, this))
    , m_log(new EventLogModel(this))
    , m_series(new SeriesBuffer(this))
{
    setWindowTitle(QStringLiteral("LiveDash"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/livedash.png")));
    resize(1440, 880);

    connect(m_sources, &SourceListModel::eventsReceived, m_log, &EventLogModel::append);
    connect(m_sources, &SourceListModel::eventsReceived, m_series, &SeriesBuffer::append);
    // A removed source takes its log rows, reconnect markers and chart fields with it.
    connect(m_sources, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &sourceParent, int first, int last) {
                for (int row = first; !sourceParent.isValid() && row <= last; ++row) {
                    const QString id = m_sources->index(row, 0).data(SourceListModel::SourceIdRole).toString();
                    m_log->removeSource(id);
                    m_series->removeSource(id);
                }
            });

    m_sourcesPanel = new SourcesPanel(m_sources, registry, this);
    m_chartPanel = new ChartPanel(m_series, this);
    m_logPane = new LogPane(m_log, this);

    buildPanes();

    m_statusLabel = new QLabel(this);
    m_serverLabel = new QLabel(this);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_serverLabel);

    buildMenus();
    setupFocusChain();

    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(500);
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer->start();
    updateStatus();
}

MainWindow::~MainWindow() = default;

int MainWindow::addSources(const QList<TransportConfig> &configs)
{
    int added = 0;
    for (const TransportConfig &config : configs) {
        QString error;
        if (m_sources->addSource(config, &error) >= 0)
            ++added;
        else
            statusBar()->showMessage(tr("Could not add %1: %2").arg(redactedUrl(config.url), error), 10'000);
    }
    updateStatus();
    return added;
}

void MainWindow::setServerNote(const QString &note)
{
    m_serverLabel->setText(note);
}

bool MainWindow::saveScreenshot(const QString &path, QString *error)
{
    const QPixmap pixmap = grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        if (error)
            *error = tr("could not write a PNG to %1").arg(path);
        return false;
    }
    return true;
}

void MainWindow::buildPanes()
{
    m_rightSplit = new QSplitter(Qt::Vertical, this);
    m_rightSplit->addWidget(m_chartPanel);
    m_rightSplit->addWidget(m_logPane);
    m_rightSplit->setStretchFactor(0, 2);
    m_rightSplit->setStretchFactor(1, 3);
    m_rightSplit->setChildrenCollapsible(false);

    m_mainSplit = new QSplitter(Qt::Horizontal, this);
    m_mainSplit->addWidget(m_sourcesPanel);
    m_mainSplit->addWidget(m_rightSplit);
    m_mainSplit->setStretchFactor(0, 2);
    m_mainSplit->setStretchFactor(1, 5);
    m_mainSplit->setChildrenCollapsible(false);
    m_mainSplit->setSizes({580, 860});

    m_outerSplit = new QSplitter(Qt::Vertical, this);
    m_outerSplit->addWidget(m_mainSplit);
    m_outerSplit->setChildrenCollapsible(false);

    auto *central = new PaneContainer(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    // The container's minimum is the narrow arrangement's, not that of the one shown now.
    layout->setSizeConstraint(QLayout::SetNoConstraint);
    layout->addWidget(m_outerSplit);
    central->minimumHint = [this] {
        const int handle = m_mainSplit->handleWidth();
        const QSize sources = minimumOf(m_sourcesPanel);
        const QSize chart = minimumOf(m_chartPanel);
        const QSize log = minimumOf(m_logPane);
        const int width = std::max(sources.width() + handle + chart.width(), log.width());
        const int narrowHeight = std::max(sources.height(), chart.height()) + handle + log.height();
        const int wideHeight = std::max(sources.height(), chart.height() + handle + log.height());
        return QSize(width, std::max(narrowHeight, wideHeight));
    };
    central->widthChanged = [this](int width) { updatePaneLayout(width); };
    setCentralWidget(central);
}

void MainWindow::updatePaneLayout(int width)
{
    // Side by side needs the sources and the wider of chart and log next to each other; below
    // that (800x500, say) the log goes under both and gets the whole width.
    constexpr int SlackPx = 40;
    const int wideMinimum = minimumOf(m_sourcesPanel).width() + m_mainSplit->handleWidth()
        + std::max(minimumOf(m_chartPanel).width(), minimumOf(m_logPane).width()) + SlackPx;
    const bool narrow = width < wideMinimum;
    if (narrow == m_narrowLayout && m_logPane->parentWidget() != nullptr
        && (narrow ? m_logPane->parentWidget() == m_outerSplit : m_logPane->parentWidget() == m_rightSplit))
        return;
    m_narrowLayout = narrow;
    QWidget *focus = QApplication::focusWidget();
    if (narrow) {
        m_outerSplit->addWidget(m_logPane);
        m_outerSplit->setStretchFactor(0, 1);
        m_outerSplit->setStretchFactor(1, 1);
        const int total = std::max(1, m_outerSplit->height());
        m_outerSplit->setSizes({total * 3 / 5, total - total * 3 / 5});
        m_mainSplit->setSizes({width * 2 / 5, width - width * 2 / 5});
    } else {
        m_rightSplit->addWidget(m_logPane);
        m_rightSplit->setSizes({2 * m_rightSplit->height() / 5, 3 * m_rightSplit->height() / 5});
        m_mainSplit->setSizes({width * 2 / 7, width - width * 2 / 7});
    }
    setupFocusChain(); // moving the log pane moved its widgets in the focus chain
    if (focus && isAncestorOf(focus))
        focus->setFocus(Qt::OtherFocusReason);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *add = file->addAction(tr("&Add source…"), m_sourcesPanel, [this] {
        m_sourcesPanel->setFocus(Qt::ShortcutFocusReason);
        m_sourcesPanel->urlEdit()->selectAll(); // typing replaces what was there
    });
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    file->addAction(tr("Save &screenshot…"), this, &MainWindow::saveScreenshotInteractively);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Clear log"), m_log, &EventLogModel::clear);

    buildSourcesMenu();

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts"), this, [this] { showShortcuts(); });
    keys->setObjectName(QStringLiteral("keyboardShortcutsAction"));
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About LiveDash"), this, [this] {
        QMessageBox::about(this, tr("About LiveDash"),
                           tr("<b>LiveDash %1</b><p>A live dashboard for Server-Sent Events, streaming "
                              "HTTP (lines, NDJSON) and WebSocket feeds.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::buildSourcesMenu()
{
    // The panel owns these actions (and their shortcuts: Ctrl+E, F2 and Delete in the table,
    // Ctrl+R, Ctrl+Shift+P); the menu makes them discoverable.
    QMenu *sources = menuBar()->addMenu(tr("&Sources"));
    for (QAction *action : m_sourcesPanel->sourceActions())
        sources->addAction(action);
}

void MainWindow::setupFocusChain()
{
    // Tab belongs to the window, not to a table's cells (editing a cell still moves by Tab).
    for (QAbstractItemView *view : findChildren<QAbstractItemView *>())
        view->setTabKeyNavigation(false);
    // Pane by pane: every pane keeps its own order; sources, then log, then chart.
    const QList<QWidget *> panes = {m_sourcesPanel, m_logPane, m_chartPanel};
    QList<QList<QWidget *>> perPane(panes.size());
    for (QWidget *w = nextInFocusChain(); w && w != this; w = w->nextInFocusChain()) {
        if (!(w->focusPolicy() & Qt::TabFocus) || w->focusProxy())
            continue;
        for (qsizetype i = 0; i < panes.size(); ++i) {
            if (panes.at(i)->isAncestorOf(w)) {
                perPane[i].append(w);
                break;
            }
        }
    }
    QWidget *previous = nullptr;
    for (const QList<QWidget *> &widgets : std::as_const(perPane)) {
        for (QWidget *w : widgets) {
            if (previous)
                setTabOrder(previous, w);
            previous = w;
        }
    }
}

QString MainWindow::placeOf(const QAction *action, bool *windowWide) const
{
    auto paneOf = [this](const QObject *object) -> QString {
        for (const QObject *o = object; o; o = o->parent()) {
            if (o == m_sourcesPanel)
                return tr("Sources");
            if (o == m_logPane)
                return tr("Log");
            if (o == m_chartPanel)
                return tr("Chart");
        }
        return QString();
    };
    const Qt::ShortcutContext context = action->shortcutContext();
    *windowWide = context == Qt::WindowShortcut || context == Qt::ApplicationShortcut;
    QString place = paneOf(action);
    QString widgetName;
    QString menu;
    for (const QObject *object : action->associatedObjects()) {
        if (const auto *m = qobject_cast<const QMenu *>(object)) {
            if (menu.isEmpty() && !m->title().isEmpty())
                menu = m->title().remove(QLatin1Char('&'));
            continue;
        }
        const auto *widget = qobject_cast<const QWidget *>(object);
        if (!widget || widget == this)
            continue;
        if (place.isEmpty())
            place = paneOf(widget);
        if (widgetName.isEmpty() && !*windowWide)
            widgetName = widget->accessibleName().isEmpty() ? QString() : widget->accessibleName().toLower();
    }
    if (place.isEmpty())
        place = menu.isEmpty() ? tr("Window") : tr("%1 menu").arg(menu);
    if (!*windowWide)
        place += widgetName.isEmpty() ? tr(", while focused") : tr(", in the %1 table").arg(widgetName);
    return place;
}

QList<MainWindow::ShortcutEntry> MainWindow::shortcutEntries() const
{
    QList<ShortcutEntry> out;
    QSet<const QAction *> seen;
    for (const QAction *action : findChildren<QAction *>()) {
        if (seen.contains(action) || action->text().isEmpty())
            continue;
        seen.insert(action);
        for (const QKeySequence &keys : action->shortcuts()) {
            if (keys.isEmpty())
                continue;
            ShortcutEntry entry;
            entry.keys = keys;
            entry.action = plainActionText(action);
            entry.where = placeOf(action, &entry.windowWide);
            out.append(entry);
        }
    }
    std::sort(out.begin(), out.end(), [](const ShortcutEntry &a, const ShortcutEntry &b) {
        if (a.where != b.where)
            return a.where < b.where;
        return a.action < b.action;
    });
    return out;
}

QList<QKeySequence> MainWindow::conflictingShortcuts() const
{
    QList<QKeySequence> seen;
    QList<QKeySequence> conflicts;
    for (const ShortcutEntry &entry : shortcutEntries()) {
        if (!entry.windowWide)
            continue;
        if (seen.contains(entry.keys) && !conflicts.contains(entry.keys))
            conflicts.append(entry.keys);
        seen.append(entry.keys);
    }
    return conflicts;
}

QDialog *MainWindow::showShortcuts()
{
    const QList<ShortcutEntry> entries = shortcutEntries();
    const QList<QKeySequence> conflicts = conflictingShortcuts();
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto *table = new QTableWidget(int(entries.size() + std::size(FieldKeys)), 3, dialog);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setHorizontalHeaderLabels({tr("Keys"), tr("Action"), tr("Where")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setTabKeyNavigation(false);
    table->setWordWrap(false);
    int row = 0;
    auto addRow = [table, &row](const QString &keys, const QString &what, const QString &where, bool conflict) {
        auto *keyItem = new QTableWidgetItem(keys);
        QFont bold = keyItem->font();
        bold.setBold(true);
        keyItem->setFont(bold);
        table->setItem(row, 0, keyItem);
        table->setItem(row, 1, new QTableWidgetItem(what));
        table->setItem(row, 2, new QTableWidgetItem(where));
        if (conflict) {
            for (int column = 0; column < 3; ++column)
                table->item(row, column)->setForeground(QColor(183, 28, 28));
            keyItem->setToolTip(MainWindow::tr("Used by more than one action: none of them reacts"));
        }
        ++row;
    };
    for (const ShortcutEntry &entry : entries)
        addRow(entry.keys.toString(QKeySequence::NativeText), entry.action, entry.where,
               entry.windowWide && conflicts.contains(entry.keys));
    for (const FieldKey &key : FieldKeys)
        addRow(QString::fromUtf8(key.keys), tr(key.what), tr(key.where), false);
    table->resizeColumnsToContents();
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(table, 1);
    layout->addWidget(buttons);
    dialog->resize(std::max(760, std::min(960, width())), std::min(560, std::max(400, height())));
    dialog->show();
    return dialog;
}

void MainWindow::updateStatus()
{
    int open = 0;
    int retrying = 0;
    int failed = 0;
    const int count = m_sources->rowCount();
    for (int row = 0; row < count; ++row) {
        const Transport *transport = m_sources->transportAt(row);
        if (!transport)
            continue;
        switch (transport->state()) {
        case Transport::State::Open: ++open; break;
        case Transport::State::Connecting:
        case Transport::State::Reconnecting: ++retrying; break;
        case Transport::State::Closed: failed += transport->hasFailed() ? 1 : 0; break;
        case Transport::State::Idle: break;
        }
    }
    QString text = tr("%n source(s)", nullptr, count) + QStringLiteral(" · ") + tr("%1 open").arg(open);
    if (retrying)
        text += QStringLiteral(" · ") + tr("%1 connecting").arg(retrying);
    if (failed)
        text += QStringLiteral(" · ") + tr("%1 failed").arg(failed);
    text += QStringLiteral(" · ") + tr("%1 events in log").arg(QLocale().toString(m_log->rowCount()));
    m_statusLabel->setText(text);
}

void MainWindow::saveScreenshotInteractively()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save screenshot"),
                                                      QStringLiteral("livedash.png"), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveScreenshot(path, &error))
        QMessageBox::warning(this, tr("Screenshot"), error);
    else
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
}
