#include "recording_controls.h"

#include "recording_player.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace {

int toMs(double seconds)
{
    return int(std::lround(std::clamp(seconds, 0.0, 2e6) * 1000.0));
}

} // namespace

RecordingControls::RecordingControls(RecordingPlayer *player, QWidget *parent)
    : QWidget(parent), m_player(player)
{
    if (m_player)
        m_player->load(); // idempotent: the duration is known before open()
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    buildPlayButton();
    buildSpeedCombo();
    buildSeekSlider();
    layout->addWidget(m_play);
    layout->addWidget(m_speed);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_time);
    connectPlayer();
    handlePlayingChanged(m_player && m_player->isPlaying());
    showTime(m_player ? m_player->position() : 0);
}

RecordingControls::~RecordingControls() = default;

QString RecordingControls::formatTime(double seconds)
{
    const qint64 total = std::isfinite(seconds) && seconds > 0 ? qint64(seconds) : 0;
    const qint64 h = total / 3600;
    const qint64 m = (total / 60) % 60;
    const qint64 s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

void RecordingControls::buildPlayButton()
{
    m_play = new QToolButton(this);
    m_play->setObjectName(QStringLiteral("recordingPlay"));
    m_play->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(m_play, &QToolButton::clicked, this, &RecordingControls::handlePlayClicked);
}

void RecordingControls::buildSpeedCombo()
{
    m_speed = new QComboBox(this);
    m_speed->setObjectName(QStringLiteral("recordingSpeed"));
    m_speed->setToolTip(tr("Playback speed"));
    for (const double speed : Speeds)
        m_speed->addItem(QString::number(speed) + QStringLiteral("\u00d7"), speed);
    m_speed->setCurrentIndex(1);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_player && index >= 0)
            m_player->setSpeed(m_speed->itemData(index).toDouble());
    });
}

void RecordingControls::buildSeekSlider()
{
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("recordingSeek"));
    m_slider->setRange(0, m_player ? toMs(m_player->duration()) : 0);
    m_slider->setSingleStep(1000);
    m_slider->setPageStep(10'000);
    m_time = new QLabel(this);
    m_time->setObjectName(QStringLiteral("recordingTime"));
    connect(m_slider, &QSlider::valueChanged, this, &RecordingControls::handleSliderValueChanged);
    connect(m_slider, &QSlider::sliderReleased, this, [this] {
        if (m_player)
            m_player->seek(m_slider->value() / 1000.0);
    });
}

void RecordingControls::connectPlayer()
{
    if (!m_player)
        return;
    connect(m_player, &RecordingPlayer::positionChanged, this, &RecordingControls::handlePositionChanged);
    connect(m_player, &RecordingPlayer::playingChanged, this, &RecordingControls::handlePlayingChanged);
    m_player->setSpeed(m_speed->currentData().toDouble());
}

void RecordingControls::handlePlayClicked()
{
    if (!m_player)
        return;
    if (m_player->isPlaying())
        m_player->pause();
    else
        m_player->play();
}

void RecordingControls::handlePlayingChanged(bool playing)
{
    m_play->setText(playing ? tr("Pause") : tr("Play"));
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void RecordingControls::handlePositionChanged(double seconds)
{
    if (m_slider->isSliderDown())
        return; // the user is dragging: the label follows the thumb, not the playback
    m_updatingSlider = true;
    m_slider->setValue(toMs(seconds));
    m_updatingSlider = false;
    showTime(seconds);
}

void RecordingControls::handleSliderValueChanged(int value)
{
    showTime(value / 1000.0);
    if (m_updatingSlider || m_slider->isSliderDown() || !m_player)
        return;
    m_player->seek(value / 1000.0); // a click on the track or a key
}

void RecordingControls::showTime(double seconds)
{
    const double duration = m_player ? m_player->duration() : 0;
    m_time->setText(formatTime(seconds) + QStringLiteral(" / ") + formatTime(duration));
}
