// The real window on the offscreen platform, connected to the in-process demo server: the log pane
// and the chart must fill with live data, and a screenshot must be written.
#include "demo_server.h"
#include "demo_sources.h"
#include "event_log_model.h"
#include "main_window.h"
#include "series_buffer.h"
#include "source_list_model.h"
#include "transport.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demoFillsLogAndChart();
    void screenshotOptionWritesPng();
};

void TestMainWindow::demoFillsLogAndChart()
{
    DemoServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    TransportRegistry registry;
    registerBuiltinTransports(registry);

    MainWindow window(&registry);
    const QList<TransportConfig> configs = demoSourceConfigs(server);
    QVERIFY(configs.size() >= 4);
    QCOMPARE(window.addSources(configs), configs.size());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QCOMPARE(window.sourceModel()->rowCount(), configs.size());
    QTRY_VERIFY_WITH_TIMEOUT(window.logModel()->rowCount() > 20, 10'000);
    // Every demo source reaches Open.
    for (int row = 0; row < window.sourceModel()->rowCount(); ++row)
        QTRY_COMPARE_WITH_TIMEOUT(window.sourceModel()->transportAt(row)->state(), Transport::State::Open, 10'000);
    // The chart has numeric fields, auto-selected ones, and points in them.
    QTRY_VERIFY_WITH_TIMEOUT(!window.seriesBuffer()->knownFields().isEmpty(), 10'000);
    SeriesKey selected;
    for (const SeriesKey &key : window.seriesBuffer()->knownFields())
        if (window.seriesBuffer()->isSelected(key))
            selected = key;
    QVERIFY(!selected.pointer.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(window.seriesBuffer()->points(selected).size() > 5, 10'000);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("shot.png"));
    QString error;
    QVERIFY2(window.saveScreenshot(path, &error), qPrintable(error));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800 && image.height() >= 500);
}

// The command-line path a user takes: livedash --demo --screenshot FILE exits 0 with a PNG written.
void TestMainWindow::screenshotOptionWritesPng()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("demo.png"));
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(LIVEDASH_BIN), {QStringLiteral("--demo"), QStringLiteral("--screenshot"), path,
                                                 QStringLiteral("--screenshot-delay"), QStringLiteral("1500")});
    QVERIFY(process.waitForStarted(5000));
    QVERIFY(process.waitForFinished(30'000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    const QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800 && image.height() >= 500);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
