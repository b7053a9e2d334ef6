#include "k8s_discovery.h"

#include "k8s_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QPointer>

namespace {

const QByteArray AggregatedAccept =
    QByteArrayLiteral("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

} // namespace

K8sDiscovery::K8sDiscovery(K8sClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

void K8sDiscovery::invalidate()
{
    if (m_loading)
        return;
    m_ready = false;
    m_resources.clear();
}

void K8sDiscovery::whenReady(QObject *context, std::function<void(const std::optional<K8sError> &)> done)
{
    if (m_ready) {
        done(std::nullopt);
        return;
    }
    QPointer<QObject> guard(context);
    m_waiters << [guard, done](const std::optional<K8sError> &error) {
        if (guard)
            done(error);
    };
    if (!m_loading)
        load();
}

void K8sDiscovery::fetch(const QString &path, const QByteArray &accept,
                         std::function<void(QByteArray, std::optional<K8sError>, bool)> then)
{
    m_client->get(path, {}, accept, false, this, [this, then](QNetworkReply *reply, const std::optional<K8sError> &error) {
        if (!reply) {
            then({}, error, false);
            return;
        }
        connect(reply, &QNetworkReply::finished, this, [this, reply, then] {
            reply->deleteLater();
            const QByteArray body = reply->readAll();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 0) {
                then({}, m_client->networkErrorFor(reply), false);
                return;
            }
            if (status == 406) {
                then({}, std::nullopt, true);
                return;
            }
            if (status < 200 || status >= 300) {
                then({}, K8sClient::errorFor(reply, body), false);
                return;
            }
            then(body, std::nullopt, false);
        });
    });
}

void K8sDiscovery::load()
{
    m_loading = true;
    m_loadError.reset();
    m_resources.clear();
    // Aggregated first: /api and /apis each answer with every group's resources.
    m_pending = 2;
    auto aggregatedFailed = std::make_shared<bool>(false);
    for (const QString &path : {QStringLiteral("/api"), QStringLiteral("/apis")}) {
        fetch(path, AggregatedAccept, [this, aggregatedFailed](QByteArray body, std::optional<K8sError> error, bool notAggregated) {
            if (error && !m_loadError)
                m_loadError = error;
            const bool isAggregated = !error && !notAggregated && body.contains("APIGroupDiscoveryList");
            if (!error && !isAggregated)
                *aggregatedFailed = true;
            if (isAggregated)
                m_resources += parseAggregated(body);
            if (--m_pending > 0)
                return;
            if (m_loadError) {
                finishLoad(m_loadError);
            } else if (*aggregatedFailed) {
                m_aggregated = false;
                m_resources.clear();
                loadClassic();
            } else {
                m_aggregated = true;
                finishLoad(std::nullopt);
            }
        });
    }
}

void K8sDiscovery::loadClassic()
{
    m_pending = 2;
    auto oneDone = [this] {
        if (--m_pending == 0)
            finishLoad(m_loadError);
    };
    fetch(QStringLiteral("/api/v1"), "application/json", [this, oneDone](QByteArray body, std::optional<K8sError> error, bool) {
        if (error && !m_loadError)
            m_loadError = error;
        else
            m_resources += parseResourceList(body);
        oneDone();
    });
    fetch(QStringLiteral("/apis"), "application/json", [this, oneDone](QByteArray body, std::optional<K8sError> error, bool) {
        if (error) {
            if (!m_loadError)
                m_loadError = error;
            oneDone();
            return;
        }
        const QJsonArray groups = QJsonDocument::fromJson(body).object().value(QLatin1String("groups")).toArray();
        for (const QJsonValue &g : groups) {
            const QString groupVersion = g.toObject().value(QLatin1String("preferredVersion")).toObject()
                                             .value(QLatin1String("groupVersion")).toString();
            if (groupVersion.isEmpty())
                continue;
            ++m_pending;
            fetch(QStringLiteral("/apis/") + groupVersion, "application/json",
                  [this, oneDone](QByteArray groupBody, std::optional<K8sError> groupError, bool) {
                      // One broken aggregated API (metrics-server down) must not hide the rest, as kubectl.
                      if (!groupError)
                          m_resources += parseResourceList(groupBody);
                      oneDone();
                  });
        }
        oneDone();
    });
}

void K8sDiscovery::finishLoad(const std::optional<K8sError> &error)
{
    m_loading = false;
    m_ready = !error;
    const auto waiters = std::exchange(m_waiters, {});
    for (const auto &waiter : waiters)
        waiter(error);
    if (m_ready)
        Q_EMIT loaded();
}

QList<ApiResource> K8sDiscovery::parseResourceList(const QByteArray &json)
{
    QList<ApiResource> out;
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    const QString groupVersion = o.value(QLatin1String("groupVersion")).toString();
    const qsizetype slash = groupVersion.indexOf(u'/');
    const QString group = slash < 0 ? QString() : groupVersion.left(slash);
    const QString version = slash < 0 ? groupVersion : groupVersion.mid(slash + 1);
    for (const QJsonValue &v : o.value(QLatin1String("resources")).toArray()) {
        const QJsonObject r = v.toObject();
        ApiResource res;
        res.plural = r.value(QLatin1String("name")).toString();
        if (res.plural.contains(u'/'))
            continue; // subresource
        res.group = r.contains(QLatin1String("group")) ? r.value(QLatin1String("group")).toString() : group;
        res.version = r.contains(QLatin1String("version")) ? r.value(QLatin1String("version")).toString() : version;
        res.singular = r.value(QLatin1String("singularName")).toString();
        res.kind = r.value(QLatin1String("kind")).toString();
        res.namespaced = r.value(QLatin1String("namespaced")).toBool();
        res.verbs = strings(r.value(QLatin1String("verbs")));
        res.shortNames = strings(r.value(QLatin1String("shortNames")));
        out << res;
    }
    return out;
}

QList<ApiResource> K8sDiscovery::parseAggregated(const QByteArray &json)
{
    QList<ApiResource> out;
    const QJsonArray items = QJsonDocument::fromJson(json).object().value(QLatin1String("items")).toArray();
    for (const QJsonValue &item : items) {
        const QJsonObject g = item.toObject();
        const QString group = g.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
        const QJsonArray versions = g.value(QLatin1String("versions")).toArray();
        if (versions.isEmpty())
            continue;
        // The first version listed is the preferred one.
        const QJsonObject v = versions.first().toObject();
        for (const QJsonValue &rv : v.value(QLatin1String("resources")).toArray()) {
            const QJsonObject r = rv.toObject();
            ApiResource res;
            res.group = group;
            res.version = v.value(QLatin1String("version")).toString();
            res.plural = r.value(QLatin1String("resource")).toString();
            res.singular = r.value(QLatin1String("singularResource")).toString();
            res.kind = r.value(QLatin1String("responseKind")).toObject().value(QLatin1String("kind")).toString();
            res.namespaced = r.value(QLatin1String("scope")).toString() == u"Namespaced";
            res.verbs = strings(r.value(QLatin1String("verbs")));
            res.shortNames = strings(r.value(QLatin1String("shortNames")));
            out << res;
        }
    }
    return out;
}

std::optional<ApiResource> K8sDiscovery::find(const QString &name, QString *error) const
{
    const QString wanted = name.toLower();
    // Exact qualified name first ("deployments.apps"), then plain names in the order kubectl
    // prefers: core group first, then the others as discovery listed them.
    for (const ApiResource &r : m_resources)
        if (!r.group.isEmpty() && (r.plural + u'.' + r.group).toLower() == wanted)
            return r;
    QList<const ApiResource *> candidates;
    for (const ApiResource &r : m_resources) {
        if (r.plural.toLower() == wanted || r.singular.toLower() == wanted || r.kind.toLower() == wanted
            || r.shortNames.contains(wanted, Qt::CaseInsensitive)) {
            candidates << &r;
        }
    }
    for (const ApiResource *r : candidates)
        if (r->group.isEmpty())
            return *r;
    if (!candidates.isEmpty())
        return *candidates.first();
    QStringList similar;
    for (const ApiResource &r : m_resources)
        if (r.plural.startsWith(wanted.left(3)) && !similar.contains(r.qualifiedName()))
            similar << r.qualifiedName();
    if (error)
        *error = QStringLiteral("the server doesn't have a resource type \"%1\"%2")
                     .arg(name, similar.isEmpty() ? QString()
                                                  : QStringLiteral(" (did you mean %1?)").arg(similar.join(QStringLiteral(", "))));
    return std::nullopt;
}
