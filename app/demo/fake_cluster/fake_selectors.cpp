#include "fake_selectors.h"

namespace {

// Splits at commas that are not inside parentheses.
QStringList splitTerms(const QString &text)
{
    QStringList terms;
    QString current;
    int depth = 0;
    for (const QChar c : text) {
        if (c == QLatin1Char('('))
            ++depth;
        else if (c == QLatin1Char(')'))
            --depth;
        if (c == QLatin1Char(',') && depth == 0) {
            terms.append(current.trimmed());
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.trimmed().isEmpty() || !terms.isEmpty())
        terms.append(current.trimmed());
    return terms;
}

QString fieldValue(const QJsonObject &object, const QString &field, bool *present)
{
    const QStringList parts = field.split(QLatin1Char('.'));
    QJsonValue value = object;
    for (const QString &part : parts)
        value = value.toObject().value(part);
    *present = value.isString();
    return value.toString();
}

} // namespace

bool FakeSelector::parse(const QString &labelSelector, const QString &fieldSelector, QString *error)
{
    m_labels.clear();
    m_fields.clear();
    if (!parseLabels(labelSelector, m_labels)) {
        if (error)
            *error = QStringLiteral("unable to parse requirement: invalid label selector \"%1\"").arg(labelSelector);
        return false;
    }
    if (!parseFields(fieldSelector, m_fields)) {
        if (error)
            *error = QStringLiteral("field label not supported: \"%1\"").arg(fieldSelector);
        return false;
    }
    return true;
}

bool FakeSelector::parseLabels(const QString &text, QList<Requirement> &out)
{
    for (const QString &term : splitTerms(text)) {
        if (term.isEmpty())
            return false;
        Requirement requirement;
        const qsizetype notEquals = term.indexOf(QStringLiteral("!="));
        const qsizetype equals = term.indexOf(QLatin1Char('='));
        const qsizetype paren = term.indexOf(QLatin1Char('('));
        if (notEquals > 0) {
            requirement.key = term.left(notEquals).trimmed();
            requirement.op = Op::NotEquals;
            requirement.values = {term.mid(notEquals + 2).trimmed()};
        } else if (equals > 0) {
            requirement.key = term.left(equals).trimmed();
            requirement.op = Op::Equals;
            const qsizetype valueStart = term.mid(equals + 1).startsWith(QLatin1Char('=')) ? equals + 2 : equals + 1;
            requirement.values = {term.mid(valueStart).trimmed()};
        } else if (paren > 0 && term.endsWith(QLatin1Char(')'))) {
            const QStringList head = term.left(paren).simplified().split(QLatin1Char(' '));
            if (head.size() != 2 || (head[1] != QLatin1String("in") && head[1] != QLatin1String("notin")))
                return false;
            requirement.key = head[0];
            requirement.op = head[1] == QLatin1String("in") ? Op::In : Op::NotIn;
            for (const QString &value : term.mid(paren + 1).chopped(1).split(QLatin1Char(',')))
                requirement.values.append(value.trimmed());
        } else if (term.startsWith(QLatin1Char('!'))) {
            requirement.key = term.mid(1).trimmed();
            requirement.op = Op::NotExists;
        } else {
            requirement.key = term;
            requirement.op = Op::Exists;
        }
        if (requirement.key.isEmpty() || requirement.key.contains(QLatin1Char(' ')))
            return false;
        out.append(requirement);
    }
    return true;
}

bool FakeSelector::parseFields(const QString &text, QList<Requirement> &out)
{
    static const QStringList known = {QStringLiteral("metadata.name"), QStringLiteral("metadata.namespace"),
                                      QStringLiteral("spec.nodeName"), QStringLiteral("status.phase"),
                                      QStringLiteral("involvedObject.name"), QStringLiteral("involvedObject.namespace"),
                                      QStringLiteral("involvedObject.kind"), QStringLiteral("involvedObject.uid")};
    for (const QString &term : splitTerms(text)) {
        Requirement requirement;
        const qsizetype notEquals = term.indexOf(QStringLiteral("!="));
        const qsizetype equals = term.indexOf(QLatin1Char('='));
        if (notEquals > 0) {
            requirement.key = term.left(notEquals).trimmed();
            requirement.op = Op::NotEquals;
            requirement.values = {term.mid(notEquals + 2).trimmed()};
        } else if (equals > 0) {
            requirement.key = term.left(equals).trimmed();
            const qsizetype valueStart = term.mid(equals + 1).startsWith(QLatin1Char('=')) ? equals + 2 : equals + 1;
            requirement.values = {term.mid(valueStart).trimmed()};
        } else {
            return false;
        }
        if (!known.contains(requirement.key))
            return false;
        out.append(requirement);
    }
    return true;
}

bool FakeSelector::test(const Requirement &requirement, bool present, const QString &value)
{
    switch (requirement.op) {
    case Op::Equals: return present && value == requirement.values.value(0);
    case Op::NotEquals: return !present || value != requirement.values.value(0);
    case Op::In: return present && requirement.values.contains(value);
    case Op::NotIn: return !present || !requirement.values.contains(value);
    case Op::Exists: return present;
    case Op::NotExists: return !present;
    }
    return false;
}

bool FakeSelector::matches(const QJsonObject &object) const
{
    const QJsonObject labels = object.value(QLatin1String("metadata")).toObject().value(QLatin1String("labels")).toObject();
    for (const Requirement &requirement : m_labels) {
        const bool present = labels.contains(requirement.key);
        if (!test(requirement, present, labels.value(requirement.key).toString()))
            return false;
    }
    for (const Requirement &requirement : m_fields) {
        bool present = false;
        const QString value = fieldValue(object, requirement.key, &present);
        if (!test(requirement, present, value))
            return false;
    }
    return true;
}
