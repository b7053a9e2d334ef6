#include "headless_runner.h"

#include "redaction.h"
#include "text/printable.h"

#include "headless_output.h"

#include <QTimer>

#include <cstdio>
#include <unistd.h>

HeadlessRunner::HeadlessRunner(const TransportRegistry *registry, const CliOptions &options,
                               QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_options(options)
    , m_output(std::make_unique<HeadlessOutput>(STDOUT_FILENO))
{
    m_durationTimer.setSingleShot(true);
    connect(&m_durationTimer, &QTimer::timeout, this, [this] { finish(0); });
}

HeadlessRunner::~HeadlessRunner()
{
    for (auto &transport : m_transports) {
        transport->disconnect(this);
        transport->close();
    }
}

bool HeadlessRunner::start(const QList<TransportConfig> &configs)
{
    for (const TransportConfig &given : configs) {
        TransportConfig config = given;
        if (config.transportId.isEmpty())
            config.transportId = TransportRegistry::defaultIdForUrl(config.url);
        std::unique_ptr<Transport> transport = m_registry->create(config.transportId);
        if (!transport) {
            std::fprintf(stderr, "livedash: no transport '%s' for %s\n", qPrintable(config.transportId),
                         qPrintable(redactedUrl(config.url)));
            return false;
        }
        Transport *t = transport.get();
        connect(t, &Transport::eventsReceived, this,
                [this, t](const QList<StreamEvent> &events) { handleEvents(t, events); });
        connect(t, &Transport::stateChanged, this,
                [this, t](Transport::State state) { handleStateChanged(t, state); });
        connect(t, &Transport::errorOccurred, this,
                [this, t](const TransportError &error) { handleError(t, error); });
        connect(t, &Transport::reconnectScheduled, this,
                [this, t](int delayMs, int attempt, const QString &reason) {
                    handleReconnectScheduled(t, delayMs, attempt, reason);
                });
        connect(t, &Transport::stallChanged, this,
                [this, t](bool, const QString &text) { printStatus(t, text); });
        connect(t, &Transport::notice, this, [this, t](const QString &text) { printStatus(t, text); });
        m_transports.push_back(std::move(transport));
        t->open(config);
    }
    if (m_options.durationSeconds)
        m_durationTimer.start(qRound64(*m_options.durationSeconds * 1000.0));
    return true;
}

void HeadlessRunner::printStatus(const Transport *transport, const QString &line)
{
    // Transports escape what the peer sent; this is the last line of defence for the terminal.
    const QByteArray text = Printable::escaped(transport->sourceId()).toUtf8() + ": "
                            + Printable::escaped(line).toUtf8() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
    std::fflush(stderr);
}

void HeadlessRunner::handleEvents(Transport *transport, const QList<StreamEvent> &events)
{
    if (m_finished)
        return;
    HeadlessOutput &out = *m_output;
    bool countReached = false;
    for (const StreamEvent &event : events) {
        if (event.kind == StreamEvent::Kind::Gap) {
            printStatus(transport, QStringLiteral("gap: %1").arg(event.detail));
            continue;
        }
        if (event.kind == StreamEvent::Kind::Error)
            printStatus(transport, QStringLiteral("bad input (seq %1): %2").arg(event.seq).arg(event.detail));
        out.append(event);
        ++m_printed;
        if (m_options.count && m_printed >= *m_options.count) {
            countReached = true;
            break;
        }
    }
    out.flush();
    if (countReached)
        finish(0);
}

void HeadlessRunner::handleStateChanged(Transport *transport, Transport::State state)
{
    switch (state) {
    case Transport::State::Connecting:
        printStatus(transport, QStringLiteral("connecting"));
        break;
    case Transport::State::Open:
        printStatus(transport, transport->protocolInfo().isEmpty()
                                   ? QStringLiteral("open")
                                   : QStringLiteral("open (%1)").arg(transport->protocolInfo()));
        break;
    case Transport::State::Reconnecting:
        break; // reconnectScheduled() prints the line with delay, attempt and reason
    case Transport::State::Closed:
        if (!transport->hasFailed() && !transport->stopReason().isEmpty())
            printStatus(transport, QStringLiteral("stopped: %1").arg(transport->stopReason()));
        checkAllDone();
        break;
    case Transport::State::Idle:
        break;
    }
}

void HeadlessRunner::handleError(Transport *transport, const TransportError &error)
{
    if (!error.retryable)
        printStatus(transport, QStringLiteral("failed: %1").arg(error.message));
}

void HeadlessRunner::handleReconnectScheduled(Transport *transport, int delayMs, int attempt,
                                              const QString &reason)
{
    printStatus(transport, QStringLiteral("reconnecting in %1 s (attempt %2): %3")
                               .arg(QString::number(delayMs / 1000.0, 'f', 1))
                               .arg(attempt)
                               .arg(reason));
}

void HeadlessRunner::checkAllDone()
{
    bool anyFailed = false;
    for (const auto &transport : m_transports) {
        if (transport->state() != Transport::State::Closed)
            return;
        anyFailed = anyFailed || transport->hasFailed();
    }
    // Let the state change that triggered this return before the runner winds down.
    QTimer::singleShot(0, this, [this, anyFailed] { finish(anyFailed ? 1 : 0); });
}

void HeadlessRunner::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_durationTimer.stop();
    std::fflush(stdout);
    Q_EMIT finished(exitCode);
}
