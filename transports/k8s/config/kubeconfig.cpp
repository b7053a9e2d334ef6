#include "kubeconfig.h"

#include "text/printable.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace {

/// Thrown inside parseFile() only; caught there and turned into "file:line:column: message".
struct ParseFailure
{
    YAML::Mark mark;
    QString message;
};

const QString kExecV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kExecV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");
const char *const kExecExtension = "client.authentication.k8s.io/exec";

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text);
}

QString quoted(const QString &name)
{
    return u'"' + Printable::escaped(name) + u'"';
}

QString position(const QString &path, const YAML::Mark &mark)
{
    if (mark.is_null() || mark.line < 0)
        return path;
    return QStringLiteral("%1:%2:%3").arg(path, QString::number(mark.line + 1), QString::number(mark.column + 1));
}

/// The value of `key` in `map` as a string; empty when absent or null.
QString scalar(const YAML::Node &map, const char *key)
{
    const YAML::Node node = map[key];
    if (!node || node.IsNull())
        return {};
    if (!node.IsScalar())
        throw ParseFailure{node.Mark(), QStringLiteral("%1 must be a string").arg(QLatin1String(key))};
    return fromStd(node.Scalar());
}

bool boolean(const YAML::Node &map, const char *key)
{
    const YAML::Node node = map[key];
    if (!node || node.IsNull())
        return false;
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
        throw ParseFailure{node.Mark(), QStringLiteral("%1 must be true or false").arg(QLatin1String(key))};
    return value;
}

/// `node` itself when it is a map; an empty node when absent or null; otherwise a failure.
YAML::Node mapOrEmpty(const YAML::Node &node, const QString &what)
{
    if (!node || node.IsNull())
        return YAML::Node(YAML::NodeType::Map);
    if (!node.IsMap())
        throw ParseFailure{node.Mark(), QStringLiteral("%1 must be a map").arg(what)};
    return node;
}

QStringList stringList(const YAML::Node &map, const char *key)
{
    const YAML::Node node = map[key];
    QStringList out;
    if (!node || node.IsNull())
        return out;
    if (!node.IsSequence())
        throw ParseFailure{node.Mark(), QStringLiteral("%1 must be a list of strings").arg(QLatin1String(key))};
    for (const auto &item : node) {
        if (!item.IsScalar())
            throw ParseFailure{item.Mark(), QStringLiteral("%1 must be a list of strings").arg(QLatin1String(key))};
        out << fromStd(item.Scalar());
    }
    return out;
}

/// A YAML value as JSON, the way sigs.k8s.io/yaml converts it (plain scalars keep their type).
QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &entry : node)
            object.insert(fromStd(entry.first.as<std::string>()), toJson(entry.second));
        return object;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto &item : node)
            array.append(toJson(item));
        return array;
    }
    case YAML::NodeType::Scalar: {
        const QString text = fromStd(node.Scalar());
        if (node.Tag() == "!")   // quoted: always a string
            return text;
        bool b = false;
        if (YAML::convert<bool>::decode(node, b))
            return b;
        bool ok = false;
        const qint64 i = text.toLongLong(&ok);
        if (ok)
            return i;
        const double d = text.toDouble(&ok);
        if (ok)
            return d;
        if (text == u"~" || text == u"null")
            return QJsonValue::Null;
        return text;
    }
    default:
        return QJsonValue::Null;
    }
}

/// Calls f(name, body) for each {name, <itemKey>: body} entry of root[listKey]; a name twice in
/// one file is an error (as in client-go's conversion), an entry without a name is skipped.
template<class F>
void forEachNamed(const YAML::Node &root, const char *listKey, const char *itemKey,
                  QStringList *warnings, const QString &path, F &&f)
{
    const YAML::Node list = root[listKey];
    if (!list || list.IsNull())
        return;
    const QString listName = QLatin1String(listKey);
    if (!list.IsSequence())
        throw ParseFailure{list.Mark(), QStringLiteral("%1 must be a list").arg(listName)};
    QSet<QString> seen;
    for (const auto &item : list) {
        if (!item.IsMap())
            throw ParseFailure{item.Mark(), QStringLiteral("each entry of %1 must be a map with name and %2")
                                                .arg(listName, QLatin1String(itemKey))};
        const QString name = scalar(item, "name");
        if (name.isEmpty()) {
            warnings->append(QStringLiteral("%1: an entry of %2 has no name and is ignored")
                                 .arg(position(path, item.Mark()), listName));
            continue;
        }
        if (seen.contains(name))
            throw ParseFailure{item.Mark(), QStringLiteral("duplicate name %1 in %2").arg(quoted(name), listName)};
        seen.insert(name);
        f(name, mapOrEmpty(item[itemKey], QLatin1String(itemKey)));
    }
}

QString absoluteIn(const QString &dir, const QString &path)
{
    if (path.isEmpty())
        return path;
    return QDir::cleanPath(QDir::isAbsolutePath(path) ? path : dir + u'/' + path);
}

/// base64 as client-go decodes []byte fields (line breaks ignored); nullopt when invalid.
std::optional<QByteArray> decodeBase64(QByteArray text)
{
    text.replace('\r', QByteArray()).replace('\n', QByteArray());
    auto result = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return *result;
}

/// The file's bytes, or the OS reason it cannot be read.
std::optional<QByteArray> readAll(const QString &path, QString *reason)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *reason = file.errorString();
        return std::nullopt;
    }
    return file.readAll();
}

QString namesOrNone(QStringList names)
{
    std::sort(names.begin(), names.end());
    for (QString &name : names)
        name = Printable::escaped(name);
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}

K8sError configError(K8sError::Kind kind, const QString &message)
{
    K8sError error;
    error.kind = kind;
    error.message = message;
    error.retryable = false;
    return error;
}

} // namespace

/// The parts of load() and resolve() that work on one stanza; a friend of Kubeconfig so that its
/// stanza types stay private and yaml-cpp stays out of the header.
struct KubeconfigReader
{
    using Cluster = Kubeconfig::Cluster;
    using User = Kubeconfig::User;
    using Exec = Kubeconfig::Exec;

    static Cluster cluster(const YAML::Node &c, const QString &path, const QString &dir);
    static User user(const YAML::Node &u, const QString &path, const QString &dir);
    static Exec exec(const YAML::Node &e);

    static std::optional<K8sError> fillCluster(const QString &name, const Cluster &cluster,
                                               bool clientCertificate, KubeContext *out);
    static std::optional<K8sError> fillUser(const QString &name, const User &user, KubeContext *out);
    static std::optional<K8sError> fillExec(const QString &userLabel, const User &user, KubeContext *out);
};

std::optional<Kubeconfig> Kubeconfig::load(const KubeconfigLoadOptions &options, K8sError *error)
{
    auto fail = [error](const QString &message) -> std::optional<Kubeconfig> {
        if (error)
            *error = configError(K8sError::Kind::Config, message);
        return std::nullopt;
    };

    QStringList candidates;
    bool fromExplicit = false;
    bool fromEnv = false;
    if (!options.explicitPath.isEmpty()) {
        if (!QFileInfo::exists(options.explicitPath))
            return fail(QStringLiteral("kubeconfig %1 (--kubeconfig) does not exist")
                            .arg(Printable::escaped(options.explicitPath)));
        candidates << options.explicitPath;
        fromExplicit = true;
    } else {
        const QString env = options.kubeconfigEnv ? *options.kubeconfigEnv
                                                  : qEnvironmentVariable("KUBECONFIG");
        if (!env.isEmpty()) {
            fromEnv = true;
            for (const QString &entry : env.split(QDir::listSeparator(), Qt::SkipEmptyParts))
                if (!candidates.contains(entry))
                    candidates << entry;
        } else {
            const QString home = options.homeDir.isEmpty() ? QDir::homePath() : options.homeDir;
            candidates << QDir(home).filePath(QStringLiteral(".kube/config"));
        }
    }

    Kubeconfig config;
    for (const QString &candidate : std::as_const(candidates)) {
        const QFileInfo info(candidate);
        if (!fromExplicit && !info.exists())
            continue;   // missing files are skipped; unreadable ones are errors
        const QString path = info.absoluteFilePath();
        QString reason;
        const auto bytes = readAll(path, &reason);
        if (!bytes)
            return fail(QStringLiteral("cannot read kubeconfig %1: %2").arg(Printable::escaped(path), reason));
        QString parseError;
        if (!config.parseFile(path, *bytes, &parseError))
            return fail(QStringLiteral("invalid kubeconfig %1").arg(parseError));
        config.m_files << path;
    }
    if (config.m_files.isEmpty() && fromEnv) {
        config.m_noConfigReason = QStringLiteral("no kubeconfig found: KUBECONFIG lists %1 (none exists)")
                                      .arg(Printable::escaped(candidates.join(QStringLiteral(", "))));
        config.m_warnings << QStringLiteral("none of the files KUBECONFIG lists exists");
    } else if (config.m_files.isEmpty()) {
        config.m_noConfigReason =
            QStringLiteral("no kubeconfig found: %1 does not exist (set KUBECONFIG or pass --kubeconfig)")
                .arg(Printable::escaped(candidates.value(0)));
    }
    return config;
}

KubeconfigReader::Cluster KubeconfigReader::cluster(const YAML::Node &c, const QString &path, const QString &dir)
{
    Cluster cluster;
    cluster.sourceFile = path;
    cluster.server = scalar(c, "server");
    cluster.certificateAuthority = absoluteIn(dir, scalar(c, "certificate-authority"));
    cluster.certificateAuthorityData = scalar(c, "certificate-authority-data").toLatin1();
    cluster.insecureSkipTlsVerify = boolean(c, "insecure-skip-tls-verify");
    cluster.tlsServerName = scalar(c, "tls-server-name");
    cluster.proxyUrl = scalar(c, "proxy-url");
    cluster.disableCompression = boolean(c, "disable-compression");
    const YAML::Node extensions = c["extensions"];
    if (extensions && extensions.IsSequence()) {
        for (const auto &extension : extensions) {
            if (!extension.IsMap() || scalar(extension, "name") != QLatin1String(kExecExtension)
                || !extension["extension"])
                continue;
            const QJsonValue value = toJson(extension["extension"]);
            cluster.execExtensionJson = value.isObject()
                ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                : QByteArray();
        }
    }
    return cluster;
}

KubeconfigReader::Exec KubeconfigReader::exec(const YAML::Node &e)
{
    Exec exec;
    exec.apiVersion = scalar(e, "apiVersion");
    exec.command = scalar(e, "command");
    exec.args = stringList(e, "args");
    exec.installHint = scalar(e, "installHint");
    exec.interactiveMode = scalar(e, "interactiveMode");
    exec.provideClusterInfo = boolean(e, "provideClusterInfo");
    const YAML::Node env = e["env"];
    if (env && !env.IsNull()) {
        if (!env.IsSequence())
            throw ParseFailure{env.Mark(), QStringLiteral("exec env must be a list of {name, value}")};
        for (const auto &var : env) {
            const YAML::Node v = mapOrEmpty(var, QStringLiteral("an exec env entry"));
            exec.env.append({scalar(v, "name"), scalar(v, "value")});
        }
    }
    return exec;
}

KubeconfigReader::User KubeconfigReader::user(const YAML::Node &u, const QString &path, const QString &dir)
{
    User user;
    user.sourceFile = path;
    user.clientCertificate = absoluteIn(dir, scalar(u, "client-certificate"));
    user.clientCertificateData = scalar(u, "client-certificate-data").toLatin1();
    user.clientKey = absoluteIn(dir, scalar(u, "client-key"));
    user.clientKeyData = scalar(u, "client-key-data").toLatin1();
    user.token = scalar(u, "token");
    user.tokenFile = absoluteIn(dir, scalar(u, "tokenFile"));
    user.username = scalar(u, "username");
    user.password = scalar(u, "password");
    user.impersonates = u["as"] || u["as-uid"] || u["as-groups"] || u["as-user-extra"];
    const YAML::Node provider = u["auth-provider"];
    if (provider && !provider.IsNull())
        user.authProvider = scalar(mapOrEmpty(provider, QStringLiteral("auth-provider")), "name");
    const YAML::Node execNode = u["exec"];
    if (execNode && !execNode.IsNull())
        user.exec = exec(mapOrEmpty(execNode, QStringLiteral("exec")));
    return user;
}

bool Kubeconfig::parseFile(const QString &path, const QByteArray &bytes, QString *error)
{
    const QString dir = QFileInfo(path).absolutePath();
    try {
        const YAML::Node root = YAML::Load(bytes.toStdString());
        if (!root || root.IsNull())
            return true;   // an empty file is an empty config, as in client-go
        if (!root.IsMap())
            throw ParseFailure{root.Mark(), QStringLiteral("the top level must be a map "
                                                           "(apiVersion, kind, clusters, users, contexts)")};
        const QString kind = scalar(root, "kind");
        if (!kind.isEmpty() && kind != u"Config")
            throw ParseFailure{root["kind"].Mark(), QStringLiteral("kind is %1, expected Config").arg(quoted(kind))};

        // The whole file is parsed, so a broken stanza is reported even when an earlier file
        // defines its name. Then the first file defining a name wins wholesale.
        QMap<QString, Cluster> clusters;
        QMap<QString, User> users;
        QMap<QString, Context> contexts;
        forEachNamed(root, "clusters", "cluster", &m_warnings, path, [&](const QString &name, const YAML::Node &c) {
            clusters.insert(name, KubeconfigReader::cluster(c, path, dir));
        });
        forEachNamed(root, "users", "user", &m_warnings, path, [&](const QString &name, const YAML::Node &u) {
            users.insert(name, KubeconfigReader::user(u, path, dir));
        });
        forEachNamed(root, "contexts", "context", &m_warnings, path, [&](const QString &name, const YAML::Node &c) {
            contexts.insert(name, Context{path, scalar(c, "cluster"), scalar(c, "user"), scalar(c, "namespace")});
        });
        for (auto it = clusters.cbegin(); it != clusters.cend(); ++it)
            if (!m_clusters.contains(it.key()))
                m_clusters.insert(it.key(), it.value());
        for (auto it = users.cbegin(); it != users.cend(); ++it)
            if (!m_users.contains(it.key()))
                m_users.insert(it.key(), it.value());
        for (auto it = contexts.cbegin(); it != contexts.cend(); ++it)
            if (!m_contexts.contains(it.key()))
                m_contexts.insert(it.key(), it.value());
        if (m_currentContext.isEmpty())
            m_currentContext = scalar(root, "current-context");
    } catch (const ParseFailure &failure) {
        *error = position(path, failure.mark) + QStringLiteral(": ") + failure.message;
        return false;
    } catch (const YAML::Exception &failure) {
        *error = position(path, failure.mark) + QStringLiteral(": ") + Printable::escaped(fromStd(failure.msg));
        return false;
    }
    return true;
}

QStringList Kubeconfig::contextNames() const
{
    return m_contexts.keys();   // QMap keys are sorted
}

std::optional<KubeContext> Kubeconfig::resolve(const QString &contextName, const QString &namespaceOverride,
                                               K8sError *error) const
{
    auto fail = [error](const K8sError &e) -> std::optional<KubeContext> {
        if (error)
            *error = e;
        return std::nullopt;
    };
    auto configFail = [&fail](const QString &message) { return fail(configError(K8sError::Kind::Config, message)); };

    if (m_files.isEmpty() && !m_noConfigReason.isEmpty())
        return configFail(m_noConfigReason);
    const QString name = contextName.isEmpty() ? m_currentContext : contextName;
    if (name.isEmpty())
        return configFail(QStringLiteral("no context selected: set current-context or pass --context (available: %1)")
                              .arg(namesOrNone(contextNames())));
    const auto contextIt = m_contexts.constFind(name);
    if (contextIt == m_contexts.cend())
        return configFail(QStringLiteral("%1 %2 does not exist in %3 (available: %4)")
                              .arg(contextName.isEmpty() ? QStringLiteral("current-context")
                                                         : QStringLiteral("context"),
                                   quoted(name), Printable::escaped(m_files.join(QStringLiteral(", "))),
                                   namesOrNone(contextNames())));
    const Context &context = contextIt.value();
    const QString contextLabel =
        QStringLiteral("context %1 (%2)").arg(quoted(name), Printable::escaped(context.sourceFile));
    if (context.cluster.isEmpty())
        return configFail(QStringLiteral("%1 names no cluster").arg(contextLabel));
    const auto clusterIt = m_clusters.constFind(context.cluster);
    if (clusterIt == m_clusters.cend())
        return configFail(QStringLiteral("%1 names cluster %2, which no kubeconfig file defines (clusters: %3)")
                              .arg(contextLabel, quoted(context.cluster), namesOrNone(m_clusters.keys())));
    const User anonymous;
    const User *user = &anonymous;
    if (!context.user.isEmpty()) {
        const auto userIt = m_users.constFind(context.user);
        if (userIt == m_users.cend())
            return configFail(QStringLiteral("%1 names user %2, which no kubeconfig file defines (users: %3)")
                                  .arg(contextLabel, quoted(context.user), namesOrNone(m_users.keys())));
        user = &userIt.value();
    }

    KubeContext out;
    out.contextName = name;
    out.clusterName = context.cluster;
    out.userName = context.user;
    out.sourceFile = context.sourceFile;
    out.namespaceName = !namespaceOverride.isEmpty()   ? namespaceOverride
                        : !context.namespaceName.isEmpty() ? context.namespaceName
                                                           : QStringLiteral("default");
    const bool clientCertificate = !user->clientCertificate.isEmpty() || !user->clientCertificateData.isEmpty();
    if (auto e = KubeconfigReader::fillCluster(context.cluster, clusterIt.value(), clientCertificate, &out))
        return fail(*e);
    if (auto e = KubeconfigReader::fillUser(context.user, *user, &out))
        return fail(*e);
    return out;
}

std::optional<K8sError> KubeconfigReader::fillCluster(const QString &name, const Cluster &cluster,
                                                      bool clientCertificate, KubeContext *out)
{
    constexpr auto Config = K8sError::Kind::Config;
    const QString label = QStringLiteral("cluster %1 (%2)").arg(quoted(name), Printable::escaped(cluster.sourceFile));
    if (cluster.server.isEmpty())
        return configError(Config, QStringLiteral("no server found for %1").arg(label));
    const bool hasCa = !cluster.certificateAuthority.isEmpty() || !cluster.certificateAuthorityData.isEmpty();
    if (cluster.insecureSkipTlsVerify && hasCa)
        return configError(Config, QStringLiteral("%1: certificate-authority with insecure-skip-tls-verify is not "
                                                  "allowed (kubectl: \"specifying a root certificates file with the "
                                                  "insecure flag is not allowed\"); remove one of them").arg(label));
    if (!cluster.certificateAuthorityData.isEmpty()) {
        const auto ca = decodeBase64(cluster.certificateAuthorityData);
        if (!ca)
            return configError(Config, QStringLiteral("%1: certificate-authority-data is not valid base64").arg(label));
        out->caPem = *ca;
        out->caOrigin = QStringLiteral("certificate-authority-data");
        if (!cluster.certificateAuthority.isEmpty())
            out->warnings << QStringLiteral("%1: certificate-authority-data and certificate-authority are both set; "
                                            "the data is used").arg(label);
    } else if (!cluster.certificateAuthority.isEmpty()) {
        QString reason;
        const auto ca = readAll(cluster.certificateAuthority, &reason);
        if (!ca)
            return configError(Config, QStringLiteral("%1: cannot read certificate-authority %2: %3")
                                           .arg(label, Printable::escaped(cluster.certificateAuthority), reason));
        out->caPem = *ca;
        out->caOrigin = cluster.certificateAuthority;
    }

    QString server = cluster.server;
    if (!server.contains(QStringLiteral("://"))) {
        // rest.DefaultServerURL: without a scheme it is https when TLS is configured, else http
        const bool tls = hasCa || cluster.insecureSkipTlsVerify || clientCertificate;
        server = (tls ? QStringLiteral("https://") : QStringLiteral("http://")) + server;
    }
    out->server = QUrl(server, QUrl::StrictMode);
    if (!out->server.isValid() || out->server.host().isEmpty()
        || (out->server.scheme() != u"https" && out->server.scheme() != u"http"))
        return configError(Config, QStringLiteral("%1: server %2 is not an http(s) URL")
                                       .arg(label, quoted(cluster.server)));
    out->insecureSkipTlsVerify = cluster.insecureSkipTlsVerify;
    if (cluster.insecureSkipTlsVerify)
        out->warnings << QStringLiteral("TLS verification is off for cluster %1").arg(quoted(name));
    out->tlsServerName = cluster.tlsServerName;
    if (!cluster.proxyUrl.isEmpty()) {
        out->proxyUrl = QUrl(cluster.proxyUrl, QUrl::StrictMode);
        const QString scheme = out->proxyUrl.scheme();
        if (!out->proxyUrl.isValid() || out->proxyUrl.host().isEmpty()
            || (scheme != u"http" && scheme != u"https" && scheme != u"socks5"))
            return configError(Config, QStringLiteral("%1: proxy-url must be an http, https or socks5 URL").arg(label));
    }
    out->disableCompression = cluster.disableCompression;
    out->execClusterConfig = cluster.execExtensionJson;
    return std::nullopt;
}

std::optional<K8sError> KubeconfigReader::fillUser(const QString &name, const User &user, KubeContext *out)
{
    constexpr auto Config = K8sError::Kind::Config;
    constexpr auto Credentials = K8sError::Kind::Credentials;
    const QString label = QStringLiteral("user %1 (%2)").arg(quoted(name), Printable::escaped(user.sourceFile));
    if (user.exec && user.authProvider)
        return configError(Config, QStringLiteral("%1: auth-provider cannot be combined with an exec plugin; keep one")
                                       .arg(label));
    if (user.authProvider)
        return configError(Credentials, QStringLiteral("%1: auth-provider %2 is not supported; use an exec credential "
                                                       "plugin (for example kubelogin / gke-gcloud-auth-plugin)")
                                            .arg(label, Printable::escaped(*user.authProvider)));
    const bool hasToken = !user.token.isEmpty() || !user.tokenFile.isEmpty();
    const bool hasBasic = !user.username.isEmpty() || !user.password.isEmpty();
    if (hasToken && hasBasic)
        return configError(Config, QStringLiteral("%1: more than one authentication method found (token and "
                                                  "username/password); only one is allowed").arg(label));
    const bool hasCert = !user.clientCertificate.isEmpty() || !user.clientCertificateData.isEmpty();
    const bool hasKey = !user.clientKey.isEmpty() || !user.clientKeyData.isEmpty();
    if (hasCert && !hasKey)
        return configError(Config, QStringLiteral("%1: client-certificate is set but client-key is not; a client "
                                                  "certificate needs both").arg(label));
    if (hasKey && !hasCert)
        return configError(Config, QStringLiteral("%1: client-key is set but client-certificate is not; a client "
                                                  "certificate needs both").arg(label));

    // `data` (base64) or else `file` into *target; data wins, with a warning when both are set.
    auto material = [&](const QByteArray &data, const QString &file, const QString &field, QByteArray *target,
                        QString *origin) -> std::optional<K8sError> {
        if (!data.isEmpty()) {
            const auto decoded = decodeBase64(data);
            if (!decoded)
                return configError(Config, QStringLiteral("%1: %2-data is not valid base64").arg(label, field));
            *target = *decoded;
            if (origin)
                *origin = field + QStringLiteral("-data");
            if (!file.isEmpty())
                out->warnings << QStringLiteral("%1: %2-data and %2 are both set; the data is used").arg(label, field);
        } else if (!file.isEmpty()) {
            QString reason;
            const auto bytes = readAll(file, &reason);
            if (!bytes)
                return configError(Credentials, QStringLiteral("%1: cannot read %2 %3: %4")
                                                    .arg(label, field, Printable::escaped(file), reason));
            *target = *bytes;
            if (origin)
                *origin = file;
        }
        return std::nullopt;
    };
    if (auto e = material(user.clientCertificateData, user.clientCertificate, QStringLiteral("client-certificate"),
                          &out->clientCertificatePem, &out->clientCertificateOrigin))
        return e;
    if (auto e = material(user.clientKeyData, user.clientKey, QStringLiteral("client-key"), &out->clientKeyPem,
                          nullptr))
        return e;

    out->token = user.token.toUtf8();
    out->tokenFile = user.tokenFile;
    out->username = user.username;
    out->password = user.password.toUtf8();
    if (user.impersonates)
        out->warnings << QStringLiteral("%1: impersonation (as, as-uid, as-groups, as-user-extra) is not supported "
                                        "and is ignored; requests run as the user itself").arg(label);
    return user.exec ? fillExec(label, user, out) : std::nullopt;
}

std::optional<K8sError> KubeconfigReader::fillExec(const QString &label, const User &user, KubeContext *out)
{
    constexpr auto Config = K8sError::Kind::Config;
    const Exec &e = *user.exec;
    if (e.command.isEmpty())
        return configError(Config, QStringLiteral("%1: command must be specified to use an exec authentication plugin")
                                       .arg(label));
    if (e.apiVersion.isEmpty())
        return configError(Config, QStringLiteral("%1: apiVersion must be specified to use an exec authentication "
                                                  "plugin").arg(label));
    if (e.apiVersion != kExecV1 && e.apiVersion != kExecV1beta1)
        return configError(Config, QStringLiteral("%1: exec plugin: invalid apiVersion %2 (supported: %3, %4)")
                                       .arg(label, quoted(e.apiVersion), kExecV1, kExecV1beta1));
    for (const auto &var : e.env)
        if (var.first.isEmpty())
            return configError(Config, QStringLiteral("%1: env variable name must be specified to use an exec "
                                                      "authentication plugin").arg(label));
    ExecPluginConfig plugin;
    plugin.apiVersion = e.apiVersion;
    plugin.command = e.command;
    plugin.args = e.args;
    plugin.env = e.env;
    plugin.installHint = e.installHint;
    plugin.provideClusterInfo = e.provideClusterInfo;
    plugin.baseDir = QFileInfo(user.sourceFile).absolutePath();
    using Mode = ExecPluginConfig::InteractiveMode;
    if (e.interactiveMode.isEmpty()) {
        // client-go defaults it for the beta version only; v1 must say it
        if (e.apiVersion == kExecV1)
            return configError(Config, QStringLiteral("%1: interactiveMode must be specified to use exec "
                                                      "authentication plugin %2 (Never, IfAvailable or Always)")
                                           .arg(label, kExecV1));
        plugin.interactiveMode = Mode::IfAvailable;
    } else if (e.interactiveMode == u"Never") {
        plugin.interactiveMode = Mode::Never;
    } else if (e.interactiveMode == u"IfAvailable") {
        plugin.interactiveMode = Mode::IfAvailable;
    } else if (e.interactiveMode == u"Always") {
        plugin.interactiveMode = Mode::Always;
    } else {
        return configError(Config, QStringLiteral("%1: invalid interactiveMode %2 (Never, IfAvailable or Always)")
                                       .arg(label, quoted(e.interactiveMode)));
    }
    out->exec = plugin;
    return std::nullopt;
}
