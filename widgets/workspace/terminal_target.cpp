#include "terminal_target.h"

#include "k8s_exec_session.h"
#include "k8s_exec_spec.h"
#include "recording_player.h"
#include "transport_config.h"
#include "websocket_terminal_backend.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QUrl>

namespace {

QString localPath(const QString &url)
{
    const QUrl parsed(url);
    return parsed.isLocalFile() ? parsed.toLocalFile() : url;
}

WebSocketTerminalOptions webSocketOptions(const QJsonObject &options)
{
    WebSocketTerminalOptions out;
    const QString enter = options.value(QLatin1String("enter")).toString();
    if (enter == u"lf")
        out.enter = WebSocketTerminalOptions::Enter::Lf;
    else if (enter == u"crlf")
        out.enter = WebSocketTerminalOptions::Enter::CrLf;
    out.localEcho = options.value(QLatin1String("localEcho")).toBool(false);
    const QString frames = options.value(QLatin1String("frames")).toString();
    if (frames == u"binary")
        out.frames = WebSocketTerminalOptions::Frames::Binary;
    else if (frames == u"text")
        out.frames = WebSocketTerminalOptions::Frames::Text;
    return out;
}

} // namespace

TerminalTarget::Kind TerminalTarget::kind() const
{
    const QUrl parsed(url);
    if (url.trimmed().isEmpty())
        return Kind::Invalid;
    if (K8sExecSpec::isSessionUrl(parsed))
        return Kind::Kubernetes;
    if (parsed.scheme() == u"ws" || parsed.scheme() == u"wss")
        return Kind::WebSocket;
    if (parsed.isLocalFile() || parsed.scheme().isEmpty() || QFileInfo(url).isAbsolute())
        return Kind::Recording;
    return Kind::Invalid;
}

QString TerminalTarget::shortKind() const
{
    switch (kind()) {
    case Kind::Kubernetes:
        return url.startsWith(QLatin1String("k8s:attach")) ? QStringLiteral("attach") : QStringLiteral("shell");
    case Kind::WebSocket:
        return QStringLiteral("websocket");
    case Kind::Recording:
        return QStringLiteral("recording");
    case Kind::Invalid:
        break;
    }
    return QStringLiteral("terminal");
}

TerminalBackend *TerminalTarget::createBackend(K8sEnvironment *k8s, QString *error) const
{
    switch (kind()) {
    case Kind::Kubernetes: {
        const std::optional<K8sExecSpec> spec = K8sExecSpec::parse(QUrl(url), error);
        if (!spec)
            return nullptr;
        if (spec->kind == K8sExecSpec::Kind::Forward) {
            *error = QObject::tr("%1 is a port forward, not a terminal").arg(url);
            return nullptr;
        }
        if (!k8s) {
            *error = QObject::tr("no Kubernetes configuration for %1").arg(url);
            return nullptr;
        }
        return K8sExecSession::create(k8s, *spec, /*defaultTty=*/true, error);
    }
    case Kind::WebSocket:
    {
        TransportConfig config;
        config.url = QUrl(url);
        for (const QJsonValue &p : options.value(QLatin1String("subprotocols")).toArray())
            config.subprotocols << p.toString();
        return new WebSocketTerminalBackend(config, webSocketOptions(options));
    }
    case Kind::Recording: {
        const QString path = localPath(url);
        if (!QFileInfo::exists(path)) {
            *error = QObject::tr("no recording at %1").arg(path);
            return nullptr;
        }
        return new RecordingPlayer(path);
    }
    case Kind::Invalid:
        break;
    }
    *error = QObject::tr("'%1' is not a terminal target (k8s:exec/POD, k8s:attach/POD, ws://…, wss://… or a recording file)")
                 .arg(url);
    return nullptr;
}
