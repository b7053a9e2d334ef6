#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

/// One line cut out of a "lines" or "ndjson" stream.
struct FramedLine
{
    QByteArray text;       ///< the line's RAW bytes without its LF / CRLF (a lone CR stays in the text)
    bool tooLong = false;  ///< the line exceeded maxLineBytes: text holds only an excerpt (see LineFramer)
    qsizetype length = 0;  ///< the line's length in bytes; maxLineBytes + 1 when tooLong (reported
                           ///< when the cap was crossed: the real length is not known then)
    bool validUtf8 = false; ///< a hint: the framer already checked that `text` is valid UTF-8
                            ///< (false = not checked). Not part of equality.
    friend bool operator==(const FramedLine &a, const FramedLine &b)
    {
        return a.text == b.text && a.tooLong == b.tooLong && a.length == b.length;
    }
};

/// Cuts a byte stream into lines ending in LF or CRLF (NDJSON tolerates CRLF; a CR not followed by
/// LF is ordinary content). Pure: no QObject, no I/O; one framer per connection, one thread.
///
/// Speed: the complete lines of a chunk (up to its last LF) are copied into one arena with a
/// single memcpy, each line end overwritten with NUL, and every FramedLine::text is a QByteArray
/// sharing that arena (its own begin and size; an ordinary NUL-terminated, implicitly shared
/// QByteArray to every consumer). So a feed costs one allocation, not one per line, and its UTF-8
/// is checked in one SIMD pass over the arena (validUtf8). Only a line split across feed() calls
/// is buffered and gets its own allocation. A consumer that keeps one line keeps its feed's
/// arena (at most chunk-sized) alive.
///
/// Memory is bounded by maxLineBytes, and a line that passes it is reported the moment that is
/// certain, in the feed() that crosses it: one FramedLine with tooLong set, text = its first
/// min(256, maxLineBytes + 1) bytes, length = maxLineBytes + 1; the rest of the line is skipped
/// without being buffered and the next line is framed normally. (A line of exactly maxLineBytes
/// followed by CR is only known to be too long when the byte after the CR is not LF.) What is
/// reported never depends on how the stream was split. Bytes are passed on unchanged (no UTF-8
/// repair): the consumer decides what a line means.
class LineFramer
{
public:
    static constexpr qsizetype DefaultMaxLineBytes = 16 * 1024 * 1024;
    static constexpr qsizetype ExcerptBytes = 256; ///< bytes kept of a too-long line

    explicit LineFramer(qsizetype maxLineBytes = DefaultMaxLineBytes);
    void feed(QByteArrayView chunk, QList<FramedLine> &out);  ///< any split; LF or CRLF ends a line
    void finish(QList<FramedLine> &out);  ///< EOF: a final line without newline is emitted if non-empty
    void reset();                         ///< drop any partial line (new connection)

    qsizetype maxLineBytes() const { return m_maxLineBytes; }
    /// Bytes currently held for a partial line (capacity): stays O(maxLineBytes).
    qsizetype bufferedBytes() const { return m_line.capacity(); }

private:
    void appendPartial(const char *bytes, qsizetype size, QList<FramedLine> &out);
    void emitTooLong(QByteArrayView head, QList<FramedLine> &out) const;
    void emitArenaLines(const char *begin, qsizetype size, QList<FramedLine> &out);

    qsizetype m_maxLineBytes;
    /// Line split across feeds: at most maxLineBytes bytes (+1 when the last byte is a CR that
    /// may belong to a CRLF). Empty while a too-long line is being skipped.
    QByteArray m_line;
    bool m_hasPartial = false; ///< a line has started (m_line may still be empty: skipping)
    bool m_skipping = false;   ///< the partial line was reported as too long; skip to its LF
};
