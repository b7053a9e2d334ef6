#pragma once

#include "log_item_delegate.h"

#include <QColor>
#include <QString>

/// The log table's delegate with stern's look for the ID column of Kubernetes log lines (type
/// "log", id "namespace/pod/container"): each stream key gets its own colour, so the lines of
/// different pods and containers are told apart at a glance. Other rows and columns are drawn
/// as LogItemDelegate draws them.
class StreamKeyDelegate : public LogItemDelegate
{
    Q_OBJECT
public:
    StreamKeyDelegate(int dataColumn, int idColumn, QObject *parent = nullptr);
    ~StreamKeyDelegate() override;

    /// The colour of `key`: one of a fixed set of colours readable on a light background, the
    /// same for the same key in every pane and run.
    static QColor colorFor(const QString &key);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_idColumn;
};
