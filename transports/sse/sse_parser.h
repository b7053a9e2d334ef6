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
    QString error;          ///< non-empty: this record reports a DROPPED event (a line or the event's
                            ///< data exceeded maxLineBytes); data then holds at most the first 256 bytes
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
/// chunks with invalid bytes) are validated, and if need be repaired, per event. The "message"
/// type, a repeated event type and the last event ID are implicitly shared between events.
///
/// Memory is bounded by maxLineBytes: a line longer than the cap is not buffered (its first 256
/// bytes are kept for the report, the rest only counted), and an event whose joined data would
/// exceed the cap stops accumulating. Such an event is dropped: at its blank line one SseEvent
/// with a non-empty `error` is emitted instead (type and lastEventId as the event would have had,
/// data = the first 256 bytes of its data, or of the offending line when it had no data), and
/// droppedEvents() is incremented; the stream continues with the next event. Only overlong
/// `data`, `event`, `id` and `retry` lines drop their event: an overlong comment or unknown field
/// is skipped, as any comment or unknown field is.
class SseParser
{
public:
    static constexpr qsizetype DefaultMaxLineBytes = 16 * 1024 * 1024;
    static constexpr qsizetype ExcerptBytes = 256; ///< size of the excerpt in a drop report

    explicit SseParser(qsizetype maxLineBytes = DefaultMaxLineBytes);

    /// Consumes any slice of the body; safe to split anywhere (inside CRLF, inside a UTF-8 sequence,
    /// inside the BOM). Appends dispatched events to `out` in order.
    void feed(QByteArrayView chunk, QList<SseEvent> &out);
    /// End of body: discards the pending line, data and type (rule 1.4.6). A CR that was the last byte
    /// already ended its line.
    void finish();
    /// New connection: clears line/data/type buffers and BOM state; idBuf = lastEventId (rule 1.4.7).
    void reset();

    /// The ID of the last dispatched block (what a reconnect sends as Last-Event-ID); "" initially.
    QByteArray lastEventId() const { return m_lastEventId; }
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
    void appendPartial(const char *bytes, qsizetype size);
    void completePartial(QList<SseEvent> &out);
    void processLine(const char *line, qsizetype size, bool validUtf8, QList<SseEvent> &out);
    void processOverlongLine(QByteArrayView excerpt, qsizetype length);
    void handleData(QByteArrayView value, bool validUtf8);
    void handleEvent(QByteArrayView value, bool validUtf8);
    void handleId(QByteArrayView value, bool validUtf8);
    void handleRetry(QByteArrayView value);
    void appendDataExcerpt(QByteArrayView value);
    void startDrop(QString reason);
    void dispatch(QList<SseEvent> &out);
    void clearBlock();
    void clearLine();

    qsizetype m_maxLineBytes;

    // Line state. m_line holds a line split across feeds: at most m_maxLineBytes bytes, or
    // only its first ExcerptBytes + 8 once m_lineOverflow is set; m_lineLength counts the whole line.
    QByteArray m_line;
    qsizetype m_lineLength = 0;
    bool m_hasPartial = false;
    bool m_lineOverflow = false;
    bool m_pendingCr = false; ///< the last byte fed was CR: a leading LF of the next feed is swallowed
    bool m_bomDone = false;   ///< past the point where a BOM may appear
    int m_bomMatched = 0;     ///< BOM bytes seen so far at the start of the stream

    // Event block state (dataBuf, typeBuf, idBuf of the spec).
    QByteArray m_data;        ///< data lines joined with LF (no trailing LF)
    bool m_hasData = false;   ///< at least one data line: the spec's dataBuf is non-empty
    bool m_dataValid = false; ///< every piece of m_data came from a region already validated
    QByteArray m_type;        ///< empty = "message"
    QByteArray m_typeCache;   ///< last non-empty type seen, reused while servers repeat it
    QByteArray m_id;
    QString m_dropReason;     ///< non-empty: the current block is being dropped
    QByteArray m_dropExcerpt; ///< excerpt of the offending line when the block has no data

    QByteArray m_lastEventId;
    std::optional<qint64> m_retryMs;
    quint64 m_droppedEvents = 0;
};
