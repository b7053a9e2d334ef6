#pragma once

#include "terminal_cell.h"

#include <vector>

/// The lines that scrolled off the top of the primary screen, oldest first, at most capacity().
///
/// A ring of line slots addressed through a bias (m_head = slot of the oldest line), as Konsole's
/// CompactHistoryScroll does: pushing onto a full ring overwrites the oldest slot and advances the
/// bias, nothing moves. Each slot is a std::vector<TerminalCell> holding the line trimmed of its
/// trailing blank default-coloured cells ("kept compact": a short prompt line costs a few cells,
/// not the screen width); an overwritten slot keeps its vector's capacity, so a terminal in steady
/// state (full ring, similar line lengths) allocates nothing per pushed line.
///
/// popNewest() hands the newest line back (libvterm's sb_popline when the window grows taller).
/// Not thread-safe; owned by TerminalScreen.
class TerminalScrollback
{
public:
    explicit TerminalScrollback(int capacity);

    int size() const { return m_size; }
    int capacity() const { return m_capacity; }
    /// Keeps the newest min(size, capacity) lines.
    void setCapacity(int capacity);
    void clear();

    /// Appends a line of `count` cells (trimmed here). Returns true when the oldest line was
    /// dropped to make room.
    bool push(const TerminalCell *cells, int count);
    /// Removes the newest line into `out` (resized to its stored length); false when empty.
    bool popNewest(std::vector<TerminalCell> &out);

    /// index 0 is the oldest retained line. Precondition: 0 <= index < size().
    const std::vector<TerminalCell> &line(int index) const
    {
        return m_slots[size_t((m_head + index) % m_capacity)];
    }

    /// Bytes held by cell storage (capacity of the slot vectors), for memory figures.
    qint64 memoryBytes() const;

private:
    std::vector<std::vector<TerminalCell>> m_slots;
    int m_capacity;
    int m_head = 0;
    int m_size = 0;
};
