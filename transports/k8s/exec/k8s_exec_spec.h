#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

/// A Kubernetes exec, attach or port-forward target as the user writes it (headless SOURCE, the
/// window's terminal tabs and forwards, a dashboard file). Pure value type; parse() checks the
/// syntax only (the cluster decides whether the pod and container exist).
///
///   k8s:exec/POD[/CONTAINER]?command=a&command=b    one command= per argv element, in order (no
///                                                   shell parsing); none = interactive shell
///                                                   (bash, then sh if bash is not there)
///   k8s:attach/POD[/CONTAINER]                      the container's main process (no command=)
///     exec and attach: tty=true|false, stdin=true|false (unset: the caller's default — the
///     window uses a tty, headless runs like `kubectl exec` without -t)
///   k8s:forward/POD/LOCAL:REMOTE[,LOCAL:REMOTE...]  127.0.0.1:LOCAL → the pod's REMOTE port;
///                                                   LOCAL 0 (or ":REMOTE") = any free port,
///                                                   "REMOTE" alone = the same number locally
///   every kind: namespace=, context=
struct K8sExecSpec
{
    enum class Kind { Exec, Attach, Forward };

    struct PortMapping
    {
        quint16 local = 0; ///< 0 = any free port
        quint16 remote = 0;
        bool operator==(const PortMapping &) const = default;
    };

    Kind kind = Kind::Exec;
    QString pod;
    QString container;            ///< empty = the pod's default container
    QStringList command;          ///< Exec: argv; empty = interactive shell (see shellCommand())
    std::optional<bool> tty;      ///< tty=
    std::optional<bool> stdinEnabled; ///< stdin=
    QList<PortMapping> ports;     ///< Forward
    QString namespaceName;        ///< namespace=, empty = --namespace or the context's
    QString context;              ///< context=, empty = --context or current-context

    /// True for exec and attach without command= (an interactive shell: bash, then sh).
    bool isShell() const { return kind == Kind::Exec && command.isEmpty(); }
    /// The argv to run: `command`, or for a shell {"bash"} / {"sh"} once bash was not found.
    QStringList commandFor(bool bashMissing) const;

    /// True when `url` is k8s:exec/…, k8s:attach/… or k8s:forward/… (whatever follows).
    static bool isSessionUrl(const QUrl &url);
    /// Parses such a URL. nullopt with a specific message when it cannot be used.
    static std::optional<K8sExecSpec> parse(const QUrl &url, QString *error);
    /// The URL that parse() turns back into this spec (query items in a fixed order).
    QUrl toUrl() const;

    bool operator==(const K8sExecSpec &) const = default;
};
