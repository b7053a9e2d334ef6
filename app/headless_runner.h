#pragma once

#include "cli_options.h"
#include "transport.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

class HeadlessOutput;
class TransportRegistry;

/// The pipeline without a window: opens one transport per URL, writes one JSON object per event to
/// stdout (event_json.h) and one human-readable line per state change or error to stderr, and
/// decides the exit code: 0 after --count events or --duration, or when every source stopped
/// cleanly; 1 when a source failed. Emits finished(code) once; the caller quits the event loop.
class HeadlessRunner : public QObject
{
    Q_OBJECT
public:
    HeadlessRunner(const TransportRegistry *registry, const CliOptions &options, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    /// Opens every source. Returns false (and has printed why) if a source cannot be created.
    bool start(const QList<TransportConfig> &configs);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void handleEvents(Transport *transport, const QList<StreamEvent> &events);
    void handleStateChanged(Transport *transport, Transport::State state);
    void handleError(Transport *transport, const TransportError &error);
    void handleReconnectScheduled(Transport *transport, int delayMs, int attempt, const QString &reason);
    void checkAllDone();
    void finish(int exitCode);
    void printStatus(const Transport *transport, const QString &line);

    const TransportRegistry *m_registry;
    CliOptions m_options;
    std::vector<std::unique_ptr<Transport>> m_transports;
    std::unique_ptr<HeadlessOutput> m_output; ///< stdout: the JSON lines
    QTimer m_durationTimer;
    qint64 m_printed = 0;
    bool m_finished = false;
};
