#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// Kubernetes label and field selectors as the fake cluster understands them (pure, no I/O).
///
/// Labels: comma-separated requirements `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
/// `k` (exists) and `!k` (does not exist). Fields: `metadata.name`, `metadata.namespace`,
/// `spec.nodeName`, `status.phase` and `involvedObject.{name,namespace,kind,uid}` (events) with `=`, `==` or `!=`. An empty selector matches everything.
class FakeSelector
{
public:
    /// Parses both selectors; false (and `error` set) when either does not parse.
    bool parse(const QString &labelSelector, const QString &fieldSelector, QString *error);
    /// Whether the object (a full Kubernetes object, metadata.labels etc.) matches both.
    bool matches(const QJsonObject &object) const;

private:
    enum class Op { Equals, NotEquals, In, NotIn, Exists, NotExists };
    struct Requirement
    {
        QString key;
        Op op = Op::Equals;
        QStringList values;
    };
    static bool parseLabels(const QString &text, QList<Requirement> &out);
    static bool parseFields(const QString &text, QList<Requirement> &out);
    static bool test(const Requirement &requirement, bool present, const QString &value);

    QList<Requirement> m_labels;
    QList<Requirement> m_fields;
};
