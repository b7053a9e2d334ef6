#pragma once

#include <QHash>
#include <QKeySequence>
#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>

class BoundPanel;
class ChartPanel;
class ClusterBrowser;
class EventLogModel;
class K8sEnvironment;
class LogPane;
class ObjectDetailsView;
class QDialog;
class QLabel;
class QMenu;
class QTimer;
class ResourceTablePanel;
class ResourceTableView;
class SecretStore;
class SeriesBuffer;
class SourceListModel;
class SourcesPanel;
class TerminalController;
class TransportRegistry;
class Workspace;
struct DashboardDocument;
struct TransportConfig;

/// The main window: a Workspace of docks (Sources, any number of Log panes and Chart panels, each
/// bound to a set of sources), menus and a status bar. Owns the SourceListModel (which owns the
/// transports); the Workspace routes SourceListModel::eventsReceived to every bound panel.
///
/// Dashboards: File ▸ Open / Save / Save As / recent files read and write .livedash files
/// (dashboard_document.h): sources with their options, panels with bindings and settings, the
/// dock layout and the window geometry. Secret header values go to the SecretStore (the system
/// keyring), never into the file; when the store has no value, opening asks for it (the
/// SecretPrompt; Cancel keeps that source paused, with a note). A file that cannot be read
/// changes nothing. The title shows the dashboard name and "*" while modified.
///
/// Last session: the same format at lastSessionPath(), written on close when
/// setSavesLastSession(true) and read back by restoreLastSession() (main.cpp decides when).
///
/// Kubernetes (setK8sEnvironment()): a "Cluster" panel (ClusterBrowser) tabbed with Sources;
/// every resource table it opens is a panel of kind "k8s-resources" (context, namespace and
/// resource saved in dashboards, reopened on load once discovery answers); "Show details" opens
/// an object details panel that is not saved (a live view of one object, cheap to reopen).
/// "Follow logs" adds the k8s:logs source (named "logs: deployment/web") unless a source with
/// that URL exists, and opens a log pane bound to it, tabbed with the other log panes.
///
/// Keyboard: Tab moves pane by pane — sources → cluster → each resource table → each log pane →
/// each chart — and no table keeps Tab for its cells. Help → Keyboard shortcuts (F1) lists every QAction of the window that has a
/// shortcut, collected when the dialog opens, so actions the panes add later show up by
/// themselves. Usable from 800x500 up.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// Asks for the value of a secret header of `source`; std::nullopt when the user cancels.
    using SecretPrompt = std::function<std::optional<QByteArray>(const QString &source, const QByteArray &header)>;

    explicit MainWindow(const TransportRegistry *registry, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Gives the window the process's clusters: adds the Cluster panel and the "k8s-resources"
    /// panel kind. Call once, before opening a dashboard (its resource panels need the kind).
    void setK8sEnvironment(std::shared_ptr<K8sEnvironment> environment);
    K8sEnvironment *k8sEnvironment() const { return m_k8s.get(); }
    /// nullptr without a K8sEnvironment.
    ClusterBrowser *clusterBrowser() const { return m_clusterBrowser; }
    /// Raises the Cluster panel, loads `context` (expands it) and raises the first resource table.
    void showCluster(const QString &context);
    /// Follow logs: the k8s: source of `sourceUrl` (added unless one with that URL exists) and a
    /// new log pane bound to it, titled with the source name, tabbed with the log panes and
    /// focused. Returns the source name; empty (and a status message) when it cannot be added.
    QString followLogs(const QString &sourceUrl);
    /// The open resource-table panels, in the order they were added.
    QList<ResourceTablePanel *> resourcePanels() const;
    /// The open object details views.
    QList<ObjectDetailsView *> detailsViews() const;

    /// Opens each source; returns how many could be added (errors are shown in the sources panel).
    int addSources(const QList<TransportConfig> &configs);
    /// Shown in the status bar, e.g. "demo server on http://127.0.0.1:40123".
    void setServerNote(const QString &note);
    /// Renders the window into a PNG. Returns false with *error set if the file cannot be written.
    bool saveScreenshot(const QString &path, QString *error = nullptr);

    // --- Dashboards ----------------------------------------------------------------------------
    /// Replaces sources, panels and layout by those of the dashboard at `path` (a file or a
    /// ":/" resource). `substitutions` replace text in source URLs ("{demo-http}" → the demo
    /// server). False with *error (path, line/column or JSON path, what was expected) when the
    /// file cannot be read; then nothing changes. Problems with single entries (a source that
    /// cannot be added, a secret not supplied, an unknown panel kind) go to dashboardNotes().
    bool openDashboard(const QString &path, QString *error = nullptr,
                       const QHash<QString, QString> &substitutions = {});
    /// openDashboard(), and on failure the error in a dialog and on stderr.
    bool openDashboardInteractively(const QString &path);
    /// Writes the current dashboard to `path` (secrets to the SecretStore) and makes it the
    /// current file.
    bool saveDashboard(const QString &path, QString *error = nullptr);
    /// The current dashboard; secret values are stored under `secretsPath` keys (empty: not stored).
    DashboardDocument currentDashboard(const QString &secretsPath) const;
    QString dashboardPath() const { return m_dashboardPath; }
    /// The name shown in the title: the document's, else the file's base name, else "Untitled".
    QString dashboardName() const;
    bool isDashboardModified() const { return isWindowModified(); }
    /// Notes of the last openDashboard() (see there).
    QStringList dashboardNotes() const { return m_notes; }
    QStringList recentDashboards() const;

    /// LIVEDASH_LAST_SESSION when set, else AppConfigLocation/last-session.livedash, unless set here.
    QString lastSessionPath() const;
    void setLastSessionPath(const QString &path) { m_lastSessionPath = path; }
    /// Whether closing the window writes the last session (main.cpp: not with --demo).
    void setSavesLastSession(bool on) { m_savesLastSession = on; }
    bool saveLastSession(QString *error = nullptr);
    /// Opens the last session when the file exists; false (and *error) when it exists but
    /// cannot be read, false without error when there is none.
    bool restoreLastSession(QString *error = nullptr);

    /// Replaces the keyring (tests use a MemorySecretStore).
    void setSecretStore(std::unique_ptr<SecretStore> store);
    SecretStore *secretStore() const { return m_secretStore.get(); }
    /// Replaces the dialog that asks for a secret value (tests answer without a dialog).
    void setSecretPrompt(SecretPrompt prompt) { m_secretPrompt = std::move(prompt); }

    /// One row of the shortcuts list.
    struct ShortcutEntry
    {
        QKeySequence keys;
        QString action; ///< the action's text without mnemonics and ellipsis
        QString where;  ///< "Sources", "Log", "Chart", "Window", "File menu"; "…, in the sources table" for widget-only keys
        bool windowWide = true; ///< false when the key works only while its widget has focus
    };
    /// Every QAction of the window with a shortcut (one entry per key sequence), sorted by place.
    QList<ShortcutEntry> shortcutEntries() const;
    /// Key sequences that more than one window-wide action uses (Qt then triggers none of them).
    QList<QKeySequence> conflictingShortcuts() const;
    /// Opens Help → Keyboard shortcuts (non-modal; deleted when closed) and returns it.
    QDialog *showShortcuts();

    SourceListModel *sourceModel() const { return m_sources; }
    SourcesPanel *sourcesPanel() const { return m_sourcesPanel; }
    Workspace *workspace() const { return m_workspace; }
    /// Terminal tabs, recordings and port forwards (Terminal menu, Shell / Attach / Port forward…).
    TerminalController *terminals() const { return m_terminals; }
    /// The first log pane / chart panel of the workspace (nullptr when all are closed), and its model.
    LogPane *logPane() const;
    ChartPanel *chartPanel() const;
    EventLogModel *logModel() const;
    SeriesBuffer *seriesBuffer() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildMenus();
    void buildFileMenu();
    void buildViewMenu();
    void buildSourcesMenu();
    void setupFocusChain();
    QString placeOf(const QAction *action, bool *windowWide) const;
    void updateStatus();
    void saveScreenshotInteractively();
    void openInteractively();
    bool saveInteractively(bool askPath);
    void addRecent(const QString &path);
    void updateRecentMenu();
    void setModified(bool modified);
    void updateTitle();
    void addDefaultPanels();
    void handleWorkspaceChanged();
    /// Secret values for `document`'s secret headers (store, else prompt); sources whose secret
    /// was not supplied get paused and a note.
    void resolveSecrets(DashboardDocument &document, const QString &path, QList<bool> *pausedForSecret);
    void applyDashboard(const DashboardDocument &document, const QList<bool> &pausedForSecret);
    void registerK8sKinds();
    void connectResourcePanel(ResourceTablePanel *panel);
    void dockResourceTable(ResourceTableView *view);
    void focusResourceTable(ResourceTableView *view);
    void dockDetails(ObjectDetailsView *view);
    QString freePanelId(const QString &prefix) const;

    SourceListModel *m_sources;
    Workspace *m_workspace;
    TerminalController *m_terminals = nullptr;
    SourcesPanel *m_sourcesPanel = nullptr;
    std::shared_ptr<K8sEnvironment> m_k8s;
    ClusterBrowser *m_clusterBrowser = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_serverLabel = nullptr;
    QTimer *m_statusTimer = nullptr;
    QMenu *m_recentMenu = nullptr;
    std::unique_ptr<SecretStore> m_secretStore;
    SecretPrompt m_secretPrompt;
    QString m_dashboardPath;
    QString m_dashboardDocName;
    QString m_lastSessionPath;
    QStringList m_notes;
    bool m_savesLastSession = false;
    bool m_loading = false;        ///< true while a dashboard is applied (no "modified")
    bool m_layoutRestored = false; ///< a dashboard set the layout; the first show keeps it
    bool m_shown = false;
};
