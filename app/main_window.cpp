#include "main_window.h"

#include "terminal_controller.h"
#include "terminal_panel.h"

#include "redaction.h"

#include "bound_chart_panel.h"
#include "bound_log_pane.h"
#include "chart_panel.h"
#include "cluster_browser.h"
#include "dashboard_file.h"
#include "event_log_model.h"
#include "k8s_environment.h"
#include "k8s_source_spec.h"
#include "log_pane.h"
#include "object_details_view.h"
#include "resource_table_panel.h"
#include "resource_table_view.h"
#include "secret_store.h"
#include "series_buffer.h"
#include "source_list_model.h"
#include "sources_panel.h"
#include "transport.h"
#include "workspace.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cstdio>

namespace {

constexpr char SourcesPanelId[] = "sources";
constexpr char SourcesKind[] = "sources";
constexpr char ClusterPanelId[] = "cluster";
constexpr char DetailsPrefix[] = "k8s-details";
constexpr int MaxRecent = 8;

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
    {"Tab / Shift+Tab", "Next / previous pane: sources, each log pane, each chart", "Window"},
    {"Enter", "Add the source", "Sources, in the URL field"},
    {"Enter", "Send the message as text", "Sources, in the send bar"},
    {"Ctrl+Enter", "Send the message as hex bytes (01 ff 7a)", "Sources, in the send bar"},
    {"Up / Down", "Previous / next sent message", "Sources, in the send bar"},
    {"Ctrl+V", "Paste \"Name: value\" lines as headers", "Sources, in the header table"},
    {"Double click", "Edit the source", "Sources, in the sources table"},
};

/// The dialog that asks for a secret header value when the keyring has none.
std::optional<QByteArray> askForSecret(QWidget *parent, const QString &source, const QByteArray &header)
{
    bool ok = false;
    const QString value = QInputDialog::getText(
        parent, MainWindow::tr("Secret header"),
        MainWindow::tr("The value of the header <b>%1</b> of the source <b>%2</b> is not in a keyring.<br>"
                       "Enter it again (it is not written to the dashboard file), or Cancel to keep the "
                       "source paused.")
            .arg(QString::fromLatin1(header).toHtmlEscaped(), source.toHtmlEscaped()),
        QLineEdit::Password, QString(), &ok);
    if (!ok)
        return std::nullopt;
    return value.toUtf8();
}

/// The name of a follow-logs source: "logs: deployment/web", "logs: pod/web-1/main",
/// "logs: app=web"; with " · NAMESPACE" when the URL names one.
QString logSourceName(const QString &sourceUrl)
{
    QString error;
    const std::optional<K8sSourceSpec> spec = K8sSourceSpec::parse(QUrl(sourceUrl), &error);
    if (!spec)
        return QStringLiteral("logs");
    QString what;
    switch (spec->kind) {
    case K8sSourceSpec::Kind::PodLogs:
        what = QStringLiteral("pod/") + spec->pod + (spec->container.isEmpty() ? QString() : u'/' + spec->container);
        break;
    case K8sSourceSpec::Kind::WorkloadLogs: {
        QString kind = spec->workloadKind;
        if (kind.endsWith(u's'))
            kind.chop(1);
        what = kind + u'/' + spec->workloadName;
        break;
    }
    case K8sSourceSpec::Kind::SelectorLogs: what = spec->selector; break;
    case K8sSourceSpec::Kind::Watch: what = spec->resource; break;
    }
    QString name = QStringLiteral("logs: ") + what;
    if (!spec->containerRegex.isEmpty())
        name += QStringLiteral(" [") + spec->containerRegex + u']';
    if (!spec->namespaceName.isEmpty() && spec->namespaceName != u"default")
        name += QStringLiteral(" \u00b7 ") + spec->namespaceName;
    return name;
}

} // namespace

MainWindow::MainWindow(const TransportRegistry *registry, QWidget *parent)
    : QMainWindow(parent)
    , m_sources(new SourceListModel(registry, this))
    , m_workspace(new Workspace(m_sources, this))
    , m_secretStore(std::make_unique<KeychainSecretStore>())
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/livedash.png")));
    resize(1440, 880);
    m_secretPrompt = [this](const QString &source, const QByteArray &header) {
        return askForSecret(this, source, header);
    };

    m_sourcesPanel = new SourcesPanel(m_sources, registry, this);
    setCentralWidget(m_workspace);
    m_terminals = new TerminalController(m_workspace, this, this);
    m_terminals->registerKinds();
    connect(m_terminals, &TerminalController::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 15'000); });
    m_workspace->addPanel(m_sourcesPanel, QLatin1String(SourcesPanelId), tr("Sources"), Qt::LeftDockWidgetArea,
                          QLatin1String(SourcesKind), false);
    addDefaultPanels();

    m_statusLabel = new QLabel(this);
    m_serverLabel = new QLabel(this);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_serverLabel);

    buildMenus();
    setupFocusChain();

    connect(m_workspace, &Workspace::changed, this, &MainWindow::handleWorkspaceChanged);
    connect(m_sources, &QAbstractItemModel::rowsInserted, this, [this] { setModified(true); });
    connect(m_sources, &QAbstractItemModel::rowsRemoved, this, [this] { setModified(true); });
    connect(m_sources, &SourceListModel::sourceRenamed, this, [this] { setModified(true); });

    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(500);
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer->start();
    updateStatus();
    setModified(false);
}

MainWindow::~MainWindow()
{
    // The panels (informers, k8s sources) go before the environment that owns their clients.
    delete m_workspace;
    m_workspace = nullptr;
    for (int row = m_sources->rowCount() - 1; row >= 0; --row)
        m_sources->removeSource(row);
}

// --- Kubernetes ----------------------------------------------------------------------------------

void MainWindow::setK8sEnvironment(std::shared_ptr<K8sEnvironment> environment)
{
    if (m_k8s || !environment)
        return;
    m_k8s = std::move(environment);
    m_terminals->setK8sEnvironment(m_k8s.get());
    const bool wasModified = isWindowModified();
    m_loading = true;
    m_clusterBrowser = new ClusterBrowser(m_k8s.get());
    m_clusterBrowser->setObjectName(QStringLiteral("clusterBrowser"));
    connect(m_clusterBrowser, &ClusterBrowser::resourceTableOpened, this, &MainWindow::dockResourceTable);
    connect(m_clusterBrowser, &ClusterBrowser::resourceTableFocusRequested, this, &MainWindow::focusResourceTable);
    m_workspace->addPanel(m_clusterBrowser, QLatin1String(ClusterPanelId), tr("Cluster"), Qt::LeftDockWidgetArea,
                          QString(), false);
    if (QDockWidget *sources = m_workspace->dock(QLatin1String(SourcesPanelId)))
        sources->raise();
    registerK8sKinds();
    // Insecure TLS, exec plugin stderr: the client's warnings (already escaped) in the status bar.
    connect(m_k8s.get(), &K8sEnvironment::warning, this, [this](const QString &context, const QString &text) {
        statusBar()->showMessage(tr("%1: %2").arg(context, text), 15'000);
    });
    m_loading = false;
    setModified(wasModified);
    setupFocusChain();
}

void MainWindow::registerK8sKinds()
{
    m_workspace->kinds().add({QLatin1String(ResourceTablePanel::Kind), tr("Resources"), Qt::RightDockWidgetArea,
                              [this](Workspace &, const DashboardPanel &spec) -> QWidget * {
                                  auto *panel = new ResourceTablePanel(m_k8s.get(), spec.settings);
                                  connectResourcePanel(panel);
                                  return panel;
                              },
                              [](const QWidget *panel) {
                                  const auto *table = qobject_cast<const ResourceTablePanel *>(panel);
                                  return table ? table->settings() : QJsonObject();
                              }});
}

void MainWindow::connectResourcePanel(ResourceTablePanel *panel)
{
    connect(panel, &ResourceTablePanel::followLogsRequested, this, [this](const QString &url) { followLogs(url); });
    connect(panel, &ResourceTablePanel::detailsViewOpened, this, &MainWindow::dockDetails);
    connect(panel, &ResourceTablePanel::terminalRequested, this,
            [this](const QString &url) { m_terminals->openTerminal(TerminalTarget{url, {}}); });
    connect(panel, &ResourceTablePanel::portForwardRequested, m_terminals, &TerminalController::requestPortForward);
    connect(panel, &ResourceTablePanel::viewReady, this, [this](ResourceTableView *view) {
        if (m_clusterBrowser)
            m_clusterBrowser->adoptTable(view);
    });
    if (panel->view() && m_clusterBrowser)
        m_clusterBrowser->adoptTable(panel->view());
}

QString MainWindow::freePanelId(const QString &prefix) const
{
    for (int n = 1;; ++n) {
        const QString id = prefix + u'-' + QString::number(n);
        if (!m_workspace->panel(id))
            return id;
    }
}

void MainWindow::dockResourceTable(ResourceTableView *view)
{
    auto *panel = new ResourceTablePanel(view);
    connectResourcePanel(panel);
    QDockWidget *dock = m_workspace->addPanel(panel, freePanelId(QLatin1String(ResourceTablePanel::Kind)), view->title(),
                                              Qt::RightDockWidgetArea, QLatin1String(ResourceTablePanel::Kind));
    if (dock) {
        dock->show();
        dock->raise();
        view->table()->setFocus(Qt::OtherFocusReason);
    }
}

void MainWindow::focusResourceTable(ResourceTableView *view)
{
    for (const QString &id : m_workspace->panelIds()) {
        if (QWidget *panel = m_workspace->panel(id); panel && panel->isAncestorOf(view)) {
            QDockWidget *dock = m_workspace->dock(id);
            dock->show();
            dock->raise();
            view->table()->setFocus(Qt::OtherFocusReason);
            return;
        }
    }
}

void MainWindow::dockDetails(ObjectDetailsView *view)
{
    // Not saved in dashboards (no kind): a live view of one object, reopened in one click.
    QDockWidget *dock = m_workspace->addPanel(view, freePanelId(QLatin1String(DetailsPrefix)), view->title(),
                                              Qt::RightDockWidgetArea);
    if (!dock) {
        delete view;
        return;
    }
    dock->show();
    dock->raise();
}

void MainWindow::showCluster(const QString &context)
{
    if (!m_clusterBrowser)
        return;
    m_clusterBrowser->expandContext(context);
    if (QDockWidget *dock = m_workspace->dock(QLatin1String(ClusterPanelId)))
        dock->raise();
    const QList<ResourceTablePanel *> tables = resourcePanels();
    for (const QString &id : m_workspace->panelIds()) {
        if (!tables.isEmpty() && m_workspace->panel(id) == tables.first())
            m_workspace->dock(id)->raise();
    }
}

QList<ResourceTablePanel *> MainWindow::resourcePanels() const
{
    QList<ResourceTablePanel *> out;
    for (const QString &id : m_workspace->panelIds())
        if (auto *panel = qobject_cast<ResourceTablePanel *>(m_workspace->panel(id)))
            out.append(panel);
    return out;
}

QList<ObjectDetailsView *> MainWindow::detailsViews() const
{
    QList<ObjectDetailsView *> out;
    for (const QString &id : m_workspace->panelIds())
        if (auto *view = qobject_cast<ObjectDetailsView *>(m_workspace->panel(id)))
            out.append(view);
    return out;
}

QString MainWindow::followLogs(const QString &sourceUrl)
{
    QString sourceId;
    for (int row = 0; row < m_sources->rowCount() && sourceId.isEmpty(); ++row) {
        const TransportConfig config = m_sources->configAt(row);
        if (config.url == QUrl(sourceUrl))
            sourceId = config.effectiveSourceId();
    }
    if (sourceId.isEmpty()) {
        TransportConfig config;
        config.url = QUrl(sourceUrl);
        config.transportId = QStringLiteral("k8s");
        const QString base = logSourceName(sourceUrl);
        config.sourceId = base;
        for (int n = 2; m_sources->rowOfSource(config.sourceId) >= 0; ++n)
            config.sourceId = base + QStringLiteral(" (%1)").arg(n);
        QString error;
        const int row = m_sources->addSource(config, &error);
        if (row < 0) {
            statusBar()->showMessage(tr("Could not follow %1: %2").arg(sourceUrl, error), 10'000);
            return QString();
        }
        sourceId = m_sources->configAt(row).effectiveSourceId();
    }
    BoundLogPane *pane = m_workspace->addLogPane(SourceBinding::only({sourceId}), QString(), sourceId);
    if (!pane)
        return sourceId;
    for (const QString &id : m_workspace->panelIds()) {
        if (m_workspace->panel(id) == pane) {
            QDockWidget *dock = m_workspace->dock(id);
            dock->show();
            dock->raise();
        }
    }
    pane->content()->setFocus(Qt::OtherFocusReason);
    return sourceId;
}

void MainWindow::addDefaultPanels()
{
    m_workspace->addChartPanel();
    m_workspace->addLogPane();
}

LogPane *MainWindow::logPane() const
{
    const QList<BoundLogPane *> panes = m_workspace->logPanes();
    return panes.isEmpty() ? nullptr : panes.first()->pane();
}

ChartPanel *MainWindow::chartPanel() const
{
    const QList<BoundChartPanel *> charts = m_workspace->chartPanels();
    return charts.isEmpty() ? nullptr : charts.first()->chart();
}

EventLogModel *MainWindow::logModel() const
{
    const QList<BoundLogPane *> panes = m_workspace->logPanes();
    return panes.isEmpty() ? nullptr : panes.first()->model();
}

SeriesBuffer *MainWindow::seriesBuffer() const
{
    const QList<BoundChartPanel *> charts = m_workspace->chartPanels();
    return charts.isEmpty() ? nullptr : charts.first()->buffer();
}

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

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_shown)
        return;
    m_shown = true;
    if (!m_layoutRestored) {
        const bool wasModified = isWindowModified();
        m_loading = true;
        m_workspace->arrangeDefault(m_workspace->size());
        m_loading = false;
        setModified(wasModified);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_savesLastSession) {
        QString error;
        if (!saveLastSession(&error))
            std::fprintf(stderr, "livedash: could not save the last session: %s\n", qPrintable(error));
    }
    QMainWindow::closeEvent(event);
}

// --- Dashboards ---------------------------------------------------------------------------------

QString MainWindow::dashboardName() const
{
    if (!m_dashboardDocName.isEmpty())
        return m_dashboardDocName;
    if (!m_dashboardPath.isEmpty())
        return QFileInfo(m_dashboardPath).completeBaseName();
    return tr("Untitled");
}

void MainWindow::setModified(bool modified)
{
    if (m_loading)
        return;
    setWindowModified(modified);
    updateTitle();
}

void MainWindow::updateTitle()
{
    setWindowTitle(dashboardName() + QStringLiteral("[*] — LiveDash"));
}

void MainWindow::handleWorkspaceChanged()
{
    setModified(true);
    setupFocusChain(); // panels came, went or moved
}

DashboardDocument MainWindow::currentDashboard(const QString &secretsPath) const
{
    DashboardDocument document;
    document.name = m_dashboardDocName.isEmpty() && !secretsPath.isEmpty() && secretsPath != lastSessionPath()
                        ? QFileInfo(secretsPath).completeBaseName()
                        : m_dashboardDocName;
    for (int row = 0; row < m_sources->rowCount(); ++row) {
        const TransportConfig config = m_sources->configAt(row);
        DashboardSource source = DashboardSource::fromTransportConfig(config, m_sources->isPaused(row));
        const QString name = config.effectiveSourceId(); // as resolveSecrets() computes it from the file
        for (DashboardHeader &header : source.headers) {
            if (!header.secret)
                continue;
            const bool stored = !secretsPath.isEmpty() && m_secretStore
                                && m_secretStore->write(SecretStore::keyFor(secretsPath, name, header.name), header.value);
            header.storage = stored ? DashboardHeader::Storage::Keyring : DashboardHeader::Storage::Prompt;
        }
        document.sources.append(source);
    }
    document.panels = m_workspace->panelSpecs();
    document.windowState = m_workspace->saveState();
    document.windowGeometry = saveGeometry();
    return document;
}

bool MainWindow::saveDashboard(const QString &path, QString *error)
{
    const QString absolute = path.startsWith(QLatin1String(":/")) ? path : QFileInfo(path).absoluteFilePath();
    const DashboardDocument document = currentDashboard(absolute);
    if (!DashboardFile::write(absolute, document, error))
        return false;
    if (absolute != lastSessionPath()) {
        m_dashboardPath = absolute;
        m_dashboardDocName = document.name;
        addRecent(absolute);
        setModified(false);
    }
    return true;
}

void MainWindow::resolveSecrets(DashboardDocument &document, const QString &path, QList<bool> *pausedForSecret)
{
    for (DashboardSource &source : document.sources) {
        const QString name = source.toTransportConfig().effectiveSourceId();
        bool missing = false;
        for (DashboardHeader &header : source.headers) {
            if (!header.secret)
                continue;
            std::optional<QByteArray> value;
            if (header.storage == DashboardHeader::Storage::Keyring && m_secretStore)
                value = m_secretStore->read(SecretStore::keyFor(path, name, header.name));
            if (!value && m_secretPrompt)
                value = m_secretPrompt(name, header.name);
            if (value) {
                header.value = *value;
            } else {
                missing = true;
                m_notes.append(tr("%1: the value of the secret header %2 was not supplied; the source stays paused "
                                  "(edit it to enter the value, then resume)")
                                   .arg(name, QString::fromLatin1(header.name)));
            }
        }
        pausedForSecret->append(missing);
    }
}

bool MainWindow::openDashboard(const QString &path, QString *error, const QHash<QString, QString> &substitutions)
{
    QString readError;
    std::optional<DashboardDocument> document = DashboardFile::read(path, &readError);
    if (!document) {
        if (error)
            *error = readError;
        return false;
    }
    const QString absolute = path.startsWith(QLatin1String(":/")) ? path : QFileInfo(path).absoluteFilePath();
    for (DashboardSource &source : document->sources)
        for (auto it = substitutions.constBegin(); it != substitutions.constEnd(); ++it)
            source.url.replace(it.key(), it.value());
    m_notes.clear();
    QList<bool> pausedForSecret;
    resolveSecrets(*document, absolute, &pausedForSecret);
    applyDashboard(*document, pausedForSecret);
    const bool isSession = absolute == lastSessionPath();
    m_dashboardPath = isSession || absolute.startsWith(QLatin1String(":/")) ? QString() : absolute;
    m_dashboardDocName = document->name;
    if (!m_dashboardPath.isEmpty())
        addRecent(m_dashboardPath);
    setModified(false);
    for (const QString &note : std::as_const(m_notes))
        std::fprintf(stderr, "livedash: %s\n", qPrintable(note));
    if (!m_notes.isEmpty())
        statusBar()->showMessage(m_notes.join(QStringLiteral(" · ")), 30'000);
    return true;
}

void MainWindow::applyDashboard(const DashboardDocument &document, const QList<bool> &pausedForSecret)
{
    m_loading = true;
    for (int row = m_sources->rowCount() - 1; row >= 0; --row)
        m_sources->removeSource(row);
    // Panels first, so that they see the first events of the sources.
    m_workspace->setPanels(document.panels, &m_notes);
    if (document.panels.isEmpty())
        addDefaultPanels();
    for (qsizetype i = 0; i < document.sources.size(); ++i) {
        const DashboardSource &source = document.sources.at(i);
        QString error;
        const int row = m_sources->addSource(source.toTransportConfig(), &error);
        if (row < 0) {
            m_notes.append(tr("source %1: %2").arg(source.name.isEmpty() ? redactedUrl(QUrl(source.url)) : source.name, error));
            continue;
        }
        if (source.paused || pausedForSecret.value(i))
            m_sources->setPaused(row, true);
    }
    if (!document.windowGeometry.isEmpty())
        restoreGeometry(document.windowGeometry);
    m_layoutRestored = !document.windowState.isEmpty() && m_workspace->restoreState(document.windowState);
    if (!m_layoutRestored && m_shown)
        m_workspace->arrangeDefault(m_workspace->size());
    m_loading = false;
    setupFocusChain();
    updateStatus();
}

bool MainWindow::openDashboardInteractively(const QString &path)
{
    QString error;
    if (openDashboard(path, &error))
        return true;
    std::fprintf(stderr, "livedash: cannot open the dashboard %s\n", qPrintable(error));
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Open dashboard"),
                                tr("The dashboard could not be opened; nothing was changed."), QMessageBox::Ok, this);
    box->setInformativeText(error);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return false;
}

void MainWindow::openInteractively()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open dashboard"), QFileInfo(m_dashboardPath).path(),
                                                      tr("Dashboards (*.livedash *.json);;All files (*)"));
    if (!path.isEmpty())
        openDashboardInteractively(path);
}

bool MainWindow::saveInteractively(bool askPath)
{
    QString path = m_dashboardPath;
    if (askPath || path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Save dashboard"),
                                            path.isEmpty() ? dashboardName() + QStringLiteral(".livedash") : path,
                                            tr("Dashboards (*.livedash *.json)"));
        if (path.isEmpty())
            return false;
        if (!DashboardFile::hasDashboardSuffix(path))
            path += QStringLiteral(".livedash");
    }
    QString error;
    if (!saveDashboard(path, &error)) {
        QMessageBox::warning(this, tr("Save dashboard"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    return true;
}

QString MainWindow::lastSessionPath() const
{
    if (!m_lastSessionPath.isEmpty())
        return m_lastSessionPath;
    const QString fromEnv = qEnvironmentVariable("LIVEDASH_LAST_SESSION");
    if (!fromEnv.isEmpty())
        return QFileInfo(fromEnv).absoluteFilePath();
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("last-session.livedash"));
}

bool MainWindow::saveLastSession(QString *error)
{
    const QString path = lastSessionPath();
    if (!QDir().mkpath(QFileInfo(path).path())) {
        if (error)
            *error = tr("%1: cannot create the folder").arg(path);
        return false;
    }
    return saveDashboard(path, error);
}

bool MainWindow::restoreLastSession(QString *error)
{
    const QString path = lastSessionPath();
    if (!QFileInfo::exists(path))
        return false;
    return openDashboard(path, error);
}

void MainWindow::setSecretStore(std::unique_ptr<SecretStore> store)
{
    m_secretStore = std::move(store);
}

QStringList MainWindow::recentDashboards() const
{
    QSettings settings(QFileInfo(lastSessionPath()).dir().filePath(QStringLiteral("recent.ini")), QSettings::IniFormat);
    return settings.value(QStringLiteral("recent")).toStringList();
}

void MainWindow::addRecent(const QString &path)
{
    QStringList recent = recentDashboards();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > MaxRecent)
        recent.removeLast();
    QSettings settings(QFileInfo(lastSessionPath()).dir().filePath(QStringLiteral("recent.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("recent"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = recentDashboards();
    for (const QString &path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openDashboardInteractively(path); })
            ->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

// --- Menus, focus, shortcuts ---------------------------------------------------------------------

void MainWindow::buildMenus()
{
    buildFileMenu();
    buildViewMenu();
    buildSourcesMenu();
    QMenu *terminal = menuBar()->addMenu(tr("&Terminal"));
    terminal->addActions(m_terminals->actions());

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

void MainWindow::buildFileMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open dashboard…"), this, &MainWindow::openInteractively);
    open->setObjectName(QStringLiteral("openDashboardAction"));
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    updateRecentMenu();
    QAction *save = file->addAction(tr("&Save dashboard"), this, [this] { saveInteractively(false); });
    save->setObjectName(QStringLiteral("saveDashboardAction"));
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    QAction *saveAs = file->addAction(tr("Save dashboard &as…"), this, [this] { saveInteractively(true); });
    saveAs->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    file->addSeparator();
    QAction *add = file->addAction(tr("&Add source…"), m_sourcesPanel, [this] {
        if (QDockWidget *dock = m_workspace->dock(QLatin1String(SourcesPanelId)))
            dock->raise();
        m_sourcesPanel->setFocus(Qt::ShortcutFocusReason);
        m_sourcesPanel->urlEdit()->selectAll(); // typing replaces what was there
    });
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    file->addAction(tr("Save s&creenshot…"), this, &MainWindow::saveScreenshotInteractively);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
}

void MainWindow::buildViewMenu()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("New &log pane"), this, [this] {
        if (BoundLogPane *pane = m_workspace->addLogPane())
            pane->content()->setFocus(Qt::OtherFocusReason);
    })->setObjectName(QStringLiteral("newLogPaneAction"));
    view->addAction(tr("New c&hart panel"), this, [this] { m_workspace->addChartPanel(); })
        ->setObjectName(QStringLiteral("newChartPanelAction"));
    QMenu *panels = view->addMenu(tr("&Panels"));
    connect(panels, &QMenu::aboutToShow, this, [this, panels] {
        panels->clear();
        for (const QString &id : m_workspace->panelIds()) {
            QDockWidget *dock = m_workspace->dock(id);
            QMenu *menu = panels->addMenu(dock->windowTitle());
            menu->addAction(tr("Show"), dock, [dock] {
                dock->show();
                dock->raise();
            });
            menu->addAction(tr("Rename…"), this, [this, id] { m_workspace->renameInteractively(id); });
            if (dock->features() & QDockWidget::DockWidgetClosable)
                menu->addAction(tr("Close"), this, [this, id] { m_workspace->closePanel(id); });
        }
    });
    view->addAction(tr("&Reset layout"), this, [this] { m_workspace->arrangeDefault(m_workspace->size()); });
    view->addSeparator();
    view->addAction(tr("&Clear logs"), this, [this] {
        for (BoundLogPane *pane : m_workspace->logPanes())
            pane->model()->clear();
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
    // Pane by pane: every pane keeps its own order; sources, the cluster and its tables, then the
    // log panes, then the charts.
    QList<QWidget *> panes = {m_sourcesPanel};
    if (m_clusterBrowser)
        panes.append(m_clusterBrowser);
    for (ResourceTablePanel *table : resourcePanels())
        panes.append(table);
    for (BoundLogPane *pane : m_workspace->logPanes())
        panes.append(pane);
    for (BoundChartPanel *chart : m_workspace->chartPanels())
        panes.append(chart);
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
    auto paneOf = [](const QObject *object) -> QString {
        for (const QObject *o = object; o; o = o->parent()) {
            if (qobject_cast<const SourcesPanel *>(o))
                return tr("Sources");
            if (qobject_cast<const LogPane *>(o))
                return tr("Log");
            if (qobject_cast<const ChartPanel *>(o))
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
    if (const EventLogModel *log = logModel())
        text += QStringLiteral(" · ") + tr("%1 events in log").arg(QLocale().toString(log->rowCount()));
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
