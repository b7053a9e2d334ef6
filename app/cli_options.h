#pragma once

#include "transport_config.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// Everything the command line can say. Parsed once in main(); both the headless runner and the
/// window read it.
struct CliOptions
{
    bool headless = false;
    bool demo = false;
    QString transportId;                          ///< empty: chosen per URL / Content-Type
    QList<QPair<QByteArray, QByteArray>> headers; ///< -H "Name: value"
    std::optional<QByteArray> body;               ///< --data
    bool insecureTls = false;
    std::optional<int> connectTimeoutMs;          ///< --connect-timeout S (default: TransportConfig's 30 s)
    int idleTimeoutMs = 0;                        ///< --idle-timeout S, 0 = off
    bool detectStalls = true;                     ///< --no-stall-detection turns it off
    QList<QByteArray> secretHeaders;              ///< --secret-header NAME
    QList<int> finalCloseCodes;                   ///< --final-close-codes 4001,4403
    bool verbose = false;                         ///< --verbose: our debug/info logs and Qt's warnings
    std::optional<qint64> count;                  ///< --count N
    std::optional<double> durationSeconds;        ///< --duration S
    QString screenshotPath;
    int screenshotDelayMs = 3000;
    QList<QUrl> urls;                             ///< http(s)/ws(s) URLs and k8s: sources
    /// `livedash FILE.livedash`: a dashboard file to open (an existing *.livedash or *.json file).
    QString dashboardPath;
    QString kubeconfigPath;                       ///< --kubeconfig
    QString kubeContext;                          ///< --context
    QString kubeNamespace;                        ///< -n / --namespace
    QString renderTerminalPath;                   ///< --render-terminal FILE (a recording)
    int renderColumns = 0;                        ///< --size COLSxROWS; 0 = the recording's size
    int renderRows = 0;

    /// One TransportConfig per URL with the shared options applied.
    QList<TransportConfig> transportConfigs() const;
};

struct CliParseResult
{
    std::optional<CliOptions> options; ///< set when the arguments are usable
    QString message;                   ///< usage error, or help/version text
    int exitCode = 0;                  ///< 0 for --help/--version, 2 for bad usage
};

/// Parses `arguments` (including argv[0]). Pure: prints nothing.
CliParseResult parseCommandLine(const QStringList &arguments);
