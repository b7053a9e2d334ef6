#pragma once

#include "terminal_backend.h"

#include <QList>
#include <QSize>

/// A scripted TerminalBackend for terminal tab tests: records what the tab asks of it; the test
/// drives output and the end of the session.
class FakeTerminalBackend : public TerminalBackend
{
    Q_OBJECT
public:
    using TerminalBackend::TerminalBackend;

    void open(int columns, int rows) override
    {
        ++opens;
        openSize = QSize(columns, rows);
        setState(State::Open);
        Q_EMIT opened();
    }
    void write(const QByteArray &bytes) override { written += bytes; }
    void resize(int columns, int rows) override { resizes.append(QSize(columns, rows)); }
    void close() override
    {
        if (state() != State::Finished)
            finish({TerminalExit::Kind::Closed, std::nullopt, {}});
    }
    QString title() const override { return QStringLiteral("web-7d9f/app: sh"); }
    bool acceptsInput() const override { return inputAccepted; }
    QString reconnectHint() const override { return hint; }

    void emitOutput(const QByteArray &bytes, Stream stream = Stream::Stdout) { Q_EMIT output(bytes, stream); }
    void finish(const TerminalExit &exit)
    {
        setState(State::Finished);
        Q_EMIT finished(exit);
    }

    int opens = 0;
    QSize openSize;
    QByteArray written;
    QList<QSize> resizes;
    bool inputAccepted = true;
    QString hint = QStringLiteral("reconnect opens a new shell");
};

/// Like a replay: the backend dictates the size through resizeRequested(int,int).
class FakeReplayBackend : public FakeTerminalBackend
{
    Q_OBJECT
public:
    using FakeTerminalBackend::FakeTerminalBackend;
    bool acceptsInput() const override { return false; }

Q_SIGNALS:
    void resizeRequested(int columns, int rows);
};
