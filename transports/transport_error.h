#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
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

    TransportError() = default;
    TransportError(Kind k, QString text, bool canRetry, int status = 0)
        : kind(k)
        , message(std::move(text))
        , retryable(canRetry)
        , httpStatus(status)
    {
    }

    Kind kind = Kind::Network;
    QString message;      ///< human-readable and specific: what was expected, what came
    bool retryable = false;
    int httpStatus = 0;   ///< for HttpStatus, the status code
    /// A refused HTTP response as it came (what Postman/DevTools show for a failed request):
    /// its headers (secret ones such as Set-Cookie redacted) and the first BodyExcerptBytes of its
    /// body, UTF-8 repaired. Peer text: escape it (Printable) before showing it.
    QList<QPair<QByteArray, QByteArray>> responseHeaders;
    QByteArray responseBody;
    static constexpr qsizetype BodyExcerptBytes = 4096;

    QString kindName() const;
};

Q_DECLARE_METATYPE(TransportError)
