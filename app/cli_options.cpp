#include "cli_options.h"

#include "k8s_exec_spec.h"
#include "k8s_source_spec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace {

const QStringList KnownTransports = {QStringLiteral("sse"), QStringLiteral("lines"),
                                     QStringLiteral("ndjson"), QStringLiteral("websocket")};

std::optional<QPair<QByteArray, QByteArray>> parseHeader(const QString &text)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::nullopt;
    const QByteArray name = text.left(colon).trimmed().toUtf8();
    for (char c : name) {
        // RFC 9110 token characters only.
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return std::nullopt;
    }
    if (name.isEmpty())
        return std::nullopt;
    QByteArray value = text.mid(colon + 1).trimmed().toUtf8();
    if (value.contains('\r') || value.contains('\n'))
        return std::nullopt;
    return qMakePair(name, value);
}

} // namespace

QList<TransportConfig> CliOptions::transportConfigs() const
{
    QList<TransportConfig> out;
    for (const QUrl &url : urls) {
        TransportConfig config;
        config.url = url;
        config.transportId = K8sSourceSpec::isK8sUrl(url) ? QStringLiteral("k8s") : transportId;
        config.headers = headers;
        config.body = body;
        config.insecureTls = insecureTls;
        if (connectTimeoutMs)
            config.connectTimeoutMs = *connectTimeoutMs;
        config.idleTimeoutMs = idleTimeoutMs;
        config.detectStalls = detectStalls;
        config.secretHeaders = secretHeaders;
        config.finalCloseCodes = finalCloseCodes;
        out.append(config);
    }
    return out;
}

CliParseResult parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "LiveDash: a live dashboard for Server-Sent Events, streaming HTTP (lines, NDJSON) and "
        "WebSocket feeds."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption headlessOption(QStringLiteral("headless"),
        QStringLiteral("Run without a window: print one JSON object per event on stdout, state "
                       "changes and errors on stderr."));
    const QCommandLineOption demoOption(QStringLiteral("demo"),
        QStringLiteral("Start the built-in demo server on 127.0.0.1 and open its feeds."));
    const QCommandLineOption transportOption(QStringLiteral("transport"),
        QStringLiteral("Transport for every URL: sse, lines, ndjson or websocket (default: "
                       "websocket for ws://, else chosen by the response Content-Type)."),
        QStringLiteral("name"));
    const QCommandLineOption headerOption({QStringLiteral("H"), QStringLiteral("header")},
        QStringLiteral("Extra request header, \"Name: value\" (repeatable)."), QStringLiteral("header"));
    const QCommandLineOption dataOption(QStringLiteral("data"),
        QStringLiteral("Send this body with POST instead of GET (HTTP transports)."), QStringLiteral("body"));
    const QCommandLineOption insecureOption({QStringLiteral("k"), QStringLiteral("insecure")},
        QStringLiteral("Do not verify TLS certificates (shown as a warning)."));
    const QCommandLineOption countOption(QStringLiteral("count"),
        QStringLiteral("Headless: exit 0 after N events in total."), QStringLiteral("N"));
    const QCommandLineOption durationOption(QStringLiteral("duration"),
        QStringLiteral("Headless: exit 0 after this many seconds."), QStringLiteral("seconds"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the main window after --screenshot-delay and exit."),
        QStringLiteral("file.png"));
    const QCommandLineOption screenshotDelayOption(QStringLiteral("screenshot-delay"),
        QStringLiteral("Milliseconds to wait before --screenshot (default 3000)."), QStringLiteral("ms"));
    const QCommandLineOption connectTimeoutOption(QStringLiteral("connect-timeout"),
        QStringLiteral("Seconds to wait for the response headers / WebSocket handshake before "
                       "retrying (default 30, 0 = no limit)."), QStringLiteral("seconds"));
    const QCommandLineOption idleTimeoutOption(QStringLiteral("idle-timeout"),
        QStringLiteral("Reconnect when an open stream sends nothing for this many seconds "
                       "(SSE resumes with Last-Event-ID; default 0 = off)."), QStringLiteral("seconds"));
    const QCommandLineOption noStallOption(QStringLiteral("no-stall-detection"),
        QStringLiteral("Do not report streams that went silent for several of their usual intervals."));
    const QCommandLineOption secretHeaderOption(QStringLiteral("secret-header"),
        QStringLiteral("Treat this request header as a secret: redacted, and dropped on redirects "
                       "to another origin (repeatable; Authorization, Cookie and token headers "
                       "always are)."), QStringLiteral("name"));
    const QCommandLineOption finalCodesOption(QStringLiteral("final-close-codes"),
        QStringLiteral("WebSocket close codes after which not to reconnect, e.g. 4001,4403 "
                       "(4000-4099 always are)."), QStringLiteral("codes"));
    const QCommandLineOption kubeconfigOption(QStringLiteral("kubeconfig"),
        QStringLiteral("Kubernetes: the kubeconfig file to use alone (else KUBECONFIG, else ~/.kube/config)."),
        QStringLiteral("file"));
    const QCommandLineOption contextOption(QStringLiteral("context"),
        QStringLiteral("Kubernetes: the kubeconfig context (else current-context)."), QStringLiteral("name"));
    const QCommandLineOption namespaceOption({QStringLiteral("n"), QStringLiteral("namespace")},
        QStringLiteral("Kubernetes: the namespace for k8s: sources that name none (else the context's)."),
        QStringLiteral("ns"));
    const QCommandLineOption renderTerminalOption(QStringLiteral("render-terminal"),
        QStringLiteral("Feed a recording (asciicast v2, or raw terminal bytes) through the terminal; "
                       "with --headless print the final screen as text, else show it in a replay tab."),
        QStringLiteral("file"));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
        QStringLiteral("--render-terminal: the terminal size (default: the recording's, else 80x24)."),
        QStringLiteral("COLSxROWS"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
        QStringLiteral("Also log requests, redirects and Qt's own warnings on stderr."));
    parser.addOptions({headlessOption, demoOption, transportOption, headerOption, dataOption,
                       insecureOption, countOption, durationOption, connectTimeoutOption,
                       idleTimeoutOption, noStallOption, secretHeaderOption, finalCodesOption,
                       verboseOption, screenshotOption, screenshotDelayOption, kubeconfigOption,
                       contextOption, namespaceOption, renderTerminalOption, sizeOption});
    parser.addPositionalArgument(QStringLiteral("SOURCE"),
        QStringLiteral("Sources to open: http(s):// or ws(s):// URLs, or Kubernetes sources:\n"
                       "  k8s:logs/POD[/CONTAINER]    one pod: that container, or every container\n"
                       "  k8s:logs/KIND/NAME          a workload's pods as they come and go (deployment,\n"
                       "                              statefulset, daemonset, replicaset, job)\n"
                       "  k8s:logs?selector=SELECTOR  every pod matching a label selector, as they come and go\n"
                       "  k8s:watch/RESOURCE[/NAME]   list-then-watch any listed resource (pods, deployments,\n"
                       "                              events, nodes, plural.group for CRDs)\n"
                       "  query parameters on any k8s: source: namespace=, context=, container= (regex),\n"
                       "  since= (e.g. 10m), tail= (lines per container), previous=true, include= and\n"
                       "  exclude= (regex on the line), init=true (init containers too)\n"
                       "  k8s:exec/POD[/CONTAINER]?command=A&command=B  run a command (one command= per\n"
                       "                              argument) like kubectl exec; with --headless stdin,\n"
                       "                              stdout, stderr and the exit code are the command's\n"
                       "  k8s:attach/POD[/CONTAINER]  attach to the container's main process\n"
                       "  k8s:forward/POD/LOCAL:REMOTE[,...]  forward 127.0.0.1:LOCAL (0 = any) to the pod;\n"
                       "                              --headless prints one JSON line per connection\n"
                       "Or one dashboard file (an existing FILE.livedash or FILE.json): opens its sources,\n"
                       "panels and layout. With no SOURCE, no file and no --demo the window restores the\n"
                       "last session; --demo opens the demo dashboard (the last session is then neither\n"
                       "read nor written)."),
        QStringLiteral("SOURCE...|FILE.livedash"));

    CliParseResult result;
    auto usageError = [&](const QString &message) {
        result.message = message + QStringLiteral("\nTry 'livedash --help'.");
        result.exitCode = 2;
        return result;
    };

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        result.message = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.message = QCoreApplication::applicationName() + QLatin1Char(' ')
                         + QCoreApplication::applicationVersion();
        return result;
    }

    CliOptions options;
    options.headless = parser.isSet(headlessOption);
    options.demo = parser.isSet(demoOption);
    options.insecureTls = parser.isSet(insecureOption);
    options.kubeconfigPath = parser.value(kubeconfigOption);
    options.kubeContext = parser.value(contextOption);
    options.kubeNamespace = parser.value(namespaceOption);
    if (parser.isSet(transportOption)) {
        options.transportId = parser.value(transportOption);
        if (!KnownTransports.contains(options.transportId))
            return usageError(QStringLiteral("unknown transport '%1' (expected one of: %2)")
                                  .arg(options.transportId, KnownTransports.join(QStringLiteral(", "))));
    }
    for (const QString &text : parser.values(headerOption)) {
        const auto header = parseHeader(text);
        if (!header)
            return usageError(QStringLiteral("bad header '%1' (expected \"Name: value\")").arg(text));
        options.headers.append(*header);
    }
    if (parser.isSet(dataOption))
        options.body = parser.value(dataOption).toUtf8();
    if (parser.isSet(countOption)) {
        bool ok = false;
        const qint64 n = parser.value(countOption).toLongLong(&ok);
        if (!ok || n <= 0)
            return usageError(QStringLiteral("--count needs a positive whole number, got '%1'")
                                  .arg(parser.value(countOption)));
        options.count = n;
    }
    if (parser.isSet(durationOption)) {
        bool ok = false;
        const double seconds = parser.value(durationOption).toDouble(&ok);
        if (!ok || !(seconds > 0) || seconds > 31'536'000)
            return usageError(QStringLiteral("--duration needs a positive number of seconds, got '%1'")
                                  .arg(parser.value(durationOption)));
        options.durationSeconds = seconds;
    }
    auto seconds = [&](const QCommandLineOption &option, int *ms) {
        bool ok = false;
        const double value = parser.value(option).toDouble(&ok);
        if (!ok || value < 0 || value > 86'400)
            return false;
        *ms = int(qRound64(value * 1000.0));
        return true;
    };
    if (parser.isSet(connectTimeoutOption)) {
        int ms = 0;
        if (!seconds(connectTimeoutOption, &ms))
            return usageError(QStringLiteral("--connect-timeout needs seconds between 0 and 86400, got '%1'")
                                  .arg(parser.value(connectTimeoutOption)));
        options.connectTimeoutMs = ms;
    }
    if (parser.isSet(idleTimeoutOption)
        && !seconds(idleTimeoutOption, &options.idleTimeoutMs))
        return usageError(QStringLiteral("--idle-timeout needs seconds between 0 and 86400, got '%1'")
                              .arg(parser.value(idleTimeoutOption)));
    options.detectStalls = !parser.isSet(noStallOption);
    options.verbose = parser.isSet(verboseOption);
    for (const QString &name : parser.values(secretHeaderOption))
        options.secretHeaders.append(name.trimmed().toUtf8());
    if (parser.isSet(finalCodesOption)) {
        for (const QString &part : parser.value(finalCodesOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int code = part.trimmed().toInt(&ok);
            if (!ok || code < 1000 || code > 4999)
                return usageError(QStringLiteral("--final-close-codes takes close codes 1000-4999, got '%1'")
                                      .arg(part.trimmed()));
            options.finalCloseCodes.append(code);
        }
    }
    if (parser.isSet(screenshotOption)) {
        options.screenshotPath = parser.value(screenshotOption);
        if (options.headless)
            return usageError(QStringLiteral("--screenshot needs the window; it cannot be used with --headless"));
    }
    if (parser.isSet(screenshotDelayOption)) {
        bool ok = false;
        const int ms = parser.value(screenshotDelayOption).toInt(&ok);
        if (!ok || ms < 0)
            return usageError(QStringLiteral("--screenshot-delay needs milliseconds >= 0, got '%1'")
                                  .arg(parser.value(screenshotDelayOption)));
        options.screenshotDelayMs = ms;
    }
    if (!options.headless && (options.count || options.durationSeconds))
        return usageError(QStringLiteral("--count and --duration only apply to --headless"));

    for (const QString &text : parser.positionalArguments()) {
        const bool dashboardName = text.endsWith(QLatin1String(".livedash"), Qt::CaseInsensitive)
                                   || text.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
        if (dashboardName && !text.contains(QLatin1String("://")) && !text.startsWith(QLatin1String("k8s:"))) {
            if (!QFileInfo(text).isFile())
                return usageError(QStringLiteral("no dashboard file '%1'").arg(text));
            if (!options.dashboardPath.isEmpty())
                return usageError(QStringLiteral("only one dashboard file can be opened, got '%1' and '%2'")
                                      .arg(options.dashboardPath, text));
            if (options.headless)
                return usageError(QStringLiteral("a dashboard file needs the window; it cannot be used with --headless"));
            options.dashboardPath = text;
            continue;
        }
        if (text.startsWith(QLatin1String("k8s:"))) {
            const QUrl k8sUrl(text);
            QString error;
            if (K8sExecSpec::isSessionUrl(k8sUrl) ? !K8sExecSpec::parse(k8sUrl, &error)
                                                  : !K8sSourceSpec::parse(k8sUrl, &error))
                return usageError(QStringLiteral("'%1': %2").arg(text, error));
            options.urls.append(k8sUrl);
            continue;
        }
        const QUrl url = QUrl::fromUserInput(text);
        const QString scheme = url.scheme().toLower();
        const bool known = scheme == QLatin1String("http") || scheme == QLatin1String("https")
                           || scheme == QLatin1String("ws") || scheme == QLatin1String("wss");
        if (!url.isValid() || !known || url.host().isEmpty())
            return usageError(QStringLiteral("'%1' is not an http(s):// or ws(s):// URL or a k8s: source").arg(text));
        const bool isWs = scheme.startsWith(QLatin1String("ws"));
        if (!options.transportId.isEmpty() && isWs != (options.transportId == QLatin1String("websocket")))
            return usageError(QStringLiteral("transport '%1' cannot open '%2'").arg(options.transportId, text));
        options.urls.append(url);
    }
    if (parser.isSet(renderTerminalOption)) {
        options.renderTerminalPath = parser.value(renderTerminalOption);
        if (options.renderTerminalPath.isEmpty())
            return usageError(QStringLiteral("--render-terminal needs a file"));
        if (!options.urls.isEmpty() || !options.dashboardPath.isEmpty() || options.demo)
            return usageError(QStringLiteral("--render-terminal cannot be combined with sources, a dashboard or --demo"));
    }
    if (parser.isSet(sizeOption)) {
        if (options.renderTerminalPath.isEmpty())
            return usageError(QStringLiteral("--size only applies to --render-terminal"));
        const QStringList parts = parser.value(sizeOption).toLower().split(QLatin1Char('x'));
        bool okColumns = false;
        bool okRows = false;
        const int columns = parts.size() == 2 ? parts.at(0).toInt(&okColumns) : 0;
        const int rows = parts.size() == 2 ? parts.at(1).toInt(&okRows) : 0;
        if (!okColumns || !okRows || columns < 1 || columns > 1000 || rows < 1 || rows > 1000)
            return usageError(QStringLiteral("--size needs COLSxROWS (1..1000 each), got '%1'").arg(parser.value(sizeOption)));
        options.renderColumns = columns;
        options.renderRows = rows;
    }
    if (options.headless && options.urls.isEmpty() && !options.demo && options.renderTerminalPath.isEmpty())
        return usageError(QStringLiteral("--headless needs at least one URL (or --demo)"));

    result.options = options;
    return result;
}
