#include "redaction.h"
#include "transport_config.h"

#include <QTest>

class TestRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void redactedUrl_data();
    void redactedUrl();
    void sourceIdIsRedacted();
};

void TestRedaction::redactedUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "http://127.0.0.1:8080/sse/metrics?hz=20" << "http://127.0.0.1:8080/sse/metrics?hz=20";
    QTest::newRow("password") << "https://alice:s3cret@example.org/feed" << "https://alice@example.org/feed";
    QTest::newRow("token param") << "wss://h/ws?token=abc.def&room=7" << "wss://h/ws?token=***&room=7";
    QTest::newRow("several") << "https://h/x?access_token=a&api_key=b&key=c&sig=d&X-Amz-Signature=e&page=2"
                             << "https://h/x?access_token=***&api_key=***&key=***&sig=***&X-Amz-Signature=***&page=2";
    QTest::newRow("keyboard is not key") << "http://h/?keyboard=us" << "http://h/?keyboard=us";
    QTest::newRow("empty secret stays") << "http://h/?token=" << "http://h/?token=";
}

void TestRedaction::redactedUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(::redactedUrl(QUrl(url)), expected);
}

void TestRedaction::sourceIdIsRedacted()
{
    TransportConfig config;
    config.url = QUrl(QStringLiteral("https://bob:hunter2@h/x?token=t0p"));
    const QString id = config.effectiveSourceId();
    QVERIFY(!id.contains(QStringLiteral("hunter2")));
    QVERIFY(!id.contains(QStringLiteral("t0p")));
    config.sourceId = QStringLiteral("prod metrics");
    QCOMPARE(config.effectiveSourceId(), QStringLiteral("prod metrics"));
}

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
