#include "terminal_tab.h"

#include "terminal_screen.h"
#include "terminal_view.h"

#include "session_recorder.h"

#include <QActionGroup>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMetaMethod>
#include <QPushButton>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>


namespace {

QString exitText(const TerminalExit &exit)
{
    switch (exit.kind) {
    case TerminalExit::Kind::Exited:
        return exit.exitCode ? TerminalTab::tr("exited with code %1").arg(*exit.exitCode)
                             : (exit.message.isEmpty() ? TerminalTab::tr("exited") : exit.message);
    case TerminalExit::Kind::Failed:
        return exit.message.isEmpty() ? TerminalTab::tr("failed") : TerminalTab::tr("failed: %1").arg(exit.message);
    case TerminalExit::Kind::Dropped:
        return exit.message.isEmpty() ? TerminalTab::tr("connection lost")
                                      : (exit.message.startsWith(QLatin1String("connection lost"))
                                             ? exit.message
                                             : TerminalTab::tr("connection lost: %1").arg(exit.message));
    case TerminalExit::Kind::Closed: return TerminalTab::tr("closed");
    }
    return {};
}

} // namespace

TerminalTab::TerminalTab(TerminalBackend *backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_screen(new TerminalScreen(80, 24, this))
    , m_view(new TerminalView(m_screen, this))
{
    m_backend->setParent(this);
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(0);
    m_layout->addWidget(m_view, 1);
    buildStatusStrip();
    m_resizeTimer.setSingleShot(true);
    m_resizeTimer.setInterval(ResizeDebounceMs);
    connect(&m_resizeTimer, &QTimer::timeout, this, [this] {
        if (m_backend->state() == TerminalBackend::State::Open && !m_sizeFromBackend)
            m_backend->resize(m_screen->columns(), m_screen->rows());
    });
    connect(m_screen, &TerminalScreen::sizeChanged, this, [this](int columns, int rows) {
        if (!m_sizeFromBackend)
            m_resizeTimer.start(); // restarted per change: one remote resize when the drag ends
        if (m_recorder)
            m_recorder->resized(columns, rows);
    });
    connect(m_screen, &TerminalScreen::inputBytes, this, &TerminalTab::handleInput);
    connect(m_screen, &TerminalScreen::titleChanged, this, &TerminalTab::updateTitle);
    connectBackend();
    setFocusProxy(m_view);
    updateTitle();
}

TerminalTab::~TerminalTab()
{
    stopRecording();
}

void TerminalTab::buildStatusStrip()
{
    auto *strip = new QWidget(this);
    auto *row = new QHBoxLayout(strip);
    row->setContentsMargins(6, 2, 6, 2);
    m_status = new QLabel(strip);
    m_notice = new QLabel(strip);
    m_notice->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_reconnect = new QPushButton(tr("Reconnect"), strip);
    m_reconnect->hide();
    m_record = new QToolButton(strip);
    m_record->setText(tr("Record"));
    m_record->setCheckable(true);
    m_options = new QToolButton(strip);
    m_options->setText(tr("Options"));
    m_options->setPopupMode(QToolButton::InstantPopup);
    m_options->setMenu(buildOptionsMenu());
    row->addWidget(m_status);
    row->addWidget(m_notice, 1);
    row->addWidget(m_reconnect);
    row->addWidget(m_record);
    row->addWidget(m_options);
    m_layout->addWidget(strip);
    connect(m_reconnect, &QPushButton::clicked, this, &TerminalTab::reconnect);
    connect(m_record, &QToolButton::clicked, this, &TerminalTab::handleRecordClicked);
    setState(State::Idle, tr("not started"));
}

QMenu *TerminalTab::buildOptionsMenu()
{
    auto *menu = new QMenu(this);
    QAction *selectToCopy = menu->addAction(tr("Copy on select"));
    selectToCopy->setCheckable(true);
    connect(selectToCopy, &QAction::toggled, m_view, &TerminalView::setSelectToCopy);
    QAction *controlH = menu->addAction(tr("Backspace sends ^H"));
    controlH->setCheckable(true);
    connect(controlH, &QAction::toggled, m_screen, &TerminalScreen::setBackspaceSendsControlH);
    QAction *blink = menu->addAction(tr("Blinking text"));
    blink->setCheckable(true);
    blink->setChecked(m_view->isTextBlinkEnabled());
    connect(blink, &QAction::toggled, m_view, &TerminalView::setTextBlinkEnabled);
    QAction *recordInput = menu->addAction(tr("Record input too (may contain passwords)"));
    recordInput->setCheckable(true);
    connect(recordInput, &QAction::toggled, this, &TerminalTab::setRecordInput);
    QMenu *scrollback = menu->addMenu(tr("Scrollback"));
    auto *group = new QActionGroup(scrollback);
    for (int lines : {1'000, 10'000, 50'000, 100'000}) {
        QAction *a = scrollback->addAction(tr("%L1 lines").arg(lines));
        a->setCheckable(true);
        a->setChecked(lines == m_screen->scrollbackCapacity());
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, lines] { m_screen->setScrollbackCapacity(lines); });
    }
    return menu;
}

void TerminalTab::connectBackend()
{
    connect(m_backend, &TerminalBackend::opened, this, [this] {
        m_awaitingReconnect = false;
        m_reconnect->hide();
        setState(State::Connected, tr("connected"));
        // The size may have changed while connecting.
        if (!m_sizeFromBackend)
            m_backend->resize(m_screen->columns(), m_screen->rows());
    });
    connect(m_backend, &TerminalBackend::output, this, &TerminalTab::handleOutput);
    connect(m_backend, &TerminalBackend::notice, this, [this](const QString &text) { m_notice->setText(text); });
    connect(m_backend, &TerminalBackend::finished, this, &TerminalTab::handleFinished);
    // A replay dictates the terminal size (RecordingPlayer::resizeRequested).
    const QMetaObject *meta = m_backend->metaObject();
    const int signalIndex = meta->indexOfSignal("resizeRequested(int,int)");
    if (signalIndex >= 0) {
        m_sizeFromBackend = true;
        m_view->setGridFollowsSize(false);
        QObject::connect(m_backend, meta->method(signalIndex), this,
                         metaObject()->method(metaObject()->indexOfMethod("applyBackendSize(int,int)")));
    }
}

void TerminalTab::applyBackendSize(int columns, int rows)
{
    handleRemoteResize(columns, rows);
}

void TerminalTab::handleRemoteResize(int columns, int rows)
{
    m_screen->resize(columns, rows);
}

void TerminalTab::start()
{
    if (m_backend->state() == TerminalBackend::State::Connecting || m_backend->state() == TerminalBackend::State::Open)
        return;
    m_awaitingReconnect = false;
    m_reconnect->hide();
    setState(State::Connecting, tr("connecting…"));
    m_backend->open(m_screen->columns(), m_screen->rows());
}

void TerminalTab::showReconnectPrompt(const QString &hint)
{
    const QString text = hint.isEmpty() ? tr("press Enter to connect") : tr("press Enter to connect (%1)").arg(hint);
    writeDivider(text);
    m_awaitingReconnect = true;
    m_reconnect->setText(tr("Connect"));
    m_reconnect->show();
    setState(State::Idle, tr("not connected"));
}

void TerminalTab::setControls(QWidget *bar)
{
    if (m_controls)
        m_controls->deleteLater();
    m_controls = bar;
    if (bar) {
        bar->setParent(this);
        m_layout->insertWidget(0, bar);
    }
}

void TerminalTab::handleOutput(const QByteArray &bytes, TerminalBackend::Stream stream)
{
    if (stream == TerminalBackend::Stream::Stderr)
        m_screen->feedStderr(bytes);
    else
        m_screen->feed(bytes);
    if (m_recorder)
        m_recorder->output(bytes);
}

void TerminalTab::handleInput(const QByteArray &bytes)
{
    if (m_awaitingReconnect) {
        // Enter opens a new session; it is not forwarded to it.
        if (bytes == "\r" || bytes == "\n" || bytes == "\x1bOM")
            reconnect();
        return;
    }
    if (m_backend->state() != TerminalBackend::State::Open || !m_backend->acceptsInput())
        return;
    m_backend->write(bytes);
    if (m_recorder)
        m_recorder->input(bytes);
}

void TerminalTab::handleFinished(const TerminalExit &exit)
{
    const QString text = exitText(exit);
    const State state = exit.kind == TerminalExit::Kind::Exited ? State::Exited
        : exit.kind == TerminalExit::Kind::Failed                ? State::Failed
        : exit.kind == TerminalExit::Kind::Dropped               ? State::Dropped
                                                                 : State::Closed;
    const QString hint = m_backend->reconnectHint();
    // A replay (no input) ends quietly: its last screen is what the user came to see.
    if (m_backend->acceptsInput())
        writeDivider(hint.isEmpty() ? text : tr("%1 ── press Enter to reconnect (%2)").arg(text, hint));
    m_awaitingReconnect = !hint.isEmpty();
    // A replay has nothing to reconnect to: its button plays the recording again.
    m_reconnect->setText(m_backend->acceptsInput() ? tr("Reconnect") : tr("Play again"));
    m_reconnect->setToolTip(hint);
    m_reconnect->setVisible(m_awaitingReconnect);
    setState(state, text);
}

void TerminalTab::writeDivider(const QString &text)
{
    // On a line of its own, dim, with the pen reset so the program's colours do not leak in.
    const QString line = QStringLiteral("──── ") + TerminalScreen::sanitisedTitle(text) + QStringLiteral(" ────");
    QByteArray bytes = "\x1b[0m";
    if (m_screen->cursorColumn() > 0)
        bytes += "\r\n";
    bytes += "\x1b[2m" + line.toUtf8() + "\x1b[0m\r\n";
    m_screen->feed(bytes);
}

void TerminalTab::reconnect()
{
    m_awaitingReconnect = false;
    m_reconnect->hide();
    start();
}

void TerminalTab::setState(State state, const QString &text)
{
    m_state = state;
    m_statusText = text;
    m_status->setText(text);
    Q_EMIT stateChanged();
}

QString TerminalTab::statusText() const
{
    return m_statusText;
}

QString TerminalTab::title() const
{
    return m_title;
}

void TerminalTab::updateTitle()
{
    const QString osc = m_screen->title();
    QString title = m_backend->title();
    if (!osc.isEmpty())
        title = title.isEmpty() ? osc : title + QStringLiteral(": ") + osc;
    if (title == m_title)
        return;
    m_title = title;
    Q_EMIT titleChanged(m_title);
}

bool TerminalTab::startRecording(const QString &path, QString *error)
{
    stopRecording();
    auto recorder = std::make_unique<SessionRecorder>(path, m_screen->columns(), m_screen->rows(), m_title, m_recordInput);
    if (!recorder->start(error))
        return false;
    m_recorder = std::move(recorder);
    m_record->setChecked(true);
    m_notice->setText(tr("recording to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void TerminalTab::stopRecording()
{
    if (!m_recorder)
        return;
    const QString path = m_recorder->path();
    m_recorder->stop();
    m_recorder.reset();
    if (m_record)
        m_record->setChecked(false);
    if (m_notice)
        m_notice->setText(tr("recorded to %1").arg(QDir::toNativeSeparators(path)));
}

bool TerminalTab::isRecording() const
{
    return m_recorder && m_recorder->isRecording();
}

void TerminalTab::handleRecordClicked()
{
    if (isRecording()) {
        stopRecording();
        return;
    }
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = dir + QStringLiteral("/livedash-")
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) + QStringLiteral(".cast");
    const QString path = QFileDialog::getSaveFileName(this, tr("Record terminal session"), suggested,
                                                      tr("asciicast (*.cast)"));
    QString error;
    if (path.isEmpty() || !startRecording(path, &error)) {
        m_record->setChecked(false);
        if (!error.isEmpty())
            m_notice->setText(error);
    }
}
