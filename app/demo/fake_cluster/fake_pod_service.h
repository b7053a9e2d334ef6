#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QString>

class QTcpServer;
class QTcpSocket;

/// What a fake pod serves on its port 8080 (the target of the demo's port-forward): a QTcpServer
/// on 127.0.0.1 and a random port, one per pod, made by FakeExecService on the first forward.
///
/// Per connection: when the first bytes look like an HTTP/1.x request ("GET / HTTP/1.1..."), the
/// head is read and answered `200 text/plain "hello from <pod>\n"` with Connection: close (like a
/// tiny web server; curl through the forward shows it); anything else is echoed back byte for byte
/// until the peer closes. Single-threaded; closing (or destroying) it drops every connection.
class FakePodService : public QObject
{
    Q_OBJECT
public:
    static constexpr quint16 PodPort = 8080;
    static constexpr qsizetype MaxHead = 16 * 1024;

    FakePodService(const QString &podName, QObject *parent = nullptr);
    ~FakePodService() override;

    /// Listens on 127.0.0.1:0. False on failure.
    bool listen();
    quint16 port() const;
    int openConnections() const { return m_open; }

    /// How a connection's first bytes classify (pure): Http when they start with an uppercase
    /// method token and a space, Echo as soon as they cannot, Undecided while too short to tell.
    enum class Kind { Undecided, Http, Echo };
    static Kind classify(QByteArrayView firstBytes);
    /// The HTTP answer for `podName`.
    static QByteArray httpResponse(const QString &podName);

private:
    void handleConnection(QTcpSocket *socket);

    QString m_pod;
    QTcpServer *m_server = nullptr;
    int m_open = 0;
};
