#include "resource_feed.h"

#include "k8s_client.h"
#include "list_decoder.h"
#include "printable.h"
#include "table_decoder.h"
#include "watch_decoder.h"

#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>

namespace {

constexpr int FirstRetryMs = 1000;
constexpr int MaxRetryMs = 30'000;
constexpr qint64 MaxRefusedBodyBytes = 64 * 1024;

ResourceChange::Type changeTypeOf(WatchEvent::Type type)
{
    return type == WatchEvent::Type::Deleted ? ResourceChange::Type::Delete : ResourceChange::Type::Upsert;
}

} // namespace

ResourceFeed::ResourceFeed(K8sClient *client, const ApiResource &resource, const QString &namespaceName,
                           const Options &options, QObject *parent)
    : QObject(parent), m_client(client), m_resource(resource), m_namespace(namespaceName), m_options(options),
      m_decoder(std::make_unique<WatchDecoder>()), m_retryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &ResourceFeed::list);
}

ResourceFeed::~ResourceFeed()
{
    // No stateChanged from a destructor: the receiver may be half destroyed (our parent).
    blockSignals(true);
    stop();
}

QByteArray ResourceFeed::tableAccept()
{
    return QByteArrayLiteral("application/json;as=Table;g=meta.k8s.io;v=v1,application/json");
}

void ResourceFeed::start()
{
    if (m_running)
        return;
    m_running = true;
    m_failures = 0;
    list();
}

void ResourceFeed::stop()
{
    m_running = false;
    m_retryTimer->stop();
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    setState(State::Idle, QString());
}

void ResourceFeed::setState(State state, const QString &text)
{
    if (state == m_state && text == m_stateText)
        return;
    m_state = state;
    m_stateText = text;
    Q_EMIT stateChanged(state, text);
}

void ResourceFeed::list()
{
    if (!m_running || !m_client)
        return;
    const bool relist = m_state == State::Relisting;
    if (!relist)
        setState(State::Listing, tr("listing %1").arg(m_resource.plural));
    QUrlQuery query;
    if (!m_options.labelSelector.isEmpty())
        query.addQueryItem(QStringLiteral("labelSelector"), m_options.labelSelector);
    if (!m_options.fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), m_options.fieldSelector);
    if (m_options.table)
        query.addQueryItem(QStringLiteral("includeObject"), QStringLiteral("Object"));
    const QByteArray accept = m_options.table ? tableAccept() : QByteArrayLiteral("application/json");
    m_client->get(m_resource.collectionPath(m_namespace), query, accept, false, this,
                  [this](QNetworkReply *reply, const std::optional<K8sError> &error) {
                      if (!reply) {
                          fail(error.value_or(K8sError{}));
                          return;
                      }
                      if (!m_running) {
                          reply->abort();
                          reply->deleteLater();
                          return;
                      }
                      m_reply = reply;
                      connect(reply, &QNetworkReply::finished, this, [this, reply] { handleListFinished(reply); });
                  });
}

void ResourceFeed::appendTable(QByteArrayView json, ResourceChange::Type type, ResourceBatch &batch)
{
    Table table = parseTable(json);
    if (!table.error.isEmpty())
        return;
    if (!table.columns.empty())
        batch.columns = std::move(table.columns);
    for (TableRow &row : table.rows) {
        if (!row.object.resourceVersion.isEmpty())
            m_resourceVersion = row.object.resourceVersion;
        ResourceChange change;
        change.type = type;
        change.object = std::move(row.object);
        change.cells = std::move(row.cells);
        batch.changes.push_back(std::move(change));
    }
}

void ResourceFeed::handleListFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    const QByteArray body = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        fail(m_client ? m_client->networkErrorFor(reply) : K8sError{});
        return;
    }
    if (status < 200 || status >= 300) {
        fail(K8sClient::errorFor(reply, body));
        return;
    }
    ResourceBatch batch;
    batch.replace = true;
    Table table;
    if (m_options.table)
        table = parseTable(body);
    if (m_options.table && table.kind == "Table") {
        if (!table.error.isEmpty()) {
            retryLater(table.error);
            return;
        }
        batch.columns = std::move(table.columns);
        for (TableRow &row : table.rows)
            batch.changes.push_back({ResourceChange::Type::Upsert, std::move(row.object), std::move(row.cells)});
        m_resourceVersion = table.resourceVersion;
    } else {
        // Not a Table (the server ignored the Table Accept, or none was asked for).
        ListPage page = parseList(body);
        if (!page.error.isEmpty()) {
            retryLater(page.error);
            return;
        }
        for (WatchObject &item : page.items)
            batch.changes.push_back({ResourceChange::Type::Upsert, std::move(item), {}});
        m_resourceVersion = page.resourceVersion;
    }
    Q_EMIT batchReady(batch);
    watch();
}

void ResourceFeed::watch()
{
    if (!m_running || !m_client)
        return;
    m_decoder->reset();
    m_watchBody.clear();
    m_watchFailed = false;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("1"));
    query.addQueryItem(QStringLiteral("resourceVersion"), QString::fromLatin1(m_resourceVersion));
    query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(300 + QRandomGenerator::global()->bounded(300)));
    if (!m_options.labelSelector.isEmpty())
        query.addQueryItem(QStringLiteral("labelSelector"), m_options.labelSelector);
    if (!m_options.fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), m_options.fieldSelector);
    if (m_options.table)
        query.addQueryItem(QStringLiteral("includeObject"), QStringLiteral("Object"));
    const QByteArray accept = m_options.table ? tableAccept() : QByteArrayLiteral("application/json");
    m_client->get(m_resource.collectionPath(m_namespace), query, accept, true, this,
                  [this](QNetworkReply *reply, const std::optional<K8sError> &error) {
                      if (!reply) {
                          fail(error.value_or(K8sError{}));
                          return;
                      }
                      if (!m_running) {
                          reply->abort();
                          reply->deleteLater();
                          return;
                      }
                      m_reply = reply;
                      connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
                          // The watch is accepted as soon as its head says 200 (events may be rare).
                          if (reply == m_reply && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                              setState(State::Watching, tr("watching"));
                      });
                      connect(reply, &QNetworkReply::readyRead, this, [this, reply] { handleWatchData(reply); });
                      connect(reply, &QNetworkReply::finished, this, [this, reply] { handleWatchFinished(reply); });
                  });
}

void ResourceFeed::handleWatchData(QNetworkReply *reply)
{
    if (reply != m_reply)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        // A refused watch: keep (a bounded part of) its Status body for the error.
        m_watchBody += reply->read(MaxRefusedBodyBytes - m_watchBody.size());
        reply->readAll();
        return;
    }
    if (m_state != State::Watching)
        setState(State::Watching, tr("watching"));
    std::vector<WatchEvent> events;
    m_decoder->feed(reply->readAll(), events);
    ResourceBatch batch;
    for (WatchEvent &event : events) {
        switch (event.type) {
        case WatchEvent::Type::Added:
        case WatchEvent::Type::Modified:
        case WatchEvent::Type::Deleted:
            if (event.kind == "Table") {
                appendTable(event.object, changeTypeOf(event.type), batch);
            } else {
                m_resourceVersion = event.resourceVersion;
                ResourceChange change;
                change.type = changeTypeOf(event.type);
                change.object = std::move(event);
                batch.changes.push_back(std::move(change));
            }
            break;
        case WatchEvent::Type::Bookmark:
            if (!event.resourceVersion.isEmpty())
                m_resourceVersion = event.resourceVersion;
            break;
        case WatchEvent::Type::Error:
        case WatchEvent::Type::Unknown:
            m_watchFailed = true;
            if (!batch.changes.empty())
                Q_EMIT batchReady(batch);
            if (event.code == 410) {
                setState(State::Relisting, tr("relisting after 410 (%1)").arg(Printable::fromWire(event.message)));
                m_resourceVersion.clear();
                reply->disconnect(this);
                m_reply = nullptr;
                reply->abort();
                reply->deleteLater();
                list();
            } else {
                K8sError error;
                error.kind = K8sError::Kind::Server;
                error.httpStatus = event.code;
                error.message = tr("watch error %1: %2").arg(event.code).arg(Printable::fromWire(event.message));
                reply->disconnect(this);
                m_reply = nullptr;
                reply->abort();
                reply->deleteLater();
                fail(error);
            }
            return;
        }
    }
    if (!batch.changes.empty() || !batch.columns.empty())
        Q_EMIT batchReady(batch);
}

void ResourceFeed::handleWatchFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    handleWatchData(reply);
    if (reply != m_reply)
        return; // handled an in-stream error
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 410) {
        setState(State::Relisting, tr("relisting after 410"));
        m_resourceVersion.clear();
        list();
        return;
    }
    if (status == 0 || reply->error() != QNetworkReply::NoError) {
        if (status >= 300)
            fail(K8sClient::errorFor(reply, m_watchBody));
        else
            fail(m_client ? m_client->networkErrorFor(reply) : K8sError{});
        return;
    }
    if (status != 200) {
        fail(K8sClient::errorFor(reply, m_watchBody));
        return;
    }
    // A clean end (timeoutSeconds): watch again from where it stopped.
    m_failures = 0;
    watch();
}

void ResourceFeed::fail(const K8sError &error)
{
    if (error.kind == K8sError::Kind::Forbidden) {
        m_running = false;
        const QString text = error.statusMessage.isEmpty() ? error.message : error.statusMessage;
        setState(State::Forbidden, tr("forbidden: %1").arg(text));
        return;
    }
    if (error.kind == K8sError::Kind::Gone) {
        setState(State::Relisting, tr("relisting after 410"));
        m_resourceVersion.clear();
        list();
        return;
    }
    retryLater(error.message.isEmpty() ? K8sError::kindName(error.kind) : error.message);
}

void ResourceFeed::retryLater(const QString &text)
{
    if (!m_running)
        return;
    const int delay = std::min(MaxRetryMs, FirstRetryMs << std::min(m_failures, 5));
    ++m_failures;
    setState(State::Failed, tr("error: %1 (retrying in %2 s)").arg(text).arg(delay / 1000));
    m_retryTimer->start(delay);
}
