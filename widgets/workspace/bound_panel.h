#pragma once

#include "source_binding.h"
#include "stream_event.h"

#include <QJsonObject>
#include <QList>
#include <QWidget>

class QHBoxLayout;
class QMenu;
class QToolButton;
class QVBoxLayout;
class SourceListModel;

/// A workspace panel fed by a chosen set of sources (SourceBinding): a one-line header with the
/// binding button ("Sources: all ▾", a checkable menu of every source plus Rename / Close), and
/// the panel's content under it.
///
/// The binding is a filter in front of the panel's own model: the Workspace hands every batch of
/// the SourceListModel to appendEvents(), which passes it on whole when every event is bound (no
/// copy: QList is implicitly shared), else a filtered copy (StreamEvent copies are cheap: their
/// QByteArray/QString members are shared, not duplicated). Unbinding a source forgets its rows in
/// this panel at once; binding one shows its events from then on (nothing is replayed).
/// A renamed source stays bound under its new name; a removed one leaves the binding.
class BoundPanel : public QWidget
{
    Q_OBJECT
public:
    /// `sources` must outlive the panel (it lists the sources the menu offers).
    explicit BoundPanel(SourceListModel *sources, QWidget *parent = nullptr);
    ~BoundPanel() override;

    /// The dashboard kind ("log", "chart").
    virtual QString kind() const = 0;
    /// Kind-specific settings as the dashboard file stores them; applySettings() takes them back.
    virtual QJsonObject settings() const = 0;
    virtual void applySettings(const QJsonObject &settings) = 0;
    /// The widget keyboard focus and shortcuts belong to (LogPane, ChartPanel).
    virtual QWidget *content() const = 0;

    SourceBinding binding() const { return m_binding; }
    /// Changes the binding; sources that leave it are forgotten by the panel's model.
    void setBinding(const SourceBinding &binding);
    bool isBound(const QString &sourceId) const { return m_binding.contains(sourceId); }
    /// "Sources: all", "Sources: metrics", "Sources: 2 of 5", "Sources: none".
    QString bindingText() const;
    QToolButton *bindingButton() const { return m_bindingButton; }
    /// Takes the binding button out of the panel's own header (the caller reparents it, e.g.
    /// into a dock title bar).
    QToolButton *takeBindingButton();
    /// The binding menu as it shows now (rebuilt each time it opens).
    QMenu *bindingMenu() const { return m_menu; }

    /// Called by the Workspace for every batch of every source (GUI thread).
    void appendEvents(const QList<StreamEvent> &events);
    /// Called by the Workspace when a source was renamed / removed.
    void handleSourceRenamed(const QString &oldId, const QString &newId);
    void handleSourceRemoved(const QString &sourceId);

Q_SIGNALS:
    void bindingChanged();
    void renameRequested();
    void closeRequested();

protected:
    /// Subclasses put their content under the header.
    void setContentWidget(QWidget *widget);
    /// Bound events only; never empty.
    virtual void deliver(const QList<StreamEvent> &events) = 0;
    /// Drop every row / field of `sourceId` from the panel's model.
    virtual void forgetSource(const QString &sourceId) = 0;

private:
    void rebuildMenu();
    void toggleSource(const QString &sourceId, bool on);
    void updateButton();
    QStringList sourceIds() const;

    SourceListModel *m_sources;
    SourceBinding m_binding;
    QToolButton *m_bindingButton;
    QMenu *m_menu;
    QVBoxLayout *m_layout;
    QHBoxLayout *m_header = nullptr;
};
