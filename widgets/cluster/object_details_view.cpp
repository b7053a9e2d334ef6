#include "object_details_view.h"

#include "informer.h"
#include "informer_status.h"
#include "k8s_client.h"
#include "k8s_object_json.h"
#include "printable.h"
#include "resource_change.h"
#include "resource_table_model.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace {

ApiResource eventsResource()
{
    ApiResource r;
    r.version = QStringLiteral("v1");
    r.plural = QStringLiteral("events");
    r.singular = QStringLiteral("event");
    r.kind = QStringLiteral("Event");
    r.verbs = {QStringLiteral("list"), QStringLiteral("watch")};
    return r;
}

/// The time an Event last happened: lastTimestamp, else eventTime, else creationTimestamp.
qint64 eventTimeMs(const QJsonObject &event)
{
    for (const QString &field : {QStringLiteral("lastTimestamp"), QStringLiteral("eventTime")}) {
        const QString text = event.value(field).toString();
        if (!text.isEmpty()) {
            const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
            if (t.isValid())
                return t.toMSecsSinceEpoch();
        }
    }
    const QString created = event.value(QLatin1String("metadata")).toObject().value(QLatin1String("creationTimestamp")).toString();
    const QDateTime t = QDateTime::fromString(created, Qt::ISODateWithMs);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

} // namespace

ObjectDetailsView::ObjectDetailsView(K8sClient *client, const QString &contextName, const ApiResource &resource,
                                     const QString &namespaceName, const QString &name, QWidget *parent)
    : QWidget(parent), m_context(contextName), m_resource(resource),
      m_namespace(resource.namespaced ? namespaceName : QString()), m_name(name), m_ageTimer(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_heading = new QLabel(title(), this);
    m_heading->setTextFormat(Qt::PlainText);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    layout->addWidget(m_heading);
    m_banner = new QLabel(tr("deleted: the object no longer exists (last known state below)"), this);
    m_banner->setObjectName(QStringLiteral("deletedBanner"));
    m_banner->setStyleSheet(QStringLiteral("background: #fde2e2; color: #8a1010; padding: 4px;"));
    m_banner->hide();
    layout->addWidget(m_banner);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_json = new QPlainTextEdit(splitter);
    m_json->setObjectName(QStringLiteral("objectJson"));
    m_json->setReadOnly(true);
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setPlaceholderText(tr("loading\u2026"));
    m_events = new QTreeWidget(splitter);
    m_events->setObjectName(QStringLiteral("objectEvents"));
    m_events->setHeaderLabels({tr("TYPE"), tr("REASON"), tr("AGE"), tr("MESSAGE")});
    m_events->setRootIsDecorated(false);
    m_events->setUniformRowHeights(true);
    m_events->setAlternatingRowColors(true);
    m_events->header()->setStretchLastSection(true);
    const int em = m_events->fontMetrics().horizontalAdvance(u'm');
    m_events->setColumnWidth(0, em * 7);
    m_events->setColumnWidth(1, em * 12);
    m_events->setColumnWidth(2, em * 5);
    splitter->addWidget(m_json);
    splitter->addWidget(m_events);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    layout->addWidget(m_status);

    InformerOptions objectOptions;
    objectOptions.fieldSelector = QStringLiteral("metadata.name=") + name;
    m_objectInformer = new Informer(client, resource, m_namespace, objectOptions, this);
    connect(m_objectInformer, &Informer::changes, this,
            [this](const QList<WatchChange> &changes) { applyObject(resourceBatchFrom(changes)); });
    connect(m_objectInformer, &Informer::synced, this, [this](int count) {
        if (count == 0 && m_json->toPlainText().isEmpty())
            m_json->setPlaceholderText(tr("not found"));
        m_status->setText(informerStatusText(m_objectInformer->state(), m_resource.plural, std::nullopt));
    });
    connect(m_objectInformer, &Informer::stateChanged, this, [this](Informer::State state) {
        m_status->setText(informerStatusText(state, m_resource.plural, std::nullopt));
    });
    connect(m_objectInformer, &Informer::errorOccurred, this, [this](const K8sError &error) {
        m_status->setText(informerStatusText(Informer::State::Failed, m_resource.plural, error));
    });
    m_objectInformer->start();

    if (resource.namespaced && !m_namespace.isEmpty()) {
        InformerOptions eventOptions;
        eventOptions.fieldSelector = QStringLiteral("involvedObject.name=") + name
            + QStringLiteral(",involvedObject.namespace=") + m_namespace;
        m_eventInformer = new Informer(client, eventsResource(), m_namespace, eventOptions, this);
        connect(m_eventInformer, &Informer::changes, this,
                [this](const QList<WatchChange> &changes) { applyEvents(resourceBatchFrom(changes)); });
        m_eventInformer->start();
    } else {
        m_events->hide();
    }
    connect(m_ageTimer, &QTimer::timeout, this, &ObjectDetailsView::refreshEventRows);
    m_ageTimer->start(1000);
}

ObjectDetailsView::~ObjectDetailsView() = default;

QString ObjectDetailsView::title() const
{
    const QString kind = m_resource.singular.isEmpty() ? m_resource.plural : m_resource.singular;
    if (m_namespace.isEmpty())
        return kind + u' ' + m_name;
    return kind + u' ' + m_namespace + u'/' + m_name;
}

QString ObjectDetailsView::jsonText() const
{
    return m_json->toPlainText();
}

bool ObjectDetailsView::isDeleted() const
{
    return !m_banner->isHidden();
}

int ObjectDetailsView::eventCount() const
{
    return m_events->topLevelItemCount();
}

void ObjectDetailsView::applyObject(const ResourceBatch &batch)
{
    const QByteArray name = m_name.toUtf8();
    bool seen = false;
    for (const ResourceChange &change : batch.changes) {
        if (change.object.name != name)
            continue;
        seen = true;
        if (change.type == ResourceChange::Type::Delete) {
            m_banner->show();
        } else {
            m_banner->hide();
            m_json->setPlainText(K8sObjectJson::pretty(change.object.object));
        }
    }
    if (batch.replace && !seen)
        m_banner->setVisible(!m_json->toPlainText().isEmpty());
    if (batch.replace && !seen && m_json->toPlainText().isEmpty())
        m_json->setPlaceholderText(tr("not found"));
}

void ObjectDetailsView::applyEvents(const ResourceBatch &batch)
{
    if (batch.replace)
        m_eventObjects.clear();
    for (const ResourceChange &change : batch.changes) {
        if (change.type == ResourceChange::Type::Delete)
            m_eventObjects.remove(change.object.key());
        else
            m_eventObjects.insert(change.object.key(), QJsonDocument::fromJson(change.object.object).object());
    }
    refreshEventRows();
}

void ObjectDetailsView::refreshEventRows()
{
    if (m_events->isHidden())
        return;
    std::vector<std::pair<qint64, const QJsonObject *>> events;
    events.reserve(size_t(m_eventObjects.size()));
    for (auto it = m_eventObjects.cbegin(); it != m_eventObjects.cend(); ++it)
        events.emplace_back(eventTimeMs(it.value()), &it.value());
    std::sort(events.begin(), events.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (m_events->topLevelItemCount() > int(events.size()))
        delete m_events->takeTopLevelItem(m_events->topLevelItemCount() - 1);
    for (int i = 0; i < int(events.size()); ++i) {
        QTreeWidgetItem *item = m_events->topLevelItem(i);
        if (!item)
            item = new QTreeWidgetItem(m_events);
        const QJsonObject &e = *events[size_t(i)].second;
        const QString type = Printable::escaped(e.value(QLatin1String("type")).toString());
        item->setText(0, type);
        item->setText(1, Printable::escaped(e.value(QLatin1String("reason")).toString()));
        item->setText(2, events[size_t(i)].first ? ResourceTableModel::humanDuration(now - events[size_t(i)].first)
                                                 : QStringLiteral("<unknown>"));
        const QString message = Printable::escaped(e.value(QLatin1String("message")).toString());
        item->setText(3, message);
        item->setToolTip(3, message);
        item->setForeground(0, type == u"Warning" ? QBrush(QColor(168, 100, 0)) : QBrush());
    }
}
