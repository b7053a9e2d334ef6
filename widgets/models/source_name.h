#pragma once

#include "transport_config.h"

#include <QList>
#include <QString>

/// Short form of a source id for crowded places (log rows, chart legends, the sources table):
/// "host:port/path" when the id is an absolute URL with a host, the id unchanged otherwise
/// (user-chosen names, file paths). Query strings and user info are left out; the full id stays
/// available in tooltips. A disambiguation label that uniqueSourceName() appended (" (ws)",
/// " (code=2)", " (token=***#2)") is kept, so two sources never look the same.
QString shortSourceName(const QString &sourceId);

/// The transport id as users read it: "auto" for "http" (the response's Content-Type decides).
QString transportDisplayName(const QString &transportId);

/// True when two configurations open the same stream: the same URL (secrets included, compared
/// unredacted), the same resolved transport id, the same body and the same headers (names
/// case-insensitive, order ignored). Timeouts, TLS and reconnect settings do not make another
/// source.
bool isSameSource(const TransportConfig &a, const QString &aTransportId,
                  const TransportConfig &b, const QString &bTransportId);

/// A source already in the list, as uniqueSourceName() needs it.
struct NamedSource
{
    QString name;         ///< its source id
    TransportConfig config;
    QString transportId;  ///< resolved registry id
};

/// The source id for a source the user did not name: redactedUrl(config.url) when neither that
/// id nor its shortSourceName() is in use by `others`; otherwise the id with a label that says
/// what differs from the sources it would be confused with:
/// - the scheme ("ws://h/x" next to "http://h/x" → "ws://h/x (ws)"),
/// - query values that differ ("(code=2)"; secret values stay redacted, "(token=***#2)"),
/// - the transport ("(sse)" next to the same URL on auto),
/// - and a running "#N" when nothing visible differs (headers, body, a secret).
/// The result's id and short form are both unique among `others`.
QString uniqueSourceName(const TransportConfig &config, const QString &transportId,
                         const QList<NamedSource> &others);

/// True when `name` or its short form is already used by one of `others`.
bool isSourceNameTaken(const QString &name, const QList<NamedSource> &others);
