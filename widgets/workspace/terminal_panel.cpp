#include "terminal_panel.h"

#include "recording_controls.h"
#include "recording_player.h"
#include "terminal_backend.h"
#include "terminal_tab.h"

#include <QLabel>
#include <QVBoxLayout>

namespace {

const QString TargetKey = QStringLiteral("target");
const QString OptionsKey = QStringLiteral("options");

} // namespace

TerminalPanel::TerminalPanel(const TerminalTarget &target, K8sEnvironment *k8s, Start start, QWidget *parent)
    : QWidget(parent), m_target(target)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    buildTab(k8s, start);
}

TerminalPanel::~TerminalPanel() = default;

void TerminalPanel::buildTab(K8sEnvironment *k8s, Start start)
{
    QString error;
    TerminalBackend *backend = m_target.createBackend(k8s, &error);
    if (!backend) {
        m_error = new QLabel(tr("Cannot open %1: %2").arg(m_target.url, error), this);
        m_error->setObjectName(QStringLiteral("terminalPanelError"));
        m_error->setTextFormat(Qt::PlainText);
        m_error->setWordWrap(true);
        m_error->setAlignment(Qt::AlignCenter);
        layout()->addWidget(m_error);
        return;
    }
    m_tab = new TerminalTab(backend, this);
    layout()->addWidget(m_tab);
    connect(m_tab, &TerminalTab::titleChanged, this, &TerminalPanel::titleChanged);
    if (auto *player = qobject_cast<RecordingPlayer *>(backend)) {
        m_tab->setControls(new RecordingControls(player));
        m_tab->start();
        if (start == Start::OnUserRequest)
            player->pause();
        return;
    }
    if (start == Start::Now)
        m_tab->start();
    else
        m_tab->showReconnectPrompt(backend->reconnectHint());
}

QJsonObject TerminalPanel::settings() const
{
    QJsonObject out{{TargetKey, m_target.url}};
    if (!m_target.options.isEmpty())
        out.insert(OptionsKey, m_target.options);
    return out;
}

QString TerminalPanel::errorText() const
{
    return m_error ? m_error->text() : QString();
}

QString TerminalPanel::title() const
{
    return m_tab ? m_tab->title() : m_target.url;
}
