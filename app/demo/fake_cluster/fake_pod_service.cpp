#include "fake_pod_service.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

FakePodService::FakePodService(const QString &podName, QObject *parent)
    : QObject(parent)
    , m_pod(podName)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection())
            handleConnection(socket);
    });
}

FakePodService::~FakePodService() = default;

bool FakePodService::listen()
{
    return m_server->isListening() || m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FakePodService::port() const
{
    return m_server->serverPort();
}

FakePodService::Kind FakePodService::classify(QByteArrayView firstBytes)
{
    constexpr qsizetype LongestMethod = 7; // OPTIONS, CONNECT
    for (qsizetype i = 0; i < firstBytes.size(); ++i) {
        const char c = firstBytes.at(i);
        if (c == ' ')
            return i > 0 ? Kind::Http : Kind::Echo;
        if (c < 'A' || c > 'Z' || i >= LongestMethod)
            return Kind::Echo;
    }
    return Kind::Undecided;
}

QByteArray FakePodService::httpResponse(const QString &podName)
{
    const QByteArray body = "hello from " + podName.toUtf8() + '\n';
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body;
}

void FakePodService::handleConnection(QTcpSocket *socket)
{
    socket->setParent(this);
    ++m_open;
    struct State
    {
        Kind kind = Kind::Undecided;
        QByteArray head;
        bool answered = false;
    };
    auto state = std::make_shared<State>();
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        --m_open;
        socket->deleteLater();
    });
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, state] {
        const QByteArray bytes = socket->readAll();
        if (state->kind == Kind::Echo) {
            socket->write(bytes);
            return;
        }
        if (state->answered)
            return;
        state->head += bytes;
        if (state->kind == Kind::Undecided)
            state->kind = classify(state->head);
        if (state->kind == Kind::Echo) {
            socket->write(state->head);
            state->head.clear();
        } else if (state->kind == Kind::Http
                   && (state->head.contains("\r\n\r\n") || state->head.contains("\n\n") || state->head.size() > MaxHead)) {
            state->answered = true;
            socket->write(httpResponse(m_pod));
            socket->disconnectFromHost();
        }
    });
}
