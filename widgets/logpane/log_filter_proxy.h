#pragma once

#include "log_level.h"

#include <QRegularExpression>
#include <QSortFilterProxyModel>

/// Filters an EventLogModel. A row passes when it passes every active filter:
/// - text: a case-insensitive substring or regular expression matched against the data column
///   text (with its direction arrow), the type and the full source id;
/// - level (log_level.h): rows below the minimum are hidden; a reconnect marker counts as Warn;
/// - source: only rows of one source id (empty: every source);
/// - kinds: reconnect markers (Gap rows) and sent messages can be hidden.
/// Reconnect markers obey every filter like the rows around them (a text filter over a flapping
/// source no longer shows its hundred markers around one match), and belong to their source.
/// An invalid regular expression shows nothing (isInvalid()) until a valid filter is set, so the
/// table never shows the previous filter's result under a pattern that does not apply.
/// Keeps the source order (no sorting).
class LogFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogFilterProxy)
public:
    enum class Mode { Substring, Regex };
    Q_ENUM(Mode)

    explicit LogFilterProxy(QObject *parent = nullptr);
    ~LogFilterProxy() override;

    /// Applies `pattern` in `mode`. Returns false when `mode` is Regex and the pattern does not
    /// compile: then *error holds QRegularExpression's message and offset, and no row passes.
    bool setFilter(const QString &pattern, Mode mode, QString *error = nullptr);
    QString pattern() const { return m_pattern; }
    Mode mode() const { return m_mode; }
    /// True while the last setFilter() had an invalid pattern (every row is hidden).
    bool isInvalid() const { return m_invalid; }
    bool isFiltering() const;
    /// Rows below `level` are hidden; LogLevel::None shows every row.
    void setMinimumLevel(LogLevel level);
    LogLevel minimumLevel() const { return m_minimumLevel; }
    /// Only rows of `sourceId`; empty shows every source.
    void setSourceFilter(const QString &sourceId);
    QString sourceFilter() const { return m_source; }
    void setShowGaps(bool show);
    bool showsGaps() const { return m_showGaps; }
    void setShowSent(bool show);
    bool showsSent() const { return m_showSent; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool matches(const QString &text) const;

    QString m_pattern;
    Mode m_mode = Mode::Substring;
    QRegularExpression m_regex;
    LogLevel m_minimumLevel = LogLevel::None;
    QString m_source;
    bool m_invalid = false;
    bool m_showGaps = true;
    bool m_showSent = true;
};
