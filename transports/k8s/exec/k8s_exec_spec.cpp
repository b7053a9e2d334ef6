#include "k8s_exec_spec.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace {

bool isName(const QString &text)
{
    // DNS-1123 subdomain (pods) / label (containers): lower case, digits, '-', '.'.
    static const QRegularExpression re(QStringLiteral("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"));
    return re.match(text).hasMatch();
}

std::optional<bool> parseBool(const QString &text)
{
    const QString t = text.toLower();
    if (t == u"true" || t == u"1" || t == u"yes" || t.isEmpty())
        return true;
    if (t == u"false" || t == u"0" || t == u"no")
        return false;
    return std::nullopt;
}

std::optional<quint16> parsePort(const QString &text, bool allowZero)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < (allowZero ? 0 : 1) || port > 65535 || text.startsWith(u'+') || text.startsWith(u'-'))
        return std::nullopt;
    return quint16(port);
}

QString verbName(K8sExecSpec::Kind kind)
{
    switch (kind) {
    case K8sExecSpec::Kind::Exec: return QStringLiteral("exec");
    case K8sExecSpec::Kind::Attach: return QStringLiteral("attach");
    case K8sExecSpec::Kind::Forward: return QStringLiteral("forward");
    }
    return {};
}

/// A value as QUrlQuery::addQueryItem() expects it: the delimiters and '%' encoded.
QString queryValue(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c == u'%' || c == u'&' || c == u'=' || c == u'+' || c == u'#')
            out += QStringLiteral("%%1").arg(c.unicode(), 2, 16, QLatin1Char('0')).toUpper();
        else
            out += c;
    }
    return out;
}

} // namespace

QStringList K8sExecSpec::commandFor(bool bashMissing) const
{
    if (!command.isEmpty() || kind != Kind::Exec)
        return command;
    return {bashMissing ? QStringLiteral("sh") : QStringLiteral("bash")};
}

bool K8sExecSpec::isSessionUrl(const QUrl &url)
{
    if (url.scheme() != u"k8s")
        return false;
    const QString verb = url.path().section(u'/', 0, 0);
    return verb == u"exec" || verb == u"attach" || verb == u"forward";
}

std::optional<K8sExecSpec> K8sExecSpec::parse(const QUrl &url, QString *error)
{
    QString dummy;
    if (!error)
        error = &dummy;
    if (!isSessionUrl(url)) {
        *error = QStringLiteral("not a k8s:exec/, k8s:attach/ or k8s:forward/ source");
        return std::nullopt;
    }
    K8sExecSpec spec;
    const QStringList parts = url.path().split(u'/');
    const QString verb = parts.at(0);
    spec.kind = verb == u"exec" ? Kind::Exec : verb == u"attach" ? Kind::Attach : Kind::Forward;
    const QString usage = spec.kind == Kind::Forward ? QStringLiteral("k8s:forward/POD/LOCAL:REMOTE[,LOCAL:REMOTE...]")
                                                     : QStringLiteral("k8s:%1/POD[/CONTAINER]").arg(verb);

    const QUrlQuery query(url);
    QStringList known = {QStringLiteral("namespace"), QStringLiteral("context")};
    if (spec.kind == Kind::Exec)
        known << QStringLiteral("command");
    if (spec.kind != Kind::Forward)
        known << QStringLiteral("tty") << QStringLiteral("stdin");
    for (const auto &item : query.queryItems(QUrl::FullyDecoded)) {
        if (known.contains(item.first))
            continue;
        if (item.first == u"command" && spec.kind == Kind::Attach)
            *error = QStringLiteral("k8s:attach takes no command= (it attaches to the container's main process; use k8s:exec)");
        else
            *error = QStringLiteral("unknown parameter '%1' for k8s:%2 (known: %3)")
                         .arg(item.first, verb, known.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    for (const char *single : {"namespace", "context", "tty", "stdin"}) {
        if (query.allQueryItemValues(QLatin1String(single)).size() > 1) {
            *error = QStringLiteral("%1= is given more than once").arg(QLatin1String(single));
            return std::nullopt;
        }
    }
    spec.namespaceName = query.queryItemValue(QStringLiteral("namespace"), QUrl::FullyDecoded);
    spec.context = query.queryItemValue(QStringLiteral("context"), QUrl::FullyDecoded);
    if (!spec.namespaceName.isEmpty() && !isName(spec.namespaceName)) {
        *error = QStringLiteral("namespace '%1' is not a valid Kubernetes name").arg(spec.namespaceName);
        return std::nullopt;
    }
    spec.command = query.allQueryItemValues(QStringLiteral("command"), QUrl::FullyDecoded);
    if (query.hasQueryItem(QStringLiteral("command")) && spec.command.contains(QString())) {
        *error = QStringLiteral("command= is empty (one command= per argument, e.g. command=sh&command=-c&command=ls)");
        return std::nullopt;
    }
    for (const char *name : {"tty", "stdin"}) {
        if (!query.hasQueryItem(QLatin1String(name)))
            continue;
        const QString value = query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
        const std::optional<bool> flag = parseBool(value);
        if (!flag) {
            *error = QStringLiteral("%1=%2 is not true or false").arg(QLatin1String(name), value);
            return std::nullopt;
        }
        (qstrcmp(name, "tty") == 0 ? spec.tty : spec.stdinEnabled) = *flag;
    }

    spec.pod = parts.value(1);
    if (spec.pod.isEmpty()) {
        *error = QStringLiteral("k8s:%1 needs a pod: %2").arg(verb, usage);
        return std::nullopt;
    }
    if (!isName(spec.pod)) {
        *error = QStringLiteral("pod '%1' is not a valid Kubernetes name").arg(spec.pod);
        return std::nullopt;
    }
    if (spec.kind == Kind::Forward) {
        if (parts.size() != 3 || parts.at(2).isEmpty()) {
            *error = QStringLiteral("expected %1, got k8s:%2").arg(usage, url.path());
            return std::nullopt;
        }
        for (const QString &mapping : parts.at(2).split(u',')) {
            const qsizetype colon = mapping.indexOf(u':');
            const QString localText = colon < 0 ? mapping : mapping.left(colon);
            const QString remoteText = colon < 0 ? mapping : mapping.mid(colon + 1);
            const std::optional<quint16> remote = parsePort(remoteText, false);
            const std::optional<quint16> local = localText.isEmpty() && colon >= 0 ? std::optional<quint16>(0)
                                                                                   : parsePort(localText, true);
            if (!remote || !local) {
                *error = QStringLiteral("'%1' is not LOCAL:REMOTE (ports 1-65535; LOCAL 0 or empty = any free port)")
                             .arg(mapping);
                return std::nullopt;
            }
            for (const PortMapping &m : spec.ports) {
                if (*local != 0 && m.local == *local) {
                    *error = QStringLiteral("local port %1 is given twice").arg(*local);
                    return std::nullopt;
                }
            }
            spec.ports.append({*local, *remote});
        }
        return spec;
    }
    if (parts.size() > 3 || (parts.size() == 3 && parts.at(2).isEmpty())) {
        *error = QStringLiteral("expected %1, got k8s:%2").arg(usage, url.path());
        return std::nullopt;
    }
    spec.container = parts.value(2);
    if (!spec.container.isEmpty() && !isName(spec.container)) {
        *error = QStringLiteral("container '%1' is not a valid Kubernetes name").arg(spec.container);
        return std::nullopt;
    }
    return spec;
}

QUrl K8sExecSpec::toUrl() const
{
    QString path = verbName(kind) + u'/' + pod;
    if (kind == Kind::Forward) {
        QStringList mappings;
        for (const PortMapping &m : ports)
            mappings << QStringLiteral("%1:%2").arg(m.local).arg(m.remote);
        path += u'/' + mappings.join(u',');
    } else if (!container.isEmpty()) {
        path += u'/' + container;
    }
    QUrlQuery query;
    for (const QString &arg : command)
        query.addQueryItem(QStringLiteral("command"), queryValue(arg));
    if (tty)
        query.addQueryItem(QStringLiteral("tty"), *tty ? QStringLiteral("true") : QStringLiteral("false"));
    if (stdinEnabled)
        query.addQueryItem(QStringLiteral("stdin"), *stdinEnabled ? QStringLiteral("true") : QStringLiteral("false"));
    if (!namespaceName.isEmpty())
        query.addQueryItem(QStringLiteral("namespace"), namespaceName);
    if (!context.isEmpty())
        query.addQueryItem(QStringLiteral("context"), queryValue(context));
    QUrl url;
    url.setScheme(QStringLiteral("k8s"));
    url.setPath(path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}
