#pragma once

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;
class RecordingPlayer;

/// The bar above a replay terminal (TerminalTab::setControls): play/pause, speed (0.5× … 8×),
/// a seek slider with "position / duration" labels. It only drives the RecordingPlayer and
/// follows its signals; it owns nothing but its child widgets (the player is the tab's backend).
///
/// Slider: while dragged only the label follows; the seek happens on release (one re-render,
/// not one per pixel). A click on the track or a key (PgUp/PgDn, arrows) seeks at once.
class RecordingControls : public QWidget
{
    Q_OBJECT
public:
    /// Speeds offered, in the combo's order; 1× is selected initially.
    static constexpr double Speeds[] = {0.5, 1.0, 2.0, 4.0, 8.0};

    explicit RecordingControls(RecordingPlayer *player, QWidget *parent = nullptr);
    ~RecordingControls() override;

    /// "0:07", "12:03", "1:02:03".
    static QString formatTime(double seconds);

    QToolButton *playButton() const { return m_play; }
    QComboBox *speedCombo() const { return m_speed; }
    QSlider *seekSlider() const { return m_slider; }
    QLabel *timeLabel() const { return m_time; }

private:
    void buildPlayButton();
    void buildSpeedCombo();
    void buildSeekSlider();
    void connectPlayer();
    void handlePlayClicked();
    void handlePositionChanged(double seconds);
    void handlePlayingChanged(bool playing);
    void handleSliderValueChanged(int value);
    void showTime(double seconds);

    QPointer<RecordingPlayer> m_player;
    QToolButton *m_play = nullptr;
    QComboBox *m_speed = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_time = nullptr;
    bool m_updatingSlider = false;
};
