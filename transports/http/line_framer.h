#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

/// One line cut out of a "lines" or "ndjson" stream.
struct FramedLine
{
    QByteArray text;       ///< the line's RAW bytes without its LF / CRLF (a lone CR stays in the text)
    bool tooLong = false;  ///< the line exceeded maxLineBytes: text holds only its first 256 bytes
    qsizetype length = 0;  ///< the line's full length in bytes (also when tooLong)
    friend bool operator==(const FramedLine &, const FramedLine &) = default;
};

/// Cuts a byte stream into lines ending in LF or CRLF (NDJSON tolerates CRLF; a CR not followed by
/// LF is ordinary content). Pure: no QObject, no I/O; one framer per connection, one thread.
///
/// Complete lines are copied straight out of the chunk (memchr for LF); only a line split across
/// feed() calls is buffered. Memory is bounded by maxLineBytes: a longer line is not buffered
/// beyond the cap — its first 256 bytes are kept, the rest counted, and it is reported as one
/// FramedLine with tooLong set; the next line is framed normally. Bytes are passed on unchanged
/// (no UTF-8 repair): the consumer decides what a line means.
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
    void appendPartial(const char *bytes, qsizetype size);
    void emitLine(const char *line, qsizetype size, QList<FramedLine> &out) const;

    qsizetype m_maxLineBytes;
    /// Line split across feeds: at most maxLineBytes bytes (+1 when the last byte is a CR that
    /// may belong to a CRLF), or only the first ExcerptBytes once m_overflow is set.
    QByteArray m_line;
    qsizetype m_lineLength = 0; ///< bytes of the partial line so far, CR included
    bool m_lastIsCr = false;    ///< the partial line's last byte is CR
    bool m_overflow = false;
};
