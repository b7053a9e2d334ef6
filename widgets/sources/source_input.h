#pragma once

#include <QString>

class QComboBox;
class QUrl;
class TransportRegistry;

/// What the add bar and the edit dialog share: the transport chooser and the URL check.
namespace SourceInput {

/// "auto" (item data empty) followed by sse, lines, ndjson, websocket and any other registered id
/// except "http" (which is what auto means), each with the registry's description as tooltip.
void fillTransportBox(QComboBox *box, const TransportRegistry *registry);
/// Selects `transportId` ("" and "http" select auto).
void selectTransport(QComboBox *box, const QString &transportId);
/// Parses the URL field for `transportId` (the box's item data): an http(s):// or ws(s):// URL
/// with a host, whose scheme the transport can speak. False with *error (a sentence to show).
bool parseUrl(const QString &text, const QString &transportId, QUrl *url, QString *error);
bool isTlsScheme(const QString &scheme);
bool isWebSocketScheme(const QString &scheme);

} // namespace SourceInput
