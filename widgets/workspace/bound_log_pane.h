#pragma once

#include "bound_panel.h"

class EventLogModel;
class LogPane;

/// A log pane with its own EventLogModel, fed with the events of its bound sources.
/// Settings: {"filter": text, "regex": bool}. Kubernetes log lines (type "log") show their stream
/// key (id "namespace/pod/container") coloured per stream, stern's look (StreamKeyDelegate), and
/// the ID column widens to fit the keys. Bound to exactly one source, the Source column is hidden
/// (the pane's title names it).
class BoundLogPane : public BoundPanel
{
    Q_OBJECT
public:
    explicit BoundLogPane(SourceListModel *sources, QWidget *parent = nullptr);
    ~BoundLogPane() override;

    QString kind() const override { return QStringLiteral("log"); }
    QJsonObject settings() const override;
    void applySettings(const QJsonObject &settings) override;
    QWidget *content() const override;

    EventLogModel *model() const { return m_model; }
    LogPane *pane() const { return m_pane; }

protected:
    void deliver(const QList<StreamEvent> &events) override;
    void forgetSource(const QString &sourceId) override;

private:
    void widenIdColumn(const QList<StreamEvent> &events);

    EventLogModel *m_model;
    LogPane *m_pane;
};
