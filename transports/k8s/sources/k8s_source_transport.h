#pragma once

#include "k8s_error.h"
#include "k8s_source_spec.h"
#include "transport.h"

#include <memory>

class K8sClient;
class K8sEnvironment;

class K8sSourceTransport;

/// The part of a Kubernetes source that does the work: a watch (K8sWatchEngine) or log
/// followers (K8sLogsEngine). Created by K8sSourceTransport once the client exists; destroyed
/// on close (it must stop everything it started in its destructor).
class K8sSourceEngine : public QObject
{
    Q_OBJECT
public:
    explicit K8sSourceEngine(K8sSourceTransport *transport);
    ~K8sSourceEngine() override;
    virtual void start() = 0;
    /// Stops every stream at once: nothing reaches the transport afterwards. The transport then
    /// deletes the engine later (it may be inside one of the engine's own callbacks).
    virtual void stop() = 0;
    /// The Transport's idle timeout fired: drop every stream now but keep what resumes them
    /// (resourceVersion, log cursors)...
    virtual void pause() {}
    /// ...and reconnect them from there.
    virtual void resume() {}

protected:
    K8sSourceTransport *transport() const { return m_transport; }

private:
    K8sSourceTransport *m_transport;
};

/// The one Transport for every k8s: source (registry id "k8s"): parses the URL, picks the
/// context's K8sClient from the K8sEnvironment, starts the engine for the spec's kind and
/// reports K8sErrors as TransportErrors. Reconnects are the Kubernetes machinery's own (the
/// informer's client-go backoff, the log streams' resume), not the Transport base's;
/// reconnectNow() restarts the engine.
class K8sSourceTransport : public Transport
{
    Q_OBJECT
public:
    K8sSourceTransport(std::shared_ptr<K8sEnvironment> environment, QObject *parent = nullptr);
    ~K8sSourceTransport() override;

    void open(const TransportConfig &config) override;
    void close() override;
    QString effectiveTransportId() const override { return QStringLiteral("k8s"); }

    const K8sSourceSpec &spec() const { return m_spec; }
    K8sClient *client() const { return m_client; }
    /// The namespace this source reads (its own, --namespace, the context's).
    QString namespaceName() const { return m_namespace; }

    static TransportError toTransportError(const K8sError &error);

    // ---- for the engines ----
    K8sEnvironment *environment() const { return m_environment.get(); }
    /// A K8sError the source cannot get past: errorOccurred(retryable=false) + Closed.
    void failWith(const K8sError &error);
    /// A K8sError the machinery retries by itself: errorOccurred(retryable=true), state stays.
    void reportRetrying(const K8sError &error);
    /// The engine is delivering (list done, first stream following): state Open.
    void markOpen();
    /// The engine lost its streams and retries: state Reconnecting (with `reason`).
    void markReconnecting(const QString &reason);
    /// A Data event of this source (next seq). `receivedMs`: for logs the kubelet timestamp.
    StreamEvent dataEvent(QByteArray type, QByteArray id, QByteArray payload, qint64 receivedMs = 0)
    {
        return makeEvent(StreamEvent::Kind::Data, std::move(type), std::move(id), std::move(payload), {}, receivedMs);
    }
    void deliverEvents(QList<StreamEvent> &batch) { deliver(batch); }
    void emitNotice(const QString &text) { Q_EMIT notice(text); }
    /// Bytes arrived (liveness: heartbeat learning, idle timeout).
    void noteStreamActivity() { noteActivity(); }
    /// The source is done without failure (e.g. previous logs read): Closed with stopReason().
    void stopWithReason(const QString &reason);

protected:
    void startConnection() override;
    void abortConnection() override;

private:
    std::shared_ptr<K8sEnvironment> m_environment;
    K8sSourceSpec m_spec;
    K8sClient *m_client = nullptr;
    QString m_namespace;
    K8sSourceEngine *m_engine = nullptr;
    bool m_running = false;

    void startSource();
    void stopSource();
};
