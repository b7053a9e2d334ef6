#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>

/// Text that came from a peer (reason phrases, header values, close reasons, error bodies,
/// Location URLs) made safe to print on a terminal, write to a log or show in the UI.
///
/// Every C0 control (U+0000–U+001F, including ESC, CR, LF and TAB), DEL (U+007F), every C1
/// control (U+0080–U+009F) and the bidirectional overrides/isolates (U+202A–U+202E,
/// U+2066–U+2069), which can reorder what a reader sees, are written as `\xHH` (C0, DEL) or
/// `\u{HHHH}` (the rest). Nothing else changes; backslashes are kept as they are, so applying it
/// twice gives the same text as once. Pure and thread-safe.
namespace Printable {

QString escaped(QStringView text);
/// UTF-8 from the wire (invalid bytes become U+FFFD), then escaped().
QString fromWire(QByteArrayView utf8);
/// True when escaped(text) would change something.
bool needsEscaping(QStringView text);

} // namespace Printable
