#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <optional>

/// How a terminal session ended (TerminalBackend::finished).
struct TerminalExit
{
    enum class Kind {
        Exited,  ///< the remote process ended and said how (exitCode set)
        Failed,  ///< it never ran or ended with an error the server reported (message)
        Dropped, ///< the connection broke or went dead (no status): the outcome is unknown
        Closed   ///< the user closed it
    };
    Kind kind = Kind::Closed;
    std::optional<int> exitCode; ///< Exited: 0–255
    QString message;             ///< for the user: "command terminated with non-zero exit code: 3", "connection lost: no pong for 60 s"
};

/// One interactive byte stream behind a terminal: a Kubernetes exec or attach session, a plain
/// WebSocket, a recording being replayed. The terminal (TerminalScreen + TerminalView, and the
/// tab that owns them) talks only to this interface; it never sees WebSockets or channels.
///
/// Life: open() → opened() → output()* → finished(), once. After finished() open() may be called
/// again: it starts a *new* session with the same target (for exec: a new shell, never a resume).
/// Single-threaded: lives on the thread of the terminal.
class TerminalBackend : public QObject
{
    Q_OBJECT
public:
    enum class Stream { Stdout, Stderr };
    enum class State { Idle, Connecting, Open, Finished };

    using QObject::QObject;

    /// Starts a session with the terminal's current size; a backend that can tell the remote
    /// side sends this size before any output is read (so `stty size` is right at once).
    virtual void open(int columns, int rows) = 0;
    /// Bytes the terminal encoded from keys or a paste. Ignored unless state() == Open.
    virtual void write(const QByteArray &bytes) = 0;
    /// The terminal's size changed (already debounced by the caller).
    virtual void resize(int columns, int rows) = 0;
    /// Half-closes input (the remote process reads EOF) while output keeps flowing. Returns false
    /// when this backend cannot (v4 exec, a replay): then nothing is sent.
    virtual bool closeInput() { return false; }
    /// Ends the session at the user's request; emits finished(Closed) unless already finished.
    virtual void close() = 0;

    /// Short description for the tab and the divider: "web-7d9f/app: sh", "ws://host/tty".
    virtual QString title() const = 0;
    /// False when typing has no effect (a replay; attach without stdin).
    virtual bool acceptsInput() const { return true; }
    /// What opening again means, for the divider after finished(): "reconnect opens a new shell";
    /// empty when it cannot be opened again.
    virtual QString reconnectHint() const { return {}; }

    State state() const { return m_state; }

Q_SIGNALS:
    void opened();
    /// Output of the remote side, in order; `stream` is Stderr only for tty=false sessions.
    void output(const QByteArray &bytes, TerminalBackend::Stream stream);
    /// A note for the user that does not end the session ("server chose v4.channel.k8s.io: no
    /// stdin close", "no pong for 35 s").
    void notice(const QString &text);
    void finished(const TerminalExit &exit);

protected:
    void setState(State state) { m_state = state; }

private:
    State m_state = State::Idle;
};
