#include "exec_credential.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kV1 = QStringLiteral("client.authentication.k8s.io/v1");

QByteArray credentialJson(const QByteArray &status, const QByteArray &apiVersion = "client.authentication.k8s.io/v1")
{
    return "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"ExecCredential\",\"status\":" + status + "}";
}

ExecPluginConfig pluginFor(const QString &command)
{
    ExecPluginConfig plugin;
    plugin.apiVersion = kV1;
    plugin.command = command;
    plugin.interactiveMode = ExecPluginConfig::InteractiveMode::Never;
    return plugin;
}

KubeContext clusterInfo()
{
    KubeContext context;
    context.contextName = QStringLiteral("ctx");
    context.userName = QStringLiteral("u");
    context.server = QUrl(QStringLiteral("https://k8s.example:6443/prefix"));
    context.caPem = "CA-PEM";
    context.tlsServerName = QStringLiteral("api.internal");
    context.execClusterConfig = R"({"audience":"livedash"})";
    return context;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

int runsIn(const QString &countFile)
{
    return int(readFile(countFile).count('\n'));
}

} // namespace

class TestExecCredential : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    // parser
    void parseToken();
    void parseCertificatePair();
    void parseExpiry_data();
    void parseExpiry();
    void parseErrors_data();
    void parseErrors();
    void execInfoWithoutClusterInfo();
    // provider
    void successWithToken();
    void fetchWhileRunningStartsOnce();
    void expiredCredentialRunsAgain();
    void expiryWithinSlackIsNotCached();
    void invalidateRunsAgain();
    void wrongApiVersion();
    void missingCommandShowsInstallHint();
    void relativeCommandAgainstKubeconfigDir();
    void failingPluginReportsExitCodeAndStderr();
    void certificateWithoutKey();
    void environmentAndExecInfoReachPlugin();
    void interactiveAlwaysNeedsTerminal();
    void timeoutStopsPlugin();
    void destroyedWhileRunning();
    void notExecutableFormat();
    void hugeOutputStopped();

private:
    QString writePlugin(const QString &name, const QByteArray &body);
    QString countFile() const { return m_dir->filePath(QStringLiteral("runs")); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestExecCredential::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestExecCredential::writePlugin(const QString &name, const QByteArray &body)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write("#!/bin/sh\necho run >> '" + countFile().toUtf8() + "'\n" + body);
    file.close();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

// parser ------------------------------------------------------------------------------------

void TestExecCredential::parseToken()
{
    QString error;
    const auto credential = parseExecCredential(credentialJson(R"({"token":"abc"})"), kV1, &error);
    QVERIFY2(credential, qPrintable(error));
    QCOMPARE(credential->token, QByteArray("abc"));
    QVERIFY(credential->clientCertificatePem.isEmpty());
    QVERIFY(!credential->expiry);
}

void TestExecCredential::parseCertificatePair()
{
    QString error;
    const auto credential = parseExecCredential(
        credentialJson(R"({"clientCertificateData":"-----BEGIN CERTIFICATE-----\nC\n","clientKeyData":"K"})"), kV1, &error);
    QVERIFY2(credential, qPrintable(error));
    QCOMPARE(credential->clientCertificatePem, QByteArray("-----BEGIN CERTIFICATE-----\nC\n"));
    QCOMPARE(credential->clientKeyPem, QByteArray("K"));
    QVERIFY(credential->token.isEmpty());
}

void TestExecCredential::parseExpiry_data()
{
    QTest::addColumn<QByteArray>("timestamp");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime base(QDate(2026, 3, 4), QTime(5, 6, 7), Qt::UTC);
    QTest::newRow("Z") << QByteArray("2026-03-04T05:06:07Z") << base;
    QTest::newRow("nanoseconds") << QByteArray("2026-03-04T05:06:07.123456789Z") << base.addMSecs(123);
    QTest::newRow("offset") << QByteArray("2026-03-04T07:06:07+02:00") << base;
    QTest::newRow("lowercase") << QByteArray("2026-03-04t05:06:07z") << base;
}

void TestExecCredential::parseExpiry()
{
    QFETCH(QByteArray, timestamp);
    QFETCH(QDateTime, expected);
    QString error;
    const auto credential = parseExecCredential(
        credentialJson(R"({"token":"t","expirationTimestamp":")" + timestamp + "\"}"), kV1, &error);
    QVERIFY2(credential, qPrintable(error));
    QVERIFY(credential->expiry);
    QCOMPARE(*credential->expiry, expected);
}

void TestExecCredential::parseErrors_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("token: SECRET") << QStringLiteral("stdout is not JSON");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("stdout is not a JSON object");
    QTest::newRow("wrong kind")
        << QByteArray(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"Status","status":{"token":"SECRET"}})")
        << QStringLiteral("kind is \"Status\", expected \"ExecCredential\"");
    QTest::newRow("wrong apiVersion")
        << credentialJson(R"({"token":"SECRET"})", "client.authentication.k8s.io/v1beta1")
        << QStringLiteral("apiVersion is \"client.authentication.k8s.io/v1beta1\", but the kubeconfig asks for \"client.authentication.k8s.io/v1\"");
    QTest::newRow("no status")
        << QByteArray(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})")
        << QStringLiteral("no status field");
    QTest::newRow("neither") << credentialJson(R"({"expirationTimestamp":"2026-01-01T00:00:00Z"})")
                             << QStringLiteral("status has neither a token nor clientCertificateData + clientKeyData");
    QTest::newRow("cert without key") << credentialJson(R"({"clientCertificateData":"SECRET"})")
                                      << QStringLiteral("clientCertificateData without clientKeyData");
    QTest::newRow("key without cert") << credentialJson(R"({"token":"SECRET","clientKeyData":"SECRET"})")
                                      << QStringLiteral("clientKeyData without clientCertificateData");
    QTest::newRow("token not a string") << credentialJson(R"({"token":42})")
                                        << QStringLiteral("status.token is not a string");
    QTest::newRow("bad expiry") << credentialJson(R"({"token":"SECRET","expirationTimestamp":"tomorrow"})")
                                << QStringLiteral("status.expirationTimestamp \"tomorrow\" is not an RFC 3339 time");
    QTest::newRow("date only expiry") << credentialJson(R"({"token":"SECRET","expirationTimestamp":"2026-01-01"})")
                                      << QStringLiteral("is not an RFC 3339 time");
}

void TestExecCredential::parseErrors()
{
    QFETCH(QByteArray, output);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!parseExecCredential(output, kV1, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(!error.contains(QStringLiteral("SECRET")), qPrintable(error));
}

void TestExecCredential::execInfoWithoutClusterInfo()
{
    const QJsonObject info = QJsonDocument::fromJson(execInfoJson(pluginFor(QStringLiteral("x")), clusterInfo())).object();
    QCOMPARE(info.value(QStringLiteral("apiVersion")).toString(), kV1);
    QCOMPARE(info.value(QStringLiteral("kind")).toString(), QStringLiteral("ExecCredential"));
    const QJsonObject spec = info.value(QStringLiteral("spec")).toObject();
    QCOMPARE(spec.value(QStringLiteral("interactive")), QJsonValue(false));
    QVERIFY(!spec.contains(QStringLiteral("cluster")));
}

// provider ----------------------------------------------------------------------------------

void TestExecCredential::successWithToken()
{
    const QString plugin = writePlugin(QStringLiteral("ok.sh"),
        "echo 'note from the plugin' >&2\n"
        "echo '" + credentialJson(R"({"token":"tok-1"})") + "'\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy ready(&provider, &ExecCredentialProvider::ready);
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    QSignalSpy stderrText(&provider, &ExecCredentialProvider::stderrText);
    QVERIFY(!provider.cached());
    provider.fetch();
    QVERIFY(provider.isRunning());
    QCOMPARE(ready.size(), 0);   // asynchronous: nothing inside fetch()
    QVERIFY(ready.wait(10000));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(ready.first().first().value<ExecCredential>().token, QByteArray("tok-1"));
    QVERIFY(provider.cached());
    QCOMPARE(provider.cached()->token, QByteArray("tok-1"));
    QCOMPARE(stderrText.size(), 1);
    QCOMPARE(stderrText.first().first().toString(), QStringLiteral("note from the plugin"));
    QVERIFY(!provider.isRunning());
}

void TestExecCredential::fetchWhileRunningStartsOnce()
{
    const QString plugin = writePlugin(QStringLiteral("slow.sh"),
        "sleep 0.3\necho '" + credentialJson(R"({"token":"t"})") + "'\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy ready(&provider, &ExecCredentialProvider::ready);
    provider.fetch();
    provider.fetch();
    provider.fetch();
    QVERIFY(ready.wait(10000));
    QTest::qWait(200);   // a second run would have been started right away; give it time to show up
    QCOMPARE(ready.size(), 1);
    QCOMPARE(runsIn(countFile()), 1);
}

void TestExecCredential::expiredCredentialRunsAgain()
{
    const QString plugin = writePlugin(QStringLiteral("expired.sh"),
        "echo '" + credentialJson(R"({"token":"old","expirationTimestamp":"2020-01-01T00:00:00Z"})") + "'\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy ready(&provider, &ExecCredentialProvider::ready);
    provider.fetch();
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.first().first().value<ExecCredential>().token, QByteArray("old"));
    QVERIFY(!provider.cached());   // expired: the next request runs the plugin again (K6)
    provider.fetch();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 2, 10000);
    QCOMPARE(runsIn(countFile()), 2);
}

void TestExecCredential::expiryWithinSlackIsNotCached()
{
    const QByteArray soon = QDateTime::currentDateTimeUtc().addSecs(5).toString(Qt::ISODate).toLatin1();
    const QByteArray later = QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate).toLatin1();
    const QString plugin = writePlugin(QStringLiteral("soon.sh"),
        "if [ \"$(wc -l < '" + countFile().toUtf8() + "')\" -lt 2 ]; then\n"
        "  echo '" + credentialJson(R"({"token":"soon","expirationTimestamp":")" + soon + "\"}") + "'\n"
        "else\n"
        "  echo '" + credentialJson(R"({"token":"later","expirationTimestamp":")" + later + "\"}") + "'\n"
        "fi\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy ready(&provider, &ExecCredentialProvider::ready);
    provider.fetch();
    QVERIFY(ready.wait(10000));
    QVERIFY(!provider.cached());   // 5 s left is inside the 10 s slack
    provider.fetch();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 2, 10000);
    QVERIFY(provider.cached());
    QCOMPARE(provider.cached()->token, QByteArray("later"));
}

void TestExecCredential::invalidateRunsAgain()
{
    const QString plugin = writePlugin(QStringLiteral("count.sh"),
        "n=$(wc -l < '" + countFile().toUtf8() + "' | tr -d ' ')\n"
        "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"tok-'$n'\"}}'\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy ready(&provider, &ExecCredentialProvider::ready);
    provider.fetch();
    QVERIFY(ready.wait(10000));
    QVERIFY(provider.cached());
    QCOMPARE(provider.cached()->token, QByteArray("tok-1"));
    provider.invalidate();   // a 401 came back (K7)
    QVERIFY(!provider.cached());
    provider.fetch();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 2, 10000);
    QCOMPARE(provider.cached()->token, QByteArray("tok-2"));
    QCOMPARE(runsIn(countFile()), 2);
}

void TestExecCredential::wrongApiVersion()
{
    const QString plugin = writePlugin(QStringLiteral("beta.sh"),
        "echo '" + credentialJson(R"({"token":"SECRET"})", "client.authentication.k8s.io/v1beta1") + "'\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    QSignalSpy ready(&provider, &ExecCredentialProvider::ready);
    provider.fetch();
    QVERIFY(failed.wait(10000));
    const auto error = failed.first().first().value<K8sError>();
    QCOMPARE(error.kind, K8sError::Kind::Credentials);
    QVERIFY2(error.message.contains(QStringLiteral("returned no usable credential: apiVersion is \"client.authentication.k8s.io/v1beta1\"")),
             qPrintable(error.message));
    QVERIFY(!error.message.contains(QStringLiteral("SECRET")));
    QCOMPARE(ready.size(), 0);
    QVERIFY(!provider.cached());
}

void TestExecCredential::missingCommandShowsInstallHint()
{
    ExecPluginConfig plugin = pluginFor(QStringLiteral("no-such-plugin-livedash"));
    plugin.installHint = QStringLiteral("Install it with:\n  brew install no-such-plugin");
    ExecCredentialProvider provider(plugin, clusterInfo());
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    provider.fetch();
    QCOMPARE(failed.size(), 0);   // reported later, not inside fetch()
    QVERIFY(failed.wait(5000));
    const auto error = failed.first().first().value<K8sError>();
    QVERIFY2(error.message.startsWith(QStringLiteral("exec plugin 'no-such-plugin-livedash' not found")), qPrintable(error.message));
    QVERIFY2(error.message.endsWith(QStringLiteral("Install it with: brew install no-such-plugin")), qPrintable(error.message));
    QVERIFY(!error.retryable);
}

void TestExecCredential::relativeCommandAgainstKubeconfigDir()
{
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("bin")));
    writePlugin(QStringLiteral("bin/get-token"), "echo '" + credentialJson(R"({"token":"relative"})") + "'\n");
    ExecPluginConfig plugin = pluginFor(QStringLiteral("./bin/get-token"));
    plugin.baseDir = m_dir->path();
    ExecCredentialProvider provider(plugin, clusterInfo());
    QSignalSpy ready(&provider, &ExecCredentialProvider::ready);
    provider.fetch();
    QVERIFY(ready.wait(10000));
    QCOMPARE(provider.cached()->token, QByteArray("relative"));

    plugin.baseDir = m_dir->filePath(QStringLiteral("bin"));   // ./bin/get-token is not there
    ExecCredentialProvider elsewhere(plugin, clusterInfo());
    QSignalSpy failed(&elsewhere, &ExecCredentialProvider::failed);
    elsewhere.fetch();
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.first().first().value<K8sError>().message.contains(QStringLiteral("not found")));
}

void TestExecCredential::failingPluginReportsExitCodeAndStderr()
{
    const QString plugin = writePlugin(QStringLiteral("fail.sh"),
        "printf 'first line\\n' >&2\n"
        "printf 'error: SSO session expired \\033[31mred\\033[0m\\n\\n' >&2\n"
        "exit 3\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    provider.fetch();
    QVERIFY(failed.wait(10000));
    const auto error = failed.first().first().value<K8sError>();
    QCOMPARE(error.kind, K8sError::Kind::Credentials);
    const QString expected = QStringLiteral("exec plugin '%1' exited with code 3: first line\\x0aerror: SSO session expired \\x1b[31mred\\x1b[0m")
                                 .arg(plugin);
    QCOMPARE(error.message, expected);   // trimmed, escaped
}

void TestExecCredential::certificateWithoutKey()
{
    const QString plugin = writePlugin(QStringLiteral("cert.sh"),
        "echo '" + credentialJson(R"({"clientCertificateData":"-----BEGIN CERTIFICATE-----"})") + "'\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    provider.fetch();
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().first().value<K8sError>().message.contains(
                 QStringLiteral("status has clientCertificateData without clientKeyData")),
             qPrintable(failed.first().first().value<K8sError>().message));
}

void TestExecCredential::environmentAndExecInfoReachPlugin()
{
    const QString seen = m_dir->filePath(QStringLiteral("seen"));
    const QString plugin = writePlugin(QStringLiteral("env.sh"),
        "printf '%s\\n%s\\n%s\\n%s\\n' \"$PLUGIN_VAR\" \"$DASH_PARENT_VAR\" \"$*\" \"$KUBERNETES_EXEC_INFO\" > '" + seen.toUtf8() + "'\n"
        "if read line; then echo 'stdin was open' >&2; exit 9; fi\n"
        "echo '" + credentialJson(R"({"token":"t"})") + "'\n");
    ExecPluginConfig config = pluginFor(plugin);
    config.env = {{QStringLiteral("PLUGIN_VAR"), QStringLiteral("from kubeconfig")}};
    config.args = {QStringLiteral("eks"), QStringLiteral("get-token")};
    config.provideClusterInfo = true;
    qputenv("DASH_PARENT_VAR", "from parent");
    ExecCredentialProvider provider(config, clusterInfo());
    QSignalSpy ready(&provider, &ExecCredentialProvider::ready);
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    provider.fetch();
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() + failed.size() > 0, 10000);
    qunsetenv("DASH_PARENT_VAR");
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).value<K8sError>().message));

    const QList<QByteArray> lines = readFile(seen).split('\n');
    QVERIFY(lines.size() >= 4);
    QCOMPARE(lines.at(0), QByteArray("from kubeconfig"));
    QCOMPARE(lines.at(1), QByteArray("from parent"));
    QCOMPARE(lines.at(2), QByteArray("eks get-token"));
    const QJsonObject info = QJsonDocument::fromJson(lines.at(3)).object();
    QCOMPARE(info.value(QStringLiteral("apiVersion")).toString(), kV1);
    QCOMPARE(info.value(QStringLiteral("kind")).toString(), QStringLiteral("ExecCredential"));
    const QJsonObject spec = info.value(QStringLiteral("spec")).toObject();
    QCOMPARE(spec.value(QStringLiteral("interactive")), QJsonValue(false));
    const QJsonObject cluster = spec.value(QStringLiteral("cluster")).toObject();
    QCOMPARE(cluster.value(QStringLiteral("server")).toString(), QStringLiteral("https://k8s.example:6443/prefix"));
    QCOMPARE(cluster.value(QStringLiteral("tls-server-name")).toString(), QStringLiteral("api.internal"));
    QCOMPARE(cluster.value(QStringLiteral("certificate-authority-data")).toString(), QStringLiteral("Q0EtUEVN"));
    QCOMPARE(cluster.value(QStringLiteral("config")).toObject().value(QStringLiteral("audience")).toString(),
             QStringLiteral("livedash"));
    QVERIFY(!cluster.contains(QStringLiteral("insecure-skip-tls-verify")));
}

void TestExecCredential::interactiveAlwaysNeedsTerminal()
{
    const QString plugin = writePlugin(QStringLiteral("login.sh"), "exit 0\n");
    ExecPluginConfig config = pluginFor(plugin);
    config.interactiveMode = ExecPluginConfig::InteractiveMode::Always;
    ExecCredentialProvider provider(config, clusterInfo());
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    provider.fetch();
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.first().first().value<K8sError>().message.contains(QStringLiteral("needs an interactive terminal")));
    QCOMPARE(runsIn(countFile()), 0);   // never started
}

void TestExecCredential::timeoutStopsPlugin()
{
    const QString plugin = writePlugin(QStringLiteral("hang.sh"), "echo 'waiting for the browser' >&2\nexec sleep 30\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QCOMPARE(provider.timeoutMs(), 60000);
    provider.setTimeoutMs(300);
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    QElapsedTimer clock;
    clock.start();
    provider.fetch();
    QVERIFY(failed.wait(10000));
    QVERIFY(clock.elapsed() < 5000);
    const QString message = failed.first().first().value<K8sError>().message;
    QVERIFY2(message.contains(QStringLiteral("did not finish within 0.3 s and was stopped: waiting for the browser")),
             qPrintable(message));
    QVERIFY(!provider.isRunning());
}

void TestExecCredential::destroyedWhileRunning()
{
    const QString plugin = writePlugin(QStringLiteral("long.sh"), "exec sleep 30\n");
    QObject receiver;
    int emitted = 0;
    auto *provider = new ExecCredentialProvider(pluginFor(plugin), clusterInfo());
    connect(provider, &ExecCredentialProvider::ready, &receiver, [&] { ++emitted; });
    connect(provider, &ExecCredentialProvider::failed, &receiver, [&] { ++emitted; });
    provider->fetch();
    QTRY_COMPARE(runsIn(countFile()), 1);
    QElapsedTimer clock;
    clock.start();
    delete provider;   // kills the plugin, emits nothing
    QVERIFY(clock.elapsed() < 3000);
    QCoreApplication::processEvents();
    QCOMPARE(emitted, 0);
}

void TestExecCredential::notExecutableFormat()
{
    // executable bit but no #! line and not a binary: execve says ENOEXEC
    const QString path = m_dir->filePath(QStringLiteral("garbage"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("\x7f\x01\x02\x03 not a program", 24));
    file.close();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    ExecCredentialProvider provider(pluginFor(path), clusterInfo());
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    provider.fetch();
    QVERIFY(failed.wait(5000));
    const QString message = failed.first().first().value<K8sError>().message;
    QVERIFY2(message.startsWith(QStringLiteral("exec plugin '%1' could not be started: ").arg(path)), qPrintable(message));
    QVERIFY(!provider.isRunning());
}

void TestExecCredential::hugeOutputStopped()
{
    const QString plugin = writePlugin(QStringLiteral("huge.sh"), "exec head -c 3000000 /dev/zero\n");
    ExecCredentialProvider provider(pluginFor(plugin), clusterInfo());
    QSignalSpy failed(&provider, &ExecCredentialProvider::failed);
    provider.fetch();
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().first().value<K8sError>().message,
             QStringLiteral("exec plugin '%1' wrote more than 1 MiB to stdout and was stopped").arg(plugin));
}

QTEST_GUILESS_MAIN(TestExecCredential)
#include "tst_exec_credential.moc"
