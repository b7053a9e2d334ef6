#pragma once

#include "fake_stream_request.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QTcpSocket;
class QWebSocket;

/// One pods/{name}/portforward WebSocket of the fake cluster, dialect 1 of protocols.md 4.5
/// (v4.channel.k8s.io, its base64 variant, or no subprotocol), as the kubelet serves it.
/// Owns the socket; deletes itself after the socket closed, emitting ended() first.
///
/// For the i-th requested port, channel 2i carries data both ways and 2i+1 errors (server to
/// client). Right after the upgrade both channels of every port get the port as 2 bytes little
/// endian (8080 → `00 90 1f`, `01 90 1f`). Each port gets ONE TCP connection inside the "pod":
/// `podPort(port)` says where the pod's service listens on 127.0.0.1 (0: nothing listens, which
/// for the demo is every port but 8080). Bytes are relayed both ways (client data sent before the
/// connection is up is queued); a refused connection writes the kubelet's text on the error
/// channel ("error forwarding port 9999 to pod <uid>, uid : exit status 1: <date> socat[<pid>] E
/// connect(5, AF=2 127.0.0.1:9999, 16): Connection refused"). When every port's connection has
/// ended (refused, or closed by the pod side), the WebSocket is closed with 1000, as the kubelet
/// does once all its forwards returned. The client closing the WebSocket closes the connections.
///
/// Backpressure: while more than MaxBufferedOutput bytes wait in the WebSocket, the pod side is
/// not read (its socket's read buffer is bounded, so TCP flow control reaches the service).
class FakePortForwardSession : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 MaxBufferedOutput = 1024 * 1024;
    static constexpr qint64 ReadBufferBytes = 256 * 1024;

    FakePortForwardSession(QWebSocket *socket, const FakeStreamRequest &request,
                           std::function<quint16(quint16)> podPort, QObject *parent = nullptr);
    ~FakePortForwardSession() override;

    const FakeStreamRequest &request() const { return m_request; }
    void drop();

    /// The kubelet's error text for a refused port (pure).
    static QByteArray refusedText(quint16 port, const QString &podUid);

Q_SIGNALS:
    void ended();

private:
    struct Stream
    {
        quint16 port = 0;
        QPointer<QTcpSocket> socket;
        QByteArray pendingToPod;
        bool done = false;
    };

    void send(quint8 channel, const QByteArray &payload);
    void handleMessage(const QByteArray &message);
    void relayFromPod(int index, bool all = false); ///< all: ignore the backlog (the pod side closed)
    void relayAll();
    void endStream(int index, const QByteArray &error);
    void handleDisconnected();

    QWebSocket *m_socket = nullptr;
    FakeStreamRequest m_request;
    QList<Stream> m_streams;
    bool m_closing = false;
    bool m_ended = false;
};
