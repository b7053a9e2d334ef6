#include "workspace.h"

#include "bound_chart_panel.h"
#include "bound_log_pane.h"
#include "panel_title_bar.h"
#include "source_list_model.h"

#include <QAction>
#include <QDockWidget>
#include <QEvent>
#include <QResizeEvent>
#include <QStyle>
#include <QToolButton>
#include <QInputDialog>

namespace {

constexpr char WindowWideProperty[] = "livedashWindowWide";

} // namespace

Workspace::Workspace(SourceListModel *sources, QWidget *parent)
    : QMainWindow(parent)
    , m_sources(sources)
{
    setWindowFlags(Qt::Widget); // a child of the main window, not a window of its own
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks
                   | QMainWindow::GroupedDragging);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    // Every panel is a dock; the central area is an empty placeholder the docks cover.
    auto *placeholder = new QWidget(this);
    placeholder->setObjectName(QStringLiteral("workspacePlaceholder"));
    placeholder->hide();
    setCentralWidget(placeholder);

    registerBuiltinKinds();
    connect(m_sources, &SourceListModel::eventsReceived, this, &Workspace::handleEvents);
    connect(m_sources, &SourceListModel::sourceRenamed, this, [this](const QString &oldId, const QString &newId) {
        for (BoundPanel *panel : boundPanels())
            panel->handleSourceRenamed(oldId, newId);
    });
    connect(m_sources, &SourceListModel::sourceRemoved, this, [this](const QString &id) {
        for (BoundPanel *panel : boundPanels())
            panel->handleSourceRemoved(id);
    });
}

Workspace::~Workspace() = default;

void Workspace::registerBuiltinKinds()
{
    auto saveBound = [](const QWidget *panel) {
        const auto *bound = qobject_cast<const BoundPanel *>(panel);
        return bound ? bound->settings() : QJsonObject();
    };
    auto bindingOf = [](const DashboardPanel &spec) {
        return spec.allSources ? SourceBinding::everything() : SourceBinding::only(spec.sources);
    };
    m_kinds.add({QLatin1String(LogKind), tr("Log"), Qt::BottomDockWidgetArea,
                 [bindingOf](Workspace &workspace, const DashboardPanel &spec) -> QWidget * {
                     auto *pane = new BoundLogPane(workspace.m_sources);
                     pane->setBinding(bindingOf(spec));
                     pane->applySettings(spec.settings);
                     return pane;
                 },
                 saveBound});
    m_kinds.add({QLatin1String(ChartKind), tr("Chart"), Qt::RightDockWidgetArea,
                 [bindingOf](Workspace &workspace, const DashboardPanel &spec) -> QWidget * {
                     auto *chart = new BoundChartPanel(workspace.m_sources);
                     chart->setBinding(bindingOf(spec));
                     chart->applySettings(spec.settings);
                     return chart;
                 },
                 saveBound});
}

QDockWidget *Workspace::addPanel(QWidget *panel, const QString &id, const QString &title, Qt::DockWidgetArea area,
                                 const QString &kind, bool closable)
{
    if (!panel || id.isEmpty() || entry(id))
        return nullptr;
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(id);
    QDockWidget::DockWidgetFeatures features = QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable;
    if (closable)
        features |= QDockWidget::DockWidgetClosable;
    dock->setFeatures(features);
    dock->setWidget(panel);
    auto *bound = qobject_cast<BoundPanel *>(panel);
    dock->setTitleBarWidget(new PanelTitleBar(dock, bound ? bound->takeBindingButton() : nullptr, dock));
    dock->installEventFilter(this);
    QDockWidget *tabWith = nullptr;
    for (const Entry &e : std::as_const(m_entries))
        if (e.dock && !e.dock->isFloating() && dockWidgetArea(e.dock) == area)
            tabWith = e.dock;
    addDockWidget(area, dock);
    if (tabWith) {
        tabifyDockWidget(tabWith, dock);
        dock->raise();
    }
    m_entries.append({id, kind, dock, panel, closable});
    connect(dock, &QDockWidget::dockLocationChanged, this, &Workspace::changed);
    connect(dock, &QDockWidget::topLevelChanged, this, &Workspace::changed);
    if (bound)
        connectBoundPanel(bound, id);
    updateShortcutContexts();
    Q_EMIT changed();
    return dock;
}

void Workspace::connectBoundPanel(BoundPanel *panel, const QString &id)
{
    connect(panel, &BoundPanel::bindingChanged, this, &Workspace::changed);
    connect(panel, &BoundPanel::renameRequested, this, [this, id] { renameInteractively(id); });
    // Queued: the request comes from the panel's own menu, which must not be deleted under it.
    connect(panel, &BoundPanel::closeRequested, this, [this, id] { closePanel(id); }, Qt::QueuedConnection);
}

QString Workspace::freeId(const QString &kind) const
{
    for (int n = 1;; ++n) {
        const QString id = kind + QLatin1Char('-') + QString::number(n);
        if (!entry(id))
            return id;
    }
}

int Workspace::countOf(const QString &kind) const
{
    int n = 0;
    for (const Entry &e : m_entries)
        n += e.kind == kind && e.panel ? 1 : 0;
    return n;
}

BoundLogPane *Workspace::addLogPane(const SourceBinding &binding, const QString &id, const QString &title)
{
    DashboardPanel spec;
    spec.kind = QLatin1String(LogKind);
    spec.id = id.isEmpty() ? freeId(spec.kind) : id;
    spec.title = title.isEmpty() ? (countOf(spec.kind) == 0 ? tr("Log") : tr("Log %1").arg(countOf(spec.kind) + 1)) : title;
    spec.allSources = binding.all;
    spec.sources = binding.sources;
    return qobject_cast<BoundLogPane *>(createPanel(spec));
}

BoundChartPanel *Workspace::addChartPanel(const SourceBinding &binding, const QString &id, const QString &title)
{
    DashboardPanel spec;
    spec.kind = QLatin1String(ChartKind);
    spec.id = id.isEmpty() ? freeId(spec.kind) : id;
    spec.title = title.isEmpty() ? (countOf(spec.kind) == 0 ? tr("Chart") : tr("Chart %1").arg(countOf(spec.kind) + 1)) : title;
    spec.allSources = binding.all;
    spec.sources = binding.sources;
    return qobject_cast<BoundChartPanel *>(createPanel(spec));
}

QWidget *Workspace::createPanel(const DashboardPanel &spec, QString *error)
{
    const PanelKind *kind = m_kinds.find(spec.kind);
    if (!kind) {
        if (error)
            *error = tr("unknown panel kind \"%1\"").arg(spec.kind);
        return nullptr;
    }
    if (entry(spec.id)) {
        if (error)
            *error = tr("the panel id \"%1\" is in use").arg(spec.id);
        return nullptr;
    }
    QWidget *panel = kind->create(*this, spec);
    if (!panel) {
        if (error)
            *error = tr("the %1 panel \"%2\" could not be created").arg(spec.kind, spec.id);
        return nullptr;
    }
    addPanel(panel, spec.id, spec.title.isEmpty() ? kind->defaultTitle : spec.title, kind->area, spec.kind);
    return panel;
}

bool Workspace::closePanel(const QString &id)
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const Entry e = m_entries.at(i);
        if (e.id != id)
            continue;
        if (!e.closable)
            return false;
        m_entries.removeAt(i);
        if (e.dock) {
            e.dock->removeEventFilter(this);
            removeDockWidget(e.dock);
            delete e.dock; // deletes the panel with it
        }
        updateShortcutContexts();
        Q_EMIT changed();
        return true;
    }
    return false;
}

bool Workspace::eventFilter(QObject *watched, QEvent *event)
{
    // The dock's close button closes the panel for good (a hidden dock would keep its model).
    if (event->type() == QEvent::Close) {
        if (auto *dock = qobject_cast<QDockWidget *>(watched)) {
            const Entry *e = entry(dock->objectName());
            if (e && e->closable) {
                event->ignore();
                const QString id = e->id;
                QMetaObject::invokeMethod(this, [this, id] { closePanel(id); }, Qt::QueuedConnection);
                return true;
            }
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

const Workspace::Entry *Workspace::entry(const QString &id) const
{
    for (const Entry &e : m_entries)
        if (e.id == id)
            return &e;
    return nullptr;
}

QStringList Workspace::panelIds() const
{
    QStringList ids;
    for (const Entry &e : m_entries)
        ids.append(e.id);
    return ids;
}

QWidget *Workspace::panel(const QString &id) const
{
    const Entry *e = entry(id);
    return e ? e->panel.data() : nullptr;
}

QDockWidget *Workspace::dock(const QString &id) const
{
    const Entry *e = entry(id);
    return e ? e->dock.data() : nullptr;
}

QString Workspace::panelTitle(const QString &id) const
{
    const QDockWidget *d = dock(id);
    return d ? d->windowTitle() : QString();
}

void Workspace::setPanelTitle(const QString &id, const QString &title)
{
    QDockWidget *d = dock(id);
    if (!d || title.trimmed().isEmpty() || d->windowTitle() == title.trimmed())
        return;
    d->setWindowTitle(title.trimmed());
    Q_EMIT changed();
}

void Workspace::renameInteractively(const QString &id)
{
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename panel"), tr("Title:"), QLineEdit::Normal,
                                                panelTitle(id), &ok);
    if (ok)
        setPanelTitle(id, title);
}

QList<BoundPanel *> Workspace::boundPanels() const
{
    QList<BoundPanel *> out;
    for (const Entry &e : m_entries)
        if (auto *bound = qobject_cast<BoundPanel *>(e.panel.data()))
            out.append(bound);
    return out;
}

QList<BoundLogPane *> Workspace::logPanes() const
{
    QList<BoundLogPane *> out;
    for (const Entry &e : m_entries)
        if (auto *pane = qobject_cast<BoundLogPane *>(e.panel.data()))
            out.append(pane);
    return out;
}

QList<BoundChartPanel *> Workspace::chartPanels() const
{
    QList<BoundChartPanel *> out;
    for (const Entry &e : m_entries)
        if (auto *chart = qobject_cast<BoundChartPanel *>(e.panel.data()))
            out.append(chart);
    return out;
}

void Workspace::handleEvents(const QList<StreamEvent> &events)
{
    for (const Entry &e : std::as_const(m_entries))
        if (auto *bound = qobject_cast<BoundPanel *>(e.panel.data()))
            bound->appendEvents(events);
}

QList<DashboardPanel> Workspace::panelSpecs() const
{
    QList<DashboardPanel> out;
    for (const Entry &e : m_entries) {
        if (e.kind.isEmpty() || !e.panel)
            continue;
        DashboardPanel spec;
        spec.kind = e.kind;
        spec.id = e.id;
        spec.title = panelTitle(e.id);
        if (const auto *bound = qobject_cast<const BoundPanel *>(e.panel.data())) {
            spec.allSources = bound->binding().all;
            spec.sources = bound->binding().sources;
        }
        if (const PanelKind *kind = m_kinds.find(e.kind); kind && kind->saveSettings)
            spec.settings = kind->saveSettings(e.panel);
        out.append(spec);
    }
    out.append(m_unknown);
    return out;
}

void Workspace::setPanels(const QList<DashboardPanel> &specs, QStringList *notes)
{
    for (const QString &id : panelIds())
        closePanel(id);
    m_unknown.clear();
    for (const DashboardPanel &spec : specs) {
        if (entry(spec.id)) {
            setPanelTitle(spec.id, spec.title);
            continue;
        }
        if (!m_kinds.find(spec.kind)) {
            m_unknown.append(spec);
            if (notes)
                notes->append(tr("panel \"%1\": this LiveDash has no \"%2\" panels; it is kept in the dashboard")
                                  .arg(spec.title.isEmpty() ? spec.id : spec.title, spec.kind));
            continue;
        }
        QString error;
        if (!createPanel(spec, &error) && notes)
            notes->append(tr("panel \"%1\": %2").arg(spec.id, error));
    }
    Q_EMIT changed();
}

void Workspace::arrangeDefault(const QSize &size)
{
    QList<QDockWidget *> left, right, bottom;
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.dock)
            continue;
        e.dock->setFloating(false);
        removeDockWidget(e.dock);
        const PanelKind *kind = m_kinds.find(e.kind);
        const Qt::DockWidgetArea area = !e.closable ? Qt::LeftDockWidgetArea
                                        : kind ? kind->area : Qt::RightDockWidgetArea;
        (area == Qt::LeftDockWidgetArea ? left : area == Qt::BottomDockWidgetArea ? bottom : right).append(e.dock);
    }
    auto place = [this](const QList<QDockWidget *> &docks, Qt::DockWidgetArea area) {
        for (qsizetype i = 0; i < docks.size(); ++i) {
            addDockWidget(area, docks.at(i));
            docks.at(i)->show();
            if (i > 0)
                tabifyDockWidget(docks.first(), docks.at(i));
        }
        if (!docks.isEmpty())
            docks.first()->raise();
    };
    place(left, Qt::LeftDockWidgetArea);
    place(right, Qt::RightDockWidgetArea);
    place(bottom, Qt::BottomDockWidgetArea);
    updateCorners(size.width());
    if (isNarrow()) {
        // Sources and charts side by side over a full-width log.
        if (!left.isEmpty() && !right.isEmpty())
            resizeDocks({left.first(), right.first()}, {size.width() * 2 / 5, size.width() * 3 / 5}, Qt::Horizontal);
        QDockWidget *top = !left.isEmpty() ? left.first() : !right.isEmpty() ? right.first() : nullptr;
        if (top && !bottom.isEmpty())
            resizeDocks({top, bottom.first()}, {size.height() * 62 / 100, size.height() * 38 / 100}, Qt::Vertical);
    } else {
        // Sources the whole height on the left (a third: the logs and tables need the width);
        // charts over the log on the right.
        if (!left.isEmpty() && !right.isEmpty())
            resizeDocks({left.first(), right.first()}, {size.width() / 3, size.width() * 2 / 3}, Qt::Horizontal);
        if (!right.isEmpty() && !bottom.isEmpty())
            resizeDocks({right.first(), bottom.first()}, {size.height() * 2 / 5, size.height() * 3 / 5}, Qt::Vertical);
    }
}

bool Workspace::isNarrow() const
{
    return corner(Qt::BottomLeftCorner) == Qt::BottomDockWidgetArea;
}

void Workspace::updateCorners(int width)
{
    // The left column (the sources) keeps the full height while the window is wide enough for it
    // beside the widest other panel; below that the bottom area (the logs) takes the full width.
    constexpr int SlackPx = 40;
    int leftWidth = 0;
    int otherWidth = 0;
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.dock || e.dock->isFloating() || !e.dock->isVisible())
            continue;
        const int w = e.dock->minimumSizeHint().expandedTo(e.dock->minimumSize()).width();
        if (dockWidgetArea(e.dock) == Qt::LeftDockWidgetArea)
            leftWidth = std::max(leftWidth, w);
        else
            otherWidth = std::max(otherWidth, w);
    }
    const bool narrow = width < leftWidth + otherWidth + SlackPx;
    const Qt::DockWidgetArea wanted = narrow ? Qt::BottomDockWidgetArea : Qt::LeftDockWidgetArea;
    if (corner(Qt::BottomLeftCorner) == wanted)
        return;
    setCorner(Qt::BottomLeftCorner, wanted);
    // Narrow windows are short too (800x500): the fixed panels (the sources) put their title
    // bar at the side, so their content keeps the row.
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.dock || e.closable)
            continue;
        e.dock->setFeatures(narrow ? e.dock->features() | QDockWidget::DockWidgetVerticalTitleBar
                                   : e.dock->features() & ~QDockWidget::DockWidgetVerticalTitleBar);
        if (auto *bar = qobject_cast<PanelTitleBar *>(e.dock->titleBarWidget()))
            bar->setVertical(narrow);
    }
}

QSize Workspace::minimumSizeHint() const
{
    // The minimum of the narrow arrangement (left and right over the bottom), whatever is shown
    // now: the window may be made that small, and updateCorners() switches to it on the way.
    QSize left, right, bottom;
    for (const Entry &e : m_entries) {
        if (!e.dock || e.dock->isFloating() || e.dock->isHidden())
            continue;
        const QSize m = e.dock->minimumSizeHint().expandedTo(e.dock->minimumSize());
        const Qt::DockWidgetArea area = dockWidgetArea(e.dock);
        QSize &slot = area == Qt::LeftDockWidgetArea ? left : area == Qt::BottomDockWidgetArea ? bottom : right;
        slot = slot.expandedTo(m);
    }
    const int separator = style()->pixelMetric(QStyle::PM_DockWidgetSeparatorExtent, nullptr, this);
    const int width = std::max(left.width() + separator + right.width(), bottom.width());
    const int height = std::max(left.height(), right.height()) + (bottom.isEmpty() ? 0 : separator + bottom.height());
    return QSize(width, height);
}

void Workspace::resizeEvent(QResizeEvent *event)
{
    updateCorners(event->size().width());
    QMainWindow::resizeEvent(event);
}

void Workspace::updateShortcutContexts()
{
    for (const QString &kind : {QString::fromLatin1(LogKind), QString::fromLatin1(ChartKind)}) {
        const bool several = countOf(kind) > 1;
        for (const Entry &e : std::as_const(m_entries)) {
            if (e.kind != kind || !e.panel)
                continue;
            for (QAction *action : e.panel->findChildren<QAction *>()) {
                if (action->shortcuts().isEmpty())
                    continue;
                if (!action->property(WindowWideProperty).isValid())
                    action->setProperty(WindowWideProperty, action->shortcutContext() == Qt::WindowShortcut);
                if (action->property(WindowWideProperty).toBool())
                    action->setShortcutContext(several ? Qt::WidgetWithChildrenShortcut : Qt::WindowShortcut);
            }
        }
    }
}
