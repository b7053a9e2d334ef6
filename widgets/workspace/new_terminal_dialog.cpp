#include "new_terminal_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

NewTerminalDialog::NewTerminalDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("New terminal"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_target = new QLineEdit(this);
    m_target->setPlaceholderText(QStringLiteral("k8s:exec/POD[/CONTAINER]  ·  k8s:attach/POD  ·  ws://host:port/path  ·  /path/to/file.cast"));
    m_target->setMinimumWidth(480);
    form->addRow(tr("Connect to:"), m_target);
    layout->addLayout(form);
    auto *hint = new QLabel(tr("k8s:exec without command= opens a shell (bash, else sh). "
                               "Add ?command=top&namespace=shop to run a command in a namespace."),
                            this);
    hint->setWordWrap(true);
    layout->addWidget(hint);

    m_wsOptions = new QGroupBox(tr("Plain WebSocket"), this);
    auto *ws = new QFormLayout(m_wsOptions);
    m_enter = new QComboBox(m_wsOptions);
    m_enter->addItem(tr("CR (\\r), like a serial console"), QStringLiteral("cr"));
    m_enter->addItem(tr("LF (\\n), like websocketd with a line-based program"), QStringLiteral("lf"));
    m_enter->addItem(tr("CR LF"), QStringLiteral("crlf"));
    ws->addRow(tr("Enter sends:"), m_enter);
    m_frames = new QComboBox(m_wsOptions);
    m_frames->addItem(tr("Like the server (binary until it sends text)"), QStringLiteral("auto"));
    m_frames->addItem(tr("Binary"), QStringLiteral("binary"));
    m_frames->addItem(tr("Text"), QStringLiteral("text"));
    ws->addRow(tr("Frames:"), m_frames);
    m_echo = new QCheckBox(tr("Local echo (for servers that do not echo)"), m_wsOptions);
    ws->addRow(m_echo);
    layout->addWidget(m_wsOptions);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_target, &QLineEdit::textChanged, this, &NewTerminalDialog::updateOptions);
    updateOptions();
}

NewTerminalDialog::~NewTerminalDialog() = default;

void NewTerminalDialog::updateOptions()
{
    m_wsOptions->setEnabled(target().kind() == TerminalTarget::Kind::WebSocket);
}

TerminalTarget NewTerminalDialog::target() const
{
    TerminalTarget target{m_target->text().trimmed(), {}};
    if (target.kind() == TerminalTarget::Kind::WebSocket) {
        target.options = {{QStringLiteral("enter"), m_enter->currentData().toString()},
                          {QStringLiteral("frames"), m_frames->currentData().toString()},
                          {QStringLiteral("localEcho"), m_echo->isChecked()}};
    }
    return target;
}
