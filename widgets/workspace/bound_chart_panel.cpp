#include "bound_chart_panel.h"

#include "chart_panel.h"

#include <QJsonArray>

namespace {

QString scaleName(ChartPanel::ScaleMode mode)
{
    switch (mode) {
    case ChartPanel::ScaleMode::Shared: return QStringLiteral("shared");
    case ChartPanel::ScaleMode::Normalised: return QStringLiteral("normalised");
    case ChartPanel::ScaleMode::Auto: break;
    }
    return QStringLiteral("auto");
}

} // namespace

BoundChartPanel::BoundChartPanel(SourceListModel *sources, QWidget *parent, SeriesBuffer::Parsing parsing)
    : BoundPanel(sources, parent)
    , m_buffer(new SeriesBuffer(this, parsing))
{
    // Connected before the ChartPanel connects its own handler: wanted fields are selected first,
    // so the chart does not pick others automatically.
    connect(m_buffer, &SeriesBuffer::fieldsDiscovered, this, &BoundChartPanel::selectWanted);
    m_chart = new ChartPanel(m_buffer, this);
    setContentWidget(m_chart);
}

BoundChartPanel::~BoundChartPanel() = default;

QJsonObject BoundChartPanel::settings() const
{
    QJsonArray fields;
    for (const SeriesKey &key : m_buffer->selectedFields())
        fields.append(QJsonObject{{QStringLiteral("source"), key.source}, {QStringLiteral("pointer"), key.pointer}});
    return {{QStringLiteral("windowMs"), m_buffer->windowMs()},
            {QStringLiteral("scale"), scaleName(m_chart->scaleMode())},
            {QStringLiteral("fields"), fields}};
}

void BoundChartPanel::applySettings(const QJsonObject &settings)
{
    if (settings.contains(QStringLiteral("windowMs")))
        m_chart->setWindowMs(settings.value(QStringLiteral("windowMs")).toInt(SeriesBuffer::DefaultWindowMs));
    const QString scale = settings.value(QStringLiteral("scale")).toString();
    if (scale == QLatin1String("shared"))
        m_chart->setScaleMode(ChartPanel::ScaleMode::Shared);
    else if (scale == QLatin1String("normalised"))
        m_chart->setScaleMode(ChartPanel::ScaleMode::Normalised);
    m_wanted.clear();
    for (const QJsonValue &value : settings.value(QStringLiteral("fields")).toArray()) {
        const QJsonObject field = value.toObject();
        m_wanted.insert({field.value(QStringLiteral("source")).toString(), field.value(QStringLiteral("pointer")).toString()});
    }
    selectWanted(m_buffer->knownFields());
}

QWidget *BoundChartPanel::content() const
{
    return m_chart;
}

void BoundChartPanel::deliver(const QList<StreamEvent> &events)
{
    m_buffer->append(events);
}

void BoundChartPanel::forgetSource(const QString &sourceId)
{
    m_buffer->removeSource(sourceId);
}

void BoundChartPanel::selectWanted(const QList<SeriesKey> &fields)
{
    for (const SeriesKey &key : fields)
        if (m_wanted.contains(key))
            m_buffer->setSelected(key, true);
}
