#include "source_notices.h"

#include "source_list_model.h"
#include "transport.h"

SourceNotices::SourceNotices(SourceListModel *model, QObject *parent)
    : QObject(parent), m_model(model)
{
    auto watchRows = [this](int first, int last) {
        for (int row = first; row <= last; ++row)
            if (Transport *transport = m_model->transportAt(row))
                watch(transport);
    };
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [watchRows](const QModelIndex &, int first, int last) { watchRows(first, last); });
    watchRows(0, m_model->rowCount() - 1);
}

SourceNotices::~SourceNotices() = default;

void SourceNotices::watch(Transport *transport)
{
    if (!transport || m_notices.contains(transport))
        return;
    m_notices.insert(transport, {});
    connect(transport, &Transport::notice, this, [this, transport](const QString &text) { add(transport, text); });
    connect(transport, &QObject::destroyed, this, [this](QObject *object) { m_notices.remove(object); });
}

QList<SourceNotices::Notice> SourceNotices::notices(const Transport *transport) const
{
    return m_notices.value(transport);
}

void SourceNotices::add(const Transport *transport, const QString &text)
{
    QList<Notice> &list = m_notices[transport];
    list.prepend({QDateTime::currentDateTime(), text});
    while (list.size() > MaxNotices)
        list.removeLast();
    Q_EMIT changed(transport);
}
