#pragma once

#include "stream_event.h"

#include <QByteArray>
#include <QList>
#include <QString>

/// Writing log rows to files, for the log pane's Export menu.
///
/// - NDJSON: one object per event in the headless output format (event_json.h appendEventJson),
///   so an export and a `livedash --headless` capture are read by the same tools.
/// - CSV (RFC 4180, UTF-8, CRLF-free "\n" rows): time (RFC 3339 UTC, ms), source, direction
///   ("received" / "sent"), kind ("data" / "error" / "gap" / "sent"), type, id, seq, data, detail.
///   Binary payloads are base64. Fields are quoted when they hold a comma, quote or line break.
///   A text field that a spreadsheet would run as a formula (it starts with =, +, -, @, tab or CR
///   and is not a plain number) gets a leading apostrophe (OWASP "CSV injection"): servers
///   choose these texts.
namespace LogExport {

enum class Format { Ndjson, Csv };

QByteArray csvHeader();
void appendCsvRow(const StreamEvent &event, QByteArray &out);
/// Writes `events` to `path` atomically (QSaveFile). False with *error set on failure.
bool write(const QString &path, Format format, const QList<StreamEvent> &events, QString *error = nullptr);

} // namespace LogExport
