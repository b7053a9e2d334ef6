#pragma once

#include "dashboard_document.h"
#include "panel_kind_registry.h"
#include "source_binding.h"
#include "stream_event.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class BoundChartPanel;
class BoundLogPane;
class BoundPanel;
class QDockWidget;
class SourceListModel;

/// The window's panels as Qt docks: tabbable, floatable, nested (setDockNestingEnabled), closable
/// (except those added with closable = false, such as the sources panel), laid out with
/// saveState()/restoreState(). Embedded as the main window's central widget, so the menus and
/// status bar stay the main window's.
///
/// Panels have an id (the dock's objectName, which restoreState() matches) and a title (the
/// dock's, editable). Log panes and chart panels are BoundPanels: each is fed only with the
/// events of its bound sources (see BoundPanel). Source renames and removals reach every binding.
///
/// Dashboards: panelSpecs() describes every panel for the file (kind, id, title, binding,
/// settings); setPanels() replaces the closable panels by those of a file. Kinds come from
/// kinds() (PanelKindRegistry): "log" and "chart" are built in; others (Kubernetes views) are
/// added by the app. Entries of unknown kinds are kept as read and written back by panelSpecs(),
/// so opening and saving a dashboard in a LiveDash without that kind loses nothing.
///
/// Shortcuts: while there is one panel of a kind its window-wide shortcuts (Ctrl+F of the log,
/// Ctrl+P of the chart) stay window-wide; with two or more they apply to the focused panel
/// (Qt::WidgetWithChildrenShortcut), since the same key on two window-wide actions fires neither.
class Workspace : public QMainWindow
{
    Q_OBJECT
public:
    static constexpr char LogKind[] = "log";
    static constexpr char ChartKind[] = "chart";

    /// `sources` must outlive the workspace.
    explicit Workspace(SourceListModel *sources, QWidget *parent = nullptr);
    ~Workspace() override;

    /// Docks `panel` (reparented) as `id` (unique; the dock's objectName) in `area`, tabbed with
    /// the last panel already there. `kind` names its PanelKind for saving (empty: the panel is
    /// not saved in dashboards, only laid out). Returns the dock, or nullptr when `id` is in use.
    QDockWidget *addPanel(QWidget *panel, const QString &id, const QString &title, Qt::DockWidgetArea area,
                          const QString &kind = QString(), bool closable = true);
    /// A new log pane / chart panel ("log-2", "chart-3" when `id` is empty; title "Log 2").
    BoundLogPane *addLogPane(const SourceBinding &binding = {}, const QString &id = QString(),
                             const QString &title = QString());
    BoundChartPanel *addChartPanel(const SourceBinding &binding = {}, const QString &id = QString(),
                                   const QString &title = QString());
    /// Creates a panel of a registered kind from a dashboard entry; nullptr with *error for an
    /// unknown kind or an id in use.
    QWidget *createPanel(const DashboardPanel &spec, QString *error = nullptr);
    /// Removes and deletes a closable panel. False for an unknown or fixed id.
    bool closePanel(const QString &id);

    QStringList panelIds() const;
    QWidget *panel(const QString &id) const;
    QDockWidget *dock(const QString &id) const;
    QString panelTitle(const QString &id) const;
    void setPanelTitle(const QString &id, const QString &title);
    /// Asks for a new title (QInputDialog) and sets it.
    void renameInteractively(const QString &id);
    QList<BoundLogPane *> logPanes() const;
    QList<BoundChartPanel *> chartPanels() const;
    /// Every bound panel, in the order they were added.
    QList<BoundPanel *> boundPanels() const;

    PanelKindRegistry &kinds() { return m_kinds; }
    /// Every saved panel (see the class comment), in the order they were added, then the
    /// entries of unknown kinds.
    QList<DashboardPanel> panelSpecs() const;
    /// Closes every closable panel and creates those of `specs`; a spec whose id exists (a fixed
    /// panel such as "sources") only sets its title. Problems (unknown kinds, refused entries)
    /// are appended to *notes; unknown kinds are kept for panelSpecs().
    void setPanels(const QList<DashboardPanel> &specs, QStringList *notes = nullptr);
    /// The default arrangement: fixed panels on the left, charts on the right, logs below both,
    /// with room for each (for a workspace about `size` large).
    void arrangeDefault(const QSize &size);

    /// True while the bottom area (the logs) spans the full width: the window is too narrow for
    /// the left column beside the other panels (see updateCorners()).
    bool isNarrow() const;
    /// The minimum of the narrow arrangement (see updateCorners()), so a window can be made as
    /// small as that allows even while it shows the wide one.
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// Something a dashboard saves changed: a panel came or went, a title, a binding, the layout.
    void changed();

private:
    struct Entry
    {
        QString id;
        QString kind;
        QPointer<QDockWidget> dock;
        QPointer<QWidget> panel;
        bool closable = true;
    };

    void registerBuiltinKinds();
    QString freeId(const QString &kind) const;
    int countOf(const QString &kind) const;
    void connectBoundPanel(BoundPanel *panel, const QString &id);
    void updateShortcutContexts();
    void handleEvents(const QList<StreamEvent> &events);
    const Entry *entry(const QString &id) const;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    /// Gives the bottom-left corner to the left column when `width` has room for it beside the
    /// widest other panel, else to the bottom area. Only the corner changes; no dock moves.
    void updateCorners(int width);

    SourceListModel *m_sources;
    PanelKindRegistry m_kinds;
    QList<Entry> m_entries;
    QList<DashboardPanel> m_unknown; ///< entries of kinds this program does not know, kept as read
};
