#include "k8s_source_spec.h"

#include <QRegularExpression>
#include <QUrlQuery>

QString K8sSourceSpec::canonicalWorkloadKind(const QString &kind)
{
    const QString k = kind.toLower();
    if (k == u"deployment" || k == u"deployments" || k == u"deploy")
        return QStringLiteral("deployments");
    if (k == u"statefulset" || k == u"statefulsets" || k == u"sts")
        return QStringLiteral("statefulsets");
    if (k == u"daemonset" || k == u"daemonsets" || k == u"ds")
        return QStringLiteral("daemonsets");
    if (k == u"replicaset" || k == u"replicasets" || k == u"rs")
        return QStringLiteral("replicasets");
    if (k == u"job" || k == u"jobs")
        return QStringLiteral("jobs");
    return {};
}

std::optional<qint64> K8sSourceSpec::parseDuration(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s?)?$"));
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    const QRegularExpressionMatch m = re.match(t);
    if (!m.hasMatch())
        return std::nullopt;
    const qint64 seconds = m.captured(1).toLongLong() * 3600 + m.captured(2).toLongLong() * 60 + m.captured(3).toLongLong();
    if (seconds <= 0)
        return std::nullopt;
    return seconds;
}

namespace {

bool validRegex(const QString &pattern, const QString &name, QString *error)
{
    if (pattern.isEmpty())
        return true;
    const QRegularExpression re(pattern);
    if (re.isValid())
        return true;
    *error = QStringLiteral("%1= is not a valid regular expression: %2").arg(name, re.errorString());
    return false;
}

} // namespace

std::optional<K8sSourceSpec> K8sSourceSpec::parse(const QUrl &url, QString *error)
{
    QString dummy;
    if (!error)
        error = &dummy;
    if (!isK8sUrl(url)) {
        *error = QStringLiteral("not a k8s: source");
        return std::nullopt;
    }
    K8sSourceSpec spec;
    const QStringList parts = url.path().split(u'/', Qt::SkipEmptyParts);
    const QUrlQuery query(url);
    static const QStringList Known = {QStringLiteral("namespace"), QStringLiteral("context"), QStringLiteral("container"),
                                      QStringLiteral("since"),     QStringLiteral("tail"),    QStringLiteral("previous"),
                                      QStringLiteral("selector"),  QStringLiteral("include"), QStringLiteral("exclude"),
                                      QStringLiteral("init"),      QStringLiteral("timestamps")};
    for (const auto &item : query.queryItems(QUrl::FullyDecoded)) {
        if (!Known.contains(item.first)) {
            *error = QStringLiteral("unknown parameter '%1' (known: %2)").arg(item.first, Known.join(QStringLiteral(", ")));
            return std::nullopt;
        }
    }
    auto value = [&query](const char *name) { return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    auto flag = [&query, &value](const char *name, bool fallback) {
        if (!query.hasQueryItem(QLatin1String(name)))
            return fallback;
        const QString v = value(name).toLower();
        return v.isEmpty() || v == u"true" || v == u"1" || v == u"yes";
    };
    spec.namespaceName = value("namespace");
    spec.context = value("context");
    spec.containerRegex = value("container");
    spec.include = value("include");
    spec.exclude = value("exclude");
    spec.previous = flag("previous", false);
    spec.initContainers = flag("init", false);
    spec.showTimestamps = flag("timestamps", true);
    if (query.hasQueryItem(QStringLiteral("since"))) {
        spec.sinceSeconds = parseDuration(value("since"));
        if (!spec.sinceSeconds) {
            *error = QStringLiteral("since=%1 is not a duration (e.g. 30s, 10m, 2h)").arg(value("since"));
            return std::nullopt;
        }
    }
    if (query.hasQueryItem(QStringLiteral("tail"))) {
        bool ok = false;
        const int tail = value("tail").toInt(&ok);
        if (!ok || tail < 0) {
            *error = QStringLiteral("tail=%1 is not a number of lines").arg(value("tail"));
            return std::nullopt;
        }
        spec.tailLines = tail;
    }
    if (!validRegex(spec.containerRegex, QStringLiteral("container"), error)
        || !validRegex(spec.include, QStringLiteral("include"), error)
        || !validRegex(spec.exclude, QStringLiteral("exclude"), error))
        return std::nullopt;

    const QString verb = parts.value(0);
    if (verb == u"watch") {
        spec.kind = Kind::Watch;
        if (parts.size() < 2 || parts.size() > 3) {
            *error = QStringLiteral("expected k8s:watch/RESOURCE[/NAME], got k8s:%1").arg(url.path());
            return std::nullopt;
        }
        spec.resource = parts.at(1);
        spec.name = parts.value(2);
        return spec;
    }
    if (verb != u"logs") {
        *error = QStringLiteral("expected k8s:logs/... or k8s:watch/..., got k8s:%1").arg(url.path());
        return std::nullopt;
    }
    if (parts.size() == 1) {
        spec.kind = Kind::SelectorLogs;
        spec.selector = value("selector");
        if (spec.selector.isEmpty()) {
            *error = QStringLiteral("k8s:logs needs a pod (k8s:logs/POD), a workload (k8s:logs/deployment/NAME) or ?selector=");
            return std::nullopt;
        }
        return spec;
    }
    if (parts.size() > 3) {
        *error = QStringLiteral("expected k8s:logs/POD[/CONTAINER] or k8s:logs/KIND/NAME, got k8s:%1").arg(url.path());
        return std::nullopt;
    }
    const QString workload = canonicalWorkloadKind(parts.at(1));
    if (parts.size() == 3 && !workload.isEmpty()) {
        spec.kind = Kind::WorkloadLogs;
        spec.workloadKind = workload;
        spec.workloadName = parts.at(2);
        return spec;
    }
    if (parts.size() == 2 && !workload.isEmpty() && parts.at(1).toLower() == parts.at(1)
        && QStringList{QStringLiteral("deployment"), QStringLiteral("statefulset"), QStringLiteral("daemonset"),
                       QStringLiteral("replicaset"), QStringLiteral("job")}.contains(parts.at(1))) {
        *error = QStringLiteral("k8s:logs/%1 needs a name: k8s:logs/%1/NAME").arg(parts.at(1));
        return std::nullopt;
    }
    spec.kind = Kind::PodLogs;
    spec.pod = parts.at(1);
    spec.container = parts.value(2);
    return spec;
}
