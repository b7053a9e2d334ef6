#include "main_window.h"

#include "redaction.h"

#include "chart_panel.h"
#include "event_log_model.h"
#include "log_pane.h"
#include "series_buffer.h"
#include "source_list_model.h"
#include "sources_panel.h"
#include "transport.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>

MainWindow::MainWindow(const TransportRegistry *registry, QWidget *parent)
    : QMainWindow(parent)
    , m_sources(new SourceListModel(registry, this))
    , m_log(new EventLogModel(this))
    , m_series(new SeriesBuffer(this))
{
    setWindowTitle(QStringLiteral("LiveDash"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/livedash.png")));
    resize(1440, 880);

    connect(m_sources, &SourceListModel::eventsReceived, m_log, &EventLogModel::append);
    connect(m_sources, &SourceListModel::eventsReceived, m_series, &SeriesBuffer::append);

    m_sourcesPanel = new SourcesPanel(m_sources, registry, this);
    m_chartPanel = new ChartPanel(m_series, this);
    m_logPane = new LogPane(m_log, this);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_chartPanel);
    right->addWidget(m_logPane);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);

    auto *main = new QSplitter(Qt::Horizontal, this);
    main->addWidget(m_sourcesPanel);
    main->addWidget(right);
    main->setStretchFactor(0, 2);
    main->setStretchFactor(1, 5);
    main->setSizes({580, 860});
    setCentralWidget(main);

    m_statusLabel = new QLabel(this);
    m_serverLabel = new QLabel(this);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_serverLabel);

    buildMenus();

    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(500);
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer->start();
    updateStatus();
}

MainWindow::~MainWindow() = default;

int MainWindow::addSources(const QList<TransportConfig> &configs)
{
    int added = 0;
    for (const TransportConfig &config : configs) {
        QString error;
        if (m_sources->addSource(config, &error) >= 0)
            ++added;
        else
            statusBar()->showMessage(tr("Could not add %1: %2").arg(redactedUrl(config.url), error), 10'000);
    }
    updateStatus();
    return added;
}

void MainWindow::setServerNote(const QString &note)
{
    m_serverLabel->setText(note);
}

bool MainWindow::saveScreenshot(const QString &path, QString *error)
{
    const QPixmap pixmap = grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        if (error)
            *error = tr("could not write a PNG to %1").arg(path);
        return false;
    }
    return true;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *add = file->addAction(tr("&Add source…"), m_sourcesPanel, [this] {
        m_sourcesPanel->setFocus(Qt::ShortcutFocusReason);
    });
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    file->addAction(tr("Save &screenshot…"), this, &MainWindow::saveScreenshotInteractively);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Clear log"), m_log, &EventLogModel::clear);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LiveDash"), this, [this] {
        QMessageBox::about(this, tr("About LiveDash"),
                           tr("<b>LiveDash %1</b><p>A live dashboard for Server-Sent Events, streaming "
                              "HTTP (lines, NDJSON) and WebSocket feeds.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::updateStatus()
{
    int open = 0;
    int retrying = 0;
    int failed = 0;
    const int count = m_sources->rowCount();
    for (int row = 0; row < count; ++row) {
        const Transport *transport = m_sources->transportAt(row);
        if (!transport)
            continue;
        switch (transport->state()) {
        case Transport::State::Open: ++open; break;
        case Transport::State::Connecting:
        case Transport::State::Reconnecting: ++retrying; break;
        case Transport::State::Closed: failed += transport->hasFailed() ? 1 : 0; break;
        case Transport::State::Idle: break;
        }
    }
    QString text = tr("%n source(s)", nullptr, count) + QStringLiteral(" · ") + tr("%1 open").arg(open);
    if (retrying)
        text += QStringLiteral(" · ") + tr("%1 connecting").arg(retrying);
    if (failed)
        text += QStringLiteral(" · ") + tr("%1 failed").arg(failed);
    text += QStringLiteral(" · ") + tr("%1 events in log").arg(QLocale().toString(m_log->rowCount()));
    m_statusLabel->setText(text);
}

void MainWindow::saveScreenshotInteractively()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save screenshot"),
                                                      QStringLiteral("livedash.png"), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveScreenshot(path, &error))
        QMessageBox::warning(this, tr("Screenshot"), error);
    else
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
}
