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
    return QStringLiteral("%1:%2:%3").arg(path).arg(mark.line + 1).arg(mark.column + 1);
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

} // namespace

std::optional<Kubeconfig> Kubeconfig::load(const KubeconfigLoadOptions &options, K8sError *error)
{
    auto fail = [error](const QString &message) -> std::optional<Kubeconfig> {
        if (error) {
            *error = K8sError{};
            error->kind = K8sError::Kind::Config;
            error->message = message;
            error->retryable = false;
        }
        return std::nullopt;
    };

    QStringList candidates;
    bool skipMissing = true;
    QString origin;
    if (!options.explicitPath.isEmpty()) {
        if (!QFileInfo::exists(options.explicitPath))
            return fail(QStringLiteral("kubeconfig %1 (--kubeconfig) does not exist")
                            .arg(Printable::escaped(options.explicitPath)));
        candidates << options.explicitPath;
        skipMissing = false;
    } else {
        const QString env = options.kubeconfigEnv ? *options.kubeconfigEnv
                                                  : qEnvironmentVariable("KUBECONFIG");
        if (!env.isEmpty()) {
            for (const QString &entry : env.split(QDir::listSeparator(), Qt::SkipEmptyParts))
                if (!candidates.contains(entry))
                    candidates << entry;
            origin = QStringLiteral("KUBECONFIG lists %1").arg(
                Printable::escaped(candidates.join(QStringLiteral(", "))));
        } else {
            const QString home = options.homeDir.isEmpty() ? QDir::homePath() : options.homeDir;
            candidates << QDir(home).filePath(QStringLiteral(".kube/config"));
            origin = QStringLiteral("%1 does not exist").arg(Printable::escaped(candidates.first()));
        }
    }

    Kubeconfig config;
    for (const QString &candidate : std::as_const(candidates)) {
        const QFileInfo info(candidate);
        if (skipMissing && !info.exists())
            continue;
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
    if (config.m_files.isEmpty()) {
        config.m_noConfigReason = origin.startsWith(QStringLiteral("KUBECONFIG"))
            ? QStringLiteral("no kubeconfig found: %1 (none exists)").arg(origin)
            : QStringLiteral("no kubeconfig found: %1 (set KUBECONFIG or pass --kubeconfig)").arg(origin);
        if (origin.startsWith(QStringLiteral("KUBECONFIG")))
            config.m_warnings << QStringLiteral("none of the files KUBECONFIG lists exists");
    }
    return config;
}

bool Kubeconfig::parseFile(const QString &path, const QByteArray &bytes, QString *error)
{
    const QString dir = QFileInfo(path).absolutePath();
    try {
        const YAML::Node root = YAML::Load(bytes.toStdString());
        if (!root || root.IsNull())
            return true;   // an empty file is an empty config, as in client-go
        if (!root.IsMap())
            throw ParseFailure{root.Mark(), QStringLiteral("the top level must be a map (apiVersion, kind, clusters, users, contexts)")};
        const QString kind = scalar(root, "kind");
        if (!kind.isEmpty() && kind != u"Config")
            throw ParseFailure{root["kind"].Mark(), QStringLiteral("kind is %1, expected Config").arg(quoted(kind))};

        // Parse everything first so a broken later stanza is reported even if a name is taken.
        QMap<QString, Cluster> clusters;
        QMap<QString, User> users;
        QMap<QString, Context> contexts;

        forEachNamed(root, "clusters", "cluster", &m_warnings, path, [&](const QString &name, const YAML::Node &c) {
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
                    if (extension.IsMap() && scalar(extension, "name") == QLatin1String(kExecExtension)
                        && extension["extension"]) {
                        cluster.execExtensionJson = QJsonDocument::fromVariant(
                            toJson(extension["extension"]).toVariant()).toJson(QJsonDocument::Compact);
                    }
                }
            }
            clusters.insert(name, cluster);
        });

        forEachNamed(root, "users", "user", &m_warnings, path, [&](const QString &name, const YAML::Node &u) {
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
            if (execNode && !execNode.IsNull()) {
                const YAML::Node e = mapOrEmpty(execNode, QStringLiteral("exec"));
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
                user.exec = exec;
            }
            users.insert(name, user);
        });

        forEachNamed(root, "contexts", "context", &m_warnings, path, [&](const QString &name, const YAML::Node &c) {
            contexts.insert(name, Context{path, scalar(c, "cluster"), scalar(c, "user"), scalar(c, "namespace")});
        });

        // First file defining a name wins wholesale; first non-empty current-context wins.
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
    auto fail = [error](K8sError::Kind kind, const QString &message) -> std::optional<KubeContext> {
        if (error) {
            *error = K8sError{};
            error->kind = kind;
            error->message = message;
            error->retryable = false;
        }
        return std::nullopt;
    };
    constexpr auto Config = K8sError::Kind::Config;
    constexpr auto Credentials = K8sError::Kind::Credentials;

    if (m_files.isEmpty() && !m_noConfigReason.isEmpty())
        return fail(Config, m_noConfigReason);

    const QString name = contextName.isEmpty() ? m_currentContext : contextName;
    if (name.isEmpty())
        return fail(Config, QStringLiteral("no context selected: set current-context or pass --context (available: %1)")
                                .arg(namesOrNone(contextNames())));
    const auto contextIt = m_contexts.constFind(name);
    if (contextIt == m_contexts.cend())
        return fail(Config, QStringLiteral("%1 %2 does not exist in %3 (available: %4)")
                                .arg(contextName.isEmpty() ? QStringLiteral("current-context") : QStringLiteral("context"),
                                     quoted(name), Printable::escaped(m_files.join(QStringLiteral(", "))),
                                     namesOrNone(contextNames())));
    const Context &context = contextIt.value();
    const QString contextLabel = QStringLiteral("context %1 (%2)").arg(quoted(name), Printable::escaped(context.sourceFile));

    if (context.cluster.isEmpty())
        return fail(Config, QStringLiteral("%1 names no cluster").arg(contextLabel));
    const auto clusterIt = m_clusters.constFind(context.cluster);
    if (clusterIt == m_clusters.cend())
        return fail(Config, QStringLiteral("%1 names cluster %2, which no kubeconfig file defines (clusters: %3)")
                                .arg(contextLabel, quoted(context.cluster), namesOrNone(m_clusters.keys())));
    const User emptyUser;
    const User *user = &emptyUser;
    if (!context.user.isEmpty()) {
        const auto userIt = m_users.constFind(context.user);
        if (userIt == m_users.cend())
            return fail(Config, QStringLiteral("%1 names user %2, which no kubeconfig file defines (users: %3)")
                                    .arg(contextLabel, quoted(context.user), namesOrNone(m_users.keys())));
        user = &userIt.value();
    }

    KubeContext out;
    out.contextName = name;
    out.clusterName = context.cluster;
    out.userName = context.user;
    out.sourceFile = context.sourceFile;
    out.namespaceName = !namespaceOverride.isEmpty() ? namespaceOverride
        : !context.namespaceName.isEmpty()           ? context.namespaceName
                                                     : QStringLiteral("default");

    // cluster
    const Cluster &cluster = clusterIt.value();
    const QString clusterLabel = QStringLiteral("cluster %1 (%2)").arg(quoted(context.cluster), Printable::escaped(cluster.sourceFile));
    if (cluster.server.isEmpty())
        return fail(Config, QStringLiteral("no server found for %1").arg(clusterLabel));
    const bool hasCa = !cluster.certificateAuthority.isEmpty() || !cluster.certificateAuthorityData.isEmpty();
    if (cluster.insecureSkipTlsVerify && hasCa)
        return fail(Config, QStringLiteral("%1: certificate-authority with insecure-skip-tls-verify is not allowed (kubectl: "
                                           "\"specifying a root certificates file with the insecure flag is not allowed\"); "
                                           "remove one of them")
                                .arg(clusterLabel));
    if (!cluster.certificateAuthorityData.isEmpty()) {
        const auto ca = decodeBase64(cluster.certificateAuthorityData);
        if (!ca)
            return fail(Config, QStringLiteral("%1: certificate-authority-data is not valid base64").arg(clusterLabel));
        out.caPem = *ca;
        out.caOrigin = QStringLiteral("certificate-authority-data");
        if (!cluster.certificateAuthority.isEmpty())
            out.warnings << QStringLiteral("%1: certificate-authority-data and certificate-authority are both set; the data is used")
                                .arg(clusterLabel);
    } else if (!cluster.certificateAuthority.isEmpty()) {
        QString reason;
        const auto ca = readAll(cluster.certificateAuthority, &reason);
        if (!ca)
            return fail(Config, QStringLiteral("%1: cannot read certificate-authority %2: %3")
                                    .arg(clusterLabel, Printable::escaped(cluster.certificateAuthority), reason));
        out.caPem = *ca;
        out.caOrigin = cluster.certificateAuthority;
    }

    QString server = cluster.server;
    if (!server.contains(QStringLiteral("://"))) {
        // rest.DefaultServerURL: no scheme means https when TLS is configured, else http
        const bool tls = hasCa || cluster.insecureSkipTlsVerify || !user->clientCertificate.isEmpty()
            || !user->clientCertificateData.isEmpty();
        server = (tls ? QStringLiteral("https://") : QStringLiteral("http://")) + server;
    }
    out.server = QUrl(server, QUrl::StrictMode);
    if (!out.server.isValid() || out.server.host().isEmpty()
        || (out.server.scheme() != u"https" && out.server.scheme() != u"http"))
        return fail(Config, QStringLiteral("%1: server %2 is not an http(s) URL").arg(clusterLabel, quoted(cluster.server)));
    out.insecureSkipTlsVerify = cluster.insecureSkipTlsVerify;
    if (cluster.insecureSkipTlsVerify)
        out.warnings << QStringLiteral("TLS verification is off for cluster %1").arg(quoted(context.cluster));
    out.tlsServerName = cluster.tlsServerName;
    if (!cluster.proxyUrl.isEmpty()) {
        out.proxyUrl = QUrl(cluster.proxyUrl, QUrl::StrictMode);
        const QString scheme = out.proxyUrl.scheme();
        if (!out.proxyUrl.isValid() || out.proxyUrl.host().isEmpty()
            || (scheme != u"http" && scheme != u"https" && scheme != u"socks5"))
            return fail(Config, QStringLiteral("%1: proxy-url must be an http, https or socks5 URL")
                                    .arg(clusterLabel));
    }
    out.disableCompression = cluster.disableCompression;
    out.execClusterConfig = cluster.execExtensionJson;

    // user
    const QString userLabel = QStringLiteral("user %1 (%2)").arg(quoted(context.user), Printable::escaped(user->sourceFile));
    if (user->exec && user->authProvider)
        return fail(Config, QStringLiteral("%1: auth-provider cannot be combined with an exec plugin; keep one").arg(userLabel));
    if (user->authProvider)
        return fail(Credentials, QStringLiteral("%1: auth-provider %2 is not supported; use an exec credential plugin (for example kubelogin / gke-gcloud-auth-plugin)")
                                     .arg(userLabel, Printable::escaped(*user->authProvider)));
    const bool hasToken = !user->token.isEmpty() || !user->tokenFile.isEmpty();
    const bool hasBasic = !user->username.isEmpty() || !user->password.isEmpty();
    if (hasToken && hasBasic)
        return fail(Config, QStringLiteral("%1: more than one authentication method found (token and username/password); only one is allowed")
                                .arg(userLabel));
    const bool hasCert = !user->clientCertificate.isEmpty() || !user->clientCertificateData.isEmpty();
    const bool hasKey = !user->clientKey.isEmpty() || !user->clientKeyData.isEmpty();
    if (hasCert && !hasKey)
        return fail(Config, QStringLiteral("%1: client-certificate is set but client-key is not; a client certificate needs both")
                                .arg(userLabel));
    if (hasKey && !hasCert)
        return fail(Config, QStringLiteral("%1: client-key is set but client-certificate is not; a client certificate needs both")
                                .arg(userLabel));

    // Reads `data` (base64) or else `file` into *target; data wins with a warning when both are
    // set. False (with *error filled) when it cannot.
    auto material = [&](const QByteArray &data, const QString &file, const char *field, QByteArray *target,
                        QString *origin) -> bool {
        const QString fieldName = QLatin1String(field);
        if (!data.isEmpty()) {
            const auto decoded = decodeBase64(data);
            if (!decoded) {
                fail(Config, QStringLiteral("%1: %2-data is not valid base64").arg(userLabel, fieldName));
                return false;
            }
            *target = *decoded;
            if (origin)
                *origin = fieldName + QStringLiteral("-data");
            if (!file.isEmpty())
                out.warnings << QStringLiteral("%1: %2-data and %2 are both set; the data is used").arg(userLabel, fieldName);
        } else if (!file.isEmpty()) {
            QString reason;
            const auto bytes = readAll(file, &reason);
            if (!bytes) {
                fail(Credentials, QStringLiteral("%1: cannot read %2 %3: %4").arg(userLabel, fieldName, Printable::escaped(file), reason));
                return false;
            }
            *target = *bytes;
            if (origin)
                *origin = file;
        }
        return true;
    };
    if (!material(user->clientCertificateData, user->clientCertificate, "client-certificate",
                  &out.clientCertificatePem, &out.clientCertificateOrigin)
        || !material(user->clientKeyData, user->clientKey, "client-key", &out.clientKeyPem, nullptr))
        return std::nullopt;

    out.token = user->token.toUtf8();
    out.tokenFile = user->tokenFile;
    out.username = user->username;
    out.password = user->password.toUtf8();
    if (user->impersonates)
        out.warnings << QStringLiteral("%1: impersonation (as, as-uid, as-groups, as-user-extra) is not supported and is ignored; requests run as the user itself")
                            .arg(userLabel);

    if (user->exec) {
        const Exec &e = *user->exec;
        if (e.command.isEmpty())
            return fail(Config, QStringLiteral("%1: command must be specified to use an exec authentication plugin").arg(userLabel));
        if (e.apiVersion.isEmpty())
            return fail(Config, QStringLiteral("%1: apiVersion must be specified to use an exec authentication plugin").arg(userLabel));
        if (e.apiVersion != kExecV1 && e.apiVersion != kExecV1beta1)
            return fail(Config, QStringLiteral("%1: exec plugin: invalid apiVersion %2 (supported: %3, %4)")
                                    .arg(userLabel, quoted(e.apiVersion), kExecV1, kExecV1beta1));
        for (const auto &var : e.env)
            if (var.first.isEmpty())
                return fail(Config, QStringLiteral("%1: env variable name must be specified to use an exec authentication plugin").arg(userLabel));
        ExecPluginConfig plugin;
        plugin.apiVersion = e.apiVersion;
        plugin.command = e.command;
        plugin.args = e.args;
        plugin.env = e.env;
        plugin.installHint = e.installHint;
        plugin.provideClusterInfo = e.provideClusterInfo;
        plugin.baseDir = QFileInfo(user->sourceFile).absolutePath();
        if (e.interactiveMode.isEmpty()) {
            // client-go defaults only the beta versions; v1 must say it
            if (e.apiVersion == kExecV1)
                return fail(Config, QStringLiteral("%1: interactiveMode must be specified to use exec authentication plugin %2 (Never, IfAvailable or Always)")
                                        .arg(userLabel, kExecV1));
            plugin.interactiveMode = ExecPluginConfig::InteractiveMode::IfAvailable;
        } else if (e.interactiveMode == u"Never") {
            plugin.interactiveMode = ExecPluginConfig::InteractiveMode::Never;
        } else if (e.interactiveMode == u"IfAvailable") {
            plugin.interactiveMode = ExecPluginConfig::InteractiveMode::IfAvailable;
        } else if (e.interactiveMode == u"Always") {
            plugin.interactiveMode = ExecPluginConfig::InteractiveMode::Always;
        } else {
            return fail(Config, QStringLiteral("%1: invalid interactiveMode %2 (Never, IfAvailable or Always)")
                                    .arg(userLabel, quoted(e.interactiveMode)));
        }
        out.exec = plugin;
    }
    return out;
}
