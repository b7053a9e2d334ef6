#pragma once

#include <QByteArrayView>
#include <QString>

#include <memory>
#include <optional>

/// Checks that an NDJSON line is exactly one JSON value (RFC 8259, UTF-8). Wraps one reused
/// simdjson::dom::parser and a reused padded copy buffer, so validating a stream of lines does
/// not allocate once the buffers have grown to the largest line. Not thread-safe: one validator
/// per stream/thread. simdjson stays out of this header (pimpl).
class JsonValidator
{
public:
    JsonValidator();
    ~JsonValidator();
    JsonValidator(const JsonValidator &) = delete;
    JsonValidator &operator=(const JsonValidator &) = delete;

    /// std::nullopt when `text` is exactly one valid JSON value (surrounding whitespace allowed);
    /// otherwise a short specific reason, e.g. "invalid JSON: unclosed string" / "... trailing content".
    std::optional<QString> check(QByteArrayView text);
    static bool isBlank(QByteArrayView text); ///< only spaces/tabs/CR

private:
    struct Private;
    std::unique_ptr<Private> d;
};
