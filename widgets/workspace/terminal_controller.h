#pragma once

#include "terminal_target.h"

#include <QList>
#include <QObject>
#include <QPointer>

class K8sEnvironment;
class PortForwardListModel;
class PortForwardsPanel;
class QAction;
class QWidget;
class TerminalPanel;
class Workspace;
struct K8sExecSpec;

/// Terminals and port forwards of the window, kept out of MainWindow: terminal panels (kind
/// "terminal", saved in dashboards; reopened as "press Enter to reconnect", never running a
/// command by themselves), recordings opened for replay, and the port forwards with their panel
/// (not saved: a forward listens on a local port, which a dashboard must not do on its own).
///
/// Entry points: the cluster browser's Shell / Attach (openTerminal with a k8s:exec / k8s:attach
/// URL) and Port forward… (requestPortForward), and the Terminal menu (actions()): New
/// terminal… (any target, with the plain WebSocket options), Open recording…, Port forwards.
class TerminalController : public QObject
{
    Q_OBJECT
public:
    static constexpr char ForwardsPanelId[] = "port-forwards";

    /// `workspace` and `window` (dialog parent) must outlive the controller.
    TerminalController(Workspace *workspace, QWidget *window, QObject *parent = nullptr);
    ~TerminalController() override;

    void setK8sEnvironment(K8sEnvironment *environment) { m_k8s = environment; }
    /// Adds the "terminal" panel kind to the workspace.
    void registerKinds();

    /// A new terminal panel for `target`, docked with the other terminals, started and focused.
    /// nullptr with *error when the target cannot be used.
    TerminalPanel *openTerminal(const TerminalTarget &target, QString *error = nullptr);
    /// openTerminal() for a recording file (replay, paused at the start until Play).
    TerminalPanel *openRecording(const QString &path, QString *error = nullptr);
    QList<TerminalPanel *> terminalPanels() const;
    /// A k8s:exec/ or k8s:attach/ URL opens a terminal, a k8s:forward/ URL starts the forward.
    bool openSession(const QString &url, QString *error = nullptr);

    /// "Port forward…" on a pod or service: asks for the ports, then startForward().
    void requestPortForward(const QString &context, const QString &namespaceName, const QString &resourcePlural,
                            const QString &name, const QByteArray &objectJson);
    /// Listens for every mapping of a Forward spec and shows the forwards panel. False with
    /// *error when a port cannot be bound or the context is unknown (then nothing listens).
    bool startForward(const K8sExecSpec &spec, QString *error = nullptr);
    PortForwardListModel *forwards() const { return m_forwards; }
    /// Docks (or raises) the port forwards panel.
    PortForwardsPanel *showForwards();

    /// New terminal…, Open recording…, Port forwards (owned by the controller).
    QList<QAction *> actions() const { return m_actions; }

Q_SIGNALS:
    /// A one-line message for the status bar ("forwarding 127.0.0.1:8080 → shop/checkout:8080").
    void message(const QString &text);

private:
    void buildActions();
    void askNewTerminal();
    void askRecording();
    QString freeId(const QString &base) const;
    void dock(TerminalPanel *panel, const QString &id, const QString &title);

    Workspace *m_workspace;
    QWidget *m_window;
    K8sEnvironment *m_k8s = nullptr;
    PortForwardListModel *m_forwards;
    QList<QAction *> m_actions;
};
