#pragma once

#include "transport_config.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// One request header of a dashboard source. A secret header (the user marked it, or its name
/// is sensitive: Authorization, Cookie, tokens) never has its value in the file: `value` is
/// empty after reading and `storage` says where the value is to be found.
struct DashboardHeader
{
    enum class Storage { Plain, Keyring, Prompt };

    QByteArray name;
    QByteArray value;
    bool secret = false;
    Storage storage = Storage::Plain; ///< Keyring: in the system keyring; Prompt: ask the user

    friend bool operator==(const DashboardHeader &, const DashboardHeader &) = default;
};

/// One source of a dashboard: a URL or a source spec ("k8s:logs/deployment/web?namespace=x")
/// kept as the string the user gave, and the options of TransportConfig a user can set.
struct DashboardSource
{
    QString url;
    QString name;        ///< the user-chosen name; empty: automatic
    QString transportId; ///< empty: chosen from the URL
    QList<DashboardHeader> headers;
    std::optional<QByteArray> body;
    bool insecureTls = false;
    bool reconnect = true;
    bool detectStalls = true;
    bool paused = false;
    int connectTimeoutMs = TransportConfig::DefaultConnectTimeoutMs;
    int idleTimeoutMs = 0;
    int pingIntervalMs = TransportConfig::DefaultPingIntervalMs;
    QStringList subprotocols;
    QList<int> finalCloseCodes;

    friend bool operator==(const DashboardSource &, const DashboardSource &) = default;

    /// The source as a TransportConfig; secret values are those in `headers` (possibly empty).
    TransportConfig toTransportConfig() const;
    /// `config` as a dashboard source. Headers the config marks secret, and sensitive names,
    /// become secret headers (their values kept in memory, never written by serializeDashboard).
    static DashboardSource fromTransportConfig(const TransportConfig &config, bool paused);
};

/// One panel of the workspace. `kind` names a panel kind of the workspace's registry ("log",
/// "chart", "sources", or a kind added later); `settings` holds what that kind saves and is
/// kept as read for kinds the program does not know.
struct DashboardPanel
{
    QString kind;
    QString id;
    QString title;
    bool allSources = true;  ///< bound to every source, also those added later
    QStringList sources;     ///< bound source names when not allSources
    QJsonObject settings;

    friend bool operator==(const DashboardPanel &, const DashboardPanel &) = default;
};

/// A whole dashboard: what a .livedash file holds.
struct DashboardDocument
{
    static constexpr int Version = 1;

    QString name;
    QList<DashboardSource> sources;
    QList<DashboardPanel> panels;
    QByteArray windowState;    ///< QMainWindow::saveState() of the workspace (raw bytes)
    QByteArray windowGeometry; ///< QWidget::saveGeometry() of the main window (raw bytes)

    friend bool operator==(const DashboardDocument &, const DashboardDocument &) = default;
};

/// Why a dashboard text could not be read: where (line and column, 1-based, for syntax errors;
/// the JSON path such as "sources[2].headers[0].name" for content errors) and what was expected.
struct DashboardError
{
    int line = 0;
    int column = 0;
    QString where;   ///< JSON path of the offending value; empty for syntax errors
    QString message; ///< what was wrong / expected

    /// "line 3, column 7: …" or "at sources[2].url: …".
    QString toString() const;
};

/// Reads and writes the dashboard format. Pure: no I/O, no QObject.
///
/// Format (JSON, indented, keys sorted so that the same dashboard always gives the same bytes):
/// {"format": "livedash-dashboard", "version": 1, "name": …,
///  "sources": [{"url", "name", "transport", "headers": [{"name", "value"} |
///              {"name", "secret": true, "valueIn": "keyring" | "prompt"}], "body", …}],
///  "panels": [{"kind", "id", "title", "sources": "all" | [names], "settings": {…}}],
///  "layout": {"state": base64, "geometry": base64}}
/// Unknown keys are ignored; a newer version is refused.
namespace DashboardFormat {

inline constexpr char FormatName[] = "livedash-dashboard";

/// The file text of `document`. Secret header values are never written.
QByteArray serialize(const DashboardDocument &document);
/// Parses `text`. On failure returns std::nullopt and fills *error.
std::optional<DashboardDocument> parse(const QByteArray &text, DashboardError *error);

} // namespace DashboardFormat
