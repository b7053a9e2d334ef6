#include "cli_options.h"
#include "demo_server.h"
#include "demo_sources.h"
#include "demo_tls.h"
#include "fake_cluster.h"
#include "headless_exec.h"
#include "headless_runner.h"
#include "k8s_environment.h"
#include "k8s_exec_spec.h"
#include "k8s_transports.h"
#include "log_output.h"
#include "main_window.h"
#include "recording_player.h"
#include "render_terminal.h"
#include "terminal_controller.h"
#include "terminal_panel.h"
#include "terminal_tab.h"
#include "transport.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

/// True when no window will be shown: headless runs, help and version. Those get a
/// QCoreApplication, so they work without a display; Qt's own GUI options (-platform, -style)
/// are still removed from the arguments by QApplication before we parse them.
bool needsNoWindow(int argc, char *argv[])
{
    static constexpr const char *NoWindow[] = {"--headless", "--help", "-h", "-?", "--help-all",
                                               "--version", "-v"};
    for (int i = 1; i < argc; ++i)
        for (const char *option : NoWindow)
            if (qstrcmp(argv[i], option) == 0)
                return true;
    return false;
}

int runGui(QApplication &app, const TransportRegistry &registry, const CliOptions &options,
           DemoServer *demo, const std::shared_ptr<K8sEnvironment> &k8s)
{
    MainWindow window(&registry);
    window.setK8sEnvironment(k8s); // before any dashboard: its resource panels need the cluster
    // Which dashboard opens (README, "The window"): a FILE given opens it; --demo opens the demo
    // dashboard and neither reads nor writes the last session; no URL restores the last session.
    window.setSavesLastSession(!demo);
    if (demo) {
        window.setServerNote(QObject::tr("Demo server on %1 and %2")
                                 .arg(demo->httpUrl().toString(), demo->wsUrl().toString()));
        auto base = [](const QUrl &url) { return url.toString(QUrl::StripTrailingSlash); };
        const QHash<QString, QString> urls{{QStringLiteral("{demo-http}"), base(demo->httpUrl())},
                                           {QStringLiteral("{demo-ws}"), base(demo->wsUrl())}};
        QString error;
        if (!window.openDashboard(QStringLiteral(":/dashboards/demo.livedash"), &error, urls)) {
            std::fprintf(stderr, "livedash: %s\n", qPrintable(error));
            window.addSources(demoSourceConfigs(*demo));
        }
    }
    if (!options.dashboardPath.isEmpty()) {
        window.openDashboardInteractively(options.dashboardPath);
    } else if (!demo && options.urls.isEmpty()) {
        QString error;
        if (!window.restoreLastSession(&error) && !error.isEmpty())
            std::fprintf(stderr, "livedash: cannot restore the last session: %s\n", qPrintable(error));
    }
    // k8s:exec/ and k8s:attach/ on the command line open terminal tabs, k8s:forward/ a port forward;
    // everything else is a source.
    QList<TransportConfig> sources;
    QList<QUrl> sessions;
    for (const TransportConfig &config : options.transportConfigs())
        (K8sExecSpec::isSessionUrl(config.url) ? sessions.append(config.url) : sources.append(config));
    window.addSources(sources);
    window.show();
    for (const QUrl &url : sessions) {
        QString error;
        if (!window.terminals()->openSession(url.toString(), &error))
            std::fprintf(stderr, "livedash: %s: %s\n", qPrintable(url.toString()), qPrintable(error));
    }
    if (demo && demo->cluster()) {
        window.showCluster(QStringLiteral("livedash-demo")); // the demo's fake cluster, its pods table in front
        // A shell in a pod of the fake cluster (a real local shell in a pty), so a new user can type
        // in a container at once. Only for --demo: a dashboard never opens a shell by itself.
        window.terminals()->openTerminal(
            TerminalTarget{QStringLiteral("k8s:exec/db-0/main?namespace=default&context=livedash-demo"), {}});
    }
    if (!options.renderTerminalPath.isEmpty()) {
        // --render-terminal without --headless: the recording in a replay tab, at its end (the
        // final screen, as the headless variant prints it); Play or the slider replays it.
        QString error;
        TerminalPanel *panel = window.terminals()->openRecording(options.renderTerminalPath, &error);
        if (!panel) {
            std::fprintf(stderr, "livedash: %s\n", qPrintable(error));
            return 1;
        }
        if (auto *player = qobject_cast<RecordingPlayer *>(panel->tab()->backend())) {
            QObject::connect(player, &TerminalBackend::opened, player, [player] {
                player->pause();
                player->seek(player->duration());
            }, Qt::SingleShotConnection);
        }
    }

    if (!options.screenshotPath.isEmpty()) {
        QTimer::singleShot(options.screenshotDelayMs, &window, [&] {
            QString error;
            if (window.saveScreenshot(options.screenshotPath, &error)) {
                std::fprintf(stderr, "livedash: saved screenshot to %s\n", qPrintable(options.screenshotPath));
                app.exit(0);
            } else {
                std::fprintf(stderr, "livedash: %s\n", qPrintable(error));
                app.exit(1);
            }
        });
    }
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    // stderr of a headless run is a contract; see log_output.h for what else may print there.
    LogOutput::install(needsNoWindow(argc, argv) ? LogOutput::Mode::Headless : LogOutput::Mode::Window);
    std::unique_ptr<QCoreApplication> app;
    if (needsNoWindow(argc, argv))
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("livedash"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIVEDASH_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("LiveDash"));

    const CliParseResult parsed = parseCommandLine(QCoreApplication::arguments());
    if (!parsed.options) {
        std::FILE *stream = parsed.exitCode == 0 ? stdout : stderr;
        std::fprintf(stream, "%s\n", qPrintable(parsed.message));
        return parsed.exitCode;
    }
    const CliOptions &options = *parsed.options;
    if (options.verbose)
        LogOutput::install(LogOutput::Mode::Verbose);
    if (options.headless && !options.renderTerminalPath.isEmpty()) // prints the recording's final screen
        return runRenderTerminal(options.renderTerminalPath, options.renderColumns, options.renderRows);

    TransportRegistry registry;
    registerBuiltinTransports(registry);
    KubeconfigLoadOptions kubeconfig;
    kubeconfig.explicitPath = options.kubeconfigPath;

    std::unique_ptr<DemoServer> demo;
    if (options.demo) {
        demo = std::make_unique<DemoServer>();
        if (!demo->listen()) {
            std::fprintf(stderr, "livedash: cannot start the demo server: %s\n", qPrintable(demo->errorString()));
            return 1;
        }
        std::fprintf(stderr, "livedash: demo server on %s and %s\n", qPrintable(demo->httpUrl().toString()),
                     qPrintable(demo->wsUrl().toString()));
    }
    // The demo's fake cluster: its kubeconfig (mode 0600; the bearer token in it is the only way
    // in) goes to a private temporary directory that is removed on exit. Without --kubeconfig the
    // Kubernetes sources of this run use it.
    std::unique_ptr<QTemporaryDir> demoKubeDir;
    if (demo && demo->cluster()) {
        demoKubeDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/livedash-demo-XXXXXX"));
        QString error;
        // Over TLS, so the real kubectl can use the kubeconfig too (it never sends a token over http).
        QString tlsError;
        const std::optional<DemoTls> tls = demoKubeDir->isValid() ? DemoTls::create(demoKubeDir->path(), &tlsError)
                                                                  : std::nullopt;
        if (tls && demo->listenTls(tls->serverConfiguration)) {
            demo->cluster()->setCertificateAuthority(tls->certificatePem);
            std::fprintf(stderr, "livedash: demo server (TLS) on %s and %s\n", qPrintable(demo->httpsUrl().toString()),
                         qPrintable(demo->wssUrl().toString()));
        } else {
            std::fprintf(stderr, "livedash: demo cluster on plain HTTP (kubectl will not send its token there): %s\n",
                         qPrintable(tlsError.isEmpty() ? demo->errorString() : tlsError));
        }
        const QString path = demoKubeDir->isValid()
                                 ? demo->cluster()->writeKubeconfig(demoKubeDir->filePath(QStringLiteral("kubeconfig")), &error)
                                 : QString();
        if (path.isEmpty()) {
            std::fprintf(stderr, "livedash: cannot write the demo cluster's kubeconfig: %s\n",
                         qPrintable(error.isEmpty() ? demoKubeDir->errorString() : error));
        } else {
            std::fprintf(stderr, "livedash: demo cluster kubeconfig: %s (context livedash-demo)\n", qPrintable(path));
            if (kubeconfig.explicitPath.isEmpty())
                kubeconfig.explicitPath = path;
        }
    }
    auto k8s = std::make_shared<K8sEnvironment>(kubeconfig);
    k8s->setDefaultContext(options.kubeContext);
    k8s->setDefaultNamespace(options.kubeNamespace);
    registerK8sTransports(registry, k8s);

    if (options.headless && isHeadlessK8sSession(options))
        return runHeadlessK8sSession(options, k8s.get(), *app); // k8s:exec/, k8s:attach/, k8s:forward/
    if (options.headless) {
        QList<TransportConfig> configs = options.transportConfigs();
        if (demo && configs.isEmpty())
            configs = demoSourceConfigs(*demo);
        HeadlessRunner runner(&registry, options);
        QObject::connect(&runner, &HeadlessRunner::finished, app.get(), &QCoreApplication::exit,
                         Qt::QueuedConnection);
        if (!runner.start(configs))
            return 2;
        return app->exec();
    }
    auto *guiApp = qobject_cast<QApplication *>(app.get());
    if (!guiApp) {
        // "--headless" appeared only as an option's value (e.g. --data --headless).
        std::fprintf(stderr, "livedash: '--headless' was given as a value, not as an option\n");
        return 2;
    }
    return runGui(*guiApp, registry, options, demo.get(), k8s);
}
