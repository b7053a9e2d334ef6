#include "headless_output.h"

#include "stream_event.h"

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace {

/// A buffer grown by one huge event (a 16 MiB payload) is given back after its batch.
constexpr qsizetype KeptCapacity = 4 * 1024 * 1024;

} // namespace

HeadlessOutput::HeadlessOutput(int fd)
    : m_fd(fd)
{
}

HeadlessOutput::~HeadlessOutput()
{
    flush();
}

void HeadlessOutput::append(const StreamEvent &event)
{
    m_used = m_formatter.write(event, m_buffer, m_used);
}

bool HeadlessOutput::flush()
{
    const char *p = m_buffer.constData();
    qsizetype left = m_used;
    bool ok = true;
    while (left > 0) {
        const ssize_t n = ::write(m_fd, p, size_t(left));
        if (n > 0) {
            p += n;
            left -= n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd waitFor{m_fd, POLLOUT, 0};
            ::poll(&waitFor, 1, -1);
            continue;
        }
        ok = false;
        break;
    }
    m_used = 0;
    if (m_buffer.capacity() > KeptCapacity)
        m_buffer = QByteArray();
    return ok;
}
