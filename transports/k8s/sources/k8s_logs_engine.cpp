#include "k8s_logs_engine.h"

#include "api_resource.h"
#include "container_log_stream.h"
#include "informer.h"
#include "k8s_client.h"
#include "pod_log_set.h"
#include "pod_status.h"
#include "printable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

namespace {

QString workloadPath(const QString &kind, const QString &ns, const QString &name)
{
    const QString group = kind == u"jobs" ? QStringLiteral("batch/v1") : QStringLiteral("apps/v1");
    return QStringLiteral("/apis/%1/namespaces/%2/%3/%4").arg(group, ns, kind, name);
}

K8sError decodeError(const QString &message)
{
    K8sError e;
    e.kind = K8sError::Kind::Decode;
    e.message = message;
    e.retryable = false;
    return e;
}

} // namespace

K8sLogsEngine::K8sLogsEngine(K8sSourceTransport *transport)
    : K8sSourceEngine(transport)
{
    const K8sSourceSpec &spec = transport->spec();
    if (!spec.include.isEmpty())
        m_include.setPattern(spec.include);
    if (!spec.exclude.isEmpty())
        m_exclude.setPattern(spec.exclude);
}

K8sLogsEngine::~K8sLogsEngine()
{
    stop();
}

void K8sLogsEngine::stop()
{
    m_stopped = true;
    if (m_pods)
        m_pods->stop();
    if (m_logs)
        m_logs->stop();
    for (ContainerLogStream *s : std::as_const(m_previous))
        s->stop();
}

QString K8sLogsEngine::selectorFromWorkload(const QByteArray &workloadJson, QString *error)
{
    const QJsonObject selector = QJsonDocument::fromJson(workloadJson).object().value(QLatin1String("spec")).toObject()
                                     .value(QLatin1String("selector")).toObject();
    QStringList terms;
    const QJsonObject labels = selector.value(QLatin1String("matchLabels")).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        terms << it.key() + u'=' + it.value().toString();
    for (const QJsonValue &v : selector.value(QLatin1String("matchExpressions")).toArray()) {
        const QJsonObject e = v.toObject();
        const QString key = e.value(QLatin1String("key")).toString();
        const QString op = e.value(QLatin1String("operator")).toString();
        QStringList values;
        for (const QJsonValue &value : e.value(QLatin1String("values")).toArray())
            values << value.toString();
        if (op == u"In")
            terms << QStringLiteral("%1 in (%2)").arg(key, values.join(u','));
        else if (op == u"NotIn")
            terms << QStringLiteral("%1 notin (%2)").arg(key, values.join(u','));
        else if (op == u"Exists")
            terms << key;
        else if (op == u"DoesNotExist")
            terms << u'!' + key;
    }
    if (terms.isEmpty() && error)
        *error = QStringLiteral("it has no spec.selector to find its pods by");
    return terms.join(u',');
}

void K8sLogsEngine::start()
{
    const K8sSourceSpec &spec = transport()->spec();
    if (spec.previous && spec.kind == K8sSourceSpec::Kind::PodLogs) {
        startPrevious();
        return;
    }
    switch (spec.kind) {
    case K8sSourceSpec::Kind::PodLogs:
        startFollowing({}, QStringLiteral("metadata.name=") + spec.pod);
        break;
    case K8sSourceSpec::Kind::SelectorLogs:
        startFollowing(spec.selector, {});
        break;
    case K8sSourceSpec::Kind::WorkloadLogs:
        resolveWorkload();
        break;
    case K8sSourceSpec::Kind::Watch:
        break;
    }
}

void K8sLogsEngine::resolveWorkload()
{
    const K8sSourceSpec &spec = transport()->spec();
    K8sClient *client = transport()->client();
    const QString path = workloadPath(spec.workloadKind, transport()->namespaceName(), spec.workloadName);
    client->get(path, {}, "application/json", false, this, [this, client, spec](QNetworkReply *reply, const std::optional<K8sError> &error) {
        if (m_stopped)
            return;
        if (!reply) {
            transport()->failWith(*error);
            return;
        }
        connect(reply, &QNetworkReply::finished, this, [this, reply, client, spec] {
            reply->deleteLater();
            if (m_stopped)
                return;
            const QByteArray body = reply->readAll();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 0) {
                transport()->failWith(client->networkErrorFor(reply));
                return;
            }
            if (status != 200) {
                transport()->failWith(K8sClient::errorFor(reply, body));
                return;
            }
            QString why;
            const QString selector = selectorFromWorkload(body, &why);
            if (selector.isEmpty()) {
                transport()->failWith(decodeError(QStringLiteral("%1/%2: %3").arg(spec.workloadKind, spec.workloadName, why)));
                return;
            }
            transport()->emitNotice(QStringLiteral("%1 %2/%3 selects pods by %4")
                                        .arg(spec.workloadKind.chopped(1), transport()->namespaceName(), spec.workloadName,
                                             Printable::escaped(selector)));
            startFollowing(selector, {});
        });
    });
}

void K8sLogsEngine::startFollowing(const QString &labelSelector, const QString &fieldSelector)
{
    const K8sSourceSpec &spec = transport()->spec();
    m_labelSelector = labelSelector;
    m_fieldSelector = fieldSelector;
    PodLogSetOptions options;
    options.namespaceName = transport()->namespaceName();
    options.labelSelector = labelSelector;
    options.includeInitContainers = spec.initContainers;
    if (!spec.container.isEmpty())
        options.containerFilter.setPattern(QStringLiteral("^%1$").arg(QRegularExpression::escape(spec.container)));
    else if (!spec.containerRegex.isEmpty())
        options.containerFilter.setPattern(spec.containerRegex);
    options.tailLines = spec.tailLines;
    if (spec.sinceSeconds)
        options.sinceSeconds = int(*spec.sinceSeconds);
    m_logs = new PodLogSet(transport()->client(), options, this);
    connect(m_logs, &PodLogSet::lines, this, &K8sLogsEngine::handleLines);
    connect(m_logs, &PodLogSet::statusChanged, this, [this](const QString &, const QString &text) {
        if (text.startsWith(QLatin1String("following ")))
            transport()->markOpen();
        transport()->emitNotice(text);
    });

    InformerOptions podOptions;
    podOptions.labelSelector = labelSelector;
    podOptions.fieldSelector = fieldSelector;
    m_pods = new Informer(transport()->client(), ApiResource::pods(), transport()->namespaceName(), podOptions, this);
    connect(m_pods, &Informer::changes, this, [this](const QList<WatchChange> &batch) {
        for (const WatchChange &change : batch) {
            if (change.kind == WatchChange::Kind::Deleted)
                m_logs->removePod(QString::fromUtf8(change.object.key()));
            else
                m_logs->applyPod(change.object.object);
        }
    });
    connect(m_pods, &Informer::synced, this, [this, spec](int count) {
        if (count == 0) {
            transport()->emitNotice(spec.kind == K8sSourceSpec::Kind::PodLogs
                                        ? QStringLiteral("pod %1/%2 not found; waiting for it").arg(transport()->namespaceName(), spec.pod)
                                        : QStringLiteral("no pods match yet; waiting for them"));
            transport()->markOpen();
        }
    });
    connect(m_pods, &Informer::errorOccurred, this, [this](const K8sError &error) {
        if (error.retryable)
            transport()->reportRetrying(error);
        else
            transport()->failWith(error);
    });
    m_pods->start();
}

void K8sLogsEngine::startPrevious()
{
    // previous=true: one GET of the pod for its containers, then each selected container's
    // previous instance once.
    const K8sSourceSpec &spec = transport()->spec();
    K8sClient *client = transport()->client();
    const QString ns = transport()->namespaceName();
    client->get(QStringLiteral("/api/v1/namespaces/%1/pods/%2").arg(ns, spec.pod), {}, "application/json", false, this,
                [this, client, spec, ns](QNetworkReply *reply, const std::optional<K8sError> &error) {
        if (m_stopped)
            return;
        if (!reply) {
            transport()->failWith(*error);
            return;
        }
        connect(reply, &QNetworkReply::finished, this, [this, reply, client, spec, ns] {
            reply->deleteLater();
            if (m_stopped)
                return;
            const QByteArray body = reply->readAll();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status != 200) {
                transport()->failWith(status == 0 ? client->networkErrorFor(reply) : K8sClient::errorFor(reply, body));
                return;
            }
            const std::optional<PodStatusInfo> pod = PodStatusInfo::parse(body);
            QStringList containers;
            if (pod)
                for (const ContainerStatusInfo &c : pod->containers)
                    if ((spec.container.isEmpty() || c.name == spec.container)
                        && (spec.containerRegex.isEmpty() || QRegularExpression(spec.containerRegex).match(c.name).hasMatch()))
                        containers << c.name;
            if (containers.isEmpty()) {
                transport()->failWith(decodeError(QStringLiteral("pod %1/%2 has no container to read").arg(ns, spec.pod)));
                return;
            }
            auto remaining = std::make_shared<int>(int(containers.size()));
            for (const QString &name : containers) {
                ContainerLogOptions options;
                options.container = name;
                options.previous = true;
                options.follow = false;
                options.tailLines = spec.tailLines;
                auto *stream = new ContainerLogStream(client, ns, spec.pod, options, this);
                m_previous << stream;
                const QString key = QStringLiteral("%1/%2/%3").arg(ns, spec.pod, name);
                connect(stream, &ContainerLogStream::lines, this, [this, key](const QList<KubeLogLine> &batch) {
                    QList<MergedLogLine> merged;
                    merged.reserve(batch.size());
                    for (const KubeLogLine &line : batch)
                        merged.append(MergedLogLine{key, line.timestamp, line.text, 0, false});
                    handleLines(merged);
                });
                connect(stream, &ContainerLogStream::errorOccurred, this, [this, key](const K8sError &e) {
                    transport()->emitNotice(QStringLiteral("%1: %2").arg(key, e.message));
                });
                connect(stream, &ContainerLogStream::stateChanged, this, [this, remaining](ContainerLogStream::State state) {
                    if (state == ContainerLogStream::State::Following)
                        transport()->markOpen();
                    if (state == ContainerLogStream::State::Ended || state == ContainerLogStream::State::Failed
                        || state == ContainerLogStream::State::Forbidden) {
                        if (--*remaining == 0)
                            QMetaObject::invokeMethod(transport(), [t = transport()] { t->stopWithReason(QStringLiteral("previous logs read")); },
                                                      Qt::QueuedConnection);
                    }
                });
                stream->start();
            }
        });
    });
}

bool K8sLogsEngine::keep(const QByteArray &text) const
{
    if (m_include.pattern().isEmpty() && m_exclude.pattern().isEmpty())
        return true;
    const QString line = QString::fromUtf8(text);
    if (!m_include.pattern().isEmpty() && !m_include.match(line).hasMatch())
        return false;
    return m_exclude.pattern().isEmpty() || !m_exclude.match(line).hasMatch();
}

void K8sLogsEngine::handleLines(const QList<MergedLogLine> &batch)
{
    if (m_stopped)
        return;
    QList<StreamEvent> events;
    events.reserve(batch.size());
    QString lastKey;
    QByteArray lastId;
    for (const MergedLogLine &line : batch) {
        if (!keep(line.text))
            continue;
        if (line.streamKey != lastKey) {
            lastKey = line.streamKey;
            lastId = line.streamKey.toUtf8();
        }
        events.append(transport()->dataEvent(QByteArrayLiteral("log"), lastId, line.text, line.timestamp.toEpochMs()));
    }
    if (events.isEmpty())
        return;
    transport()->markOpen();
    transport()->noteStreamActivity();
    transport()->deliverEvents(events);
}
