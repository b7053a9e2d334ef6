#include "kubeconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString fixture(const QString &relative)
{
    return QStringLiteral(DASH_KUBECONFIG_FIXTURES "/") + relative;
}

QString merged(std::initializer_list<const char *> files)
{
    QStringList paths;
    for (const char *file : files)
        paths << fixture(QLatin1String(file));
    return paths.join(u':');
}

/// Loads with KUBECONFIG = `env` (never the real environment or home).
std::optional<Kubeconfig> loadEnv(const QString &env, K8sError *error)
{
    KubeconfigLoadOptions options;
    options.kubeconfigEnv = env;
    options.homeDir = QStringLiteral("/nonexistent-home");
    return Kubeconfig::load(options, error);
}

std::optional<Kubeconfig> loadExplicit(const QString &path, K8sError *error)
{
    KubeconfigLoadOptions options;
    options.explicitPath = path;
    options.kubeconfigEnv = QStringLiteral("/should/not/be/read");
    return Kubeconfig::load(options, error);
}

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

const QByteArray kHeader = "apiVersion: v1\nkind: Config\n";

} // namespace

class TestKubeconfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // merging (K1-K4)
    void k1FirstFileWinsWholesale();
    void k2FirstNonEmptyCurrentContext();
    void k3MissingMiddleFileSkipped();
    void k4RelativePathsAgainstOwnFile();
    void mergeOrderAcrossThreeFiles();
    void duplicateKubeconfigEntriesReadOnce();
    void emptyFileIsEmptyConfig();
    void explicitPathUsedAlone();
    void homeConfigWhenNoKubeconfig();
    void jsonKubeconfig();
    // credentials
    void tokenCredential();
    void tokenFileStoredAbsolute();
    void clientCertificateFiles();
    void clientCertificateData();
    void dataWinsOverFileWithWarning();
    void basicAuthAndInsecureWarning();
    void execPluginConfig();
    void execBetaDefaultsInteractiveMode();
    void anonymousUserAndSchemelessServer();
    void impersonationWarns();
    void k8ProxyUrlParsed();
    void namespaceOverride();
    // errors
    void missingExplicitFile();
    void noneOfKubeconfigExists();
    void noHomeConfig();
    void badYamlNamesPosition();
    void noContextSelected();
    void unknownContext();
    void contextErrors_data();
    void contextErrors();
    void errorsNeverContainSecrets();
};

void TestKubeconfig::k1FirstFileWinsWholesale()
{
    K8sError error;
    const auto config = loadEnv(merged({"merge/a.yaml", "merge/b.yaml"}), &error);
    QVERIFY2(config, qPrintable(error.message));
    const auto context = config->resolve(QStringLiteral("dev"), {}, &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->userName, QStringLiteral("u"));
    QCOMPARE(context->token, QByteArray("token-from-a"));
    QVERIFY(!context->hasClientCertificate());     // b's client-certificate is discarded
    QVERIFY(context->clientKeyPem.isEmpty());
    // the cluster "shared" is a's too: b's insecure-skip-tls-verify and tls-server-name are gone
    QCOMPARE(context->server, QUrl(QStringLiteral("https://a.example:6443")));
    QVERIFY(!context->insecureSkipTlsVerify);
    QVERIFY(context->tlsServerName.isEmpty());
    // the context "dev" is a's too
    QCOMPARE(context->clusterName, QStringLiteral("shared"));
    QCOMPARE(context->namespaceName, QStringLiteral("dev-ns"));
    QCOMPARE(context->sourceFile, fixture(QStringLiteral("merge/a.yaml")));
}

void TestKubeconfig::k2FirstNonEmptyCurrentContext()
{
    K8sError error;
    const auto config = loadEnv(merged({"merge/a.yaml", "merge/b.yaml", "merge/other/c.yaml"}), &error);
    QVERIFY2(config, qPrintable(error.message));
    QCOMPARE(config->currentContext(), QStringLiteral("prod"));   // a has none, b prod, c c
    const auto context = config->resolve({}, {}, &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->contextName, QStringLiteral("prod"));
    QCOMPARE(context->server, QUrl(QStringLiteral("https://prod.example:8443/prefix")));
    QCOMPARE(context->token, QByteArray("token-prod-b"));        // not c's token-prod-c
    QCOMPARE(context->namespaceName, QStringLiteral("prod-ns"));
}

void TestKubeconfig::k3MissingMiddleFileSkipped()
{
    K8sError error;
    const QString env = fixture(QStringLiteral("merge/a.yaml")) + QStringLiteral("::")
        + fixture(QStringLiteral("merge/missing.yaml")) + u':' + fixture(QStringLiteral("merge/b.yaml"));
    const auto config = loadEnv(env, &error);
    QVERIFY2(config, qPrintable(error.message));
    QCOMPARE(config->files(), (QStringList{fixture(QStringLiteral("merge/a.yaml")),
                                           fixture(QStringLiteral("merge/b.yaml"))}));
    QCOMPARE(config->currentContext(), QStringLiteral("prod"));
    QVERIFY(config->resolve({}, {}, &error));
}

void TestKubeconfig::k4RelativePathsAgainstOwnFile()
{
    K8sError error;
    const auto config = loadEnv(merged({"merge/a.yaml", "merge/b.yaml", "merge/other/c.yaml"}), &error);
    QVERIFY2(config, qPrintable(error.message));
    const auto dev = config->resolve(QStringLiteral("dev"), {}, &error);
    QVERIFY2(dev, qPrintable(error.message));
    QVERIFY(dev->caPem.contains("CA-A"));
    QCOMPARE(dev->caOrigin, fixture(QStringLiteral("merge/ca.crt")));
    const auto c = config->resolve(QStringLiteral("c"), {}, &error);
    QVERIFY2(c, qPrintable(error.message));
    QVERIFY(c->caPem.contains("CA-C"));                            // other/ca.crt, not merge/ca.crt
    QCOMPARE(c->caOrigin, fixture(QStringLiteral("merge/other/ca.crt")));
    QVERIFY(c->clientCertificatePem.contains("CLIENT-C"));
    QVERIFY(c->clientKeyPem.contains("KEY-C"));
    QCOMPARE(c->clientCertificateOrigin, fixture(QStringLiteral("merge/other/client.crt")));
    QCOMPARE(c->namespaceName, QStringLiteral("default"));
}

void TestKubeconfig::mergeOrderAcrossThreeFiles()
{
    K8sError error;
    // c first: now c's definitions win, and its current-context
    const auto config = loadEnv(merged({"merge/other/c.yaml", "merge/b.yaml", "merge/a.yaml"}), &error);
    QVERIFY2(config, qPrintable(error.message));
    QCOMPARE(config->contextNames(), (QStringList{QStringLiteral("c"), QStringLiteral("dev"), QStringLiteral("prod")}));
    QCOMPARE(config->currentContext(), QStringLiteral("c"));
    const auto prod = config->resolve(QStringLiteral("prod"), {}, &error);
    QVERIFY2(prod, qPrintable(error.message));
    QCOMPARE(prod->server, QUrl(QStringLiteral("https://c.example")));   // c's prod-cluster
    QCOMPARE(prod->token, QByteArray("token-prod-c"));                   // c's prod-user
    QCOMPARE(prod->sourceFile, fixture(QStringLiteral("merge/b.yaml"))); // the context is b's
    // dev: b's context now (cluster only-a from a, user prod-user from c)
    const auto dev = config->resolve(QStringLiteral("dev"), {}, &error);
    QVERIFY2(dev, qPrintable(error.message));
    QCOMPARE(dev->clusterName, QStringLiteral("only-a"));
    QCOMPARE(dev->server, QUrl(QStringLiteral("https://only-a.example")));
    QCOMPARE(dev->namespaceName, QStringLiteral("other"));
    QCOMPARE(dev->token, QByteArray("token-prod-c"));
}

void TestKubeconfig::duplicateKubeconfigEntriesReadOnce()
{
    K8sError error;
    const auto config = loadEnv(merged({"merge/b.yaml", "merge/b.yaml", "merge/a.yaml"}), &error);
    QVERIFY2(config, qPrintable(error.message));
    QCOMPARE(config->files().size(), 2);
}

void TestKubeconfig::emptyFileIsEmptyConfig()
{
    QTemporaryDir dir;
    const QString empty = dir.filePath(QStringLiteral("empty"));
    writeFile(empty, "# nothing but a comment\n");
    K8sError error;
    const auto config = loadEnv(empty + u':' + fixture(QStringLiteral("merge/b.yaml")), &error);
    QVERIFY2(config, qPrintable(error.message));
    QCOMPARE(config->files().size(), 2);
    QCOMPARE(config->currentContext(), QStringLiteral("prod"));
}

void TestKubeconfig::explicitPathUsedAlone()
{
    K8sError error;
    const auto config = loadExplicit(fixture(QStringLiteral("merge/b.yaml")), &error);
    QVERIFY2(config, qPrintable(error.message));
    QCOMPARE(config->files(), QStringList{fixture(QStringLiteral("merge/b.yaml"))});
    // b's own dev names a's cluster only-a: not merged, so it is unknown
    QVERIFY(!config->resolve(QStringLiteral("dev"), {}, &error));
    QVERIFY2(error.message.contains(QStringLiteral("names cluster \"only-a\", which no kubeconfig file defines")),
             qPrintable(error.message));
    const auto prod = config->resolve({}, {}, &error);
    QVERIFY2(prod, qPrintable(error.message));
    QCOMPARE(prod->token, QByteArray("token-prod-b"));
}

void TestKubeconfig::homeConfigWhenNoKubeconfig()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    writeFile(home.filePath(QStringLiteral(".kube/config")),
              kHeader + "current-context: h\nclusters: [{name: hc, cluster: {server: 'https://home:1'}}]\n"
                        "contexts: [{name: h, context: {cluster: hc}}]\n");
    KubeconfigLoadOptions options;
    options.kubeconfigEnv = QString();   // KUBECONFIG empty = unset
    options.homeDir = home.path();
    K8sError error;
    const auto config = Kubeconfig::load(options, &error);
    QVERIFY2(config, qPrintable(error.message));
    const auto context = config->resolve({}, {}, &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->server, QUrl(QStringLiteral("https://home:1")));
}

void TestKubeconfig::jsonKubeconfig()
{
    K8sError error;
    const auto config = loadExplicit(fixture(QStringLiteral("config.json")), &error);
    QVERIFY2(config, qPrintable(error.message));
    const auto context = config->resolve({}, {}, &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->contextName, QStringLiteral("json-ctx"));
    QCOMPARE(context->server, QUrl(QStringLiteral("https://json.example:6443")));
    QCOMPARE(context->token, QByteArray("json-token"));
    QCOMPARE(context->namespaceName, QStringLiteral("json-ns"));
    QVERIFY(context->insecureSkipTlsVerify);
}

// credentials -------------------------------------------------------------------------------

namespace {
std::optional<KubeContext> creds(const char *context, K8sError *error)
{
    const auto config = loadExplicit(fixture(QStringLiteral("creds/creds.yaml")), error);
    if (!config)
        return std::nullopt;
    return config->resolve(QLatin1String(context), {}, error);
}
} // namespace

void TestKubeconfig::tokenCredential()
{
    K8sError error;
    const auto context = creds("token", &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->token, QByteArray("static-token"));
    QCOMPARE(context->caPem, QByteArray("-----BEGIN CERTIFICATE-----\nCA-DATA\n-----END CERTIFICATE-----\n"));
    QCOMPARE(context->caOrigin, QStringLiteral("certificate-authority-data"));
    QCOMPARE(context->namespaceName, QStringLiteral("team"));
    QVERIFY(context->warnings.isEmpty());
    QVERIFY(!context->exec);
}

void TestKubeconfig::tokenFileStoredAbsolute()
{
    K8sError error;
    const auto context = creds("tokenfile", &error);
    QVERIFY2(context, qPrintable(error.message));
    QVERIFY(context->token.isEmpty());
    QCOMPARE(context->tokenFile, fixture(QStringLiteral("creds/token.txt")));
    QVERIFY(QDir::isAbsolutePath(context->tokenFile));
}

void TestKubeconfig::clientCertificateFiles()
{
    K8sError error;
    const auto context = creds("certfile", &error);
    QVERIFY2(context, qPrintable(error.message));
    QVERIFY(context->clientCertificatePem.contains("CLIENT-FILE"));
    QVERIFY(context->clientKeyPem.contains("KEY-FILE"));
    QCOMPARE(context->clientCertificateOrigin, fixture(QStringLiteral("creds/client.crt")));
}

void TestKubeconfig::clientCertificateData()
{
    K8sError error;
    const auto context = creds("certdata", &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->clientCertificatePem, QByteArray("CERT-DATA"));
    QCOMPARE(context->clientKeyPem, QByteArray("KEY-DATA"));
    QCOMPARE(context->clientCertificateOrigin, QStringLiteral("client-certificate-data"));
    QVERIFY(context->warnings.isEmpty());
}

void TestKubeconfig::dataWinsOverFileWithWarning()
{
    K8sError error;
    const auto context = creds("both", &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->caPem, QByteArray("CA-FROM-DATA"));
    QCOMPARE(context->clientCertificatePem, QByteArray("CERT-DATA"));
    QCOMPARE(context->warnings.size(), 2);
    QVERIFY(context->warnings.at(0).contains(QStringLiteral("certificate-authority-data and certificate-authority are both set")));
    QVERIFY(context->warnings.at(1).contains(QStringLiteral("client-certificate-data and client-certificate are both set")));
}

void TestKubeconfig::basicAuthAndInsecureWarning()
{
    K8sError error;
    const auto context = creds("basic", &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->username, QStringLiteral("admin"));
    QCOMPARE(context->password, QByteArray("s3cret"));
    QVERIFY(context->insecureSkipTlsVerify);
    QCOMPARE(context->warnings, QStringList{QStringLiteral("TLS verification is off for cluster \"insecure\"")});
}

void TestKubeconfig::execPluginConfig()
{
    K8sError error;
    const auto context = creds("exec", &error);
    QVERIFY2(context, qPrintable(error.message));
    QVERIFY(context->exec);
    const ExecPluginConfig &exec = *context->exec;
    QCOMPARE(exec.apiVersion, QStringLiteral("client.authentication.k8s.io/v1"));
    QCOMPARE(exec.command, QStringLiteral("./bin/get-token"));
    QCOMPARE(exec.baseDir, fixture(QStringLiteral("creds")));
    QCOMPARE(exec.args, (QStringList{QStringLiteral("--cluster"), QStringLiteral("c1")}));
    QCOMPARE(exec.env.size(), 1);
    QCOMPARE(exec.env.first().first, QStringLiteral("PLUGIN_MODE"));
    QCOMPARE(exec.env.first().second, QStringLiteral("test"));
    QCOMPARE(exec.installHint, QStringLiteral("install get-token"));
    QCOMPARE(exec.interactiveMode, ExecPluginConfig::InteractiveMode::Never);
    QVERIFY(exec.provideClusterInfo);
    QVERIFY(context->token.isEmpty());
}

void TestKubeconfig::execBetaDefaultsInteractiveMode()
{
    K8sError error;
    const auto context = creds("exec-beta", &error);
    QVERIFY2(context, qPrintable(error.message));
    QVERIFY(context->exec);
    QCOMPARE(context->exec->interactiveMode, ExecPluginConfig::InteractiveMode::IfAvailable);
    QCOMPARE(context->exec->command, QStringLiteral("aws"));
    QVERIFY(!context->exec->provideClusterInfo);
}

void TestKubeconfig::anonymousUserAndSchemelessServer()
{
    K8sError error;
    const auto context = creds("anonymous", &error);
    QVERIFY2(context, qPrintable(error.message));
    QVERIFY(context->userName.isEmpty());
    QVERIFY(context->token.isEmpty() && !context->exec && context->username.isEmpty());
    // client-go: no scheme and no TLS settings means http
    QCOMPARE(context->server, QUrl(QStringLiteral("http://localhost:8080")));
    QVERIFY(context->disableCompression);
    QCOMPARE(context->execClusterConfig, QByteArray(R"({"audience":"livedash","retries":3})"));
}

void TestKubeconfig::impersonationWarns()
{
    K8sError error;
    const auto context = creds("as", &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->warnings.size(), 1);
    QVERIFY(context->warnings.first().contains(QStringLiteral("impersonation")));
}

void TestKubeconfig::k8ProxyUrlParsed()
{
    K8sError error;
    const auto config = loadEnv(merged({"merge/b.yaml"}), &error);
    QVERIFY2(config, qPrintable(error.message));
    const auto context = config->resolve(QStringLiteral("prod"), {}, &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->proxyUrl, QUrl(QStringLiteral("socks5://127.0.0.1:1080")));
    QCOMPARE(context->proxyUrl.scheme(), QStringLiteral("socks5"));
    QCOMPARE(context->proxyUrl.port(), 1080);
    QCOMPARE(context->tlsServerName, QStringLiteral("api.prod.internal"));
    QCOMPARE(context->server.path(), QStringLiteral("/prefix"));
}

void TestKubeconfig::namespaceOverride()
{
    K8sError error;
    const auto config = loadEnv(merged({"merge/b.yaml"}), &error);
    QVERIFY(config);
    const auto context = config->resolve({}, QStringLiteral("override"), &error);
    QVERIFY2(context, qPrintable(error.message));
    QCOMPARE(context->namespaceName, QStringLiteral("override"));
}

// errors ------------------------------------------------------------------------------------

void TestKubeconfig::missingExplicitFile()
{
    K8sError error;
    QVERIFY(!loadExplicit(QStringLiteral("/nonexistent/kubeconfig"), &error));
    QCOMPARE(error.kind, K8sError::Kind::Config);
    QCOMPARE(error.message, QStringLiteral("kubeconfig /nonexistent/kubeconfig (--kubeconfig) does not exist"));
}

void TestKubeconfig::noneOfKubeconfigExists()
{
    K8sError error;
    const auto config = loadEnv(QStringLiteral("/nonexistent/a:/nonexistent/b"), &error);
    QVERIFY2(config, qPrintable(error.message));   // like kubectl: an empty config
    QVERIFY(config->files().isEmpty());
    QVERIFY(config->contextNames().isEmpty());
    QCOMPARE(config->warnings().size(), 1);
    QVERIFY(!config->resolve({}, {}, &error));
    QCOMPARE(error.kind, K8sError::Kind::Config);
    QCOMPARE(error.message, QStringLiteral("no kubeconfig found: KUBECONFIG lists /nonexistent/a, /nonexistent/b (none exists)"));
}

void TestKubeconfig::noHomeConfig()
{
    KubeconfigLoadOptions options;
    options.kubeconfigEnv = QString();
    options.homeDir = QStringLiteral("/nonexistent-home");
    K8sError error;
    const auto config = Kubeconfig::load(options, &error);
    QVERIFY(config);
    QVERIFY(!config->resolve(QStringLiteral("x"), {}, &error));
    QCOMPARE(error.message, QStringLiteral("no kubeconfig found: /nonexistent-home/.kube/config does not exist (set KUBECONFIG or pass --kubeconfig)"));
}

void TestKubeconfig::badYamlNamesPosition()
{
    QTemporaryDir dir;
    const QString good = dir.filePath(QStringLiteral("good.yaml"));
    const QString bad = dir.filePath(QStringLiteral("bad.yaml"));
    writeFile(good, kHeader);
    writeFile(bad, kHeader + "current-context: a: b\nclusters: []\n");
    K8sError error;
    QVERIFY(!loadEnv(good + u':' + bad, &error));
    QCOMPARE(error.kind, K8sError::Kind::Config);
    QCOMPARE(error.message, QStringLiteral("invalid kubeconfig %1:3:19: illegal map value").arg(bad));

    writeFile(bad, kHeader + "clusters:\n- name: x\n  cluster: {server: [unclosed\n");
    QVERIFY(!loadEnv(bad, &error));
    QVERIFY2(error.message.startsWith(QStringLiteral("invalid kubeconfig ") + bad + u':'), qPrintable(error.message));
    QVERIFY2(error.message.endsWith(QStringLiteral("end of sequence flow not found")), qPrintable(error.message));

    writeFile(bad, kHeader + "clusters: not-a-list\n");
    QVERIFY(!loadEnv(bad, &error));
    QCOMPARE(error.message, QStringLiteral("invalid kubeconfig %1:3:11: clusters must be a list").arg(bad));

    writeFile(bad, kHeader + "users:\n- name: u\n  user: {token: a}\n- name: u\n  user: {token: b}\n");
    QVERIFY(!loadEnv(bad, &error));
    QCOMPARE(error.message, QStringLiteral("invalid kubeconfig %1:6:3: duplicate name \"u\" in users").arg(bad));

    writeFile(bad, kHeader + "clusters:\n- name: c\n  cluster:\n    server: https://x\n    insecure-skip-tls-verify: maybe\n");
    QVERIFY(!loadEnv(bad, &error));
    QCOMPARE(error.message, QStringLiteral("invalid kubeconfig %1:7:31: insecure-skip-tls-verify must be true or false").arg(bad));

    // placeholders in a path stay as they are
    const QString odd = dir.filePath(QStringLiteral("p%1%2/config"));
    writeFile(odd, kHeader + "clusters: 7\n");
    QVERIFY(!loadEnv(odd, &error));
    QCOMPARE(error.message, QStringLiteral("invalid kubeconfig ") + odd + QStringLiteral(":3:11: clusters must be a list"));

    // a directory is not skipped either
    QVERIFY(!loadEnv(dir.path(), &error));
    QVERIFY2(error.message.startsWith(QStringLiteral("cannot read kubeconfig ") + dir.path()), qPrintable(error.message));

    // an unreadable file in the list is an error too (only missing files are skipped)
    writeFile(bad, kHeader);
    QFile::setPermissions(bad, QFileDevice::WriteOwner);
    if (!QFileInfo(bad).isReadable()) {
        QVERIFY(!loadEnv(bad, &error));
        QVERIFY2(error.message.startsWith(QStringLiteral("cannot read kubeconfig ") + bad), qPrintable(error.message));
    }
}

void TestKubeconfig::noContextSelected()
{
    K8sError error;
    const auto config = loadEnv(merged({"merge/a.yaml"}), &error);
    QVERIFY(config);
    QVERIFY(config->currentContext().isEmpty());
    QVERIFY(!config->resolve({}, {}, &error));
    QCOMPARE(error.kind, K8sError::Kind::Config);
    QCOMPARE(error.message, QStringLiteral("no context selected: set current-context or pass --context (available: dev)"));
}

void TestKubeconfig::unknownContext()
{
    K8sError error;
    const auto config = loadEnv(merged({"merge/a.yaml", "merge/b.yaml"}), &error);
    QVERIFY(config);
    QVERIFY(!config->resolve(QStringLiteral("nope"), {}, &error));
    QCOMPARE(error.kind, K8sError::Kind::Config);
    QVERIFY2(error.message.startsWith(QStringLiteral("context \"nope\" does not exist in ")), qPrintable(error.message));
    QVERIFY2(error.message.endsWith(QStringLiteral("(available: dev, prod)")), qPrintable(error.message));
}

void TestKubeconfig::contextErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");   // contained in the message; %f = the file

    const QByteArray cluster = "clusters: [{name: c, cluster: {server: 'https://h:1'}}]\n";
    const QByteArray ctx = "contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n";
    const int config = int(K8sError::Kind::Config);
    const int credentials = int(K8sError::Kind::Credentials);

    QTest::newRow("unknown cluster")
        << QByteArray(ctx + "users: [{name: u, user: {}}]\n") << config
        << QStringLiteral("context \"x\" (%f) names cluster \"c\", which no kubeconfig file defines (clusters: none)");
    QTest::newRow("unknown user")
        << QByteArray(cluster + ctx) << config
        << QStringLiteral("context \"x\" (%f) names user \"u\", which no kubeconfig file defines (users: none)");
    QTest::newRow("no cluster named")
        << QByteArray("contexts: [{name: x, context: {user: u}}]\ncurrent-context: x\n") << config
        << QStringLiteral("context \"x\" (%f) names no cluster");
    QTest::newRow("cluster without server")
        << QByteArray("clusters: [{name: c, cluster: {}}]\n" + ctx + "users: [{name: u, user: {}}]\n") << config
        << QStringLiteral("no server found for cluster \"c\" (%f)");
    QTest::newRow("unreadable CA")
        << QByteArray("clusters: [{name: c, cluster: {server: 'https://h:1', certificate-authority: nope.crt}}]\n"
                      + ctx + "users: [{name: u, user: {}}]\n") << config
        << QStringLiteral("cluster \"c\" (%f): cannot read certificate-authority %d/nope.crt: No such file or directory");
    QTest::newRow("bad CA data")
        << QByteArray("clusters: [{name: c, cluster: {server: 'https://h:1', certificate-authority-data: '!!notbase64'}}]\n"
                      + ctx + "users: [{name: u, user: {}}]\n") << config
        << QStringLiteral("cluster \"c\" (%f): certificate-authority-data is not valid base64");
    QTest::newRow("CA with insecure")
        << QByteArray("clusters: [{name: c, cluster: {server: 'https://h:1', certificate-authority-data: QUJD, insecure-skip-tls-verify: true}}]\n"
                      + ctx + "users: [{name: u, user: {}}]\n") << config
        << QStringLiteral("certificate-authority with insecure-skip-tls-verify is not allowed");
    QTest::newRow("CA file with insecure (K5)")
        << QByteArray("clusters: [{name: c, cluster: {server: 'https://h:1', certificate-authority: ca.crt, insecure-skip-tls-verify: true}}]\n"
                      + ctx + "users: [{name: u, user: {}}]\n") << config
        << QStringLiteral("cluster \"c\" (%f): certificate-authority with insecure-skip-tls-verify is not allowed");
    QTest::newRow("bad proxy-url")
        << QByteArray("clusters: [{name: c, cluster: {server: 'https://h:1', proxy-url: 'ftp://p:1'}}]\n"
                      + ctx + "users: [{name: u, user: {}}]\n") << config
        << QStringLiteral("proxy-url must be an http, https or socks5 URL");
    QTest::newRow("cert without key")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {client-certificate-data: QUJD}}]\n") << config
        << QStringLiteral("user \"u\" (%f): client-certificate is set but client-key is not");
    QTest::newRow("key without cert")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {client-key: k.pem}}]\n") << config
        << QStringLiteral("user \"u\" (%f): client-key is set but client-certificate is not");
    QTest::newRow("unreadable client cert")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {client-certificate: c.pem, client-key-data: QUJD}}]\n") << credentials
        << QStringLiteral("user \"u\" (%f): cannot read client-certificate %d/c.pem: No such file or directory");
    QTest::newRow("bad key data")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {client-certificate-data: QUJD, client-key-data: 'a b c'}}]\n") << config
        << QStringLiteral("user \"u\" (%f): client-key-data is not valid base64");
    QTest::newRow("token and basic")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {token: t0ken, username: a, password: p4ss}}]\n") << config
        << QStringLiteral("more than one authentication method found (token and username/password); only one is allowed");
    QTest::newRow("tokenFile and basic")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {tokenFile: /t, username: a}}]\n") << config
        << QStringLiteral("more than one authentication method found");
    QTest::newRow("exec and auth-provider")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {auth-provider: {name: gcp}, exec: {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Never}}}]\n")
        << config << QStringLiteral("user \"u\" (%f): auth-provider cannot be combined with an exec plugin");
    QTest::newRow("auth-provider")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {auth-provider: {name: oidc, config: {id-token: s3cr3t}}}}]\n")
        << credentials
        << QStringLiteral("user \"u\" (%f): auth-provider oidc is not supported; use an exec credential plugin (for example kubelogin / gke-gcloud-auth-plugin)");
    QTest::newRow("exec v1 without interactiveMode")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: x}}}]\n")
        << config << QStringLiteral("user \"u\" (%f): interactiveMode must be specified to use exec authentication plugin client.authentication.k8s.io/v1");
    QTest::newRow("exec bad interactiveMode")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Sometimes}}}]\n")
        << config << QStringLiteral("invalid interactiveMode \"Sometimes\"");
    QTest::newRow("exec unknown apiVersion")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}}}]\n")
        << config << QStringLiteral("exec plugin: invalid apiVersion \"client.authentication.k8s.io/v1alpha1\"");
    QTest::newRow("exec without command")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}}}]\n")
        << config << QStringLiteral("command must be specified");
    QTest::newRow("exec env without name")
        << QByteArray(cluster + ctx + "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Never, env: [{value: v}]}}}]\n")
        << config << QStringLiteral("env variable name must be specified");
    QTest::newRow("bad server")
        << QByteArray("clusters: [{name: c, cluster: {server: 'ftp://h'}}]\n" + ctx + "users: [{name: u, user: {}}]\n")
        << config << QStringLiteral("cluster \"c\" (%f): server \"ftp://h\" is not an http(s) URL");
}

void TestKubeconfig::contextErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, kind);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config"));
    writeFile(path, kHeader + yaml);
    K8sError error;
    const auto config = loadExplicit(path, &error);
    QVERIFY2(config, qPrintable(error.message));
    QVERIFY(!config->resolve({}, {}, &error));
    expected.replace(QStringLiteral("%f"), path).replace(QStringLiteral("%d"), dir.path());
    QVERIFY2(error.message.contains(expected), qPrintable(error.message));
    QCOMPARE(int(error.kind), kind);
    QVERIFY(!error.retryable);
}

void TestKubeconfig::errorsNeverContainSecrets()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config"));
    const QByteArray users[] = {
        "users: [{name: u, user: {token: SECRET1, username: a, password: SECRET2}}]\n",
        "users: [{name: u, user: {auth-provider: {name: oidc, config: {id-token: SECRET1}}}}]\n",
        "users: [{name: u, user: {client-certificate-data: SECRET1, client-key-data: 'SECRET2!'}}]\n",
    };
    for (const QByteArray &user : users) {
        writeFile(path, kHeader + "clusters: [{name: c, cluster: {server: 'https://h:1'}}]\n"
                                  "contexts: [{name: x, context: {cluster: c, user: u}}]\n" + user);
        K8sError error;
        const auto config = loadExplicit(path, &error);
        QVERIFY(config);
        QVERIFY(!config->resolve(QStringLiteral("x"), {}, &error));
        QVERIFY2(!error.message.contains(QStringLiteral("SECRET")), qPrintable(error.message));
    }
}

QTEST_GUILESS_MAIN(TestKubeconfig)
#include "tst_kubeconfig.moc"
