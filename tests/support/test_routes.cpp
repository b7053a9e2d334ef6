#include "test_routes.h"

#include "demo_server.h"
#include "route_helpers.h"

#include <QTimer>

using namespace RouteHelpers;

namespace {

constexpr qint64 HugeLinePiece = 64 * 1024;
constexpr qint64 HugeLineMaxPending = 4 * HugeLinePiece;

QByteArray contentTypeFor(const QString &type)
{
    if (type == QLatin1String("lines"))
        return "text/plain; charset=utf-8";
    if (type == QLatin1String("ndjson"))
        return "application/x-ndjson";
    return "text/event-stream";
}

void serveSseOnce(const HttpRequest &request, HttpResponder *responder)
{
    const qint64 events = queryInt(request, QStringLiteral("events"), 3, 0, 100'000);
    const qint64 last = lastEventId(request);
    const qint64 first = last >= 0 ? last + 1 : 1;
    responder->writeHead(200, sseHeaders());
    QByteArray body;
    for (qint64 i = first; i < first + events; ++i)
        body += "id: " + QByteArray::number(i) + "\ndata: e" + QByteArray::number(i) + "\n\n";
    responder->write(body);
    responder->end();
}

// The huge-line body as a virtual string: prefix + N × 'x' + suffix, cut into pieces on demand so
// a 256 MiB line never sits in memory.
struct HugeLine
{
    QByteArray prefix;
    qint64 xCount = 0;
    QByteArray suffix;
    qint64 position = 0;

    qint64 size() const { return prefix.size() + xCount + suffix.size(); }
    QByteArray piece(qint64 length)
    {
        QByteArray out;
        out.reserve(length);
        const qint64 end = std::min(size(), position + length);
        while (position < end) {
            if (position < prefix.size()) {
                const qint64 take = std::min(end, qint64(prefix.size())) - position;
                out += prefix.mid(position, take);
                position += take;
            } else if (position < prefix.size() + xCount) {
                const qint64 take = std::min(end, qint64(prefix.size()) + xCount) - position;
                out += QByteArray(take, 'x');
                position += take;
            } else {
                const qint64 offset = position - qint64(prefix.size()) - xCount;
                const qint64 take = end - position;
                out += suffix.mid(offset, take);
                position += take;
            }
        }
        return out;
    }
};

} // namespace

void TestRoutes::install(DemoServer &server)
{
    server.addRoute(QStringLiteral("/test/drip"), [](const HttpRequest &request, HttpResponder *responder) {
        const qint64 count = queryInt(request, QStringLiteral("count"), 5, 1, 10'000);
        auto script = std::make_shared<QByteArray>();
        for (qint64 i = 1; i <= count; ++i)
            *script += "data: drip " + QByteArray::number(i) + "\n\n";
        responder->writeHead(200, sseHeaders());
        auto position = std::make_shared<qsizetype>(0);
        auto *timer = new QTimer(responder);
        timer->setTimerType(Qt::PreciseTimer);
        QObject::connect(timer, &QTimer::timeout, responder, [responder, timer, script, position] {
            if (*position >= script->size()) {
                timer->stop();
                responder->end();
                return;
            }
            responder->write(script->mid((*position)++, 1));
        });
        timer->start(2);
    });

    server.addRoute(QStringLiteral("/test/wrong-type"), [](const HttpRequest &, HttpResponder *responder) {
        responder->respond(200, "text/html; charset=utf-8",
                           "<!doctype html>\n<html><head><title>Not a stream</title></head>"
                           "<body><h1>Not a stream</h1><p>data: this is HTML</p></body></html>\n");
    });

    server.addRoute(QStringLiteral("/test/no-type"), [](const HttpRequest &, HttpResponder *responder) {
        responder->respond(200, QByteArray(), "data: hello\n\n");
    });

    server.addRoute(QStringLiteral("/test/status"), [](const HttpRequest &request, HttpResponder *responder) {
        const qint64 code = queryInt(request, QStringLiteral("code"), 0, 0, 1000);
        if (code < 200 || code > 599) {
            responder->respond(400, "text/plain; charset=utf-8", "code must be 200..599\n");
            return;
        }
        if (code == 204 || code == 205 || code == 304) {
            responder->writeHead(int(code), {}, HttpResponder::Framing::ContentLength, 0);
            responder->end();
            return;
        }
        responder->respond(int(code), "text/plain; charset=utf-8", "status " + QByteArray::number(code) + '\n');
    });

    server.addRoute(QStringLiteral("/test/redirect"), [](const HttpRequest &request, HttpResponder *responder) {
        const qint64 code = queryInt(request, QStringLiteral("code"), 302, 0, 1000);
        const QString to = request.query.hasQueryItem(QStringLiteral("to"))
            ? request.query.queryItemValue(QStringLiteral("to"), QUrl::FullyDecoded)
            : QStringLiteral("/test/sse-once");
        const bool validCode = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
        const bool validTarget = !to.isEmpty() && std::none_of(to.begin(), to.end(), [](QChar c) {
            return c.unicode() < 0x20 || c.unicode() == 0x7f;
        });
        if (!validCode || !validTarget) {
            responder->respond(400, "text/plain; charset=utf-8", "need code=301|302|303|307|308 and a valid to=\n");
            return;
        }
        const QByteArray location = to.toUtf8();
        responder->respond(int(code), "text/plain; charset=utf-8", "redirecting to " + location + '\n',
                           {{"Location", location}});
    });

    server.addRoute(QStringLiteral("/test/close-mid"), [](const HttpRequest &, HttpResponder *responder) {
        responder->writeHead(200, sseHeaders());
        responder->write("id: 1\ndata: a\n\n");
        responder->write("id: 2\ndata: b\n\n");
        responder->write("id: 3\ndata: partial");
        QTimer::singleShot(50, responder, [responder] { responder->abort(); });
    });

    server.addRoute(QStringLiteral("/test/huge-line"), [](const HttpRequest &request, HttpResponder *responder) {
        const bool lines = request.query.queryItemValue(QStringLiteral("type")) == QLatin1String("lines");
        auto body = std::make_shared<HugeLine>();
        body->prefix = lines ? QByteArray() : QByteArray("data: ");
        body->xCount = queryInt(request, QStringLiteral("bytes"), 1024 * 1024, 0, 256LL * 1024 * 1024);
        body->suffix = lines ? QByteArray("\nafter\n") : QByteArray("\n\ndata: after\n\n");
        responder->writeHead(200, {{"Content-Type", lines ? "text/plain; charset=utf-8" : "text/event-stream"}});
        auto pump = [responder, body] {
            while (responder->isConnected() && responder->pendingBytes() < HugeLineMaxPending) {
                if (body->position >= body->size()) {
                    responder->end();
                    return;
                }
                responder->write(body->piece(HugeLinePiece));
            }
        };
        QObject::connect(responder, &HttpResponder::bytesWritten, responder, pump);
        pump();
    });

    server.addRoute(QStringLiteral("/test/invalid-utf8"), [](const HttpRequest &request, HttpResponder *responder) {
        const QString type = request.query.queryItemValue(QStringLiteral("type"));
        static const QList<QByteArray> Payloads{QByteArray("bad \xFF byte"), QByteArray("cut \xE2\x80"),
                                                QByteArray("ok \xE2\x80\xA6 caf\xC3\xA9")};
        QByteArray body;
        for (const QByteArray &payload : Payloads) {
            if (type == QLatin1String("lines"))
                body += payload + '\n';
            else if (type == QLatin1String("ndjson"))
                body += "{\"msg\":\"" + payload + "\"}\n";
            else
                body += "data: " + payload + "\n\n";
        }
        responder->writeHead(200, {{"Content-Type", contentTypeFor(type)}});
        responder->write(body);
        responder->end();
    });

    server.addRoute(QStringLiteral("/test/ndjson-bad"), [](const HttpRequest &, HttpResponder *responder) {
        responder->writeHead(200, {{"Content-Type", "application/x-ndjson"}});
        responder->write("{\"i\":1,\"ok\":true}\n{\"i\":2,\"ok\":true}\n{\"i\":3,\"ok\":true}\n");
        responder->write("{\"a\":1,,}\n");
        responder->write("{\"i\":4,\"ok\":true}\n{\"i\":5,\"ok\":true}\n");
        responder->end();
    });

    server.addRoute(QStringLiteral("/test/sse-once"), serveSseOnce);
    server.addRoute(QStringLiteral("/sse/once"), serveSseOnce);

    server.addRoute(QStringLiteral("/test/lines-once"), [](const HttpRequest &request, HttpResponder *responder) {
        const qint64 count = queryInt(request, QStringLiteral("lines"), 3, 0, 100'000);
        QByteArray body;
        for (qint64 i = 1; i <= count; ++i)
            body += "line " + QByteArray::number(i) + '\n';
        responder->writeHead(200, {{"Content-Type", "text/plain; charset=utf-8"}});
        responder->write(body);
        responder->end();
    });

    server.addRoute(QStringLiteral("/test/flap"), [](const HttpRequest &request, HttpResponder *responder) {
        const QByteArray contentType = contentTypeFor(request.query.queryItemValue(QStringLiteral("type")));
        responder->writeHead(200, {{"Content-Type", contentType}});
        if (contentType == "text/event-stream")
            responder->write("retry: 0\n\n");
        responder->end();
    });

    server.addRoute(QStringLiteral("/test/huge-line-stall"), [](const HttpRequest &request, HttpResponder *responder) {
        // Like /test/huge-line, but the line never ends and neither does the body: a client that
        // reports its cap only at a line end or at the end of the body reports nothing here.
        const QString type = request.query.queryItemValue(QStringLiteral("type"));
        auto body = std::make_shared<HugeLine>();
        body->prefix = type == QLatin1String("sse") || type.isEmpty() ? QByteArray("event: big\nid: 7\ndata: ")
                                                                       : QByteArray();
        body->xCount = queryInt(request, QStringLiteral("bytes"), 17 * 1024 * 1024, 0, 256LL * 1024 * 1024);
        responder->writeHead(200, {{"Content-Type", contentTypeFor(type.isEmpty() ? QStringLiteral("sse") : type)}});
        auto pump = [responder, body] {
            while (responder->isConnected() && responder->pendingBytes() < HugeLineMaxPending
                   && body->position < body->size())
                responder->write(body->piece(HugeLinePiece));
        };
        QObject::connect(responder, &HttpResponder::bytesWritten, responder, pump);
        pump();
    });
}
