#pragma once

#include "asciicast_format.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

/// A problem found while reading a recording: `line` is 1-based; `message` says what was expected
/// and what came, e.g. "line 3: expected the event time (a number), got a string".
struct AsciicastIssue
{
    qint64 line = 0;
    QString message;
    friend bool operator==(const AsciicastIssue &, const AsciicastIssue &) = default;
};

/// Incremental reader of a terminal recording: asciicast v2, or anything else as raw bytes.
/// Pure: no QObject, no I/O, no timers; not thread-safe (one reader per file).
///
/// Detection: the input is asciicast v2 when its first line (after an optional UTF-8 BOM) is a
/// JSON object whose "version" is 2. A first line that is a JSON object with another version
/// (asciicast v1/v3) fails ("unsupported version"). Anything else (first byte not '{', not a
/// JSON object, no "version", no newline within MaxHeaderBytes) is Raw: every byte, the probed
/// first line included, comes out unchanged as Output events at time 0 (a raw capture of a pty).
///
/// Asciicast: the header fills header(); "width"/"height" must be integers 1..MaxDimension (else
/// the reader fails: nothing after it is read); a wrong type in an optional field (title,
/// timestamp, idle_time_limit, env) is an issue and the field is ignored. Then one event per
/// line, `[time, code, data]`: time a number >= 0, code "o" | "i" | "r" | "m", data a string; "r"
/// data "COLSxROWS" (each 1..MaxDimension) fills columns/rows. A bad event line is an issue and
/// is skipped; reading goes on. A time smaller than the previous event's is an issue and is
/// raised to it, so times never go back. Lines end in LF or CRLF; blank lines are skipped; a
/// last line without a newline is read by finish(). Lines longer than maxLineBytes are issues
/// and skipped without being buffered (memory stays bounded by maxLineBytes).
///
/// Output is the same however the input is split (tests feed every split point). JSON is
/// parsed with simdjson (DOM, one line at a time); string data is valid UTF-8 by construction.
class AsciicastReader
{
public:
    enum class Format { Undecided, Asciicast, Raw };

    static constexpr qsizetype DefaultMaxLineBytes = 64 * 1024 * 1024;
    static constexpr qsizetype MaxHeaderBytes = 1024 * 1024;
    static constexpr int MaxDimension = 1000;
    static constexpr qsizetype MaxKeptIssues = 100;

    explicit AsciicastReader(qsizetype maxLineBytes = DefaultMaxLineBytes);
    ~AsciicastReader();
    AsciicastReader(AsciicastReader &&) noexcept;
    AsciicastReader &operator=(AsciicastReader &&) noexcept;

    /// Consumes any prefix of the file; appends complete events to `out`.
    void feed(QByteArrayView chunk, QList<AsciicastEvent> &out);
    /// End of input: reads a last line without newline, decides an undecided format.
    void finish(QList<AsciicastEvent> &out);

    Format format() const { return m_format; }
    /// Set once an asciicast header was read.
    const std::optional<AsciicastHeader> &header() const { return m_header; }
    /// True when the file cannot be read (bad header, unsupported version): issues() says why.
    bool hasFailed() const { return m_failed; }
    /// The first MaxKeptIssues issues, in order; issueCount() counts all of them.
    const QList<AsciicastIssue> &issues() const { return m_issues; }
    qint64 issueCount() const { return m_issueCount; }

    /// Reads a whole file content at once (feed + finish).
    static QList<AsciicastEvent> readAll(QByteArrayView content, AsciicastReader &reader);

private:
    struct Json;
    void probe(QList<AsciicastEvent> &out, bool atEnd);
    void feedLines(QByteArrayView chunk, QList<AsciicastEvent> &out);
    void handleLine(QByteArrayView line, QList<AsciicastEvent> &out);
    enum class HeaderVerdict { Asciicast, NotAsciicast, Failed };
    HeaderVerdict parseHeader(QByteArrayView line);
    void parseEvent(QByteArrayView line, QList<AsciicastEvent> &out);
    void addIssue(const QString &what);
    void fail(const QString &what);

    qsizetype m_maxLineBytes;
    Format m_format = Format::Undecided;
    bool m_failed = false;
    std::optional<AsciicastHeader> m_header;
    QByteArray m_probe;          // Undecided: every byte so far
    QByteArray m_line;           // Asciicast: a line split across feeds
    bool m_skippingLine = false; // the current line exceeded the cap
    qint64 m_lineNumber = 1;     // of the line being read (1-based)
    double m_lastTime = 0;
    QList<AsciicastIssue> m_issues;
    qint64 m_issueCount = 0;
    std::unique_ptr<Json> m_json;
};
