#include "bound_panel.h"

#include "source_list_model.h"
#include "source_name.h"

#include <QAction>
#include <QHBoxLayout>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

BoundPanel::BoundPanel(SourceListModel *sources, QWidget *parent)
    : QWidget(parent)
    , m_sources(sources)
    , m_bindingButton(new QToolButton(this))
    , m_menu(new QMenu(this))
    , m_layout(new QVBoxLayout(this))
{
    m_bindingButton->setObjectName(QStringLiteral("bindingButton"));
    m_bindingButton->setPopupMode(QToolButton::InstantPopup);
    m_bindingButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_bindingButton->setAutoRaise(true);
    m_bindingButton->setToolTip(tr("Which sources feed this panel; rename or close the panel"));
    m_bindingButton->setMenu(m_menu);
    connect(m_menu, &QMenu::aboutToShow, this, &BoundPanel::rebuildMenu);

    // The Workspace shows the button in the dock's title bar (PanelTitleBar); a panel used on its
    // own shows it over its content.
    m_header = new QHBoxLayout;
    m_header->setContentsMargins(4, 0, 4, 0);
    m_header->addWidget(m_bindingButton);
    m_header->addStretch(1);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(0);
    m_layout->addLayout(m_header);
    rebuildMenu();
    updateButton();
}

BoundPanel::~BoundPanel() = default;

QToolButton *BoundPanel::takeBindingButton()
{
    m_header->removeWidget(m_bindingButton);
    return m_bindingButton;
}

void BoundPanel::setContentWidget(QWidget *widget)
{
    m_layout->addWidget(widget, 1);
}

void BoundPanel::setBinding(const SourceBinding &binding)
{
    if (binding == m_binding)
        return;
    const SourceBinding old = m_binding;
    m_binding = binding;
    // Sources that leave the binding leave the panel's model too.
    for (const QString &id : sourceIds())
        if (old.contains(id) && !m_binding.contains(id))
            forgetSource(id);
    updateButton();
    Q_EMIT bindingChanged();
}

QString BoundPanel::bindingText() const
{
    if (m_binding.all)
        return tr("Sources: all");
    if (m_binding.sources.isEmpty())
        return tr("Sources: none");
    if (m_binding.sources.size() == 1)
        return tr("Sources: %1").arg(shortSourceName(m_binding.sources.first()));
    return tr("Sources: %1 of %2").arg(m_binding.sources.size()).arg(std::max<int>(int(m_binding.sources.size()), m_sources->rowCount()));
}

void BoundPanel::appendEvents(const QList<StreamEvent> &events)
{
    if (events.isEmpty())
        return;
    if (m_binding.all) {
        deliver(events);
        return;
    }
    // A batch comes from one source (SourceListModel forwards each transport's batches), so the
    // common cases are "all bound" and "none bound"; only a mixed batch is copied.
    qsizetype bound = 0;
    for (const StreamEvent &event : events)
        bound += m_binding.sources.contains(event.source) ? 1 : 0;
    if (bound == 0)
        return;
    if (bound == events.size()) {
        deliver(events);
        return;
    }
    QList<StreamEvent> filtered;
    filtered.reserve(bound);
    for (const StreamEvent &event : events)
        if (m_binding.sources.contains(event.source))
            filtered.append(event);
    deliver(filtered);
}

void BoundPanel::handleSourceRenamed(const QString &oldId, const QString &newId)
{
    // Rows already shown keep the name they arrived with, as they did before panels had bindings.
    if (m_binding.all)
        return;
    const qsizetype index = m_binding.sources.indexOf(oldId);
    if (index < 0)
        return;
    m_binding.sources[index] = newId;
    updateButton();
    Q_EMIT bindingChanged();
}

void BoundPanel::handleSourceRemoved(const QString &sourceId)
{
    forgetSource(sourceId);
    if (!m_binding.all && m_binding.sources.removeAll(sourceId) > 0) {
        updateButton();
        Q_EMIT bindingChanged();
    }
}

QStringList BoundPanel::sourceIds() const
{
    QStringList ids;
    for (int row = 0; row < m_sources->rowCount(); ++row)
        ids.append(m_sources->index(row, 0).data(SourceListModel::SourceIdRole).toString());
    return ids;
}

void BoundPanel::rebuildMenu()
{
    m_menu->clear();
    QAction *all = m_menu->addAction(tr("All sources (also those added later)"));
    all->setObjectName(QStringLiteral("bindAllAction"));
    all->setCheckable(true);
    all->setChecked(m_binding.all);
    connect(all, &QAction::triggered, this, [this](bool on) {
        setBinding(on ? SourceBinding::everything() : SourceBinding::only(sourceIds()));
    });
    m_menu->addSeparator();
    const QStringList ids = sourceIds();
    if (ids.isEmpty())
        m_menu->addAction(tr("No sources yet"))->setEnabled(false);
    for (const QString &id : ids) {
        QAction *action = m_menu->addAction(shortSourceName(id));
        action->setToolTip(id);
        action->setData(id);
        action->setCheckable(true);
        action->setChecked(m_binding.contains(id));
        connect(action, &QAction::triggered, this, [this, id](bool on) { toggleSource(id, on); });
    }
    m_menu->addSeparator();
    m_menu->addAction(tr("Rename panel…"), this, &BoundPanel::renameRequested);
    m_menu->addAction(tr("Close panel"), this, &BoundPanel::closeRequested);
}

void BoundPanel::toggleSource(const QString &sourceId, bool on)
{
    SourceBinding next = m_binding;
    if (next.all)
        next = SourceBinding::only(sourceIds());
    next.sources.removeAll(sourceId);
    if (on)
        next.sources.append(sourceId);
    setBinding(next);
}

void BoundPanel::updateButton()
{
    m_bindingButton->setText(bindingText());
    m_bindingButton->setToolTip(m_binding.all ? tr("Fed by every source, also those added later")
                                              : tr("Fed by: %1").arg(m_binding.sources.isEmpty()
                                                                         ? tr("no source")
                                                                         : m_binding.sources.join(QStringLiteral(", "))));
}
