#pragma once

#include <QString>
#include <QStringList>

/// Which sources feed a panel: every source ("all", also sources added later) or a chosen set of
/// source names. A plain value type.
struct SourceBinding
{
    bool all = true;
    QStringList sources; ///< source ids (names) when !all; may be empty (the panel shows nothing)

    static SourceBinding everything() { return {}; }
    static SourceBinding only(const QStringList &names) { return {false, names}; }
    bool contains(const QString &sourceId) const { return all || sources.contains(sourceId); }

    friend bool operator==(const SourceBinding &, const SourceBinding &) = default;
};
