#include "bound_log_pane.h"

#include "event_log_model.h"
#include "log_filter_proxy.h"
#include "log_pane.h"

BoundLogPane::BoundLogPane(SourceListModel *sources, QWidget *parent)
    : BoundPanel(sources, parent)
    , m_model(new EventLogModel(this))
    , m_pane(new LogPane(m_model, this))
{
    setContentWidget(m_pane);
}

BoundLogPane::~BoundLogPane() = default;

QJsonObject BoundLogPane::settings() const
{
    return {{QStringLiteral("filter"), m_pane->proxy()->pattern()},
            {QStringLiteral("regex"), m_pane->proxy()->mode() == LogFilterProxy::Mode::Regex}};
}

void BoundLogPane::applySettings(const QJsonObject &settings)
{
    const QString filter = settings.value(QStringLiteral("filter")).toString();
    const bool regex = settings.value(QStringLiteral("regex")).toBool();
    if (!filter.isEmpty() || regex)
        m_pane->setFilter(filter, regex);
}

QWidget *BoundLogPane::content() const
{
    return m_pane;
}

void BoundLogPane::deliver(const QList<StreamEvent> &events)
{
    m_model->append(events);
}

void BoundLogPane::forgetSource(const QString &sourceId)
{
    m_model->removeSource(sourceId);
}
