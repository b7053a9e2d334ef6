#pragma once

#include <QMetaType>
#include <QString>

/// Why a transport could not deliver. `retryable` tells whether the transport is going to try
/// again by itself (Reconnecting) or has given up (Closed).
struct TransportError
{
    enum class Kind : quint8 {
        Network,     ///< DNS, TCP, truncated body, socket errors
        Tls,         ///< certificate or handshake failure
        HttpStatus,  ///< a status the protocol does not accept (404, 500, ...)
        ContentType, ///< the response is not of the media type the transport needs
        Protocol,    ///< the peer broke the protocol (bad WebSocket close, handshake, ...)
        TooLarge,    ///< a line, event or message exceeded the configured cap
        Config,      ///< the configuration cannot work (bad URL, unknown transport)
    };

    Kind kind = Kind::Network;
    QString message;      ///< human-readable and specific: what was expected, what came
    bool retryable = false;
    int httpStatus = 0;   ///< for HttpStatus, the status code

    QString kindName() const;
};

Q_DECLARE_METATYPE(TransportError)
