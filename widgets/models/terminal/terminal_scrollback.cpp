#include "terminal_scrollback.h"

#include <algorithm>

TerminalScrollback::TerminalScrollback(int capacity)
    : m_capacity(std::max(1, capacity))
{
}

void TerminalScrollback::setCapacity(int capacity)
{
    capacity = std::max(1, capacity);
    if (capacity == m_capacity)
        return;
    std::vector<std::vector<TerminalCell>> slots;
    const int keep = std::min(m_size, capacity);
    slots.reserve(size_t(keep));
    for (int i = m_size - keep; i < m_size; ++i)
        slots.push_back(std::move(m_slots[size_t((m_head + i) % m_capacity)]));
    m_slots = std::move(slots);
    m_capacity = capacity;
    m_head = 0;
    m_size = keep;
}

void TerminalScrollback::clear()
{
    m_slots.clear();
    m_head = 0;
    m_size = 0;
}

bool TerminalScrollback::push(const TerminalCell *cells, int count)
{
    // Trim trailing blank cells that carry no background colour or attribute worth keeping.
    while (count > 0) {
        const TerminalCell &c = cells[count - 1];
        if (c.ch != 0 && c.ch != ' ')
            break;
        if (c.bg != TerminalColor::Default || c.attrs != 0 || c.link != 0)
            break;
        --count;
    }
    bool dropped = false;
    std::vector<TerminalCell> *slot;
    if (m_size < m_capacity) {
        const int physical = (m_head + m_size) % m_capacity;
        if (size_t(physical) >= m_slots.size())
            m_slots.resize(size_t(physical) + 1);
        slot = &m_slots[size_t(physical)];
        ++m_size;
    } else {
        slot = &m_slots[size_t(m_head)];
        m_head = (m_head + 1) % m_capacity;
        dropped = true;
    }
    slot->assign(cells, cells + count);
    return dropped;
}

bool TerminalScrollback::popNewest(std::vector<TerminalCell> &out)
{
    if (m_size == 0)
        return false;
    std::vector<TerminalCell> &slot = m_slots[size_t((m_head + m_size - 1) % m_capacity)];
    out.assign(slot.begin(), slot.end());
    slot.clear();
    --m_size;
    return true;
}

qint64 TerminalScrollback::memoryBytes() const
{
    qint64 bytes = 0;
    for (const auto &slot : m_slots)
        bytes += qint64(slot.capacity() * sizeof(TerminalCell));
    return bytes;
}
