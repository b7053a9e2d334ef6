#pragma once

#include "asciicast_writer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QString>

class QByteArray;

/// Records one terminal session to an asciicast v2 file (what `asciinema play FILE` plays).
///
/// Contract:
/// - start() creates/truncates the file and writes the header line (version 2, width, height,
///   timestamp, title, env TERM/SHELL); false + *error when the file cannot be written.
/// - output() writes an "o" event, input() an "i" event (only when recordInput was true: input
///   may hold passwords, so it is opt-in), resized() an "r" event "COLSxROWS". Times are seconds
///   since start() (QElapsedTimer, monotonic), 6 decimals.
/// - UTF-8 sequences split across output() calls are carried to the next event, invalid bytes
///   become U+FFFD (JSON strings must be valid UTF-8); stop() writes what is still pending.
/// - Every event line is handed to the OS at once (one write per event: terminal output arrives
///   in chunks of KBs, so this is cheap), so a crash of LiveDash loses nothing already shown.
///   Calls before start() or after stop() do nothing; the destructor stops.
/// - A write error stops the recording (isRecording() turns false; lastError() says why).
/// Not a QObject; single-threaded (the terminal's thread).
class SessionRecorder
{
public:
    SessionRecorder(const QString &path, int columns, int rows, const QString &title, bool recordInput);
    ~SessionRecorder();
    SessionRecorder(const SessionRecorder &) = delete;
    SessionRecorder &operator=(const SessionRecorder &) = delete;

    bool start(QString *error);            // writes the asciicast v2 header
    void output(const QByteArray &bytes);  // "o" event (keeps UTF-8 split across calls correct)
    void input(const QByteArray &bytes);   // "i" event, only written when recordInput
    void resized(int columns, int rows);   // "r" event
    void stop();
    bool isRecording() const;
    QString path() const;
    QString lastError() const { return m_lastError; }

private:
    void writeLine(const QByteArray &line);
    double elapsedSeconds() const;

    QString m_path;
    int m_columns;
    int m_rows;
    QString m_title;
    bool m_recordInput;
    QFile m_file;
    QElapsedTimer m_clock;
    AsciicastWriter m_writer;
    bool m_recording = false;
    QString m_lastError;
};
