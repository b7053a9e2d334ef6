#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>

class QTcpSocket;
class QTimer;

/// One response on one TCP connection (HTTP/1.1, one request per connection, always
/// "Connection: close"). Owns the socket; created by HttpServer when a connection is accepted and
/// handed to the route handler once the request is complete. It deletes itself (deleteLater) after
/// the connection closed, so handlers parent their timers to it and use it as the context object
/// of their connections: everything per-connection then stops with it.
///
/// All methods are no-ops after the connection closed (or after end()/abort()). GUI-less; lives
/// on the thread of its HttpServer.
///
/// Backpressure: if a client stops reading and more than MaxPendingBytes pile up in the socket's
/// write buffer, the connection is aborted (a slow consumer must not grow the server's memory).
/// Long writers (e.g. huge bodies) check pendingBytes() and continue on bytesWritten().
class HttpResponder : public QObject
{
    Q_OBJECT
public:
    enum class Framing { Chunked, CloseDelimited, ContentLength };
    static constexpr qint64 MaxPendingBytes = 32 * 1024 * 1024;
    /// After end(), a client that does not take the rest of the response is dropped after this.
    static constexpr int LingerMs = 30'000;

    /// Takes ownership of a connected socket (reparents it); enables TCP_NODELAY.
    explicit HttpResponder(QTcpSocket *socket, QObject *parent = nullptr);
    ~HttpResponder() override;

    /// Status line + headers. Adds Content-Type only if given in `headers`; adds
    /// "Transfer-Encoding: chunked" (Chunked) or "Content-Length" (ContentLength, then
    /// `contentLength` is used); always "Connection: close". 1xx, 204 and 304 get no framing
    /// header and no body (write() is ignored, end() sends no terminating chunk).
    /// Only the first call has an effect.
    void writeHead(int status, const QList<QPair<QByteArray, QByteArray>> &headers = {},
                   Framing framing = Framing::Chunked, qint64 contentLength = 0);
    /// Body bytes (one chunk each when chunked; empty ignored). Before writeHead() it first sends
    /// a 200 chunked head without Content-Type.
    void write(const QByteArray &bytes);
    void end();                             ///< terminating chunk when chunked, then close gracefully
    /// Drop the TCP connection now: a truncated body for the client. Bytes already written are
    /// handed to the kernel first (as far as it takes them without blocking), then the socket closes.
    void abort();
    void writeRaw(const QByteArray &bytes); ///< bytes straight to the socket (malformed responses)
    bool isConnected() const;
    bool hasWrittenHead() const { return m_headWritten; }
    /// Bytes written but not yet handed to the kernel.
    qint64 pendingBytes() const;

    /// Convenience: head with Content-Type + Content-Length and the whole body, then end().
    void respond(int status, const QByteArray &contentType, const QByteArray &body,
                 const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});

    /// Standard reason phrase for a status ("Not Found"), "Unknown" for unregistered codes.
    static QByteArray reasonPhrase(int status);

    /// Protocol upgrades (WebSocket): hands the connection over to a new owner. Stops everything
    /// this responder and its HttpServer do with the socket (their slots, timers and counting:
    /// disconnected() is emitted, the responder deletes itself later), puts every byte received
    /// for this request (see noteReceived) back at the front of the socket's read buffer, so the
    /// next reader sees the request exactly as it arrived, and returns the socket without a
    /// parent. Works for QSslSocket too (the bytes go back into the decrypted buffer). Returns
    /// nullptr when the connection is closed, a response was started, or the received bytes were
    /// not all kept (more than MaxKeptBytes).
    QTcpSocket *takeSocket();
    static constexpr qsizetype MaxKeptBytes = 128 * 1024;
    /// Called by HttpServer with every chunk it read for the request (head, body, and whatever
    /// followed in the same reads), in order, so takeSocket() can give them back. Keeps at most
    /// MaxKeptBytes.
    void noteReceived(const QByteArray &bytes);

Q_SIGNALS:
    void disconnected();            ///< the client went away or we closed; stop timers on this
    void bytesWritten(qint64 bytes); ///< the socket handed bytes to the kernel

private:
    void handleDisconnected();
    void queue(const QByteArray &bytes);

    QPointer<QTcpSocket> m_socket;
    QTimer *m_lingerTimer = nullptr;
    Framing m_framing = Framing::Chunked;
    bool m_headWritten = false;
    bool m_bodyAllowed = true;
    bool m_finished = false;     ///< end() or abort() was called
    bool m_disconnected = false;
    bool m_keptAll = true;       ///< m_received holds every byte read so far
    QByteArray m_received;       ///< see noteReceived()
};
