#pragma once

#include <QtGlobal>

#include <algorithm>
#include <utility>
#include <vector>

/// Fixed-capacity FIFO of values, addressed by logical index 0 (oldest) .. size()-1 (newest).
///
/// Why a ring and not a QList with removeFirst(): a live log model trims its oldest rows on every
/// flush once it is full. QList::remove(0, k) moves every remaining element, so trimming a 100k-row
/// buffer 20 times a second costs millions of moves. Here the storage never moves: `m_head` is the
/// physical slot of logical row 0 (the "bias", as in Konsole's CompactHistoryScroll), pop_front()
/// only advances it, and at(i) maps i to slot (m_head + i) % capacity.
///
/// Storage grows lazily up to the capacity (an empty buffer with a 100k cap costs nothing). While
/// growing, the live range is the contiguous slots [m_head, m_slots.size()); once all `capacity`
/// slots exist it wraps. Both phases use the same index formula, because m_head + i stays below
/// m_slots.size() <= capacity while growing.
///
/// push_back() on a full buffer overwrites the oldest element; callers that must report drops
/// (EventLogModel) call pop_front() first. Popped slots are reset to T{} at once so that large
/// payloads (implicitly shared QByteArrays) are released when they leave the window.
///
/// erase(first, count) removes a range from the middle by moving the shorter side over it (the
/// elements before `first` forward, or those after the range back), so removing rows near
/// either end costs only the elements between the range and that end.
template <typename T>
class RingBuffer
{
public:
    explicit RingBuffer(qsizetype capacity)
        : m_capacity(std::max<qsizetype>(1, capacity))
    {
    }

    /// Appends `value` as the newest element; drops the oldest when full.
    void push_back(T value)
    {
        if (qsizetype(m_slots.size()) < m_capacity) {
            // Growing phase: the next logical slot is always the end of the storage.
            m_slots.push_back(std::move(value));
            ++m_size;
            return;
        }
        if (m_size < m_capacity) {
            m_slots[physical(m_size)] = std::move(value);
            ++m_size;
            return;
        }
        m_slots[m_head] = std::move(value);
        m_head = (m_head + 1) % m_capacity;
    }

    /// Logical index: 0 is the oldest element. Precondition: 0 <= logicalIndex < size().
    const T &at(qsizetype logicalIndex) const
    {
        Q_ASSERT(logicalIndex >= 0 && logicalIndex < m_size);
        return m_slots[physical(logicalIndex)];
    }
    T &at(qsizetype logicalIndex)
    {
        Q_ASSERT(logicalIndex >= 0 && logicalIndex < m_size);
        return m_slots[physical(logicalIndex)];
    }
    const T &front() const { return at(0); }
    const T &back() const { return at(m_size - 1); }

    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    bool isFull() const { return m_size == m_capacity; }
    qsizetype capacity() const { return m_capacity; }

    /// Changes the capacity (at least 1), keeping the newest min(size(), capacity) elements in
    /// order. Costs one pass over the kept elements.
    void setCapacity(qsizetype capacity)
    {
        capacity = std::max<qsizetype>(1, capacity);
        if (capacity == m_capacity)
            return;
        const qsizetype keep = std::min(m_size, capacity);
        std::vector<T> slots;
        slots.reserve(size_t(keep));
        for (qsizetype i = m_size - keep; i < m_size; ++i)
            slots.push_back(std::move(m_slots[physical(i)]));
        m_slots = std::move(slots);
        m_capacity = capacity;
        m_head = 0;
        m_size = keep;
    }

    /// Removes the `n` oldest elements (all of them if n >= size()). O(n), no element moves.
    void pop_front(qsizetype n)
    {
        n = std::clamp<qsizetype>(n, 0, m_size);
        if (n == m_size) {
            clear();
            return;
        }
        for (qsizetype i = 0; i < n; ++i)
            m_slots[physical(i)] = T{};
        m_head = physical(n);
        m_size -= n;
    }

    /// Removes the `n` newest elements (all of them if n >= size()). O(n), no element moves.
    void pop_back(qsizetype n)
    {
        n = std::clamp<qsizetype>(n, 0, m_size);
        if (n == m_size) {
            clear();
            return;
        }
        if (qsizetype(m_slots.size()) < m_capacity) {
            // Growing phase: the newest elements are the last slots of the storage; dropping
            // them keeps "the next logical slot is the end of the storage" true.
            m_slots.erase(m_slots.end() - n, m_slots.end());
        } else {
            for (qsizetype i = m_size - n; i < m_size; ++i)
                m_slots[physical(i)] = T{};
        }
        m_size -= n;
    }

    /// Removes the elements [first, first + count), keeping the order of the rest. Moves
    /// min(first, size() - first - count) elements. Precondition: the range lies within size().
    void erase(qsizetype first, qsizetype count)
    {
        Q_ASSERT(first >= 0 && count >= 0 && first + count <= m_size);
        if (count <= 0)
            return;
        const qsizetype after = m_size - first - count;
        if (first <= after) {
            for (qsizetype i = first - 1; i >= 0; --i)
                at(i + count) = std::move(at(i));
            pop_front(count);
        } else {
            for (qsizetype i = first + count; i < m_size; ++i)
                at(i - count) = std::move(at(i));
            pop_back(count);
        }
    }

    /// Removes everything and releases the storage; the capacity is kept.
    void clear()
    {
        std::vector<T>().swap(m_slots);
        m_head = 0;
        m_size = 0;
    }

private:
    qsizetype physical(qsizetype logicalIndex) const
    {
        return (m_head + logicalIndex) % m_capacity;
    }

    std::vector<T> m_slots;
    qsizetype m_capacity;
    qsizetype m_head = 0;
    qsizetype m_size = 0;
};
