#pragma once

#include "dashboard_document.h"

#include <QString>

#include <optional>

/// Dashboard files on disk: the thin I/O adapter around DashboardFormat.
namespace DashboardFile {

/// Reads and parses `path` (a file or a Qt resource). On failure returns std::nullopt and sets
/// *error to one line naming the path, where in the file and what was expected, e.g.
/// "/home/u/ops.livedash: line 4, column 12: unterminated string (expected a JSON dashboard)".
std::optional<DashboardDocument> read(const QString &path, QString *error);
/// Writes `document` to `path` atomically (QSaveFile: the old file stays whole on failure).
bool write(const QString &path, const DashboardDocument &document, QString *error);
/// True for names a dashboard file may have: *.livedash or *.json.
bool hasDashboardSuffix(const QString &path);

} // namespace DashboardFile
