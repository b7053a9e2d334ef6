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
    bool invalid = false;
    if (mode == Mode::Regex && !pattern.isEmpty()) {
        regex = QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
        if (regex.isValid()) {
            regex.optimize();
        } else {
            invalid = true;
            if (error)
                *error = tr("%1 (at offset %2)").arg(regex.errorString()).arg(regex.patternErrorOffset());
        }
    }
    if (!invalid && error)
        error->clear();
    const bool same = invalid == m_invalid && pattern == m_pattern && (mode == m_mode || pattern.isEmpty());
    m_pattern = pattern;
    m_mode = mode;
    if (!same) {
        m_regex = regex;
        m_invalid = invalid;
        invalidateFilter();
    }
    return !invalid;
}

bool LogFilterProxy::isFiltering() const
{
    return m_invalid || !m_pattern.isEmpty() || m_minimumLevel != LogLevel::None || !m_source.isEmpty()
        || !m_showGaps || !m_showSent;
}

void LogFilterProxy::setMinimumLevel(LogLevel level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateFilter();
}

void LogFilterProxy::setSourceFilter(const QString &sourceId)
{
    if (sourceId == m_source)
        return;
    m_source = sourceId;
    invalidateFilter();
}

void LogFilterProxy::setShowGaps(bool show)
{
    if (show == m_showGaps)
        return;
    m_showGaps = show;
    invalidateFilter();
}

void LogFilterProxy::setShowSent(bool show)
{
    if (show == m_showSent)
        return;
    m_showSent = show;
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
    if (m_invalid)
        return false;
    if (!isFiltering())
        return true;
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    const auto kind = StreamEvent::Kind(model->data(first, EventLogModel::KindRole).toInt());
    if ((kind == StreamEvent::Kind::Gap && !m_showGaps) || (kind == StreamEvent::Kind::Sent && !m_showSent))
        return false;
    if (!m_source.isEmpty() && model->data(first, EventLogModel::SourceIdRole).toString() != m_source)
        return false;
    if (m_minimumLevel != LogLevel::None) {
        const int level = kind == StreamEvent::Kind::Gap
            ? int(LogLevel::Warn)
            : model->data(first, EventLogModel::LevelRole).toInt();
        if (level < int(m_minimumLevel))
            return false;
    }
    if (m_pattern.isEmpty())
        return true;
    const QModelIndex dataIndex = model->index(sourceRow, EventLogModel::DataColumn, sourceParent);
    const QModelIndex typeIndex = model->index(sourceRow, EventLogModel::TypeColumn, sourceParent);
    return matches(model->data(dataIndex).toString())
        || matches(model->data(typeIndex).toString())
        || matches(model->data(first, EventLogModel::SourceIdRole).toString());
}
