#include "stream_key_delegate.h"

#include "event_log_model.h"

#include <QCryptographicHash>

#include <array>

StreamKeyDelegate::StreamKeyDelegate(int dataColumn, int idColumn, QObject *parent)
    : LogItemDelegate(dataColumn, parent), m_idColumn(idColumn)
{
}

StreamKeyDelegate::~StreamKeyDelegate() = default;

QColor StreamKeyDelegate::colorFor(const QString &key)
{
    // Dark enough for text on white and on the alternate row colour.
    static const std::array<QColor, 8> Colors = {
        QColor(0x1f, 0x6f, 0xb4), QColor(0x2e, 0x7d, 0x32), QColor(0xad, 0x14, 0x57), QColor(0x6a, 0x1b, 0x9a),
        QColor(0x00, 0x83, 0x8f), QColor(0xbf, 0x5b, 0x00), QColor(0x45, 0x5a, 0x64), QColor(0x8d, 0x6e, 0x00)};
    // A stable hash (qHash is seeded per process): the same pod keeps its colour across runs.
    const QByteArray digest = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Md5);
    return Colors[size_t(quint8(digest.at(0))) % Colors.size()];
}

void StreamKeyDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    LogItemDelegate::initStyleOption(option, index);
    if (index.column() != m_idColumn)
        return;
    const QString type = index.siblingAtColumn(EventLogModel::TypeColumn).data().toString();
    if (type != u"log" || option->text.isEmpty())
        return;
    option->palette.setColor(QPalette::Text, colorFor(option->text));
}
