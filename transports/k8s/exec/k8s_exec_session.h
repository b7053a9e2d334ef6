#pragma once

#include "exec_channel_codec.h"
#include "k8s_exec_spec.h"
#include "terminal_backend.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

class K8sClient;
class K8sEnvironment;
class QWebSocket;

/// A Kubernetes exec or attach session over WebSocket (protocols.md 4): the TerminalBackend the
/// terminal tab and headless exec drive. Single-threaded, on the thread of `client`.
///
/// open(): obtains the credential (K8sClient::withCredentials), then a GET upgrade of
/// /api/v1/namespaces/NS/pods/POD/exec (or /attach) with one command= per argv element,
/// container=, stdin=, stdout=true, stderr= (false with a tty: merged into stdout), tty=,
/// offering `v5.channel.k8s.io, v4.channel.k8s.io`. A server that picks anything else, or
/// nothing, is refused before any data (E2); a refused upgrade is reported with the Status
/// message the server sent (E3). On connect, with a tty, the size is sent at once — before any
/// output is read — then opened(). Under v4 a notice says that stdin cannot be closed.
///
/// Output: stdout and stderr messages → output() (Stderr only when tty is off); the status
/// channel → finished(Exited code) or finished(Failed message); the socket closing without a
/// status → finished(Dropped, "connection closed without an exit status (unknown outcome)").
///
/// Shell: an exec without command= runs `bash`; when the server reports, before any output, that
/// the executable does not exist ("executable file not found", "no such file or directory"),
/// the same session opens again with `sh` and says so in a notice. Remembered for reopening.
///
/// Keepalive: a WebSocket ping every keepAliveInterval (default 30 s); any message or pong
/// counts as life. Nothing for interval/2 after a ping → notice ("no answer to ping for N s");
/// nothing for interval + timeout (default 30 s) → the socket is aborted and
/// finished(Dropped, "connection lost: no answer to ping for N s").
///
/// open() after finished() starts a new session with the same target (a new shell, never a
/// resume). finished() is emitted once per session.
class K8sExecSession : public TerminalBackend
{
    Q_OBJECT
public:
    static constexpr int DefaultKeepAliveIntervalMs = 30'000;
    static constexpr int DefaultKeepAliveTimeoutMs = 30'000;

    /// `spec` is Exec or Attach; `namespaceName` resolved by the caller. tty and stdin default to
    /// `defaultTty` and true when the spec leaves them unset. `client` must outlive the session.
    K8sExecSession(K8sClient *client, const QString &namespaceName, const K8sExecSpec &spec, bool defaultTty,
                   QObject *parent = nullptr);
    /// The session for `spec` in `environment` (client of spec.context, namespace from spec,
    /// --namespace or the context); nullptr with *error when the context cannot be resolved.
    static K8sExecSession *create(K8sEnvironment *environment, const K8sExecSpec &spec, bool defaultTty,
                                  QString *error, QObject *parent = nullptr);
    ~K8sExecSession() override;

    void open(int columns, int rows) override;
    void write(const QByteArray &bytes) override;
    void resize(int columns, int rows) override;
    bool closeInput() override;
    void close() override;
    QString title() const override;
    bool acceptsInput() const override { return m_stdin; }
    QString reconnectHint() const override;

    void setKeepAlive(int intervalMs, int timeoutMs);
    bool isTty() const { return m_tty; }
    const K8sExecSpec &spec() const { return m_spec; }
    /// The negotiated protocol ("v5.channel.k8s.io"); empty before Open.
    QString subprotocol() const { return m_subprotocol; }
    /// The argv the current (or last) session runs.
    QStringList command() const { return m_spec.commandFor(m_bashMissing); }
    /// Bytes handed to the socket and not yet written (for input backpressure).
    qint64 pendingInputBytes() const;

private:
    void connectSocket();
    void openSocket(quint64 generation);
    void resolveDefaultContainer(quint64 generation);
    void handleConnected();
    void handleMessage(QByteArrayView message, bool binary);
    void handleDisconnected();
    void handleSocketError();
    void handleStatus(const ExecStatus &status);
    void handlePingTimer();
    void handleDeadline();
    void noteActivity();
    void send(const ExecChannelCodec::Outgoing &message);
    void finish(const TerminalExit &exit);
    void teardownSocket();
    QString path() const;
    QUrlQuery query() const;

    K8sClient *m_client;
    QString m_namespace;
    K8sExecSpec m_spec;
    bool m_tty;
    bool m_stdin;
    QPointer<QWebSocket> m_socket;
    quint64 m_generation = 0;
    ExecChannelCodec m_codec;
    QString m_subprotocol;
    QByteArray m_status;        ///< error/status channel so far
    bool m_sawOutput = false;   ///< any non-empty stdout/stderr in this session
    bool m_bashMissing = false; ///< bash was not found: shells run sh
    bool m_failing = false;     ///< a failure is being described (disconnect must not finish)
    bool m_openedEmitted = false; ///< opened() once per open(), also across the bash→sh retry
    bool m_inputClosed = false; ///< closeInput() sent CLOSE
    bool m_containerResolved = false; ///< the pod was asked for its default container
    int m_columns = 80;
    int m_rows = 24;
    int m_keepAliveIntervalMs = DefaultKeepAliveIntervalMs;
    int m_keepAliveTimeoutMs = DefaultKeepAliveTimeoutMs;
    QTimer m_pingTimer;
    QTimer m_lateTimer;
    QTimer m_deadline;
    bool m_lateNoticed = false;
    QElapsedTimer m_sinceActivity;
};
