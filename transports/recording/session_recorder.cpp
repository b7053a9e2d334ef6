#include "session_recorder.h"

#include <QByteArray>
#include <QDateTime>

SessionRecorder::SessionRecorder(const QString &path, int columns, int rows, const QString &title,
                                 bool recordInput)
    : m_path(path), m_columns(columns), m_rows(rows), m_title(title), m_recordInput(recordInput)
{
}

SessionRecorder::~SessionRecorder()
{
    stop();
}

bool SessionRecorder::start(QString *error)
{
    if (m_recording)
        return true;
    m_file.setFileName(m_path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_lastError = QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString());
        if (error)
            *error = m_lastError;
        return false;
    }
    AsciicastHeader header;
    header.width = m_columns > 0 ? m_columns : 80;
    header.height = m_rows > 0 ? m_rows : 24;
    header.timestamp = QDateTime::currentSecsSinceEpoch();
    header.title = m_title;
    header.env = {{QStringLiteral("TERM"), QStringLiteral("xterm-256color")}};
    m_writer = AsciicastWriter();
    m_lastError.clear();
    m_recording = true;
    m_clock.start();
    writeLine(AsciicastWriter::headerLine(header));
    if (m_recording && !m_file.flush()) {
        m_lastError = QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString());
        m_recording = false;
        m_file.close();
    }
    if (!m_recording && error)
        *error = m_lastError;
    return m_recording;
}

double SessionRecorder::elapsedSeconds() const
{
    return static_cast<double>(m_clock.nsecsElapsed()) / 1e9;
}

void SessionRecorder::writeLine(const QByteArray &line)
{
    if (!m_recording || line.isEmpty())
        return;
    if (m_file.write(line) != line.size()) {
        m_lastError = QStringLiteral("recording stopped: cannot write %1: %2").arg(m_path, m_file.errorString());
        m_recording = false;
        m_file.close();
        return;
    }
    m_file.flush();
}

void SessionRecorder::output(const QByteArray &bytes)
{
    if (m_recording)
        writeLine(m_writer.outputLine(elapsedSeconds(), bytes));
}

void SessionRecorder::input(const QByteArray &bytes)
{
    if (m_recording && m_recordInput)
        writeLine(m_writer.inputLine(elapsedSeconds(), bytes));
}

void SessionRecorder::resized(int columns, int rows)
{
    if (!m_recording || columns <= 0 || rows <= 0 || (columns == m_columns && rows == m_rows))
        return;
    m_columns = columns;
    m_rows = rows;
    writeLine(AsciicastWriter::resizeLine(elapsedSeconds(), columns, rows));
}

void SessionRecorder::stop()
{
    if (!m_recording)
        return;
    writeLine(m_writer.flushPending(elapsedSeconds()));
    if (m_recording) {
        m_file.flush();
        m_file.close();
    }
    m_recording = false;
}

bool SessionRecorder::isRecording() const
{
    return m_recording;
}

QString SessionRecorder::path() const
{
    return m_path;
}
