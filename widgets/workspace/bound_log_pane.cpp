#include "bound_log_pane.h"

#include "event_log_model.h"
#include "log_filter_proxy.h"
#include "log_pane.h"
#include "stream_key_delegate.h"

#include <QHeaderView>
#include <QTableView>

BoundLogPane::BoundLogPane(SourceListModel *sources, QWidget *parent)
    : BoundPanel(sources, parent)
    , m_model(new EventLogModel(this))
    , m_pane(new LogPane(m_model, this))
{
    setContentWidget(m_pane);
    m_pane->view()->setItemDelegateForColumn(
        EventLogModel::IdColumn, new StreamKeyDelegate(EventLogModel::DataColumn, EventLogModel::IdColumn, m_pane->view()));
    // Bound to one source, the title says which: its Source column gives the width to the lines.
    connect(this, &BoundPanel::bindingChanged, this, [this] {
        const SourceBinding b = binding();
        m_pane->view()->setColumnHidden(EventLogModel::SourceColumn, !b.all && b.sources.size() == 1);
    });
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
    widenIdColumn(events);
    m_model->append(events);
}

void BoundLogPane::widenIdColumn(const QList<StreamEvent> &events)
{
    // Kubernetes lines carry "namespace/pod/container" as id: the column grows (once per longer
    // key, never shrinks, at most MaxIdChars) so the stream key stays readable.
    constexpr int MaxIdChars = 44;
    qsizetype longest = 0;
    for (const StreamEvent &event : events)
        if (event.type == "log")
            longest = std::max(longest, event.id.size());
    if (longest == 0)
        return;
    const int x = m_pane->fontMetrics().horizontalAdvance(QLatin1Char('x'));
    const int wanted = x * (int(std::min<qsizetype>(longest, MaxIdChars)) + 3);
    QHeaderView *header = m_pane->view()->horizontalHeader();
    if (header->sectionSize(EventLogModel::IdColumn) < wanted)
        header->resizeSection(EventLogModel::IdColumn, wanted);
}

void BoundLogPane::forgetSource(const QString &sourceId)
{
    m_model->removeSource(sourceId);
}
