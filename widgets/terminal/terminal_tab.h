#pragma once

#include "terminal_backend.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;
class QMenu;
class QPushButton;
class QToolButton;
class QVBoxLayout;
class SessionRecorder;
class TerminalScreen;
class TerminalView;

/// The whole terminal tab for one TerminalBackend: a TerminalView over its TerminalScreen and a
/// status strip (state, the backend's notices, Reconnect, Record, Options).
///
/// Wiring: backend output → screen (stderr of tty=false sessions marked, painted in a distinct
/// colour); screen inputBytes → backend->write() while it is Open and acceptsInput(); the view's
/// grid → screen at once, backend->resize() debounced by ResizeDebounceMs. A backend with a
/// `resizeRequested(int,int)` signal (RecordingPlayer) dictates the size instead: the screen
/// follows it and the view no longer resizes the screen.
///
/// When the backend finishes, a divider is written into the terminal ("──── exited with code 3 ──
/// press Enter to reconnect (reconnect opens a new shell) ────", with backend->reconnectHint()),
/// and Reconnect shows; Enter (not forwarded) or the button calls backend->open() again: a new
/// session, never a resume. showReconnectPrompt() starts a restored tab in that same state.
class TerminalTab : public QWidget
{
    Q_OBJECT
public:
    static constexpr int ResizeDebounceMs = 150;
    enum class State { Idle, Connecting, Connected, Exited, Failed, Dropped, Closed };

    /// Takes ownership of `backend` (reparents it to the tab).
    explicit TerminalTab(TerminalBackend *backend, QWidget *parent = nullptr);
    ~TerminalTab() override;

    TerminalBackend *backend() const { return m_backend; }
    TerminalScreen *screen() const { return m_screen; }
    TerminalView *view() const { return m_view; }

    /// backend->open(cols, rows) with the view's size.
    void start();
    /// For tabs restored from a dashboard: nothing runs until the user presses Enter / the button.
    void showReconnectPrompt(const QString &hint);
    /// A bar (recording controls) shown above the terminal; the tab takes ownership.
    void setControls(QWidget *bar);

    State state() const { return m_state; }
    /// "connecting…", "connected", "exited with code 3", "connection lost: …".
    QString statusText() const;
    QString title() const;
    bool isAwaitingReconnect() const { return m_awaitingReconnect; }

    // --- recording (asciicast v2 via SessionRecorder) -------------------------------------
    bool startRecording(const QString &path, QString *error = nullptr);
    void stopRecording();
    bool isRecording() const;
    void setRecordInput(bool on) { m_recordInput = on; }
    bool recordInput() const { return m_recordInput; }

Q_SIGNALS:
    void titleChanged(const QString &title);
    void stateChanged();

private Q_SLOTS:
    /// Connected by name to a backend's resizeRequested(int,int) (the backend type is not known here).
    void applyBackendSize(int columns, int rows);

private:
    void buildStatusStrip();
    QMenu *buildOptionsMenu();
    void connectBackend();
    void handleOutput(const QByteArray &bytes, TerminalBackend::Stream stream);
    void handleInput(const QByteArray &bytes);
    void handleFinished(const TerminalExit &exit);
    void handleRemoteResize(int columns, int rows);
    void handleRecordClicked();
    void reconnect();
    void setState(State state, const QString &text);
    void writeDivider(const QString &text);
    void updateTitle();

    TerminalBackend *m_backend;
    TerminalScreen *m_screen;
    TerminalView *m_view;
    QVBoxLayout *m_layout = nullptr;
    QPointer<QWidget> m_controls;
    QLabel *m_status = nullptr;
    QLabel *m_notice = nullptr;
    QPushButton *m_reconnect = nullptr;
    QToolButton *m_record = nullptr;
    QToolButton *m_options = nullptr;
    QTimer m_resizeTimer;
    State m_state = State::Idle;
    QString m_statusText;
    bool m_awaitingReconnect = false;
    bool m_sizeFromBackend = false;
    bool m_recordInput = false;
    std::unique_ptr<SessionRecorder> m_recorder;
    QString m_title;
};
