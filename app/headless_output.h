#pragma once

#include "event_json.h"

#include <QByteArray>

struct StreamEvent;

/// The stdout half of the headless contract: events formatted as JSON lines (event_json.h) into one
/// reused buffer and handed to the file descriptor with write(2) once per batch, so a live tail
/// appears as it arrives while a fast stream costs one system call per network read, not one per
/// event. Bypasses stdio (no second copy, no fflush); nothing else may write events to the same
/// descriptor. A failed write (EPIPE, a full disk) drops that batch's output; EINTR and EAGAIN are
/// retried. Not thread-safe: used on the thread that runs the headless event loop.
class HeadlessOutput
{
public:
    explicit HeadlessOutput(int fd);
    ~HeadlessOutput();
    HeadlessOutput(const HeadlessOutput &) = delete;
    HeadlessOutput &operator=(const HeadlessOutput &) = delete;

    void append(const StreamEvent &event);
    /// Writes everything appended so far; false when the descriptor refused it.
    bool flush();

private:
    int m_fd;
    EventJsonFormatter m_formatter;
    QByteArray m_buffer;   ///< [0, m_used) is output; the rest is scratch kept for the next batch
    qsizetype m_used = 0;
};
