#pragma once

#include "api_resource.h"
#include "resource_change.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QString>
#include <QWidget>

class K8sClient;
class QLabel;
class QPlainTextEdit;
class QTimer;
class QTreeWidget;
class Informer;

/// One object, live: its JSON pretty-printed (replaced on every MODIFIED, a "deleted" banner on
/// DELETED, cleared again if it comes back) and, for namespaced objects, its Events (a second
/// watch with fieldSelector involvedObject.name=NAME,involvedObject.namespace=NS) as a small
/// table TYPE / REASON / AGE / MESSAGE, newest first, ages ticking once a second.
class ObjectDetailsView : public QWidget
{
    Q_OBJECT
public:
    ObjectDetailsView(K8sClient *client, const QString &contextName, const ApiResource &resource,
                      const QString &namespaceName, const QString &name, QWidget *parent = nullptr);
    ~ObjectDetailsView() override;

    /// "pod default/web-1".
    QString title() const;
    QString jsonText() const;
    bool isDeleted() const;
    /// Rows of the events table.
    int eventCount() const;
    QTreeWidget *eventsTable() const { return m_events; }

private:
    void applyObject(const ResourceBatch &batch);
    void applyEvents(const ResourceBatch &batch);
    void refreshEventRows();

    QString m_context;
    ApiResource m_resource;
    QString m_namespace;
    QString m_name;
    Informer *m_objectInformer = nullptr; ///< fieldSelector metadata.name=NAME
    Informer *m_eventInformer = nullptr;  ///< the object's Events
    QLabel *m_heading = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_json = nullptr;
    QTreeWidget *m_events = nullptr;
    QTimer *m_ageTimer = nullptr;
    QHash<QByteArray, QJsonObject> m_eventObjects; ///< by key
};
