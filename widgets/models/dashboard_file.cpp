#include "dashboard_file.h"

#include <QFile>
#include <QSaveFile>

namespace DashboardFile {

namespace {
constexpr qint64 MaxFileBytes = 16 * 1024 * 1024; ///< a dashboard is a few KB; refuse anything absurd
} // namespace

std::optional<DashboardDocument> read(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: cannot open: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > MaxFileBytes) {
        if (error)
            *error = QStringLiteral("%1: %2 bytes is too large for a dashboard (at most %3)")
                         .arg(path).arg(file.size()).arg(MaxFileBytes);
        return std::nullopt;
    }
    const QByteArray text = file.readAll();
    DashboardError parseError;
    std::optional<DashboardDocument> document = DashboardFormat::parse(text, &parseError);
    if (!document && error)
        *error = QStringLiteral("%1: %2").arg(path, parseError.toString());
    return document;
}

bool write(const QString &path, const DashboardDocument &document, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(DashboardFormat::serialize(document)) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool hasDashboardSuffix(const QString &path)
{
    return path.endsWith(QLatin1String(".livedash"), Qt::CaseInsensitive)
           || path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
}

} // namespace DashboardFile
