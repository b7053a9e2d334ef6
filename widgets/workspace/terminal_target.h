#pragma once

#include <QJsonObject>
#include <QString>

class K8sEnvironment;
class TerminalBackend;

/// What a terminal tab connects to, as a dashboard stores it and the user types it:
///   k8s:exec/POD[/CONTAINER]?…  k8s:attach/POD[/CONTAINER]?…   (k8s_exec_spec.h)
///   ws://… or wss://…                                          a plain WebSocket terminal
///   a file path or file:// URL                                 a recording to replay (asciicast v2 or raw)
/// `options` (plain WebSocket only): {"enter": "cr"|"lf"|"crlf", "localEcho": bool,
/// "frames": "auto"|"binary"|"text", "subprotocols": [..]}.
struct TerminalTarget
{
    enum class Kind { Invalid, Kubernetes, WebSocket, Recording };

    QString url;
    QJsonObject options;

    Kind kind() const;
    /// "shell", "attach", "websocket", "recording": for titles and ids.
    QString shortKind() const;

    /// The backend for this target, not opened; nullptr with *error when the target cannot be
    /// used ("unknown context 'x'", a syntax error). `k8s` may be null when no Kubernetes target
    /// is used.
    TerminalBackend *createBackend(K8sEnvironment *k8s, QString *error) const;
};
