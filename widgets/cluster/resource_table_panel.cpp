#include "resource_table_panel.h"

#include "k8s_client.h"
#include "k8s_discovery.h"
#include "k8s_environment.h"
#include "object_details_view.h"
#include "resource_table_view.h"

#include <QLabel>
#include <QVBoxLayout>

namespace {

const QString ContextKey = QStringLiteral("context");
const QString NamespaceKey = QStringLiteral("namespace");
const QString ResourceKey = QStringLiteral("resource");

} // namespace

ResourceTablePanel::ResourceTablePanel(ResourceTableView *view, QWidget *parent)
    : QWidget(parent), m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    adopt(view);
}

ResourceTablePanel::ResourceTablePanel(K8sEnvironment *environment, const QJsonObject &settings, QWidget *parent)
    : QWidget(parent), m_layout(new QVBoxLayout(this)),
      m_context(settings.value(ContextKey).toString()), m_namespace(settings.value(NamespaceKey).toString()),
      m_resource(settings.value(ResourceKey).toString())
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_message = new QLabel(tr("loading %1\u2026").arg(m_resource), this);
    m_message->setObjectName(QStringLiteral("resourcePanelMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_layout->addWidget(m_message);
    build(environment);
}

ResourceTablePanel::~ResourceTablePanel() = default;

QJsonObject ResourceTablePanel::settings() const
{
    return {{ContextKey, m_context}, {NamespaceKey, m_namespace}, {ResourceKey, m_resource}};
}

QString ResourceTablePanel::message() const
{
    return m_message && !m_message->isHidden() ? m_message->text() : QString();
}

void ResourceTablePanel::adopt(ResourceTableView *view)
{
    m_view = view;
    m_context = view->contextName();
    m_namespace = view->namespaceName();
    m_resource = view->resource().qualifiedName();
    if (m_message)
        m_message->hide();
    m_layout->addWidget(view);
    connect(view, &ResourceTableView::followLogsRequested, this, &ResourceTablePanel::followLogsRequested);
    connect(view, &ResourceTableView::detailsViewOpened, this, &ResourceTablePanel::detailsViewOpened);
    connect(view, &ResourceTableView::terminalRequested, this, &ResourceTablePanel::terminalRequested);
    connect(view, &ResourceTableView::portForwardRequested, this, &ResourceTablePanel::portForwardRequested);
}

void ResourceTablePanel::build(K8sEnvironment *environment)
{
    K8sError error;
    K8sClient *client = environment ? environment->client(m_context, &error) : nullptr;
    if (!client) {
        m_message->setText(environment ? tr("%1: %2").arg(m_resource, error.message)
                                       : tr("%1: no Kubernetes environment").arg(m_resource));
        return;
    }
    if (m_context.isEmpty())
        m_context = client->context().contextName;
    K8sDiscovery *discovery = environment->discovery(client);
    QPointer<K8sClient> guard(client);
    discovery->whenReady(this, [this, discovery, guard](const std::optional<K8sError> &failure) {
        if (failure) {
            m_message->setText(tr("%1: discovery failed: %2").arg(m_resource, failure->message));
            return;
        }
        if (!guard)
            return;
        std::optional<ApiResource> resource;
        for (const ApiResource &r : discovery->resources())
            if (r.qualifiedName() == m_resource)
                resource = r;
        QString findError;
        if (!resource)
            resource = discovery->find(m_resource, &findError);
        if (!resource) {
            m_message->setText(tr("%1: %2").arg(m_resource, findError));
            return;
        }
        auto *view = new ResourceTableView(guard, m_context, m_namespace, *resource);
        adopt(view);
        Q_EMIT viewReady(view);
    });
}
