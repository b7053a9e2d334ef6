#pragma once

#include "log_level.h"

#include <QRegularExpression>
#include <QSortFilterProxyModel>

/// Filters an EventLogModel by a case-insensitive substring or regular expression matched
/// against the data column text, the type and the full source id of each row. Gap rows always
/// pass so that reconnection markers stay visible whatever the filter. A minimum level (log_level.h)
/// hides rows that state a lower level, or none. Keeps the source order
/// (no sorting). An invalid pattern leaves the current filter unchanged.
class LogFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogFilterProxy)
public:
    enum class Mode { Substring, Regex };
    Q_ENUM(Mode)

    explicit LogFilterProxy(QObject *parent = nullptr);
    ~LogFilterProxy() override;

    /// Applies `pattern` in `mode`. Returns false (filter unchanged) when `mode` is Regex and the
    /// pattern does not compile; then *error holds QRegularExpression's message and offset.
    bool setFilter(const QString &pattern, Mode mode, QString *error = nullptr);
    QString pattern() const { return m_pattern; }
    Mode mode() const { return m_mode; }
    bool isFiltering() const { return !m_pattern.isEmpty() || m_minimumLevel != LogLevel::None; }
    /// Rows below `level` are hidden; LogLevel::None shows every row.
    void setMinimumLevel(LogLevel level);
    LogLevel minimumLevel() const { return m_minimumLevel; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool matches(const QString &text) const;

    QString m_pattern;
    Mode m_mode = Mode::Substring;
    QRegularExpression m_regex;
    LogLevel m_minimumLevel = LogLevel::None;
};
