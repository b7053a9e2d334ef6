// Manual tool (not a test): serves the demo server with its fake cluster and prints the path of
// a kubeconfig for it, so the real kubectl can be pointed at it:
//   fake_cluster_serve [kubeconfig-path] [--fast] [--tls] [--no-auth] [--fanout=N,RATE]
//   kubectl --kubeconfig <path> get pods -w
// --fast: pod replacement every 6 s and a restart every 9 s instead of 20 s / 45 s.
// --tls: also serve HTTPS with the test certificate (tests/data/tls) and point the kubeconfig at
//        it: kubectl only sends its token over TLS.
// --no-auth: accept requests without the token (kubectl over plain HTTP).
// --fanout=N,RATE: N more pods fan-00.. in namespace "bench" (label app=fanout, container main),
//        each logging RATE text lines/s, with pod replacement and restarts off: the load of a
//        merged follow (`k8s:logs?selector=app=fanout&namespace=bench`, tests/bench/peers).

#include "demo_server.h"
#include "fake_cluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTextStream>

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool fast = args.removeAll(QStringLiteral("--fast")) > 0;
    const bool tls = args.removeAll(QStringLiteral("--tls")) > 0;
    const bool noAuth = args.removeAll(QStringLiteral("--no-auth")) > 0;
    int fanoutPods = 0;
    double fanoutRate = 0;
    for (qsizetype i = args.size() - 1; i >= 0; --i) {
        if (!args.at(i).startsWith(QLatin1String("--fanout=")))
            continue;
        const QStringList parts = args.takeAt(i).mid(9).split(QLatin1Char(','));
        fanoutPods = parts.value(0).toInt();
        fanoutRate = parts.value(1).toDouble();
        if (parts.size() != 2 || fanoutPods < 1 || fanoutPods > 1000 || fanoutRate <= 0) {
            QTextStream(stderr) << "--fanout=N,RATE: 1..1000 pods, RATE > 0 lines/s each\n";
            return 2;
        }
    }
    QElapsedTimer clock;
    clock.start();
    DemoServer server;
    const qint64 constructionMs = clock.elapsed();
    if (!server.listen()) {
        QTextStream(stderr) << server.errorString() << '\n';
        return 1;
    }
    if (tls) {
        const QByteArray certPem = readFile(QStringLiteral(DASH_TEST_DATA "/tls/test_cert.pem"));
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(QSslCertificate(certPem, QSsl::Pem));
        config.setPrivateKey(QSslKey(readFile(QStringLiteral(DASH_TEST_DATA "/tls/test_key.pem")), QSsl::Rsa, QSsl::Pem));
        if (!server.listenTls(config)) {
            QTextStream(stderr) << server.errorString() << '\n';
            return 1;
        }
        server.cluster()->setCertificateAuthority(certPem);
    }
    server.cluster()->setAuthRequired(!noAuth);
    if (fast) {
        FakeCluster::LifePeriods periods;
        periods.replacePodMs = 6000;
        periods.restartContainerMs = 9000;
        server.cluster()->setLifePeriods(periods);
    }
    if (fanoutPods > 0) {
        FakeCluster::LifePeriods quiet = server.cluster()->lifePeriods();
        quiet.replacePodMs = 0;
        quiet.restartContainerMs = 0;
        server.cluster()->setLifePeriods(quiet);
        const QString ns = QStringLiteral("bench");
        for (int i = 0; i < fanoutPods; ++i) {
            const QString name = QStringLiteral("fan-%1").arg(i, 2, 10, QLatin1Char('0'));
            server.cluster()->addPod(name, {QStringLiteral("main")}, {{QStringLiteral("app"), QStringLiteral("fanout")}}, ns);
            server.cluster()->setLogRate(name, QStringLiteral("main"), fanoutRate, ns);
        }
    }
    QString error;
    const QString path = server.cluster()->writeKubeconfig(args.value(0), &error);
    if (path.isEmpty()) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    QTextStream(stdout) << "kubeconfig " << path << "\nserver " << server.cluster()->serverUrl()
                        << "\nconstructed in " << constructionMs << " ms" << Qt::endl;
    return app.exec();
}
