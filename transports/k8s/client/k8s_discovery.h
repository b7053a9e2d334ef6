#pragma once

#include "api_resource.h"
#include "k8s_error.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class K8sClient;
class QNetworkReply;

/// Which resources a cluster serves, from its discovery documents, cached for the life of the
/// client (per context). Aggregated discovery (`apidiscovery.k8s.io/v2`, one request each for
/// /api and /apis) is asked first; a server that does not offer it is read the classic way
/// (/api, /api/v1, /apis, then /apis/<group>/<preferred version> for every group).
///
/// find() resolves what a user types the way kubectl does: plural ("pods"), singular ("pod"),
/// short name ("po"), kind ("Pod"), or qualified "plural.group" ("deployments.apps",
/// "widgets.demo.livedash.io"); case-insensitive; subresources ("pods/log") are not listed.
class K8sDiscovery : public QObject
{
    Q_OBJECT
public:
    explicit K8sDiscovery(K8sClient *client, QObject *parent = nullptr);

    /// Runs `done` once discovery is loaded (at once when cached). Concurrent calls share one load.
    void whenReady(QObject *context, std::function<void(const std::optional<K8sError> &)> done);
    bool isReady() const { return m_ready; }
    void invalidate();

    const QList<ApiResource> &resources() const { return m_resources; }
    /// nullopt with a message naming close matches when nothing fits.
    std::optional<ApiResource> find(const QString &name, QString *error) const;
    /// Whether the last load used aggregated discovery.
    bool usedAggregated() const { return m_aggregated; }

    /// Pure parts, public for tests: the resources of an APIResourceList (classic) or of an
    /// APIGroupDiscoveryList (aggregated).
    static QList<ApiResource> parseResourceList(const QByteArray &json);
    static QList<ApiResource> parseAggregated(const QByteArray &json);

Q_SIGNALS:
    void loaded();

private:
    void load();
    void loadClassic();
    void fetch(const QString &path, const QByteArray &accept,
               std::function<void(QByteArray body, std::optional<K8sError> error, bool notAggregated)> then);
    void finishLoad(const std::optional<K8sError> &error);

    K8sClient *m_client;
    QList<ApiResource> m_resources;
    bool m_ready = false;
    bool m_loading = false;
    bool m_aggregated = false;
    int m_pending = 0;
    std::optional<K8sError> m_loadError;
    QList<std::function<void(const std::optional<K8sError> &)>> m_waiters;
};
