#include "terminal_controller.h"

#include "k8s_environment.h"
#include "k8s_exec_spec.h"
#include "k8s_port_forward.h"
#include "new_terminal_dialog.h"
#include "port_forward_dialog.h"
#include "port_forward_list_model.h"
#include "port_forwards_panel.h"
#include "terminal_panel.h"
#include "terminal_tab.h"
#include "terminal_view.h"
#include "workspace.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QMessageBox>

TerminalController::TerminalController(Workspace *workspace, QWidget *window, QObject *parent)
    : QObject(parent), m_workspace(workspace), m_window(window), m_forwards(new PortForwardListModel(this))
{
    buildActions();
}

TerminalController::~TerminalController() = default;

void TerminalController::buildActions()
{
    auto *newTerminal = new QAction(tr("&New terminal…"), this);
    newTerminal->setObjectName(QStringLiteral("newTerminalAction"));
    newTerminal->setShortcut(QKeySequence(tr("Ctrl+Shift+T")));
    connect(newTerminal, &QAction::triggered, this, &TerminalController::askNewTerminal);
    auto *recording = new QAction(tr("Open &recording…"), this);
    recording->setObjectName(QStringLiteral("openRecordingAction"));
    connect(recording, &QAction::triggered, this, &TerminalController::askRecording);
    auto *forwards = new QAction(tr("&Port forwards"), this);
    forwards->setObjectName(QStringLiteral("portForwardsAction"));
    connect(forwards, &QAction::triggered, this, [this] { showForwards(); });
    m_actions = {newTerminal, recording, forwards};
}

void TerminalController::registerKinds()
{
    m_workspace->kinds().add({QLatin1String(TerminalPanel::Kind), tr("Terminal"), Qt::BottomDockWidgetArea,
                              [this](Workspace &, const DashboardPanel &spec) -> QWidget * {
                                  TerminalTarget target{spec.settings.value(QLatin1String("target")).toString(),
                                                        spec.settings.value(QLatin1String("options")).toObject()};
                                  auto *panel = new TerminalPanel(target, m_k8s, TerminalPanel::Start::OnUserRequest);
                                  const QString id = spec.id;
                                  connect(panel, &TerminalPanel::titleChanged, this, [this, id](const QString &title) {
                                      if (m_workspace->panel(id))
                                          m_workspace->setPanelTitle(id, title);
                                  });
                                  return panel;
                              },
                              [](const QWidget *panel) {
                                  const auto *terminal = qobject_cast<const TerminalPanel *>(panel);
                                  return terminal ? terminal->settings() : QJsonObject();
                              }});
}

QString TerminalController::freeId(const QString &base) const
{
    const QStringList ids = m_workspace->panelIds();
    for (int n = 1;; ++n) {
        const QString id = n == 1 ? base : QStringLiteral("%1-%2").arg(base).arg(n);
        if (!ids.contains(id))
            return id;
    }
}

void TerminalController::dock(TerminalPanel *panel, const QString &id, const QString &title)
{
    QDockWidget *dock = m_workspace->addPanel(panel, id, title, Qt::BottomDockWidgetArea, QLatin1String(TerminalPanel::Kind));
    connect(panel, &TerminalPanel::titleChanged, this, [this, id](const QString &text) {
        if (m_workspace->panel(id))
            m_workspace->setPanelTitle(id, text);
    });
    if (dock) {
        dock->show();
        dock->raise();
    }
    if (panel->tab())
        panel->tab()->view()->setFocus(Qt::OtherFocusReason);
}

TerminalPanel *TerminalController::openTerminal(const TerminalTarget &target, QString *error)
{
    auto *panel = new TerminalPanel(target, m_k8s, TerminalPanel::Start::Now);
    if (!panel->tab()) {
        const QString text = panel->errorText();
        delete panel;
        if (error)
            *error = text;
        Q_EMIT message(text);
        return nullptr;
    }
    dock(panel, freeId(QStringLiteral("terminal")), panel->title());
    return panel;
}

TerminalPanel *TerminalController::openRecording(const QString &path, QString *error)
{
    return openTerminal(TerminalTarget{path, {}}, error);
}

QList<TerminalPanel *> TerminalController::terminalPanels() const
{
    QList<TerminalPanel *> out;
    for (const QString &id : m_workspace->panelIds())
        if (auto *panel = qobject_cast<TerminalPanel *>(m_workspace->panel(id)))
            out << panel;
    return out;
}

bool TerminalController::openSession(const QString &url, QString *error)
{
    QString local;
    QString *out = error ? error : &local;
    const std::optional<K8sExecSpec> spec = K8sExecSpec::parse(QUrl(url), out);
    if (!spec)
        return false;
    if (spec->kind == K8sExecSpec::Kind::Forward)
        return startForward(*spec, out);
    return openTerminal(TerminalTarget{url, {}}, out) != nullptr;
}

void TerminalController::askNewTerminal()
{
    NewTerminalDialog dialog(m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!openTerminal(dialog.target(), &error))
        QMessageBox::warning(m_window, tr("New terminal"), error);
}

void TerminalController::askRecording()
{
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open recording"), QString(),
                                                      tr("Recordings (*.cast);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openRecording(path, &error))
        QMessageBox::warning(m_window, tr("Open recording"), error);
}

void TerminalController::requestPortForward(const QString &context, const QString &namespaceName,
                                            const QString &resourcePlural, const QString &name,
                                            const QByteArray &objectJson)
{
    K8sError clientError;
    K8sClient *client = m_k8s ? m_k8s->client(context, &clientError) : nullptr;
    if (!client) {
        Q_EMIT message(m_k8s ? clientError.message : tr("no Kubernetes configuration"));
        return;
    }
    PortForwardDialog dialog(client, context, namespaceName, resourcePlural, name, objectJson, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    const std::optional<K8sExecSpec> spec = dialog.spec(&error);
    if (!spec || !startForward(*spec, &error))
        QMessageBox::warning(m_window, tr("Port forward"), error);
}

bool TerminalController::startForward(const K8sExecSpec &spec, QString *error)
{
    QString local;
    QString *out = error ? error : &local;
    if (!m_k8s) {
        *out = tr("no Kubernetes configuration");
        return false;
    }
    QList<K8sPortForward *> forwards = K8sPortForward::create(m_k8s, spec, out);
    if (forwards.isEmpty())
        return false;
    for (K8sPortForward *forward : forwards) {
        if (!forward->listen(out)) {
            qDeleteAll(forwards);
            return false;
        }
    }
    QStringList started;
    for (K8sPortForward *forward : forwards) {
        m_forwards->add(forward);
        started << QStringLiteral("127.0.0.1:%1 → %2/%3:%4")
                       .arg(forward->localPort())
                       .arg(forward->namespaceName(), forward->pod())
                       .arg(forward->remotePort());
    }
    showForwards();
    Q_EMIT message(tr("Forwarding %1").arg(started.join(QStringLiteral(", "))));
    return true;
}

PortForwardsPanel *TerminalController::showForwards()
{
    const QString id = QLatin1String(ForwardsPanelId);
    auto *panel = qobject_cast<PortForwardsPanel *>(m_workspace->panel(id));
    if (!panel) {
        panel = new PortForwardsPanel(m_forwards);
        m_workspace->addPanel(panel, id, tr("Port forwards"), Qt::BottomDockWidgetArea);
    }
    if (QDockWidget *dock = m_workspace->dock(id)) {
        dock->show();
        dock->raise();
    }
    return panel;
}
