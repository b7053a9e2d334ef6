#pragma once

// Private to transports/k8s/watch: the simdjson DOM walk shared by the watch decoder, the LIST
// parser and the Table decoder. Not part of any public header.
//
// Why DOM and not On-Demand: simdjson's On-Demand front end is compiled for the instruction set
// the compiler targets (without -mavx2 that is its scalar "fallback" kernel), while the DOM
// parser picks the best kernel at run time (haswell/icelake on current x86-64). On-Demand was
// therefore not benchmarked against it; bench_watch_decode prints the bare DOM parse as the
// ceiling the decoder is measured against.

#include "watch_event.h"

#include <simdjson.h>

#include <string_view>

namespace ObjectJson {

/// Status fields read while walking an object (used for ERROR events).
struct StatusFields
{
    int code = 0;
    QByteArray reason;
    QByteArray message;
};

struct Interners;

/// Fills kind and the metadata of `target` (not target.object) from the object `value`, and
/// `status` when given. Missing or mistyped fields stay empty.
void readObject(simdjson::dom::element value, WatchObject &target, StatusFields *status,
                Interners *interners = nullptr);

/// kind and the metadata of an object as views into the parser's buffers (valid until its next
/// parse). A view whose data() is null is a field that is missing or not a string.
struct ObjectViews
{
    std::string_view kind;
    std::string_view name;
    std::string_view namespaceName;
    std::string_view uid;
    std::string_view resourceVersion;
    std::string_view creationTimestamp;
    bool initialEventsEnd = false;
};

/// What readObject() reads, as views (no allocation); `status` as in readObject().
void readViews(simdjson::dom::element value, ObjectViews &views, StatusFields *status);

/// How assemble() treats the JSON it is given.
enum class JsonForm : quint8 {
    Compact,    ///< known to be compact (simdjson's serializer wrote it)
    MaybeSpaced ///< valid JSON from the wire: compacted when it may have whitespace
};

/// Sets target.object to `json` (compacted unless `form` says it is already) and kind and the
/// metadata to `views`, in one allocation: the object's bytes, then each metadata string, each
/// followed by a NUL, with name, uid, resourceVersion and creationTimestamp sharing that block
/// (and its reference count) the way QByteArray shares any data; kind and namespace come from the
/// interners. Each field is an ordinary QByteArray: detaching, appending and the terminating NUL
/// behave as for any other.
void assemble(WatchObject &target, std::string_view json, JsonForm form, const ObjectViews &views,
              Interners &interners);

/// Copies `size` bytes from `from` to `to`; true when one of them is a space or a control byte
/// (<= 0x20), i.e. when valid JSON may have whitespace outside its strings.
bool copyAndFindLowBytes(char *to, const char *from, size_t size);

/// Compact copy of `span` (simdjson::minify); the raw bytes when minify refuses them.
QByteArray compact(std::string_view span);
/// True when `text` (valid JSON) may have whitespace outside its strings: some space, tab, CR or
/// LF sits right after one of `{[,:` or right before one of `}],:`. Every whitespace run outside
/// strings does (it separates two tokens), so false means the text is already compact; true may
/// also be whitespace inside a string ("a, b"), which only costs an unneeded minify.
bool mayHaveWhitespace(std::string_view text);

/// Reuses the last value seen for a field when the next one is equal (namespace, kind, type
/// repeat in a stream), so equal values share one allocation.
class Interner
{
public:
    QByteArray get(std::string_view text)
    {
        if (QByteArrayView(m_last) != QByteArrayView(text.data(), qsizetype(text.size())))
            m_last = QByteArray(text.data(), qsizetype(text.size()));
        return m_last;
    }

private:
    QByteArray m_last;
};

/// Interners for the fields that repeat from object to object.
struct Interners
{
    Interner kind;
    Interner namespaceName;
    Interner type;
};
/// Compact JSON of a parsed element (simdjson::to_string).
QByteArray serialize(simdjson::dom::element value);

/// Bytes as a QByteArray (deep copy).
inline QByteArray bytes(std::string_view text)
{
    return QByteArray(text.data(), qsizetype(text.size()));
}
/// The string value of `value`; empty when it is not a string.
QByteArray stringOf(simdjson::dom::element value);
/// The string at a lookup (`element["key"]`); empty when missing or not a string.
QByteArray stringAt(const simdjson::simdjson_result<simdjson::dom::element> &lookup);

/// An escaped excerpt for error messages: the first `limit` bytes, "…" when cut.
QString excerpt(QByteArrayView text, qsizetype limit);

} // namespace ObjectJson
