#pragma once

#include "asciicast_reader.h"
#include "terminal_backend.h"

#include <QElapsedTimer>
#include <QList>
#include <QString>
#include <QTimer>

/// Replays a recording file (asciicast v2, or raw bytes shown all at once) as a TerminalBackend,
/// for a read-only terminal tab (RecordingControls drives play/pause/speed/seek).
///
/// Contract:
/// - load() reads and parses the whole file (at most MaxFileBytes); open() calls it when needed.
///   A file that cannot be read or parsed ends in finished(Failed, reason) without opened().
///   Non-fatal issues (skipped lines) are reported once with notice().
/// - open() returns at once; from the event loop it emits resizeRequested(header size),
///   opened(), playingChanged(true), then output() as the recording's clock reaches each "o"
///   event, resizeRequested() for each "r" event. "i" and "m" events are never output.
/// - Pauses longer than the header's idle_time_limit are shortened to it (as asciinema does);
///   all times this class reports are on that shortened timeline.
/// - At the end: playingChanged(false), positionChanged(duration()), finished(Exited, no exit code,
///   "end of recording"). Afterwards play() starts over and seek() still works (the state goes
///   back to Open): a replay, unlike a shell, can be watched again.
/// - seek(t): forward emits every event up to t at once; back emits output("\x1b" "c") (RIS,
///   full reset), resizeRequested(header size), then everything up to t at once. Consecutive
///   output events are joined into one output() per batch.
/// - positionChanged() while playing: after every batch and at least every TickMs.
/// - write()/resize() are ignored (acceptsInput() false; the recording dictates the size);
///   close() stops and emits finished(Closed) unless already finished.
/// Single-threaded; timers run on the owner's thread.
class RecordingPlayer : public TerminalBackend
{
    Q_OBJECT
public:
    static constexpr qint64 MaxFileBytes = qint64(1) << 30;
    static constexpr int TickMs = 100;
    static constexpr double MinSpeed = 0.1;
    static constexpr double MaxSpeed = 64.0;

    explicit RecordingPlayer(const QString &path, QObject *parent = nullptr);
    ~RecordingPlayer() override;

    /// Reads and parses the file now (idempotent); false + *error when it cannot be replayed.
    bool load(QString *error = nullptr);

    void open(int columns, int rows) override;
    void write(const QByteArray &bytes) override;
    void resize(int columns, int rows) override;
    void close() override;
    QString title() const override;
    bool acceptsInput() const override { return false; }
    QString reconnectHint() const override;

    void play();
    void pause();
    /// Clamped to MinSpeed..MaxSpeed; takes effect at once, keeping the position.
    void setSpeed(double speed);
    double speed() const { return m_speed; }
    /// Clamped to 0..duration().
    void seek(double seconds);
    double duration() const { return m_duration; }
    double position() const;
    bool isPlaying() const { return m_playing; }

    bool isRaw() const { return m_raw; }
    /// Header size (80x24 for raw files).
    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    QString path() const { return m_path; }
    const QList<AsciicastIssue> &issues() const { return m_issues; }

Q_SIGNALS:
    void positionChanged(double seconds);
    void resizeRequested(int columns, int rows);
    void playingChanged(bool playing);

private:
    struct Step
    {
        double time;   ///< on the idle-limited timeline
        bool isResize;
        QByteArray data;
        int columns;
        int rows;
    };

    void start();
    void emitUpTo(double time);
    void schedule();
    void handleTimer();
    void finishPlayback();
    void setPlaying(bool playing);
    bool isPlayable() const;

    QString m_path;
    bool m_loaded = false;
    QString m_loadError;
    bool m_raw = false;
    QString m_title;
    int m_columns = 80;
    int m_rows = 24;
    QList<Step> m_steps;
    QList<AsciicastIssue> m_issues;
    qint64 m_issueCount = 0;
    double m_duration = 0;

    qsizetype m_next = 0;        ///< first step not yet emitted
    double m_anchorPosition = 0; ///< position when m_clock was (re)started
    QElapsedTimer m_clock;
    double m_speed = 1.0;
    bool m_playing = false;
    bool m_ended = false;
    QTimer m_timer;
};
