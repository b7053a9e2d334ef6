#pragma once

#include "bound_panel.h"
#include "series_buffer.h"

#include <QSet>

class ChartPanel;

/// A chart panel with its own SeriesBuffer, fed with the events of its bound sources.
/// Settings: {"windowMs": n, "scale": "auto" | "shared" | "normalised",
///            "fields": [{"source": name, "pointer": "/cpu"}]}. Fields named in the settings are
/// selected as soon as they are discovered (instead of the chart's automatic first choice).
class BoundChartPanel : public BoundPanel
{
    Q_OBJECT
public:
    /// `parsing` Inline is for tests; the window parses on the buffer's worker thread.
    explicit BoundChartPanel(SourceListModel *sources, QWidget *parent = nullptr,
                             SeriesBuffer::Parsing parsing = SeriesBuffer::Parsing::Worker);
    ~BoundChartPanel() override;

    QString kind() const override { return QStringLiteral("chart"); }
    QJsonObject settings() const override;
    void applySettings(const QJsonObject &settings) override;
    QWidget *content() const override;

    SeriesBuffer *buffer() const { return m_buffer; }
    ChartPanel *chart() const { return m_chart; }

protected:
    void deliver(const QList<StreamEvent> &events) override;
    void forgetSource(const QString &sourceId) override;

private:
    void selectWanted(const QList<SeriesKey> &fields);

    SeriesBuffer *m_buffer;
    ChartPanel *m_chart = nullptr;
    QSet<SeriesKey> m_wanted; ///< fields the settings named, selected when they appear
};
