#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// The server side of the Kubernetes streaming WebSocket protocols (protocols.md section 4), as
/// the demo's fake cluster speaks them: subprotocol choice, channel framing, the status message.
/// Pure functions, no QObject, no I/O.
namespace FakeExecProtocol {

/// How frames and the error channel look under a negotiated subprotocol.
enum class Dialect {
    Channel,       ///< "channel.k8s.io" or no subprotocol: binary frames, plain-text error channel
    Base64,        ///< "base64.channel.k8s.io": text frames, plain-text error channel
    V4,            ///< "v4.channel.k8s.io": binary frames, metav1.Status on channel 3
    V4Base64,      ///< "v4.base64.channel.k8s.io"
    V5,            ///< "v5.channel.k8s.io": V4 + the CLOSE signal (ff <channel>)
};

inline constexpr quint8 StdinChannel = 0;
inline constexpr quint8 StdoutChannel = 1;
inline constexpr quint8 StderrChannel = 2;
inline constexpr quint8 ErrorChannel = 3;
inline constexpr quint8 ResizeChannel = 4;
inline constexpr quint8 CloseChannel = 255;

/// Every exec/attach subprotocol, server preference first (v5 wins whenever it is offered).
QStringList execProtocols();
/// Port-forward subprotocols (dialect 1 of protocols.md 4.5), preference first; "" = none.
QStringList portForwardProtocols();
/// The dialect of a known subprotocol name ("" = Channel); nullopt for an unknown name.
std::optional<Dialect> dialectOf(const QString &subprotocol);
inline bool isBase64(Dialect d) { return d == Dialect::Base64 || d == Dialect::V4Base64; }
inline bool hasStatusJson(Dialect d) { return d == Dialect::V4 || d == Dialect::V4Base64 || d == Dialect::V5; }

/// The comma-separated Sec-WebSocket-Protocol values, trimmed, empty ones dropped, in order.
QStringList offeredProtocols(QByteArrayView headerValue);
/// The server's choice: the first entry of `supported` (server preference order) that the
/// client offered. A client that offered nothing gets "" when "" is supported (the old
/// channel.k8s.io behaviour of the kubelet). nullopt: no match (the handshake is refused).
/// Offered "base64url.bearer.authorization.k8s.io.*" entries are credentials, never chosen.
std::optional<QString> choose(const QStringList &offered, const QStringList &supported);
/// The token carried by an offered "base64url.bearer.authorization.k8s.io.<base64url>" entry,
/// empty if there is none (an alternative to the Authorization header for WebSocket clients).
QByteArray bearerTokenFromProtocols(const QStringList &offered);

/// One message: binary `[channel][payload]`, or for base64 dialects the text
/// `'0'+channel` followed by base64(payload) (returned as its UTF-8/ASCII bytes).
QByteArray encode(Dialect dialect, quint8 channel, QByteArrayView payload);
/// A client message split into channel and payload. Base64 dialects take text messages (pass the
/// text's UTF-8 bytes); false for an empty message, a bad channel character or bad base64.
bool decode(Dialect dialect, QByteArrayView message, quint8 *channel, QByteArray *payload);

/// The resize message `{"Width":W,"Height":H}` (uint16 each, both > 0); nullopt when malformed.
struct Size
{
    int columns = 0;
    int rows = 0;
};
std::optional<Size> parseResize(QByteArrayView json);

/// metav1.Status JSON for the error channel, key order as Go's encoder writes it:
/// `{"metadata":{},"status":"Success"}`.
QByteArray successStatus();
/// NonZeroExitCode for `exitCode` (1..255) of the command `argv`: message "command terminated with
/// non-zero exit code: error executing command [sh -c exit 3], exit code 3", cause
/// {"reason":"ExitCode","message":"3"}.
QByteArray exitCodeStatus(int exitCode, const QStringList &argv);
/// Any other Failure: {"metadata":{},"status":"Failure","message":M,"reason":R,
/// "details":{"causes":[{"message":M}]},"code":C} (details omitted when `withCause` is false).
QByteArray failureStatus(const QString &message, const QString &reason, int code, bool withCause = true);
/// What the pre-v4 dialects write on the error channel for the same outcomes: nothing for
/// success, the status message otherwise.
QByteArray plainErrorText(const QByteArray &statusJson);

/// `text` as a JSON string literal (with the quotes).
QByteArray jsonString(const QString &text);

} // namespace FakeExecProtocol
