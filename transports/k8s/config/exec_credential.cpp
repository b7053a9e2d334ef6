#include "exec_credential.h"

#include "text/printable.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <utility>

namespace {

constexpr qsizetype kMaxStdout = 1024 * 1024;  ///< an ExecCredential is a few KiB
constexpr qsizetype kStderrKept = 2048;         ///< the tail shown in messages
constexpr qint64 kExpirySlackMs = 10 * 1000;

/// RFC 3339 date-time ("2026-01-02T03:04:05Z", fractions, numeric offsets) as UTC.
std::optional<QDateTime> parseRfc3339(QString text)
{
    static const QRegularExpression shape(
        QStringLiteral(R"(^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$)"));
    if (!shape.match(text).hasMatch())
        return std::nullopt;
    text = text.toUpper();
    // Qt's ISO parser takes at most milliseconds; Go writes up to nanoseconds
    static const QRegularExpression longFraction(QStringLiteral(R"(\.(\d{1,3})\d*)"));
    text.replace(longFraction, QStringLiteral(".\\1"));
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toUTC();
}

/// Keeps the last `keep` bytes of `buffer` (after appending), for stderr.
void appendTail(QByteArray *buffer, const QByteArray &more, qsizetype keep)
{
    buffer->append(more);
    if (buffer->size() > 4 * keep)
        buffer->remove(0, buffer->size() - keep);
}

} // namespace

std::optional<ExecCredential> parseExecCredential(const QByteArray &stdoutBytes,
                                                  const QString &expectedApiVersion, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<ExecCredential> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QJsonParseError jsonError;
    const QJsonDocument document = QJsonDocument::fromJson(stdoutBytes, &jsonError);
    if (jsonError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("stdout is not JSON (%1 at offset %2)")
                        .arg(jsonError.errorString(), QString::number(jsonError.offset)));
    if (!document.isObject())
        return fail(QStringLiteral("stdout is not a JSON object"));
    const QJsonObject root = document.object();
    const QString kind = root.value(QLatin1String("kind")).toString();
    if (kind != u"ExecCredential")
        return fail(QStringLiteral("kind is \"%1\", expected \"ExecCredential\"").arg(Printable::escaped(kind)));
    const QString apiVersion = root.value(QLatin1String("apiVersion")).toString();
    if (apiVersion != expectedApiVersion)
        return fail(QStringLiteral("apiVersion is \"%1\", but the kubeconfig asks for \"%2\"")
                        .arg(Printable::escaped(apiVersion), Printable::escaped(expectedApiVersion)));
    const QJsonValue statusValue = root.value(QLatin1String("status"));
    if (!statusValue.isObject())
        return fail(QStringLiteral("no status field"));
    const QJsonObject status = statusValue.toObject();
    for (const char *field : {"token", "clientCertificateData", "clientKeyData", "expirationTimestamp"}) {
        const QJsonValue value = status.value(QLatin1String(field));
        if (!value.isUndefined() && !value.isNull() && !value.isString())
            return fail(QStringLiteral("status.%1 is not a string").arg(QLatin1String(field)));
    }

    ExecCredential credential;
    credential.token = status.value(QLatin1String("token")).toString().toUtf8();
    credential.clientCertificatePem = status.value(QLatin1String("clientCertificateData")).toString().toUtf8();
    credential.clientKeyPem = status.value(QLatin1String("clientKeyData")).toString().toUtf8();
    const bool hasCert = !credential.clientCertificatePem.isEmpty();
    const bool hasKey = !credential.clientKeyPem.isEmpty();
    if (hasCert && !hasKey)
        return fail(QStringLiteral("status has clientCertificateData without clientKeyData; both are needed"));
    if (hasKey && !hasCert)
        return fail(QStringLiteral("status has clientKeyData without clientCertificateData; both are needed"));
    if (credential.token.isEmpty() && !hasCert)
        return fail(QStringLiteral("status has neither a token nor clientCertificateData + clientKeyData"));
    const QString expiry = status.value(QLatin1String("expirationTimestamp")).toString();
    if (!expiry.isEmpty()) {
        credential.expiry = parseRfc3339(expiry);
        if (!credential.expiry)
            return fail(QStringLiteral("status.expirationTimestamp \"%1\" is not an RFC 3339 time")
                            .arg(Printable::escaped(expiry.left(64))));
    }
    return credential;
}

QByteArray execInfoJson(const ExecPluginConfig &plugin, const KubeContext &cluster)
{
    QJsonObject spec{{QStringLiteral("interactive"), false}};
    if (plugin.provideClusterInfo) {
        QJsonObject info{{QStringLiteral("server"), cluster.server.toString()}};
        if (!cluster.tlsServerName.isEmpty())
            info.insert(QStringLiteral("tls-server-name"), cluster.tlsServerName);
        if (cluster.insecureSkipTlsVerify)
            info.insert(QStringLiteral("insecure-skip-tls-verify"), true);
        if (!cluster.caPem.isEmpty())
            info.insert(QStringLiteral("certificate-authority-data"), QString::fromLatin1(cluster.caPem.toBase64()));
        if (!cluster.proxyUrl.isEmpty())
            info.insert(QStringLiteral("proxy-url"), cluster.proxyUrl.toString());
        if (cluster.disableCompression)
            info.insert(QStringLiteral("disable-compression"), true);
        if (!cluster.execClusterConfig.isEmpty()) {
            const QJsonDocument config = QJsonDocument::fromJson(cluster.execClusterConfig);
            info.insert(QStringLiteral("config"), config.isObject() ? QJsonValue(config.object())
                                                                    : QJsonValue(config.array()));
        }
        spec.insert(QStringLiteral("cluster"), info);
    }
    const QJsonObject root{{QStringLiteral("apiVersion"), plugin.apiVersion},
                           {QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                           {QStringLiteral("spec"), spec}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

ExecCredentialProvider::ExecCredentialProvider(const ExecPluginConfig &plugin, const KubeContext &cluster,
                                               QObject *parent)
    : QObject(parent)
    , m_plugin(plugin)
    , m_cluster(cluster)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (!m_process)
            return;
        m_timedOut = true;
        m_process->kill();
    });
}

ExecCredentialProvider::~ExecCredentialProvider()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

std::optional<ExecCredential> ExecCredentialProvider::cached() const
{
    if (!m_cached)
        return std::nullopt;
    if (m_cached->expiry && QDateTime::currentDateTimeUtc().addMSecs(kExpirySlackMs) >= *m_cached->expiry)
        return std::nullopt;
    return m_cached;
}

void ExecCredentialProvider::invalidate()
{
    m_cached.reset();
}

QString ExecCredentialProvider::label() const
{
    return QStringLiteral("exec plugin '%1'").arg(Printable::escaped(m_plugin.command));
}

void ExecCredentialProvider::failLater(const QString &message)
{
    K8sError error;
    error.kind = K8sError::Kind::Credentials;
    error.message = message;
    error.retryable = false;
    QMetaObject::invokeMethod(this, [this, error] { Q_EMIT failed(error); }, Qt::QueuedConnection);
}

void ExecCredentialProvider::fetch()
{
    if (m_process)
        return;
    const QString user = Printable::escaped(m_cluster.userName);
    if (m_plugin.interactiveMode == ExecPluginConfig::InteractiveMode::Always) {
        failLater(QStringLiteral("%1 for user \"%2\" needs an interactive terminal (interactiveMode: Always), which "
                                 "this application does not have; log in with it in a terminal first or set "
                                 "interactiveMode to IfAvailable").arg(label(), user));
        return;
    }
    QString program;
    if (m_plugin.command.contains(u'/')) {
        const QFileInfo info(QDir(m_plugin.baseDir).absoluteFilePath(m_plugin.command));
        if (info.isFile() && info.isExecutable())
            program = info.absoluteFilePath();
    } else {
        program = QStandardPaths::findExecutable(m_plugin.command);
    }
    if (program.isEmpty()) {
        const QString where = m_plugin.command.contains(u'/')
            ? QStringLiteral("looked in %1").arg(Printable::escaped(m_plugin.baseDir))
            : QStringLiteral("looked in PATH");
        QString message = QStringLiteral("%1 not found (user \"%2\"; %3)").arg(label(), user, where);
        if (!m_plugin.installHint.isEmpty())
            message += QStringLiteral(": ") + Printable::escaped(m_plugin.installHint.simplified());
        failLater(message);
        return;
    }

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto &var : std::as_const(m_plugin.env))
        env.insert(var.first, var.second);
    env.insert(QStringLiteral("KUBERNETES_EXEC_INFO"), QString::fromUtf8(execInfoJson(m_plugin, m_cluster)));

    m_process = new QProcess(this);
    m_process->setProcessEnvironment(env);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setProgram(program);
    m_process->setArguments(m_plugin.args);
    m_timedOut = false;
    m_overflow = false;
    m_stdout.clear();
    m_stderr.clear();
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_stdout.append(m_process->readAllStandardOutput());
        if (m_stdout.size() > kMaxStdout && !m_overflow) {
            m_overflow = true;
            m_process->kill();
        }
    });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        appendTail(&m_stderr, m_process->readAllStandardError(), kStderrKept);
    });
    auto cleanUp = [this] {
        m_timer->stop();
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    };
    connect(m_process, &QProcess::errorOccurred, this, [this, cleanUp](QProcess::ProcessError processError) {
        if (processError != QProcess::FailedToStart)
            return;   // finished() follows and reports it
        const QString reason = m_process->errorString();
        cleanUp();
        failLater(QStringLiteral("%1 could not be started: %2").arg(label(), reason));
    });
    connect(m_process, &QProcess::finished, this,
            [this, cleanUp](int exitCode, QProcess::ExitStatus exitStatus) {
        m_stdout.append(m_process->readAllStandardOutput());
        appendTail(&m_stderr, m_process->readAllStandardError(), kStderrKept);
        const bool overflow = m_overflow;
        const QByteArray out = std::exchange(m_stdout, QByteArray());
        QByteArray err = std::exchange(m_stderr, QByteArray()).trimmed();
        if (err.size() > kStderrKept)
            err = "..." + err.right(kStderrKept);
        cleanUp();
        const QString errText = Printable::fromWire(err);
        const QString detail = errText.isEmpty() ? QStringLiteral(" (no stderr output)")
                                                 : QStringLiteral(": ") + errText;
        K8sError error;
        error.kind = K8sError::Kind::Credentials;
        if (m_timedOut) {
            error.message = QStringLiteral("%1 did not finish within %2 s and was stopped%3")
                                .arg(label(), QString::number(m_timeoutMs / 1000.0), detail);
        } else if (overflow) {
            error.message = QStringLiteral("%1 wrote more than 1 MiB to stdout and was stopped").arg(label());
        } else if (exitStatus == QProcess::CrashExit) {
            error.message = QStringLiteral("%1 crashed%2").arg(label(), detail);
        } else if (exitCode != 0) {
            error.message = QStringLiteral("%1 exited with code %2%3").arg(label(), QString::number(exitCode), detail);
        } else {
            QString parseError;
            const auto credential = parseExecCredential(out, m_plugin.apiVersion, &parseError);
            if (credential) {
                m_cached = credential;
                if (!errText.isEmpty())
                    Q_EMIT stderrText(errText);
                Q_EMIT ready(*credential);
                return;
            }
            error.message = QStringLiteral("%1 returned no usable credential: %2").arg(label(), parseError);
            error.retryable = false;
        }
        Q_EMIT failed(error);
    });

    m_timer->start(m_timeoutMs);
    m_process->start();
}
