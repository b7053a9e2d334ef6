// FakeCluster: list (with Table and paging) and watch (replay, 410, bookmarks, streaming lists).

#include "fake_cluster.h"

#include "fake_discovery.h"
#include "fake_pump.h"
#include "http_request.h"
#include "http_responder.h"
#include "route_helpers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace {

constexpr int DefaultWatchTimeoutS = 1800;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString encodeContinue(qint64 rv, const QString &lastKey)
{
    const QJsonObject token{{QStringLiteral("rv"), rv}, {QStringLiteral("start"), lastKey}};
    return QString::fromLatin1(compact(token).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool decodeContinue(const QString &text, qint64 *rv, QString *lastKey)
{
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    const QJsonObject token = QJsonDocument::fromJson(*decoded).object();
    if (!token.value(QLatin1String("rv")).isDouble() || !token.value(QLatin1String("start")).isString())
        return false;
    *rv = token.value(QLatin1String("rv")).toInteger();
    *lastKey = token.value(QLatin1String("start")).toString();
    return true;
}

QJsonObject bookmarkObject(const FakeResource &resource, qint64 rv, bool initialEnd)
{
    QJsonObject meta{{QStringLiteral("resourceVersion"), QString::number(rv)}};
    if (initialEnd)
        meta.insert(QStringLiteral("annotations"), QJsonObject{{QStringLiteral("k8s.io/initial-events-end"), QStringLiteral("true")}});
    return {{QStringLiteral("kind"), resource.kind},
            {QStringLiteral("apiVersion"), resource.apiVersion()},
            {QStringLiteral("metadata"), meta}};
}

QByteArray rawEvent(const QByteArray &type, const QJsonObject &object)
{
    return "{\"type\":\"" + type + "\",\"object\":" + compact(object) + "}\n";
}

QString objectNamespace(const QJsonObject &object)
{
    return object.value(QLatin1String("metadata")).toObject().value(QLatin1String("namespace")).toString();
}

} // namespace

QList<QJsonObject> FakeCluster::matching(const QString &resource, const QString &ns, const FakeSelector &selector) const
{
    QList<QJsonObject> out;
    const QMap<QString, QJsonObject> objects = m_store.value(resource);
    for (const QJsonObject &object : objects) {
        if ((ns.isEmpty() || objectNamespace(object) == ns) && selector.matches(object))
            out.append(object);
    }
    return out;
}

void FakeCluster::serveList(const HttpRequest &request, HttpResponder *responder, const FakeResource &resource,
                            const QString &ns, const FakeSelector &selector)
{
    const qint64 limit = RouteHelpers::queryInt(request, QStringLiteral("limit"), 0, 0, 1'000'000);
    const QString continueText = request.query.queryItemValue(QStringLiteral("continue"), QUrl::FullyDecoded);
    qint64 listRv = m_rv;
    QString startAfter;
    if (!continueText.isEmpty()) {
        if (!decodeContinue(continueText, &listRv, &startAfter)) {
            sendStatus(responder, 400, QStringLiteral("BadRequest"), QStringLiteral("continue key is not valid"));
            return;
        }
        if (listRv < m_compactedRv) {
            sendStatus(responder, 410, QStringLiteral("Expired"),
                       QStringLiteral("The provided continue parameter is too old to display a consistent list result. "
                                      "You can start a new list without the continue parameter, or use the continue "
                                      "token in this response to retrieve the remainder of the results."));
            return;
        }
    }
    QList<QJsonObject> items;
    QString lastKey;
    qint64 remaining = 0;
    for (const QJsonObject &object : matching(resource.name, ns, selector)) {
        const QString key = storeKey(object);
        if (!startAfter.isEmpty() && key <= startAfter)
            continue;
        if (limit > 0 && items.size() >= limit) {
            ++remaining;
            continue;
        }
        items.append(object);
        lastKey = key;
    }
    const QString token = remaining > 0 ? encodeContinue(listRv, lastKey) : QString();

    if (FakeTable::wantsTable(request.header("Accept"))) {
        const auto include = FakeTable::parseInclude(request.query.queryItemValue(QStringLiteral("includeObject")));
        QJsonObject table = FakeTable::table(resource.name, items, include, QDateTime::currentMSecsSinceEpoch(),
                                             QString::number(listRv), token);
        sendJson(responder, 200, table);
        return;
    }
    QJsonArray array;
    for (const QJsonObject &object : std::as_const(items))
        array.append(object);
    QJsonObject listMeta{{QStringLiteral("resourceVersion"), QString::number(listRv)}};
    if (!token.isEmpty()) {
        listMeta.insert(QStringLiteral("continue"), token);
        listMeta.insert(QStringLiteral("remainingItemCount"), remaining);
    }
    sendJson(responder, 200, {{QStringLiteral("kind"), QString(resource.kind + QStringLiteral("List"))},
                              {QStringLiteral("apiVersion"), resource.apiVersion()},
                              {QStringLiteral("metadata"), listMeta},
                              {QStringLiteral("items"), array}});
}

QByteArray FakeCluster::watchEvent(const Watch &watch, const QByteArray &type, const QJsonObject &object) const
{
    if (!watch.table)
        return rawEvent(type, object);
    const QJsonObject table = FakeTable::table(watch.resource, {object}, watch.include, QDateTime::currentMSecsSinceEpoch(),
                                               object.value(QLatin1String("metadata")).toObject().value(QLatin1String("resourceVersion")).toString());
    return rawEvent(type, table);
}

void FakeCluster::serveWatch(const HttpRequest &request, HttpResponder *responder, const FakeResource &resource,
                             const QString &ns, const FakeSelector &selector)
{
    // The 50,000-event bench stream is for unfiltered pod watches of "bench" (kubectl get pods
    // -n bench -w, k8s:watch/pods?namespace=bench); a log follower's filtered pod watch
    // (fieldSelector/labelSelector) gets the normal watch.
    if (resource.name == QLatin1String("pods") && ns == QLatin1String("bench")
        && !request.query.hasQueryItem(QStringLiteral("labelSelector"))
        && !request.query.hasQueryItem(QStringLiteral("fieldSelector"))) {
        serveBenchWatch(responder);
        return;
    }
    const QString rvText = request.query.queryItemValue(QStringLiteral("resourceVersion"));
    const bool initialEvents = request.query.queryItemValue(QStringLiteral("sendInitialEvents")) == QLatin1String("true");
    const QString rvMatch = request.query.queryItemValue(QStringLiteral("resourceVersionMatch"));
    const bool bookmarks = request.query.queryItemValue(QStringLiteral("allowWatchBookmarks")) == QLatin1String("true");
    if ((initialEvents && rvMatch != QLatin1String("NotOlderThan")) || (!initialEvents && !rvMatch.isEmpty())) {
        sendStatus(responder, 422, QStringLiteral("Invalid"),
                   QStringLiteral("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        return;
    }
    qint64 fromRv = 0;
    const bool fromScratch = rvText.isEmpty() || rvText == QLatin1String("0") || initialEvents;
    if (!rvText.isEmpty()) {
        bool ok = false;
        fromRv = rvText.toLongLong(&ok);
        if (!ok || fromRv < 0) {
            sendStatus(responder, 400, QStringLiteral("BadRequest"), QStringLiteral("invalid resource version: ") + rvText);
            return;
        }
    }

    responder->writeHead(200, {{"Content-Type", "application/json"}, {"Cache-Control", "no-cache, private"}});
    trackStream(responder);
    if (!fromScratch && fromRv < m_compactedRv) {
        const QJsonObject status = FakeObjects::status(410, QStringLiteral("Expired"),
                                                       QStringLiteral("too old resource version: %1 (%2)").arg(fromRv).arg(m_compactedRv));
        responder->write(rawEvent("ERROR", status));
        responder->end();
        return;
    }

    auto watch = std::make_shared<Watch>();
    watch->responder = responder;
    watch->resource = resource.name;
    watch->ns = ns;
    watch->selector = selector;
    watch->table = FakeTable::wantsTable(request.header("Accept"));
    watch->include = FakeTable::parseInclude(request.query.queryItemValue(QStringLiteral("includeObject")));

    QByteArray initial;
    if (fromScratch) {
        for (const QJsonObject &object : matching(resource.name, ns, selector))
            initial += watchEvent(*watch, "ADDED", object);
        if (initialEvents && bookmarks)
            initial += rawEvent("BOOKMARK", bookmarkObject(resource, m_rv, true));
    } else {
        for (const Change &change : m_history) {
            if (change.rv > fromRv && change.resource == resource.name
                && (ns.isEmpty() || objectNamespace(change.object) == ns) && selector.matches(change.object))
                initial += watchEvent(*watch, change.type, change.object);
        }
    }
    responder->write(initial);
    m_watches.append(watch);

    if (bookmarks && m_periods.bookmarkMs > 0) {
        auto *timer = new QTimer(responder);
        const FakeResource copy = resource;
        connect(timer, &QTimer::timeout, responder, [this, responder, copy] {
            responder->write(rawEvent("BOOKMARK", bookmarkObject(copy, m_rv, false)));
        });
        timer->start(m_periods.bookmarkMs);
    }
    qint64 timeoutS = RouteHelpers::queryInt(request, QStringLiteral("timeoutSeconds"), DefaultWatchTimeoutS, 0, 24 * 3600);
    if (timeoutS == 0)
        timeoutS = DefaultWatchTimeoutS; // 0 means "the server's default", as in the real API server
    QTimer::singleShot(int(timeoutS * 1000), responder, [responder] { responder->end(); });
}

void FakeCluster::notifyWatches(const Change &change)
{
    m_watches.removeIf([](const std::shared_ptr<Watch> &w) { return w->responder.isNull() || !w->responder->isConnected(); });
    const QString ns = objectNamespace(change.object);
    for (const std::shared_ptr<Watch> &w : std::as_const(m_watches)) {
        if (w->resource != change.resource || (!w->ns.isEmpty() && w->ns != ns) || !w->selector.matches(change.object))
            continue;
        w->responder->write(watchEvent(*w, change.type, change.object));
    }
}

void FakeCluster::serveBenchWatch(HttpResponder *responder)
{
    const FakePod *benchPod = findPod(QStringLiteral("bench"), QStringLiteral("bench"));
    if (!benchPod) {
        sendStatus(responder, 404, QStringLiteral("NotFound"), QStringLiteral("pods \"bench\" not found"));
        return;
    }
    responder->writeHead(200, {{"Content-Type", "application/json"}, {"Cache-Control", "no-cache, private"}});
    trackStream(responder);
    QJsonObject object = FakeObjects::podJson(*benchPod);
    // The pod JSON is serialised once; each event only splices in its resourceVersion.
    QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    meta.insert(QStringLiteral("resourceVersion"), QStringLiteral("@RV@"));
    object.insert(QStringLiteral("metadata"), meta);
    const QByteArray templ = rawEvent("MODIFIED", object);
    const qsizetype at = templ.indexOf("@RV@");
    const QByteArray head = templ.left(at), tail = templ.mid(at + 4);
    auto sent = std::make_shared<int>(0);
    const qint64 base = m_rv;
    FakePump::start(responder, [sent, head, tail, base] {
        QByteArray chunk;
        while (*sent < BenchWatchEvents && chunk.size() < 64 * 1024) {
            ++*sent;
            chunk += head + QByteArray::number(base + *sent) + tail;
        }
        return chunk;
    });
}
