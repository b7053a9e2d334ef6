#include "transport.h"

#include "redaction.h"
#include "text/printable.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcTransport, "dash.transport")

namespace {

/// Monotonic milliseconds, shared by every transport of the process.
qint64 monotonicMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed() + 1; // never 0: 0 means "no activity yet"
}

QString secondsText(qint64 ms)
{
    if (ms < 10'000)
        return QString::number(double(ms) / 1000.0, 'f', 1) + QStringLiteral(" s");
    if (ms < 120'000)
        return QString::number(qRound64(double(ms) / 1000.0)) + QStringLiteral(" s");
    return QString::number(qRound64(double(ms) / 60'000.0)) + QStringLiteral(" min");
}

} // namespace

QString TransportError::kindName() const
{
    switch (kind) {
    case Kind::Network: return QStringLiteral("network");
    case Kind::Tls: return QStringLiteral("tls");
    case Kind::HttpStatus: return QStringLiteral("http-status");
    case Kind::ContentType: return QStringLiteral("content-type");
    case Kind::Protocol: return QStringLiteral("protocol");
    case Kind::TooLarge: return QStringLiteral("too-large");
    case Kind::Config: return QStringLiteral("config");
    }
    return QStringLiteral("unknown");
}

QString TransportConfig::effectiveSourceId() const
{
    return sourceId.isEmpty() ? redactedUrl(url) : sourceId;
}

Transport::Transport(QObject *parent)
    : QObject(parent)
    , m_retryTimer(new QTimer(this))
    , m_connectTimer(new QTimer(this))
    , m_livenessTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, [this] { startConnection(); });
    m_connectTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, &Transport::handleConnectTimeout);
    connect(m_livenessTimer, &QTimer::timeout, this, &Transport::handleLivenessTick);
    static const bool registered = [] {
        qRegisterMetaType<StreamEvent>();
        qRegisterMetaType<QList<StreamEvent>>();
        qRegisterMetaType<TransportError>();
        return true;
    }();
    Q_UNUSED(registered);
}

Transport::~Transport() = default;

bool Transport::send(const QByteArray &payload, bool binary)
{
    Q_UNUSED(payload);
    Q_UNUSED(binary);
    return false;
}

QString Transport::stateName(State state)
{
    switch (state) {
    case State::Idle: return QStringLiteral("idle");
    case State::Connecting: return QStringLiteral("connecting");
    case State::Open: return QStringLiteral("open");
    case State::Reconnecting: return QStringLiteral("reconnecting");
    case State::Closed: return QStringLiteral("closed");
    }
    return QString();
}

void Transport::markStopped(const QString &reason)
{
    m_stopReason = Printable::escaped(reason);
}

QByteArray Transport::userAgent()
{
    return QByteArrayLiteral("livedash/" LIVEDASH_VERSION);
}

QString Transport::effectiveTransportId() const
{
    return m_config.transportId;
}

void Transport::beginOpen(const TransportConfig &config)
{
    stopTimers();
    m_config = config;
    m_sourceId = config.effectiveSourceId();
    m_failed = false;
    m_stopReason.clear();
    m_lastError.reset();
    m_nextRetryAtMs = 0;
    m_protocolInfo.clear();
    m_backoff.setPolicy(config.backoff);
    m_backoff.reset();
    m_connectionOpen = false;
    m_everOpened = false;
    m_isReconnect = false;
    m_hadDrop = false;
    m_dropReason.clear();
    m_heartbeat.clear();
    m_lastActivityMono = 0;
    m_lastActivityEpochMs = 0;
    m_stalled = false;
}

void Transport::stopTimers()
{
    m_retryTimer->stop();
    m_connectTimer->stop();
    m_livenessTimer->stop();
    m_nextRetryAtMs = 0;
}

void Transport::startConnectTimer()
{
    if (m_config.connectTimeoutMs > 0)
        m_connectTimer->start(m_config.connectTimeoutMs);
}

void Transport::stopConnectTimer()
{
    m_connectTimer->stop();
}

void Transport::handleConnectTimeout()
{
    if (m_state == State::Closed || m_state == State::Idle || m_connectionOpen)
        return;
    abortConnection();
    scheduleReconnect(QStringLiteral("no response within %1 (connect timeout)")
                          .arg(secondsText(m_config.connectTimeoutMs)));
}

void Transport::connectionOpened()
{
    m_connectTimer->stop();
    m_connectionOpen = true;
    m_everOpened = true;
    m_openClock.start();
    const qint64 now = monotonicMs();
    m_heartbeat.connectionOpened(now);
    m_lastActivityMono = now;
    m_stalled = false;
    updateLivenessTimer();
}

void Transport::updateLivenessTimer()
{
    const bool idle = m_config.idleTimeoutMs > 0;
    if (!m_connectionOpen || (!idle && !m_config.detectStalls)) {
        m_livenessTimer->stop();
        return;
    }
    // Checks are cheap; a quarter of a short idle timeout keeps it precise to ±25 %, and 500 ms
    // reports a stall within half a second of crossing the threshold.
    const int interval = idle ? std::clamp(m_config.idleTimeoutMs / 4, 25, 500) : 500;
    if (!m_livenessTimer->isActive() || m_livenessTimer->interval() != interval)
        m_livenessTimer->start(interval);
}

void Transport::noteActivity()
{
    const qint64 now = monotonicMs();
    const qint64 silent = now - m_lastActivityMono;
    m_heartbeat.activity(now);
    m_lastActivityMono = now;
    m_lastActivityEpochMs = QDateTime::currentMSecsSinceEpoch();
    if (m_stalled) {
        m_stalled = false;
        Q_EMIT stallChanged(false, QStringLiteral("resumed after %1 of silence").arg(secondsText(silent)));
    }
}

void Transport::handleLivenessTick()
{
    if (!m_connectionOpen || m_state != State::Open)
        return;
    const qint64 now = monotonicMs();
    const qint64 silent = now - m_lastActivityMono;
    if (m_config.idleTimeoutMs > 0 && silent >= m_config.idleTimeoutMs) {
        abortConnection();
        connectionEnded();
        scheduleReconnect(QStringLiteral("no data for %1 (idle timeout)").arg(secondsText(silent)));
        return;
    }
    if (m_config.detectStalls && !m_stalled && m_heartbeat.isStalled(now)) {
        m_stalled = true;
        Q_EMIT stallChanged(true, stallText());
    }
}

void Transport::connectionEnded()
{
    if (!m_connectionOpen)
        return;
    m_connectionOpen = false;
    m_livenessTimer->stop();
    m_backoff.connectionEnded(m_openClock.elapsed());
    if (m_stalled) {
        m_stalled = false; // the drop itself is reported; a stall of a closed connection is not
    }
}

bool Transport::scheduleReconnect(const QString &reason, std::optional<qint64> serverRetryMs)
{
    connectionEnded();
    m_connectTimer->stop();
    if (!m_config.reconnect) {
        m_retryTimer->stop();
        reportError(TransportError{TransportError::Kind::Network, reason, false, 0});
        setState(State::Closed);
        return false;
    }
    qCInfo(lcTransport).noquote() << m_sourceId << reason;
    m_isReconnect = true;
    if (m_everOpened)
        m_hadDrop = true;
    m_dropReason = reason;
    reportError(TransportError{TransportError::Kind::Network, reason, true, 0});
    if (m_state == State::Closed)
        return false; // closed from a slot connected to errorOccurred
    const int attempt = m_backoff.attempt() + 1;
    const int delay = m_backoff.next(serverRetryMs);
    setState(State::Reconnecting);
    m_nextRetryAtMs = QDateTime::currentMSecsSinceEpoch() + delay;
    Q_EMIT reconnectScheduled(delay, attempt, reason);
    if (m_state != State::Reconnecting)
        return false;
    m_retryTimer->start(delay);
    return true;
}

void Transport::reconnectNow()
{
    if (m_state == State::Closed || m_state == State::Idle)
        return;
    const bool wasOpen = m_connectionOpen;
    abortConnection();
    if (wasOpen) {
        connectionEnded();
        m_isReconnect = true;
        m_hadDrop = true;
        m_dropReason = QStringLiteral("reconnect requested");
        setState(State::Reconnecting);
    }
    m_backoff.reset();
    stopTimers();
    startConnection();
}

std::optional<StreamEvent> Transport::takeGapEvent(const QByteArray &id, const QString &resumeNote)
{
    if (!m_hadDrop)
        return std::nullopt;
    m_hadDrop = false;
    QString detail = QStringLiteral("reconnected after: %1").arg(Printable::escaped(m_dropReason));
    if (!resumeNote.isEmpty())
        detail += QStringLiteral("; ") + resumeNote;
    return makeEvent(StreamEvent::Kind::Gap, QByteArrayLiteral("gap"), id, {}, Printable::escaped(detail));
}

Liveness Transport::liveness() const
{
    Liveness out;
    out.lastActivityMs = m_lastActivityEpochMs;
    out.usualIntervalMs = m_heartbeat.usualIntervalMs();
    if (m_connectionOpen && m_state == State::Open)
        out.silentForMs = monotonicMs() - m_lastActivityMono;
    out.stalled = m_stalled && m_state == State::Open;
    return out;
}

QString Transport::stallText() const
{
    const Liveness now = liveness();
    if (!now.stalled)
        return QString();
    return QStringLiteral("stalled for %1 (usually every %2)")
        .arg(secondsText(now.silentForMs), secondsText(now.usualIntervalMs));
}

void Transport::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    if (state != State::Reconnecting)
        m_nextRetryAtMs = 0;
    if (state == State::Closed)
        stopTimers();
    Q_EMIT stateChanged(state);
}

StreamEvent Transport::makeEvent(StreamEvent::Kind kind, QByteArray type, QByteArray id,
                                 QByteArray payload, QString detail, qint64 receivedMs)
{
    StreamEvent event;
    event.kind = kind;
    event.source = m_sourceId;
    if (kind == StreamEvent::Kind::Data || kind == StreamEvent::Kind::Error)
        ++m_seq;
    event.seq = m_seq;
    event.receivedMs = receivedMs ? receivedMs : QDateTime::currentMSecsSinceEpoch();
    event.type = std::move(type);
    event.id = std::move(id);
    event.payload = std::move(payload);
    event.detail = std::move(detail);
    return event;
}

void Transport::deliver(QList<StreamEvent> &batch)
{
    if (batch.isEmpty())
        return;
    if (m_state == State::Closed || m_state == State::Idle) {
        batch.clear();
        return;
    }
    QList<StreamEvent> out;
    out.swap(batch);
    Q_EMIT eventsReceived(out);
}

void Transport::reportError(const TransportError &given)
{
    // Messages often quote the peer (reason phrases, Content-Type, close reasons, Location):
    // nothing it sent reaches a terminal, a log or the UI unescaped.
    TransportError error = given;
    error.message = Printable::escaped(error.message);
    m_lastError = error;
    if (!error.retryable)
        m_failed = true;
    Q_EMIT errorOccurred(error);
}

void TransportRegistry::add(const QString &id, const QString &description, Factory factory)
{
    for (Entry &entry : m_entries) {
        if (entry.id == id) {
            entry.description = description;
            entry.factory = std::move(factory);
            return;
        }
    }
    m_entries.append(Entry{id, description, std::move(factory)});
}

bool TransportRegistry::contains(const QString &id) const
{
    for (const Entry &entry : m_entries)
        if (entry.id == id)
            return true;
    return false;
}

QStringList TransportRegistry::ids() const
{
    QStringList out;
    for (const Entry &entry : m_entries)
        out.append(entry.id);
    return out;
}

QString TransportRegistry::description(const QString &id) const
{
    for (const Entry &entry : m_entries)
        if (entry.id == id)
            return entry.description;
    return QString();
}

std::unique_ptr<Transport> TransportRegistry::create(const QString &id, QObject *parent) const
{
    for (const Entry &entry : m_entries)
        if (entry.id == id)
            return entry.factory(parent);
    return nullptr;
}

QString TransportRegistry::defaultIdForUrl(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("ws") || scheme == QLatin1String("wss"))
        return QStringLiteral("websocket");
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
        return QStringLiteral("http");
    if (scheme == QLatin1String("k8s"))
        return QStringLiteral("k8s"); // registered by registerK8sTransports() (dash_k8s)
    return QString();
}
