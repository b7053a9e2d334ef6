#include "informer.h"

#include "k8s_client.h"
#include "k8s_logging.h"
#include "list_decoder.h"

#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

Informer::Informer(K8sClient *client, const ApiResource &resource, const QString &namespaceName,
                   InformerOptions options, QObject *parent)
    : QObject(parent),
      m_client(client),
      m_resource(resource),
      m_namespace(namespaceName),
      m_options(std::move(options)),
      m_machine(m_options.streamingList),
      m_timer(new QTimer(this)),
      m_tableActive(m_options.table)
{
    m_clock.start();
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early: Retry-After is a minimum
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (const std::optional<WatchAction> action = std::exchange(m_pending, std::nullopt))
            perform(*action);
    });
}

Informer::~Informer()
{
    dropReply();
}

void Informer::start()
{
    stop();
    apply(m_machine.start(nowMs()));
}

void Informer::stop()
{
    ++m_generation;
    m_timer->stop();
    m_pending.reset();
    m_current.reset();
    dropReply();
    setState(State::Idle);
}

QList<WatchObject> Informer::objects() const
{
    return m_machine.store().values();
}

void Informer::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void Informer::dropReply()
{
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_watchOpen = false;
    m_decoder.reset();
}

void Informer::apply(WatchStep step)
{
    if (!step.changes.isEmpty())
        Q_EMIT changes(step.changes);
    if (step.synced)
        Q_EMIT synced(*step.synced);
    if (step.error) {
        qCDebug(lcK8s) << "informer" << m_resource.qualifiedName() << step.error->message;
        Q_EMIT errorOccurred(*step.error);
    }
    if (!step.next)
        return;
    ++m_generation;
    dropReply();
    if (step.next->delayMs > 0) {
        m_pending = *step.next;
        m_pending->delayMs = 0;
        setState(step.error ? State::Failed : State::Waiting);
        m_timer->start(int(std::min<qint64>(step.next->delayMs, std::numeric_limits<int>::max())));
        return;
    }
    perform(*step.next);
}

void Informer::perform(const WatchAction &action)
{
    m_current = action;
    if (action.kind == WatchAction::Kind::List) {
        m_listItems.clear();
        m_listResourceVersion = action.resourceVersion;
        m_listResultVersion.clear();
        setState(State::Listing);
        requestList(action.resourceVersion, {});
    } else if (action.kind == WatchAction::Kind::Watch) {
        setState(State::Watching);
        requestWatch(action);
    }
}

QByteArray Informer::accept() const
{
    // The plain JSON fallback lets a server without Table support answer a list, not a 406.
    return m_tableActive ? QByteArray(TableAccept) + ", application/json" : QByteArray("application/json");
}

bool Informer::retryAfterUnauthorized(const K8sError &error)
{
    if (error.httpStatus != 401 || m_authRetried || !m_client || !m_current)
        return false;
    m_authRetried = true;
    m_client->credentialRejected();
    perform(*m_current);
    return true;
}

void Informer::useFallbackColumns()
{
    m_tableActive = false;
    TableColumn name;
    name.name = QStringLiteral("Name");
    name.type = QStringLiteral("string");
    name.format = QStringLiteral("name");
    TableColumn age;
    age.name = QStringLiteral("Age");
    age.type = QStringLiteral("date"); // the cell is metadata.creationTimestamp: views show its age
    m_columns = {name, age};
    Q_EMIT columnsChanged(m_columns);
}

void Informer::decorate(WatchObject &object) const
{
    if (m_options.table && !m_tableActive)
        object.cells = {QString::fromUtf8(object.name), QString::fromUtf8(object.creationTimestamp)};
}

// ---- LIST ----

void Informer::requestList(const QByteArray &resourceVersion, const QByteArray &continueToken)
{
    if (!m_client)
        return;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(m_options.pageSize));
    if (!continueToken.isEmpty())
        query.addQueryItem(QStringLiteral("continue"), QString::fromUtf8(continueToken));
    else if (!resourceVersion.isEmpty())
        query.addQueryItem(QStringLiteral("resourceVersion"), QString::fromUtf8(resourceVersion));
    if (!m_options.labelSelector.isEmpty())
        query.addQueryItem(QStringLiteral("labelSelector"), m_options.labelSelector);
    if (!m_options.fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), m_options.fieldSelector);
    if (m_tableActive && m_options.includeObject)
        query.addQueryItem(QStringLiteral("includeObject"), QStringLiteral("Object"));
    const quint64 generation = m_generation;
    m_client->get(m_resource.collectionPath(m_namespace), query, accept(), false, this,
                  [this, generation](QNetworkReply *reply, const std::optional<K8sError> &error) {
                      if (generation != m_generation) {
                          if (reply)
                              reply->deleteLater();
                          return;
                      }
                      if (error) {
                          apply(m_machine.listFailed(*error, nowMs()));
                          return;
                      }
                      m_reply = reply;
                      connect(reply, &QNetworkReply::finished, this, [this, reply] { handleListFinished(reply); });
                  });
}

void Informer::handleListFinished(QNetworkReply *reply)
{
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status == 0) {
        apply(m_machine.listFailed(m_client->networkErrorFor(reply), nowMs()));
        return;
    }
    if (status == 406 && m_tableActive) {
        useFallbackColumns();
        perform(*m_current);
        return;
    }
    if (status != 200) {
        const K8sError error = K8sClient::errorFor(reply, body);
        if (!retryAfterUnauthorized(error))
            apply(m_machine.listFailed(error, nowMs()));
        return;
    }
    m_authRetried = false;
    QByteArray continueToken;
    QByteArray pageVersion;
    if (m_tableActive) {
        Table table = parseTable(body);
        if (table.kind != "Table" && table.error.startsWith(QLatin1String("expected a Table"))) {
            useFallbackColumns();
        } else if (!table.error.isEmpty()) {
            K8sError error;
            error.kind = K8sError::Kind::Decode;
            error.message = table.error;
            apply(m_machine.listFailed(error, nowMs()));
            return;
        } else {
            if (!table.columns.empty()) {
                m_columns = QList<TableColumn>(table.columns.begin(), table.columns.end());
                Q_EMIT columnsChanged(m_columns);
            }
            for (TableRow &row : table.rows) {
                row.object.cells = row.cells;
                m_listItems.push_back(std::move(row.object));
            }
            continueToken = table.continueToken;
            pageVersion = table.resourceVersion;
        }
    }
    if (!m_tableActive) {
        ListPage page = parseList(body);
        if (!page.error.isEmpty()) {
            K8sError error;
            error.kind = K8sError::Kind::Decode;
            error.message = page.error;
            apply(m_machine.listFailed(error, nowMs()));
            return;
        }
        for (WatchObject &item : page.items) {
            decorate(item);
            m_listItems.push_back(std::move(item));
        }
        continueToken = page.continueToken;
        pageVersion = page.resourceVersion;
    }
    if (m_listResultVersion.isEmpty())
        m_listResultVersion = pageVersion;
    if (!continueToken.isEmpty()) {
        requestList(m_listResourceVersion, continueToken);
        return;
    }
    apply(m_machine.listSucceeded(std::exchange(m_listItems, {}), m_listResultVersion, nowMs()));
}

// ---- WATCH ----

void Informer::requestWatch(const WatchAction &action)
{
    if (!m_client)
        return;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
    if (action.sendInitialEvents) {
        query.addQueryItem(QStringLiteral("sendInitialEvents"), QStringLiteral("true"));
        query.addQueryItem(QStringLiteral("resourceVersionMatch"), QStringLiteral("NotOlderThan"));
        query.addQueryItem(QStringLiteral("resourceVersion"), QString());
    } else if (!action.resourceVersion.isEmpty()) {
        query.addQueryItem(QStringLiteral("resourceVersion"), QString::fromUtf8(action.resourceVersion));
    }
    query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(action.timeoutSeconds));
    if (!m_options.labelSelector.isEmpty())
        query.addQueryItem(QStringLiteral("labelSelector"), m_options.labelSelector);
    if (!m_options.fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), m_options.fieldSelector);
    if (m_tableActive && m_options.includeObject)
        query.addQueryItem(QStringLiteral("includeObject"), QStringLiteral("Object"));
    const quint64 generation = m_generation;
    m_client->get(m_resource.collectionPath(m_namespace), query, accept(), true, this,
                  [this, generation](QNetworkReply *reply, const std::optional<K8sError> &error) {
                      if (generation != m_generation) {
                          if (reply) {
                              reply->abort();
                              reply->deleteLater();
                          }
                          return;
                      }
                      if (error) {
                          apply(m_machine.watchFailed(*error, nowMs()));
                          return;
                      }
                      m_reply = reply;
                      m_watchOpen = false;
                      m_errorBody.clear();
                      m_decoder.reset();
                      m_watchStartMs = nowMs();
                      m_watchEvents = 0;
                      connect(reply, &QNetworkReply::metaDataChanged, this, &Informer::handleWatchMetaData);
                      connect(reply, &QIODevice::readyRead, this, &Informer::handleWatchReadyRead);
                      connect(reply, &QNetworkReply::finished, this, &Informer::handleWatchFinished);
                  });
}

void Informer::handleWatchMetaData()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply || m_watchOpen)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200)
        return; // refused: the body is read at finished()
    m_watchOpen = true;
    m_authRetried = false;
    m_watchStartMs = nowMs();
    m_machine.watchOpened(m_watchStartMs);
}

std::vector<WatchEvent> Informer::tableEvents(std::vector<WatchEvent> events)
{
    std::vector<WatchEvent> out;
    out.reserve(events.size());
    for (WatchEvent &event : events) {
        if (event.kind != "Table") {
            if (m_tableActive && (event.type == WatchEvent::Type::Added || event.type == WatchEvent::Type::Modified
                                  || event.type == WatchEvent::Type::Deleted))
                useFallbackColumns(); // the server sent plain objects after all
            decorate(event);
            out.push_back(std::move(event));
            continue;
        }
        Table table = parseTable(event.object);
        if (!table.columns.empty()) {
            m_columns = QList<TableColumn>(table.columns.begin(), table.columns.end());
            Q_EMIT columnsChanged(m_columns);
        }
        for (TableRow &row : table.rows) {
            WatchEvent rowEvent;
            static_cast<WatchObject &>(rowEvent) = std::move(row.object);
            rowEvent.cells = row.cells;
            rowEvent.type = event.type;
            rowEvent.typeText = event.typeText;
            out.push_back(std::move(rowEvent));
        }
    }
    return out;
}

void Informer::handleWatchReadyRead()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply)
        return;
    if (!m_watchOpen) {
        handleWatchMetaData();
        if (!m_watchOpen) {
            m_errorBody += reply->readAll().left(64 * 1024);
            return;
        }
    }
    const quint64 generation = m_generation;
    const QByteArray bytes = reply->readAll();
    std::vector<WatchEvent> events;
    std::vector<WatchDecodeError> errors;
    m_decoder.feed(bytes, events, &errors);
    m_watchEvents += qint64(events.size());
    if (!errors.empty()) {
        // Apply what came before the first undecodable event, then let the machine handle it.
        events.resize(size_t(errors.front().beforeEvent));
        if (!events.empty())
            apply(m_machine.watchEvents(m_options.table ? tableEvents(std::move(events)) : events, nowMs()));
        if (generation == m_generation)
            apply(m_machine.watchDecodeFailed(errors.front().message, nowMs()));
        return;
    }
    if (!events.empty())
        apply(m_machine.watchEvents(m_options.table ? tableEvents(std::move(events)) : events, nowMs()));
}

void Informer::handleWatchFinished()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply)
        return;
    if (m_watchOpen)
        handleWatchReadyRead();
    if (reply != m_reply)
        return; // the events decided already (and dropped the reply)
    m_reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (!m_watchOpen) {
        if (status == 0) {
            apply(m_machine.watchFailed(m_client->networkErrorFor(reply), nowMs()));
            return;
        }
        m_errorBody += reply->readAll();
        if (status == 406 && m_tableActive) {
            useFallbackColumns();
            perform(*m_current);
            return;
        }
        const K8sError error = K8sClient::errorFor(reply, m_errorBody);
        if (!retryAfterUnauthorized(error))
            apply(m_machine.watchFailed(error, nowMs()));
        return;
    }
    m_watchOpen = false;
    std::vector<WatchEvent> none;
    std::vector<WatchDecodeError> errors;
    const bool partial = m_decoder.hasPartial();
    m_decoder.finish(none, &errors);
    const bool clean = !partial && reply->error() == QNetworkReply::NoError;
    apply(m_machine.watchEnded(clean, m_watchEvents, nowMs() - m_watchStartMs, nowMs()));
}
