#pragma once

#include <QString>

/// Sizes in messages people read: "16 MiB", "64 KiB" when the value is an exact multiple, else
/// "100-byte" (so "exceeds the 16 MiB limit" and "exceeds the 100-byte limit" both read well).
/// Pure and thread-safe.
namespace ByteSize {

QString limitText(qint64 bytes);

} // namespace ByteSize
