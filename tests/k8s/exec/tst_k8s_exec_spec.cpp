// K8sExecSpec: k8s:exec/, k8s:attach/ and k8s:forward/ syntax, its errors, and toUrl() round trips.
#include "k8s_exec_spec.h"

#include <QTest>

using Spec = K8sExecSpec;

class TestK8sExecSpec : public QObject
{
    Q_OBJECT
private:
    static std::optional<Spec> parse(const QString &text, QString *error = nullptr)
    {
        return Spec::parse(QUrl(text), error);
    }

private Q_SLOTS:
    void sessionUrls()
    {
        QVERIFY(Spec::isSessionUrl(QUrl(QStringLiteral("k8s:exec/web"))));
        QVERIFY(Spec::isSessionUrl(QUrl(QStringLiteral("k8s:attach/web"))));
        QVERIFY(Spec::isSessionUrl(QUrl(QStringLiteral("k8s:forward/web/80"))));
        QVERIFY(Spec::isSessionUrl(QUrl(QStringLiteral("k8s:exec"))));
        QVERIFY(!Spec::isSessionUrl(QUrl(QStringLiteral("k8s:logs/web"))));
        QVERIFY(!Spec::isSessionUrl(QUrl(QStringLiteral("k8s:executor/web"))));
        QVERIFY(!Spec::isSessionUrl(QUrl(QStringLiteral("http://exec/web"))));
    }
    void execCommand()
    {
        QString error;
        const auto spec = parse(QStringLiteral("k8s:exec/web-7d9f/app?command=sh&command=-c&command=echo%20hi%20%26%26%20exit%203"
                                               "&tty=false&stdin=false&namespace=shop&context=prod"), &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->kind, Spec::Kind::Exec);
        QCOMPARE(spec->pod, QStringLiteral("web-7d9f"));
        QCOMPARE(spec->container, QStringLiteral("app"));
        QCOMPARE(spec->command, (QStringList{"sh", "-c", "echo hi && exit 3"}));
        QCOMPARE(spec->tty, false);
        QCOMPARE(spec->stdinEnabled, false);
        QCOMPARE(spec->namespaceName, QStringLiteral("shop"));
        QCOMPARE(spec->context, QStringLiteral("prod"));
        QVERIFY(!spec->isShell());
        QCOMPARE(spec->commandFor(true), spec->command); // explicit command= never falls back
    }
    void shellDefault()
    {
        const auto spec = parse(QStringLiteral("k8s:exec/web"));
        QVERIFY(spec);
        QVERIFY(spec->isShell());
        QVERIFY(spec->container.isEmpty());
        QVERIFY(!spec->tty);
        QVERIFY(!spec->stdinEnabled);
        QCOMPARE(spec->commandFor(false), QStringList{"bash"});
        QCOMPARE(spec->commandFor(true), QStringList{"sh"});
    }
    void attach()
    {
        const auto spec = parse(QStringLiteral("k8s:attach/web/app?tty=true"));
        QVERIFY(spec);
        QCOMPARE(spec->kind, Spec::Kind::Attach);
        QCOMPARE(spec->container, QStringLiteral("app"));
        QCOMPARE(spec->tty, true);
        QVERIFY(!spec->isShell());
        QVERIFY(spec->commandFor(false).isEmpty());
    }
    void forward()
    {
        QString error;
        const auto spec = parse(QStringLiteral("k8s:forward/db-0/15432:5432,0:8080,:9090,6379?namespace=data"), &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->kind, Spec::Kind::Forward);
        QCOMPARE(spec->pod, QStringLiteral("db-0"));
        const QList<Spec::PortMapping> expected = {{15432, 5432}, {0, 8080}, {0, 9090}, {6379, 6379}};
        QCOMPARE(spec->ports, expected);
        QCOMPARE(spec->namespaceName, QStringLiteral("data"));
    }
    void errors_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected"); // a part of the message
        QTest::newRow("no pod") << "k8s:exec" << "needs a pod";
        QTest::newRow("no pod slash") << "k8s:exec/" << "needs a pod";
        QTest::newRow("bad pod") << "k8s:exec/Web_1" << "pod 'Web_1' is not a valid Kubernetes name";
        QTest::newRow("bad container") << "k8s:exec/web/App" << "container 'App'";
        QTest::newRow("too deep") << "k8s:exec/web/app/x" << "expected k8s:exec/POD[/CONTAINER]";
        QTest::newRow("trailing slash") << "k8s:exec/web/" << "expected k8s:exec/POD[/CONTAINER]";
        QTest::newRow("unknown param") << "k8s:exec/web?comand=ls" << "unknown parameter 'comand'";
        QTest::newRow("empty command") << "k8s:exec/web?command=" << "command= is empty";
        QTest::newRow("bad tty") << "k8s:exec/web?tty=maybe" << "tty=maybe is not true or false";
        QTest::newRow("twice") << "k8s:exec/web?namespace=a&namespace=b" << "namespace= is given more than once";
        QTest::newRow("bad namespace") << "k8s:exec/web?namespace=A%20B" << "namespace 'A B'";
        QTest::newRow("attach command") << "k8s:attach/web?command=ls" << "k8s:attach takes no command=";
        QTest::newRow("forward no ports") << "k8s:forward/web" << "expected k8s:forward/POD/LOCAL:REMOTE";
        QTest::newRow("forward empty ports") << "k8s:forward/web/" << "expected k8s:forward/POD/LOCAL:REMOTE";
        QTest::newRow("forward remote 0") << "k8s:forward/web/8080:0" << "'8080:0' is not LOCAL:REMOTE";
        QTest::newRow("forward big") << "k8s:forward/web/70000" << "'70000' is not LOCAL:REMOTE";
        QTest::newRow("forward text") << "k8s:forward/web/http" << "'http' is not LOCAL:REMOTE";
        QTest::newRow("forward sign") << "k8s:forward/web/+80" << "'+80' is not LOCAL:REMOTE";
        QTest::newRow("forward dup") << "k8s:forward/web/8080:80,8080:81" << "local port 8080 is given twice";
        QTest::newRow("forward tty") << "k8s:forward/web/80?tty=true" << "unknown parameter 'tty' for k8s:forward";
        QTest::newRow("forward extra") << "k8s:forward/web/80/x" << "expected k8s:forward";
        QTest::newRow("not a session") << "k8s:logs/web" << "not a k8s:exec/";
    }
    void errors()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!parse(url, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
    void roundTrip_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("shell") << "k8s:exec/web";
        QTest::newRow("command") << "k8s:exec/web/app?command=sh&command=-c&command=echo%20a%26b%3Dc%25d%2Be%23f%20%22q%22&tty=false&stdin=true";
        QTest::newRow("unicode") << "k8s:exec/web?command=printf&command=%C3%A9%E2%82%AC";
        QTest::newRow("attach") << "k8s:attach/web/app?tty=true&namespace=shop&context=kind-kind";
        QTest::newRow("context with specials") << "k8s:exec/web?context=arn:aws:eks:eu-1:1:cluster/a%26b";
        QTest::newRow("forward") << "k8s:forward/db-0/15432:5432,0:8080?namespace=data";
    }
    void roundTrip()
    {
        QFETCH(QString, url);
        QString error;
        const auto spec = parse(url, &error);
        QVERIFY2(spec, qPrintable(error));
        const QUrl saved = spec->toUrl();
        const auto again = Spec::parse(QUrl(saved.toString()), &error);
        QVERIFY2(again, qPrintable(saved.toString() + QStringLiteral(": ") + error));
        QCOMPARE(*again, *spec);
        QVERIFY(Spec::isSessionUrl(saved));
    }
    void roundTripBuilt()
    {
        Spec spec;
        spec.pod = QStringLiteral("web");
        spec.command = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("a=1 && b=2; echo $a+$b #x 100%")};
        spec.tty = true;
        const QUrl url = spec.toUrl();
        const auto again = Spec::parse(QUrl(url.toString(QUrl::FullyEncoded)), nullptr);
        QVERIFY(again);
        QCOMPARE(again->command, spec.command);
        QCOMPARE(*again, spec);
    }
};

QTEST_GUILESS_MAIN(TestK8sExecSpec)
#include "tst_k8s_exec_spec.moc"
