#pragma once

#include "watch_event.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>
#include <vector>

/// Incremental decoder for a Kubernetes watch body: a sequence of JSON objects, each normally
/// ended by '\n' (protocols.md 2.2, 6.2). Pure: no QObject, no I/O; one decoder per stream, one
/// thread.
///
/// Framing: objects are cut on JSON object boundaries (brace depth, aware of strings and
/// escapes), so any split point works, several events may come in one read, two objects may
/// follow each other with no newline (W2), an object may span lines, and blank lines, CRLF and
/// other whitespace between objects are skipped. Anything else between objects (a stray byte,
/// a top-level array) is reported as BadJson and skipped up to the next newline. An object larger
/// than maxObjectBytes (16 MiB) is reported as TooLarge in the feed() that crosses the cap and
/// skipped up to the next newline, so memory stays bounded; decoding resumes there. What is
/// reported never depends on how the stream was split.
///
/// An object whose braces balance but which is not valid JSON, or lacks "type"/"object"/
/// metadata.name (ADDED, MODIFIED, DELETED) / metadata.resourceVersion (BOOKMARK), is reported
/// (BadJson / MissingField, escaped excerpt) and the next object decodes normally. An object whose
/// braces never balance swallows what follows until they do or the cap is reached: the framing
/// cannot know better. An unknown "type" is not a decode error: it gives Type::Unknown.
///
/// Speed: the common case, one complete object per line inside the chunk, is parsed by
/// simdjson's DOM parser (runtime-dispatched SIMD kernel) in place: the chunk's bytes after the
/// line serve as simdjson's padding when there are enough of them, otherwise the line is copied
/// to a padded scratch buffer. Only what is not that (an object split across reads, two objects
/// on a line, bad input) goes through the byte-wise splitter. When the event is written the way
/// the API server writes it (`{"type":..,"object":{..}}`) its object JSON is a copy of the input
/// slice, checked for whitespace while copying (simdjson::minify only when some may be there);
/// other key orders are serialized. One allocation per event holds the object JSON and the
/// name, uid, resourceVersion and creationTimestamp, which share it as ordinary QByteArrays;
/// repeated values (type, kind, namespace) share one allocation across events. One parser
/// is reused for every object. Figures: tests/bench/bench_watch_decode.cpp.
class WatchDecoder
{
public:
    static constexpr qsizetype DefaultMaxObjectBytes = 16 * 1024 * 1024;
    static constexpr qsizetype ExcerptBytes = 80; ///< bytes quoted from bad input in messages

    explicit WatchDecoder(qsizetype maxObjectBytes = DefaultMaxObjectBytes);
    ~WatchDecoder();
    WatchDecoder(const WatchDecoder &) = delete;
    WatchDecoder &operator=(const WatchDecoder &) = delete;

    /// Consumes the next bytes of the body; complete events are appended to `out`, problems to
    /// `errors` (when given; otherwise they are only counted in errorCount()).
    void feed(QByteArrayView bytes, std::vector<WatchEvent> &out,
              std::vector<WatchDecodeError> *errors = nullptr);
    /// End of body. A partial object is discarded and reported as Truncated (W8). The decoder is
    /// then ready for a new body.
    void finish(std::vector<WatchEvent> &out, std::vector<WatchDecodeError> *errors = nullptr);
    /// Drops any partial object without reporting it (a new connection).
    void reset();

    /// True while bytes of an unfinished object are held.
    bool hasPartial() const { return m_depth > 0; }
    qsizetype maxObjectBytes() const { return m_maxObjectBytes; }
    /// Problems reported since construction (also when `errors` was not given).
    qint64 errorCount() const { return m_errorCount; }

    /// Decodes one complete JSON text as a watch event (what feed() does per object). `padded`
    /// must have at least simdjson::SIMDJSON_PADDING readable bytes after `size`. Returns false
    /// and sets `error` when it is not a valid event.
    bool decodeObject(const char *padded, size_t size, WatchEvent &event, WatchDecodeError &error);

private:
    struct Impl;
    void report(std::vector<WatchDecodeError> *errors, WatchDecodeError::Kind kind, QString message,
                qsizetype beforeEvent);
    void decodeAndAppend(const char *data, size_t size, size_t available, std::vector<WatchEvent> &out,
                         std::vector<WatchDecodeError> *errors);
    const char *scan(const char *pos, const char *end, std::vector<WatchEvent> &out,
                     std::vector<WatchDecodeError> *errors);

    std::unique_ptr<Impl> m_impl;
    qsizetype m_maxObjectBytes;
    QByteArray m_pending;     ///< the bytes of an object split across feeds (starts with '{')
    int m_depth = 0;          ///< brace depth of m_pending (0: between objects)
    bool m_inString = false;
    bool m_escaped = false;
    bool m_skipping = false;  ///< skipping to the next '\n' after a cap or stray input
    qint64 m_errorCount = 0;
};
