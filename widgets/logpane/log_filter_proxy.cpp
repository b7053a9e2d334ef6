#include "log_filter_proxy.h"

#include "event_log_model.h"

LogFilterProxy::LogFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

LogFilterProxy::~LogFilterProxy() = default;

bool LogFilterProxy::setFilter(const QString &pattern, Mode mode, QString *error)
{
    QRegularExpression regex;
    if (mode == Mode::Regex && !pattern.isEmpty()) {
        regex = QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
        if (!regex.isValid()) {
            if (error)
                *error = tr("%1 (at offset %2)").arg(regex.errorString()).arg(regex.patternErrorOffset());
            return false;
        }
        regex.optimize();
    }
    if (error)
        error->clear();
    if (pattern == m_pattern && (mode == m_mode || pattern.isEmpty())) {
        m_mode = mode;
        return true;
    }
    m_pattern = pattern;
    m_mode = mode;
    m_regex = regex;
    invalidateFilter();
    return true;
}

void LogFilterProxy::setMinimumLevel(LogLevel level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateFilter();
}

bool LogFilterProxy::matches(const QString &text) const
{
    if (m_mode == Mode::Regex)
        return m_regex.match(text).hasMatch();
    return text.contains(m_pattern, Qt::CaseInsensitive);
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_pattern.isEmpty() && m_minimumLevel == LogLevel::None)
        return true;
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    if (model->data(first, EventLogModel::KindRole).toInt() == int(StreamEvent::Kind::Gap))
        return true;
    if (m_minimumLevel != LogLevel::None
        && model->data(first, EventLogModel::LevelRole).toInt() < int(m_minimumLevel))
        return false;
    if (m_pattern.isEmpty())
        return true;
    const QModelIndex dataIndex = model->index(sourceRow, EventLogModel::DataColumn, sourceParent);
    const QModelIndex typeIndex = model->index(sourceRow, EventLogModel::TypeColumn, sourceParent);
    return matches(model->data(dataIndex).toString())
        || matches(model->data(typeIndex).toString())
        || matches(model->data(first, EventLogModel::SourceIdRole).toString());
}
