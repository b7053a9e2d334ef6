#pragma once

#include "transport.h"

#include <QDateTime>

/// Test double for Transport: does no I/O; the test drives its state, events and errors.
class FakeTransport : public Transport
{
    Q_OBJECT
public:
    explicit FakeTransport(QObject *parent = nullptr)
        : Transport(parent)
    {
    }

    void open(const TransportConfig &config) override
    {
        ++openCalls;
        beginOpen(config);
        setState(State::Connecting);
    }
    void close() override
    {
        ++closeCalls;
        setState(State::Closed);
    }
    void startConnection() override { ++reconnectCalls; }
    void abortConnection() override {}
    bool send(const QByteArray &payload, bool binary) override
    {
        if (!duplex || state() != State::Open)
            return false;
        sent.append({payload, binary});
        emitSent(payload, binary); // as the WebSocket transport does
        return true;
    }
    bool isDuplex() const override { return duplex; }
    QString effectiveTransportId() const override
    {
        return effective.isEmpty() ? Transport::effectiveTransportId() : effective;
    }

    // Test controls.
    void goOpen(const QString &protocol = QStringLiteral("HTTP/1.1"))
    {
        setProtocolInfo(protocol);
        clearLastError();
        connectionOpened(); // starts the liveness watch, as a real transport does
        setState(State::Open);
    }
    /// The peer sent something (feeds the heartbeat monitor).
    void activity() { noteActivity(); }
    void goState(State s) { setState(s); }
    void scheduleRetry(int delayMs)
    {
        setNextRetryAt(QDateTime::currentMSecsSinceEpoch() + delayMs);
        setState(State::Reconnecting);
        Q_EMIT reconnectScheduled(delayMs, 1, QStringLiteral("test"));
    }
    void fail(const QString &message, bool retryable)
    {
        TransportError e;
        e.kind = TransportError::Kind::Network;
        e.message = message;
        e.retryable = retryable;
        reportError(e);
        if (!retryable)
            setState(State::Closed);
    }
    void stop(const QString &reason)
    {
        markStopped(reason);
        setState(State::Closed);
    }
    void emitData(const QList<QByteArray> &payloads, const QByteArray &type = "message")
    {
        QList<StreamEvent> batch;
        for (const QByteArray &p : payloads)
            batch.append(makeEvent(StreamEvent::Kind::Data, type, {}, p));
        deliver(batch);
    }
    void emitSent(const QByteArray &payload, bool binary = false)
    {
        QList<StreamEvent> batch{makeEvent(StreamEvent::Kind::Sent, binary ? "binary" : "text", {}, payload)};
        deliver(batch);
    }
    void emitErrorEvent(const QByteArray &payload, const QString &detail)
    {
        QList<StreamEvent> batch{makeEvent(StreamEvent::Kind::Error, "error", {}, payload, detail)};
        deliver(batch);
    }
    void emitGap(const QString &detail)
    {
        QList<StreamEvent> batch{makeEvent(StreamEvent::Kind::Gap, "gap", {}, {}, detail)};
        deliver(batch);
    }

    bool duplex = false;
    QString effective; ///< what effectiveTransportId() reports; empty: the configured id
    int openCalls = 0;
    int closeCalls = 0;
    int reconnectCalls = 0;
    QList<QPair<QByteArray, bool>> sent;
};

/// Registers "fake" (simplex) and "fake-duplex" in `registry`; `created` collects the instances.
inline void registerFakeTransports(TransportRegistry &registry, QList<FakeTransport *> *created)
{
    registry.add(QStringLiteral("fake"), QStringLiteral("test transport"),
                 [created](QObject *parent) {
                     auto t = std::make_unique<FakeTransport>(parent);
                     if (created)
                         created->append(t.get());
                     return std::unique_ptr<Transport>(std::move(t));
                 });
    registry.add(QStringLiteral("fake-duplex"), QStringLiteral("duplex test transport"),
                 [created](QObject *parent) {
                     auto t = std::make_unique<FakeTransport>(parent);
                     t->duplex = true;
                     if (created)
                         created->append(t.get());
                     return std::unique_ptr<Transport>(std::move(t));
                 });
}
