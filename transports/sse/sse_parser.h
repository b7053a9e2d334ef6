#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

/// One dispatched Server-Sent Event (or the report of one that was dropped).
struct SseEvent
{
    QByteArray type;        ///< "message" when the block had no (or an empty) event field
    QByteArray data;        ///< valid UTF-8 (U+FFFD for invalid input bytes)
    QByteArray lastEventId; ///< valid UTF-8
    QString error;          ///< non-empty: this record reports a DROPPED event, e.g. "data line exceeds
                            ///< the 16 MiB limit; event dropped"; data then holds an excerpt (<= 256 bytes)
    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

/// Incremental `text/event-stream` parser implementing the WHATWG HTML event-stream
/// interpretation (protocols.md 1.3/1.4): CRLF, LF and lone CR end lines; one leading BOM is
/// stripped; `:` lines are comments; `data` lines join with LF; `event`, `id` (ignored when it
/// contains NUL) and `retry` (ASCII digits only, saturating) are honoured; a blank line
/// dispatches; unknown fields are ignored. Pure: no QObject, no I/O, no timers, not thread-safe
/// (one parser per connection, used on one thread).
///
/// UTF-8: the parser works on bytes. CR, LF and ':' are ASCII and never part of a multi-byte
/// sequence, and the WHATWG decoder never swallows an ASCII byte into U+FFFD, so cutting lines on
/// bytes and decoding each dispatched value afterwards (Utf8::sanitized) gives exactly the text
/// a streaming decoder would give, however the body was split.
///
/// Speed: complete lines are processed in place inside the chunk; only a line split across two
/// feed() calls is copied into the line buffer. Line ends are found with SSE2 (scalar fallback),
/// field names compared by length + memcmp. UTF-8 is validated once per chunk over its complete
/// lines (one SIMD pass); only values that did not come from such a valid region (split lines,
/// chunks with invalid bytes) are validated, and if need be repaired, per event.
///
/// Memory per event: none of its own. All data and id values of one feed() are copied into one
/// arena (a QByteArray allocated once per feed, sized for the chunk), each value followed by a NUL,
/// and the events' `data` and `lastEventId` are QByteArrays that share the arena (same header,
/// their own begin and size: ordinary implicitly shared, NUL-terminated QByteArrays to every
/// consumer; modifying one detaches it as usual). The arena is freed when its last event is.
/// Only an event whose data spans feeds gets its own buffer (grown geometrically). "message", a
/// repeated event type and an unchanged id are shared too. Trade-off: a consumer that keeps one
/// event of a feed keeps that feed's arena (at most chunk-sized) alive.
///
/// Why QByteArray slices and not an API of views into a batch buffer: views would make feed()
/// alone about twice as fast again (measured: no reference counting, no SseEvent objects), but
/// gain nothing end to end, because StreamEvent owns QByteArrays (queued signals, models keep
/// events), so the decoder would have to make these same slices one step later. The parser is
/// ~15 % of a headless run; formatting the output and the kernel are the rest (tests/bench/peers).
///
/// Memory is bounded by maxLineBytes, and a cap is reported the moment it is crossed, in the
/// feed() that crosses it (not at the blank line, which may never come):
/// - a `data`, `event`, `id` or `retry` line longer than the cap, or an event whose joined data
///   would exceed it, is dropped: one SseEvent with a non-empty `error` is appended at once (type
///   and lastEventId as they are at that moment, data = an excerpt: the event's data, or the
///   offending line when the event has no data, up to where the cap was crossed and at most
///   ExcerptBytes), droppedEvents() is incremented, and the rest of the line and of the event are
///   skipped without being buffered; the blank line then dispatches nothing (lastEventId is still
///   updated, as for any block), so there is exactly one report per dropped event.
/// - an overlong comment or unknown field is skipped silently, as any comment or unknown field is.
/// A line is known to be overlong once max(maxLineBytes, 6) + 1 of its bytes have arrived (with a
/// cap below 6 the parser waits for the 6 bytes that tell a field name from an unknown one), so
/// what is reported never depends on how the body was split.
class SseParser
{
public:
    static constexpr qsizetype DefaultMaxLineBytes = 16 * 1024 * 1024;
    static constexpr qsizetype ExcerptBytes = 256; ///< size of the excerpt in a drop report

    explicit SseParser(qsizetype maxLineBytes = DefaultMaxLineBytes);

    /// Consumes any slice of the body; safe to split anywhere (inside CRLF, inside a UTF-8 sequence,
    /// inside the BOM). Appends dispatched events and drop reports to `out` in order.
    void feed(QByteArrayView chunk, QList<SseEvent> &out);
    /// End of body: discards the pending line, data and type (rule 1.4.6). A CR that was the last byte
    /// already ended its line.
    void finish();
    /// New connection: clears line/data/type buffers and BOM state; idBuf = lastEventId (rule 1.4.7).
    void reset();

    /// The ID of the last dispatched block (what a reconnect sends as Last-Event-ID); "" initially.
    QByteArray lastEventId() const { return m_lastIsId ? m_id : m_lastEventId; }
    /// Restores a stored id (e.g. from a saved dashboard): sets lastEventId and idBuf. Invalid
    /// UTF-8 is repaired; an id containing NUL, CR or LF cannot come from a stream and is ignored.
    void setLastEventId(const QByteArray &id);
    /// Last valid `retry:` seen (saturating at the qint64 maximum), if any.
    std::optional<qint64> retryMs() const { return m_retryMs; }
    /// Events dropped for exceeding the cap.
    quint64 droppedEvents() const { return m_droppedEvents; }
    qsizetype maxLineBytes() const { return m_maxLineBytes; }
    /// Bytes currently held in the line and data buffers (capacity): stays O(maxLineBytes).
    qsizetype bufferedBytes() const { return m_line.capacity() + m_data.capacity(); }

private:
    /// The first byte after the line end at `eol` (CR, LF or CRLF); sets m_pendingCr when a CR ends the chunk.
    inline const char *afterLineEnd(const char *eol, const char *end);
    void beginArena(qsizetype bound);
    void endArena();
    void appendPartial(const char *bytes, qsizetype size, QList<SseEvent> &out);
    void completePartial(QList<SseEvent> &out);
    inline void processLine(const char *line, qsizetype size, bool validUtf8, QList<SseEvent> &out);
    void processOverlongLine(QByteArrayView excerpt, QList<SseEvent> &out);
    inline void handleData(QByteArrayView value, bool validUtf8, QList<SseEvent> &out);
    void appendMoreData(QByteArrayView value, bool validUtf8, QList<SseEvent> &out);
    void handleEvent(QByteArrayView value, bool validUtf8);
    inline void handleId(QByteArrayView value, bool validUtf8);
    void handleRetry(QByteArrayView value);
    void drop(const QString &reason, QByteArrayView excerpt, QList<SseEvent> &out);
    QByteArray currentData() const;
    inline void dispatch(QList<SseEvent> &out);
    void clearBlock();
    void clearLine();
    inline QByteArray arenaSlice(const char *begin, qsizetype size);

    qsizetype m_maxLineBytes;
    qsizetype m_lineThreshold; ///< max(m_maxLineBytes, 6): a partial line past this many bytes is overlong

    // The arena of the current feed() (see the class comment). m_arenaData is the raw pointer
    // taken once when it was allocated: writing through m_arena's own API after a slice exists
    // would detach it.
    // Data values grow upwards from the start, id values downwards from the end, so the data of
    // the block being parsed stays contiguous while id lines come in between its data lines.
    QByteArray m_arena;
    char *m_arenaData = nullptr;
    qsizetype m_arenaUsed = 0; ///< end of the data region
    qsizetype m_idTop = 0;     ///< start of the id region

    // Line state. m_line holds a line split across feeds: at most m_lineThreshold bytes. Once a
    // split line is known to be overlong it has been reported and the rest of it is skipped.
    QByteArray m_line;
    bool m_hasPartial = false;
    bool m_skippingLine = false;
    bool m_pendingCr = false; ///< the last byte fed was CR: a leading LF of the next feed is swallowed
    bool m_bomDone = false;   ///< past the point where a BOM may appear
    int m_bomMatched = 0;     ///< BOM bytes seen so far at the start of the stream

    // Event block state (dataBuf, typeBuf, idBuf of the spec). The block's data (lines joined with
    // LF, no trailing LF) is either m_dataSize bytes at m_arena[m_dataStart] (it began in this
    // feed) or, when it spans feeds, in m_data.
    qsizetype m_dataStart = 0;
    qsizetype m_dataSize = 0;
    QByteArray m_data;
    bool m_hasData = false;   ///< at least one data line: the spec's dataBuf is non-empty
    bool m_dataInArena = false;
    bool m_dataValid = false; ///< every piece of the data came from a region already validated
    bool m_dropping = false;  ///< the current block was reported as dropped; skip to its blank line
    QByteArray m_type;        ///< empty = "message"
    QByteArray m_typeCache;   ///< last non-empty type seen, reused while servers repeat it
    QByteArray m_id;

    // The spec's lastEventId. Usually equal to idBuf (m_id): then m_lastIsId is set and
    // m_lastEventId is empty, so a dispatch costs no reference-count traffic; only when an id line
    // changes idBuf before the next dispatch does the old value move into m_lastEventId.
    QByteArray m_lastEventId;
    bool m_lastIsId = true;
    std::optional<qint64> m_retryMs;
    quint64 m_droppedEvents = 0;
};
