#pragma once

#include <QString>

/// Short form of a source id for crowded places (log rows, chart legends): "host:port/path" when
/// the id is an absolute URL with a host, the id unchanged otherwise (user-chosen names, file
/// paths). Query strings and user info are left out; the full id stays available in tooltips.
QString shortSourceName(const QString &sourceId);
