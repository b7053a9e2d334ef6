#pragma once

#include "dashboard_document.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

class QWidget;
class Workspace;

/// One kind of workspace panel ("log", "chart", later "k8s-resources", ...): how to create a
/// panel from its dashboard entry and how to save its kind-specific settings. The workspace
/// saves id, title and (for BoundPanel kinds) the source binding itself.
struct PanelKind
{
    QString kind;         ///< the "kind" of the dashboard file
    QString defaultTitle; ///< "Log", "Chart"
    Qt::DockWidgetArea area = Qt::RightDockWidgetArea; ///< where a new panel of this kind goes
    /// Creates the panel widget for `spec` (id, title, binding and settings as read). The
    /// workspace docks it; returning nullptr refuses the entry (the workspace reports it).
    std::function<QWidget *(Workspace &workspace, const DashboardPanel &spec)> create;
    /// The settings object of `panel` as the dashboard file stores it. May be empty.
    std::function<QJsonObject(const QWidget *panel)> saveSettings;
};

/// Maps a panel kind name to its PanelKind. New kinds plug in with add(); the workspace code
/// does not change. Registration is explicit (no static self-registration, STYLE.md §3).
class PanelKindRegistry
{
public:
    /// Replaces a kind of the same name.
    void add(const PanelKind &kind);
    /// nullptr for an unknown kind.
    const PanelKind *find(const QString &kind) const;
    QStringList kinds() const;

private:
    QList<PanelKind> m_kinds;
};
