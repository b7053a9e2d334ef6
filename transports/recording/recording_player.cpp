#include "recording_player.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace {

constexpr char FullReset[] = "\x1b" "c";

} // namespace

RecordingPlayer::RecordingPlayer(const QString &path, QObject *parent)
    : TerminalBackend(parent), m_path(path)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RecordingPlayer::handleTimer);
}

RecordingPlayer::~RecordingPlayer() = default;

bool RecordingPlayer::load(QString *error)
{
    if (m_loaded) {
        if (error && !m_loadError.isEmpty())
            *error = m_loadError;
        return m_loadError.isEmpty();
    }
    m_loaded = true;
    auto failWith = [&](const QString &message) {
        m_loadError = message;
        if (error)
            *error = message;
        return false;
    };
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return failWith(QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString()));
    if (file.size() > MaxFileBytes)
        return failWith(QStringLiteral("%1 is larger than %2 MiB").arg(m_path).arg(MaxFileBytes >> 20));

    AsciicastReader reader;
    QList<AsciicastEvent> events;
    constexpr qint64 ChunkBytes = 1 << 20;
    while (!file.atEnd()) {
        const QByteArray chunk = file.read(ChunkBytes);
        if (chunk.isEmpty())
            break;
        reader.feed(chunk, events);
    }
    if (file.error() != QFileDevice::NoError)
        return failWith(QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString()));
    reader.finish(events);
    m_issues = reader.issues();
    m_issueCount = reader.issueCount();
    if (reader.hasFailed())
        return failWith(QStringLiteral("%1: %2").arg(QFileInfo(m_path).fileName(),
                                                    m_issues.isEmpty() ? QStringLiteral("unreadable") : m_issues.constFirst().message));

    m_raw = reader.format() == AsciicastReader::Format::Raw;
    m_title = QFileInfo(m_path).fileName();
    if (m_raw) {
        QByteArray all;
        for (const AsciicastEvent &event : std::as_const(events))
            all += event.data;
        if (!all.isEmpty())
            m_steps.append({0.0, false, all, 0, 0});
        m_duration = 0;
        return true;
    }
    const AsciicastHeader &header = *reader.header();
    m_columns = header.width;
    m_rows = header.height;
    if (!header.title.isEmpty())
        m_title = header.title;
    const std::optional<double> limit = header.idleTimeLimit;
    double previous = 0;
    double timeline = 0;
    for (const AsciicastEvent &event : std::as_const(events)) {
        double gap = event.time - previous;
        previous = event.time;
        if (limit && gap > *limit)
            gap = *limit;
        timeline += gap;
        if (event.type == AsciicastEvent::Type::Output && !event.data.isEmpty()) {
            if (!m_steps.isEmpty() && !m_steps.constLast().isResize && m_steps.constLast().time == timeline)
                m_steps.last().data += event.data; // same instant: one batch
            else
                m_steps.append({timeline, false, event.data, 0, 0});
        } else if (event.type == AsciicastEvent::Type::Resize) {
            m_steps.append({timeline, true, {}, event.columns, event.rows});
        }
    }
    m_duration = timeline;
    return true;
}

void RecordingPlayer::open(int columns, int rows)
{
    Q_UNUSED(columns);
    Q_UNUSED(rows);
    if (state() == State::Connecting || state() == State::Open)
        return;
    QString error;
    if (!load(&error)) {
        setState(State::Finished);
        QMetaObject::invokeMethod(this, [this, error] {
            Q_EMIT finished(TerminalExit{TerminalExit::Kind::Failed, std::nullopt, error});
        }, Qt::QueuedConnection);
        return;
    }
    setState(State::Connecting);
    QMetaObject::invokeMethod(this, &RecordingPlayer::start, Qt::QueuedConnection);
}

void RecordingPlayer::start()
{
    if (state() != State::Connecting)
        return;
    const bool replayed = m_next > 0;
    m_next = 0;
    m_anchorPosition = 0;
    m_ended = false;
    if (replayed)
        Q_EMIT output(QByteArray(FullReset), Stream::Stdout);
    Q_EMIT resizeRequested(m_columns, m_rows);
    setState(State::Open);
    Q_EMIT opened();
    if (m_issueCount > 0)
        Q_EMIT notice(QStringLiteral("%1 problem(s) in the recording, skipped; first: %2")
                          .arg(m_issueCount).arg(m_issues.constFirst().message));
    play();
}

void RecordingPlayer::write(const QByteArray &bytes)
{
    Q_UNUSED(bytes);
}

void RecordingPlayer::resize(int columns, int rows)
{
    Q_UNUSED(columns);
    Q_UNUSED(rows);
}

void RecordingPlayer::close()
{
    m_timer.stop();
    if (m_playing)
        m_anchorPosition = position();
    setPlaying(false);
    m_ended = false; // closed: no more play() or seek() until open()
    if (state() == State::Idle || state() == State::Finished)
        return;
    setState(State::Finished);
    Q_EMIT finished(TerminalExit{TerminalExit::Kind::Closed, std::nullopt, QStringLiteral("replay closed")});
}

QString RecordingPlayer::title() const
{
    return QStringLiteral("replay: %1").arg(m_title.isEmpty() ? QFileInfo(m_path).fileName() : m_title);
}

QString RecordingPlayer::reconnectHint() const
{
    return QStringLiteral("reopening plays the recording from the start");
}

double RecordingPlayer::position() const
{
    if (!m_playing)
        return m_anchorPosition;
    const double elapsed = static_cast<double>(m_clock.nsecsElapsed()) / 1e9;
    return std::min(m_duration, m_anchorPosition + elapsed * m_speed);
}

bool RecordingPlayer::isPlayable() const
{
    // Open, or at the end of the recording (not after close() or a failed load).
    return m_loaded && m_loadError.isEmpty() && (state() == State::Open || (state() == State::Finished && m_ended));
}

void RecordingPlayer::setPlaying(bool playing)
{
    if (m_playing == playing)
        return;
    m_playing = playing;
    Q_EMIT playingChanged(playing);
}

void RecordingPlayer::play()
{
    if (m_playing || !isPlayable())
        return;
    if (m_ended || (m_next >= m_steps.size() && m_anchorPosition >= m_duration && m_next > 0)) {
        // At the end: watch it again from the start.
        Q_EMIT output(QByteArray(FullReset), Stream::Stdout);
        Q_EMIT resizeRequested(m_columns, m_rows);
        m_next = 0;
        m_anchorPosition = 0;
    }
    if (m_ended) {
        m_ended = false;
        setState(State::Open);
    }
    m_clock.restart();
    setPlaying(true);
    schedule();
}

void RecordingPlayer::pause()
{
    if (!m_playing)
        return;
    m_anchorPosition = position();
    m_timer.stop();
    setPlaying(false);
    Q_EMIT positionChanged(m_anchorPosition);
}

void RecordingPlayer::setSpeed(double speed)
{
    if (!std::isfinite(speed))
        return;
    speed = std::clamp(speed, MinSpeed, MaxSpeed);
    if (m_playing) {
        m_anchorPosition = position();
        m_clock.restart();
    }
    m_speed = speed;
    if (m_playing)
        schedule();
}

void RecordingPlayer::seek(double seconds)
{
    if (!isPlayable() || !std::isfinite(seconds))
        return;
    const double target = std::clamp(seconds, 0.0, m_duration);
    if (m_next > 0 && m_steps.at(m_next - 1).time > target) {
        m_next = 0;
        Q_EMIT output(QByteArray(FullReset), Stream::Stdout);
        Q_EMIT resizeRequested(m_columns, m_rows);
    }
    m_anchorPosition = target;
    m_clock.restart();
    if (m_ended && (target < m_duration || m_next < m_steps.size())) {
        m_ended = false;
        setState(State::Open);
    }
    emitUpTo(target);
    Q_EMIT positionChanged(target);
    if (m_playing)
        schedule();
}

void RecordingPlayer::emitUpTo(double time)
{
    QByteArray batch;
    while (m_next < m_steps.size() && m_steps.at(m_next).time <= time) {
        const Step &step = m_steps.at(m_next);
        if (!step.isResize) {
            batch += step.data;
            ++m_next;
            continue;
        }
        const int columns = step.columns;
        const int rows = step.rows;
        ++m_next;
        if (!batch.isEmpty())
            Q_EMIT output(std::exchange(batch, {}), Stream::Stdout);
        Q_EMIT resizeRequested(columns, rows);
    }
    if (!batch.isEmpty())
        Q_EMIT output(batch, Stream::Stdout);
}

void RecordingPlayer::schedule()
{
    if (!m_playing)
        return;
    const double now = position();
    const double due = m_next < m_steps.size() ? m_steps.at(m_next).time : m_duration;
    const double delayMs = std::max(0.0, (due - now) / m_speed * 1000.0);
    m_timer.start(static_cast<int>(std::min<double>(TickMs, std::ceil(delayMs))));
}

void RecordingPlayer::handleTimer()
{
    if (!m_playing)
        return;
    const double now = position();
    emitUpTo(now);
    if (!m_playing)
        return; // a slot paused or closed us
    if (m_next >= m_steps.size() && now >= m_duration) {
        finishPlayback();
        return;
    }
    Q_EMIT positionChanged(now);
    schedule();
}

void RecordingPlayer::finishPlayback()
{
    m_timer.stop();
    m_anchorPosition = m_duration;
    m_ended = true;
    setPlaying(false);
    Q_EMIT positionChanged(m_duration);
    setState(State::Finished);
    Q_EMIT finished(TerminalExit{TerminalExit::Kind::Exited, std::nullopt, QStringLiteral("end of recording")});
}
