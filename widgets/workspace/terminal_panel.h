#pragma once

#include "terminal_target.h"

#include <QWidget>

class K8sEnvironment;
class QLabel;
class TerminalTab;

/// The workspace panel of one terminal (dashboard kind "terminal"): a TerminalTab for a
/// TerminalTarget, plus replay controls for a recording.
///
/// Settings: {"target": url, "options": {...}} (terminal_target.h). A panel made from a
/// dashboard never runs anything by itself: Kubernetes and WebSocket tabs open in the
/// "press Enter to reconnect" state (reconnect opens a new shell), recordings load paused at
/// the start. A target that cannot be used (unknown context, bad syntax) shows the reason in
/// place of the terminal and is still saved back unchanged.
class TerminalPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr char Kind[] = "terminal";
    enum class Start { Now, OnUserRequest };

    TerminalPanel(const TerminalTarget &target, K8sEnvironment *k8s, Start start, QWidget *parent = nullptr);
    ~TerminalPanel() override;

    QJsonObject settings() const;
    const TerminalTarget &target() const { return m_target; }
    /// nullptr when the target could not be used (see errorText()).
    TerminalTab *tab() const { return m_tab; }
    QString errorText() const;
    /// The tab's title ("web-7d9f/app: bash — vim"), or the target when there is no tab.
    QString title() const;

Q_SIGNALS:
    void titleChanged(const QString &title);

private:
    void buildTab(K8sEnvironment *k8s, Start start);

    TerminalTarget m_target;
    TerminalTab *m_tab = nullptr; ///< child; nullptr when the target could not be used
    QLabel *m_error = nullptr;
};
