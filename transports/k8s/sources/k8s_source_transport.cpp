#include "k8s_source_transport.h"

#include "k8s_client.h"
#include "k8s_environment.h"
#include "k8s_logs_engine.h"
#include "k8s_watch_engine.h"

#include <QTimer>

K8sSourceEngine::K8sSourceEngine(K8sSourceTransport *transport)
    : QObject(transport)
    , m_transport(transport)
{
}

K8sSourceEngine::~K8sSourceEngine() = default;

K8sSourceTransport::K8sSourceTransport(std::shared_ptr<K8sEnvironment> environment, QObject *parent)
    : Transport(parent)
    , m_environment(std::move(environment))
{
}

K8sSourceTransport::~K8sSourceTransport() = default;

TransportError K8sSourceTransport::toTransportError(const K8sError &error)
{
    TransportError::Kind kind = TransportError::Kind::HttpStatus;
    switch (error.kind) {
    case K8sError::Kind::Config:
    case K8sError::Kind::Credentials:
        kind = TransportError::Kind::Config;
        break;
    case K8sError::Kind::Network:
        kind = TransportError::Kind::Network;
        break;
    case K8sError::Kind::Tls:
        kind = TransportError::Kind::Tls;
        break;
    case K8sError::Kind::Decode:
        kind = TransportError::Kind::Protocol;
        break;
    default:
        break;
    }
    return TransportError(kind, error.message, error.retryable, error.httpStatus);
}

void K8sSourceTransport::open(const TransportConfig &config)
{
    if (m_running)
        close();
    QString specError;
    const std::optional<K8sSourceSpec> spec = K8sSourceSpec::parse(config.url, &specError);
    TransportConfig effective = config;
    if (spec && spec->isLogs())
        effective.idleTimeoutMs = 0; // silence is normal on a follow; see K8sLogsEngine
    beginOpen(effective);
    setState(State::Connecting);
    // Resolve after open() returns, so the caller's connections see every signal.
    QTimer::singleShot(0, this, [this, spec, specError] {
        if (state() != State::Connecting)
            return;
        if (!spec) {
            K8sError e;
            e.kind = K8sError::Kind::Config;
            e.message = specError;
            e.retryable = false;
            failWith(e);
            return;
        }
        m_spec = *spec;
        K8sError clientError;
        m_client = m_environment->client(m_spec.context, &clientError);
        if (!m_client) {
            clientError.retryable = false;
            failWith(clientError);
            return;
        }
        m_namespace = m_environment->namespaceFor(m_client, m_spec.namespaceName);
        m_running = true;
        startSource();
    });
}

void K8sSourceTransport::close()
{
    stopTimers();
    if (m_running) {
        m_running = false;
        stopSource();
    }
    setState(State::Closed);
}

void K8sSourceTransport::failWith(const K8sError &error)
{
    K8sError terminal = error;
    terminal.retryable = false;
    reportError(toTransportError(terminal));
    if (m_running) {
        m_running = false;
        stopSource();
    }
    setState(State::Closed);
}

void K8sSourceTransport::stopWithReason(const QString &reason)
{
    markStopped(reason);
    if (m_running) {
        m_running = false;
        stopSource();
    }
    stopTimers();
    setState(State::Closed);
}

void K8sSourceTransport::reportRetrying(const K8sError &error)
{
    K8sError retrying = error;
    retrying.retryable = true;
    reportError(toTransportError(retrying));
}

void K8sSourceTransport::startSource()
{
    if (m_spec.kind == K8sSourceSpec::Kind::Watch)
        m_engine = new K8sWatchEngine(this);
    else
        m_engine = new K8sLogsEngine(this);
    m_engine->start();
}

void K8sSourceTransport::stopSource()
{
    if (K8sSourceEngine *engine = std::exchange(m_engine, nullptr)) {
        engine->stop();
        engine->deleteLater();
    }
}

void K8sSourceTransport::markOpen()
{
    if (state() == State::Open)
        return;
    connectionOpened();
    setState(State::Open);
}

void K8sSourceTransport::markReconnecting(const QString &reason)
{
    Q_UNUSED(reason);
    if (state() == State::Open)
        connectionEnded();
    setState(State::Reconnecting);
}

void K8sSourceTransport::startConnection()
{
    if (m_engine)
        m_engine->resume();
}

void K8sSourceTransport::abortConnection()
{
    if (m_engine)
        m_engine->pause();
}
