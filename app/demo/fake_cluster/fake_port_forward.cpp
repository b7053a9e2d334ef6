#include "fake_port_forward.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

using namespace FakeExecProtocol;

namespace {

constexpr qsizetype MaxMessage = 32 * 1024;
constexpr int CloseTimeoutMs = 5000;

QByteArray portBytes(quint16 port)
{
    QByteArray out(2, Qt::Uninitialized);
    out[0] = char(port & 0xff);
    out[1] = char(port >> 8);
    return out;
}

} // namespace

FakePortForwardSession::FakePortForwardSession(QWebSocket *socket, const FakeStreamRequest &request,
                                               std::function<quint16(quint16)> podPort, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_request(request)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingMessageSize(4 * 1024 * 1024);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &FakePortForwardSession::handleMessage);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { handleMessage(text.toUtf8()); });
    connect(m_socket, &QWebSocket::disconnected, this, &FakePortForwardSession::handleDisconnected);
    connect(m_socket, &QWebSocket::bytesWritten, this, &FakePortForwardSession::relayAll);

    for (int i = 0; i < m_request.ports.size(); ++i) {
        const quint16 port = m_request.ports.at(i);
        send(quint8(2 * i), portBytes(port));
        send(quint8(2 * i + 1), portBytes(port));
        m_streams.append(Stream{port, nullptr, {}, false});
    }
    for (int i = 0; i < m_streams.size(); ++i) {
        const quint16 target = podPort(m_streams[i].port);
        if (target == 0) {
            endStream(i, refusedText(m_streams[i].port, m_request.podUid));
            continue;
        }
        auto *tcp = new QTcpSocket(this);
        tcp->setReadBufferSize(ReadBufferBytes);
        m_streams[i].socket = tcp;
        connect(tcp, &QTcpSocket::connected, this, [this, i, tcp] {
            if (!m_streams[i].pendingToPod.isEmpty())
                tcp->write(std::exchange(m_streams[i].pendingToPod, QByteArray()));
        });
        connect(tcp, &QTcpSocket::readyRead, this, [this, i] { relayFromPod(i); });
        connect(tcp, &QTcpSocket::errorOccurred, this, [this, i, tcp](QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::ConnectionRefusedError)
                endStream(i, refusedText(m_streams[i].port, m_request.podUid));
            else if (tcp->state() == QAbstractSocket::UnconnectedState)
                endStream(i, {});
        });
        connect(tcp, &QTcpSocket::disconnected, this, [this, i] {
            relayFromPod(i, true);
            endStream(i, {});
        });
        tcp->connectToHost(QHostAddress::LocalHost, target);
    }
}

FakePortForwardSession::~FakePortForwardSession() = default;

QByteArray FakePortForwardSession::refusedText(quint16 port, const QString &podUid)
{
    const QString when = QDateTime::currentDateTime().toString(QStringLiteral("yyyy/MM/dd HH:mm:ss"));
    return QStringLiteral("error forwarding port %1 to pod %2, uid : exit status 1: %3 socat[%4] E connect(5, AF=2 127.0.0.1:%1, 16): Connection refused\n")
        .arg(port)
        .arg(podUid, when)
        .arg(QRandomGenerator::global()->bounded(1000, 32000))
        .toUtf8();
}

void FakePortForwardSession::send(quint8 channel, const QByteArray &payload)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const QByteArray message = encode(m_request.dialect, channel, payload);
    if (isBase64(m_request.dialect))
        m_socket->sendTextMessage(QString::fromLatin1(message));
    else
        m_socket->sendBinaryMessage(message);
}

void FakePortForwardSession::handleMessage(const QByteArray &message)
{
    quint8 channel = 0;
    QByteArray payload;
    if (!decode(m_request.dialect, message, &channel, &payload) || channel % 2 != 0)
        return; // error channels are server to client only
    const int index = channel / 2;
    if (index >= m_streams.size() || payload.isEmpty())
        return;
    Stream &stream = m_streams[index];
    if (stream.done || !stream.socket)
        return;
    if (stream.socket->state() == QAbstractSocket::ConnectedState)
        stream.socket->write(payload);
    else
        stream.pendingToPod += payload;
}

void FakePortForwardSession::relayFromPod(int index, bool all)
{
    QTcpSocket *tcp = m_streams[index].socket;
    while (tcp && tcp->bytesAvailable() > 0 && (all || m_socket->bytesToWrite() <= MaxBufferedOutput))
        send(quint8(2 * index), tcp->read(MaxMessage));
}

void FakePortForwardSession::relayAll()
{
    for (int i = 0; i < m_streams.size(); ++i)
        relayFromPod(i);
}

void FakePortForwardSession::endStream(int index, const QByteArray &error)
{
    Stream &stream = m_streams[index];
    if (stream.done)
        return;
    stream.done = true;
    if (!error.isEmpty())
        send(quint8(2 * index + 1), error);
    for (const Stream &s : std::as_const(m_streams)) {
        if (!s.done)
            return;
    }
    if (!m_closing) {
        m_closing = true;
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
        QTimer::singleShot(CloseTimeoutMs, m_socket, [socket = m_socket] { socket->abort(); });
    }
}

void FakePortForwardSession::drop()
{
    m_socket->abort();
}

void FakePortForwardSession::handleDisconnected()
{
    if (m_ended)
        return;
    m_ended = true;
    for (Stream &stream : m_streams) {
        stream.done = true;
        if (stream.socket) {
            stream.socket->disconnect(this);
            stream.socket->abort();
        }
    }
    Q_EMIT ended();
    deleteLater();
}
