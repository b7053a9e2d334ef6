#include "transport.h"

#include "redaction.h"

#include <QDateTime>
#include <QMetaEnum>

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
{
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

void Transport::beginOpen(const TransportConfig &config)
{
    m_config = config;
    m_sourceId = config.effectiveSourceId();
    m_failed = false;
    m_stopReason.clear();
    m_lastError.reset();
    m_nextRetryAtMs = 0;
}

void Transport::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    if (state != State::Reconnecting)
        m_nextRetryAtMs = 0;
    Q_EMIT stateChanged(state);
}

StreamEvent Transport::makeEvent(StreamEvent::Kind kind, QByteArray type, QByteArray id,
                                 QByteArray payload, QString detail)
{
    StreamEvent event;
    event.kind = kind;
    event.source = m_sourceId;
    if (kind != StreamEvent::Kind::Gap)
        ++m_seq;
    event.seq = m_seq;
    event.receivedMs = QDateTime::currentMSecsSinceEpoch();
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

void Transport::reportError(const TransportError &error)
{
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
    return QString();
}
