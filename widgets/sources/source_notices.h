#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

class SourceListModel;
class Transport;

/// The latest Transport::notice() texts of every source, newest first: per-stream news that the
/// state (open / closed) cannot say, e.g. a Kubernetes source's "following default/web-1/main",
/// "resumed … 0 lost, 3 duplicates skipped", "pod default/web-1 deleted", "waiting: … is not
/// started (ContainerCreating)", a forbidden. Keeps at most MaxNotices per source; forgets a
/// transport when it is destroyed.
class SourceNotices : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxNotices = 8;

    struct Notice
    {
        QDateTime at;
        QString text;
    };

    /// Watches every source of `model` (which must outlive this), also those added later.
    explicit SourceNotices(SourceListModel *model, QObject *parent = nullptr);
    ~SourceNotices() override;

    /// Starts collecting the notices of `transport` (idempotent).
    void watch(Transport *transport);
    /// The notices of `transport`, newest first.
    QList<Notice> notices(const Transport *transport) const;

Q_SIGNALS:
    void changed(const Transport *transport);

private:
    void add(const Transport *transport, const QString &text);

    SourceListModel *m_model;
    QHash<const QObject *, QList<Notice>> m_notices;
};
