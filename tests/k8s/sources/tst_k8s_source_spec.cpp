#include "k8s_source_spec.h"

#include <QTest>

class TestK8sSourceSpec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void podLogs()
    {
        QString error;
        auto spec = K8sSourceSpec::parse(QUrl(QStringLiteral("k8s:logs/web-1")), &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->kind, K8sSourceSpec::Kind::PodLogs);
        QCOMPARE(spec->pod, QStringLiteral("web-1"));
        QVERIFY(spec->container.isEmpty());
        spec = K8sSourceSpec::parse(QUrl(QStringLiteral("k8s:logs/db-0/metrics?namespace=shop&tail=5&previous=true")), &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->container, QStringLiteral("metrics"));
        QCOMPARE(spec->namespaceName, QStringLiteral("shop"));
        QCOMPARE(spec->tailLines, 5);
        QVERIFY(spec->previous);
    }
    void workloadLogs_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("kind");
        QTest::newRow("deployment") << "k8s:logs/deployment/web" << "deployments";
        QTest::newRow("deploy") << "k8s:logs/deploy/web" << "deployments";
        QTest::newRow("sts") << "k8s:logs/sts/web" << "statefulsets";
        QTest::newRow("daemonset") << "k8s:logs/daemonset/web" << "daemonsets";
        QTest::newRow("rs") << "k8s:logs/rs/web" << "replicasets";
        QTest::newRow("job") << "k8s:logs/job/web" << "jobs";
    }
    void workloadLogs()
    {
        QFETCH(QString, url);
        QFETCH(QString, kind);
        QString error;
        const auto spec = K8sSourceSpec::parse(QUrl(url), &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->kind, K8sSourceSpec::Kind::WorkloadLogs);
        QCOMPARE(spec->workloadKind, kind);
        QCOMPARE(spec->workloadName, QStringLiteral("web"));
    }
    void selectorAndOptions()
    {
        QString error;
        const auto spec = K8sSourceSpec::parse(
            QUrl(QStringLiteral("k8s:logs?selector=app%3Dweb,tier!%3Dfront&since=1h30m&container=^ma&include=ERROR&exclude=health")),
            &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->kind, K8sSourceSpec::Kind::SelectorLogs);
        QCOMPARE(spec->selector, QStringLiteral("app=web,tier!=front"));
        QCOMPARE(spec->sinceSeconds, 5400);
        QCOMPARE(spec->containerRegex, QStringLiteral("^ma"));
        QCOMPARE(spec->include, QStringLiteral("ERROR"));
        QCOMPARE(spec->exclude, QStringLiteral("health"));
    }
    void watch()
    {
        QString error;
        auto spec = K8sSourceSpec::parse(QUrl(QStringLiteral("k8s:watch/pods")), &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->kind, K8sSourceSpec::Kind::Watch);
        QCOMPARE(spec->resource, QStringLiteral("pods"));
        spec = K8sSourceSpec::parse(QUrl(QStringLiteral("k8s:watch/widgets.demo.livedash.io/w1?context=prod")), &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->resource, QStringLiteral("widgets.demo.livedash.io"));
        QCOMPARE(spec->name, QStringLiteral("w1"));
        QCOMPARE(spec->context, QStringLiteral("prod"));
    }
    void errors_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("verb") << "k8s:exec/web" << "expected k8s:logs/... or k8s:watch/...";
        QTest::newRow("no target") << "k8s:logs" << "needs a pod";
        QTest::newRow("workload without name") << "k8s:logs/deployment" << "needs a name";
        QTest::newRow("too deep") << "k8s:logs/a/b/c/d" << "expected k8s:logs/POD";
        QTest::newRow("watch nothing") << "k8s:watch" << "expected k8s:watch/RESOURCE";
        QTest::newRow("since") << "k8s:logs/web?since=soon" << "since=soon is not a duration";
        QTest::newRow("tail") << "k8s:logs/web?tail=-3" << "tail=-3 is not a number";
        QTest::newRow("regex") << "k8s:logs/web?include=(" << "include= is not a valid regular expression";
        QTest::newRow("unknown") << "k8s:logs/web?follow=false" << "unknown parameter 'follow'";
    }
    void errors()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!K8sSourceSpec::parse(QUrl(url), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
    void durations()
    {
        QCOMPARE(K8sSourceSpec::parseDuration(QStringLiteral("10m")), 600);
        QCOMPARE(K8sSourceSpec::parseDuration(QStringLiteral("90s")), 90);
        QCOMPARE(K8sSourceSpec::parseDuration(QStringLiteral("45")), 45);
        QCOMPARE(K8sSourceSpec::parseDuration(QStringLiteral("2h")), 7200);
        QVERIFY(!K8sSourceSpec::parseDuration(QStringLiteral("0s")));
        QVERIFY(!K8sSourceSpec::parseDuration(QStringLiteral("m")));
    }
};

QTEST_GUILESS_MAIN(TestK8sSourceSpec)
#include "tst_k8s_source_spec.moc"
