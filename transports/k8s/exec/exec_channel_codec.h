#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

/// How a Kubernetes exec/attach status channel ended (ExecChannelCodec::decodeStatus).
struct ExecStatus
{
    enum class Kind {
        Success,       ///< exit code 0
        ExitCode,      ///< NonZeroExitCode with details.causes[reason=ExitCode].message (0–255)
        Failure,       ///< any other Failure: message, no exit code (never ran, container gone)
        ProtocolError, ///< not a Status object (malformed JSON, missing "status")
    };
    Kind kind = Kind::ProtocolError;
    int exitCode = -1;  ///< Success: 0; ExitCode: the code; else -1
    QString message;    ///< escaped (Printable); Failure/ProtocolError: what to show
    QString reason;     ///< Status.reason ("NonZeroExitCode", "InternalError", ...)

    bool hasExitCode() const { return kind == Kind::Success || kind == Kind::ExitCode; }
};

/// The channel framing of Kubernetes exec, attach (protocols.md 4.2, 4.3): one WebSocket message
/// = one channel byte (binary) or one channel digit plus base64 (text, *.base64.*) followed by
/// the payload. Pure: no QObject, no I/O. The only state is "connected": the first empty
/// message the server sends is the connection signal, not data (E4).
///
/// Protocols: channel.k8s.io (also "" and v2.channel.k8s.io), base64.channel.k8s.io,
/// v4.channel.k8s.io, v4.base64.channel.k8s.io, v5.channel.k8s.io. v1/v2 put plain text on the
/// error channel (empty = success); v4/v5 a metav1.Status JSON; only v5 has CLOSE (channel 255).
///
/// Messages are whole (QWebSocket delimits them), so there is no split inside a message; a
/// stream may be split into any number of messages on the same channel.
class ExecChannelCodec
{
public:
    enum class Protocol { V1, Base64V1, V4, Base64V4, V5 };

    static constexpr int StdinChannel = 0;
    static constexpr int StdoutChannel = 1;
    static constexpr int StderrChannel = 2;
    static constexpr int ErrorChannel = 3;
    static constexpr int ResizeChannel = 4;
    static constexpr int CloseChannel = 255;

    /// The protocol a negotiated subprotocol name stands for; nullopt for anything else.
    static std::optional<Protocol> protocolFor(QByteArrayView name);
    static QByteArray nameOf(Protocol protocol);

    explicit ExecChannelCodec(Protocol protocol = Protocol::V5) : m_protocol(protocol) {}

    Protocol protocol() const { return m_protocol; }
    bool isBase64() const { return m_protocol == Protocol::Base64V1 || m_protocol == Protocol::Base64V4; }
    /// v4/v5: the error channel carries a Status JSON; v1/v2: plain text.
    bool hasStatusJson() const { return m_protocol == Protocol::V4 || m_protocol == Protocol::Base64V4 || m_protocol == Protocol::V5; }
    bool canCloseInput() const { return m_protocol == Protocol::V5; }

    struct Decoded
    {
        enum class Kind {
            Data,      ///< payload on channel (1 stdout, 2 stderr, 3 error/status); may be empty
            Connected, ///< the first empty message: the session is up
            Ignored,   ///< a channel we do not read (E9), or a client-only channel
            Invalid,   ///< not a frame of this protocol (empty message, bad base64, bad digit)
        };
        Kind kind = Kind::Ignored;
        int channel = -1;
        QByteArray payload;
        QString error; ///< Invalid: why
    };
    /// Decodes one server message; `binary` says which WebSocket frame type carried it.
    Decoded decode(QByteArrayView message, bool binary);
    /// True once a Connected (or any data) message has been seen.
    bool isConnected() const { return m_connected; }
    void reset() { m_connected = false; }

    /// One client message; `binary` says which frame type to send it as.
    struct Outgoing
    {
        QByteArray bytes;
        bool binary = true;
    };
    Outgoing encodeStdin(QByteArrayView bytes) const;
    /// `{"Width":W,"Height":H}` on channel 4 (E7); values clamped to 0..65535.
    Outgoing encodeResize(int columns, int rows) const;
    /// v5: exactly `ff 00` (E6). nullopt under every other protocol.
    std::optional<Outgoing> encodeCloseStdin() const;

    /// The error channel's whole content as the protocol defines it (v4/v5: Status JSON, E5;
    /// v1/v2: plain text, empty = success).
    static ExecStatus decodeStatus(QByteArrayView payload, Protocol protocol);

private:
    Outgoing encode(int channel, QByteArrayView payload) const;

    Protocol m_protocol;
    bool m_connected = false;
};
