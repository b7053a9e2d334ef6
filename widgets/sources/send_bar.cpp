#include "send_bar.h"

#include "status_line.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cctype>

SendBar::SendBar(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_sendText(new QPushButton(tr("Send"), this))
    , m_sendHex(new QPushButton(tr("Send hex"), this))
    , m_status(new StatusLine(this))
{
    m_edit->setObjectName(QStringLiteral("sendEdit"));
    m_edit->setAccessibleName(tr("Message to send"));
    m_edit->installEventFilter(this);
    m_sendText->setObjectName(QStringLiteral("sendTextButton"));
    m_sendText->setToolTip(tr("Send the text as a text message (Enter)"));
    m_sendHex->setObjectName(QStringLiteral("sendHexButton"));
    m_sendHex->setToolTip(tr("Send the hex bytes as a binary message (Ctrl+Enter), e.g. \"01 ff 7a\""));
    for (QPushButton *button : {m_sendText, m_sendHex}) {
        button->setAutoDefault(false);
        button->setFocusPolicy(Qt::NoFocus); // Enter and Ctrl+Enter in the field do the same
    }
    m_status->setObjectName(QStringLiteral("sendStatus"));
    m_status->setHint(tr("Enter sends text \u00B7 Ctrl+Enter sends hex bytes \u00B7 \u2191/\u2193 history"));

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_edit, 1);
    row->addWidget(m_sendText);
    row->addWidget(m_sendHex);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_status);

    connect(m_sendText, &QPushButton::clicked, this, [this] { requestSend(false); });
    connect(m_sendHex, &QPushButton::clicked, this, [this] { requestSend(true); });
    connect(m_edit, &QLineEdit::textEdited, this, [this] {
        m_historyPos = -1;
        if (m_status->kind() == StatusLine::Kind::Error)
            m_status->clearMessage();
    });
    setTarget(QString(), false);
}

SendBar::~SendBar() = default;

void SendBar::setTarget(const QString &name, bool canSend)
{
    m_edit->setEnabled(canSend);
    m_sendText->setEnabled(canSend);
    m_sendHex->setEnabled(canSend);
    m_edit->setPlaceholderText(canSend ? tr("Message to %1").arg(name)
                                       : tr("Messages go to the selected WebSocket source"));
}

void SendBar::messageSent(const QString &confirmation)
{
    if (!m_pending.isEmpty()) {
        m_history.removeAll(m_pending);
        m_history.append(m_pending);
        while (m_history.size() > MaxHistory)
            m_history.removeFirst();
    }
    m_pending.clear();
    m_historyPos = -1;
    m_draft.clear();
    m_edit->clear();
    m_status->showMessage(confirmation, StatusLine::Kind::Info);
}

void SendBar::showError(const QString &message)
{
    m_status->showMessage(message, StatusLine::Kind::Error);
}

QString SendBar::errorText() const
{
    return m_status->kind() == StatusLine::Kind::Error ? m_status->message() : QString();
}

std::optional<QByteArray> SendBar::parseHex(const QString &text, QString *error)
{
    QByteArray hex = text.toLatin1();
    hex.replace(' ', QByteArray()).replace(':', QByteArray()).replace(',', QByteArray());
    hex.replace('\t', QByteArray());
    const bool valid = !hex.isEmpty() && hex.size() % 2 == 0
        && std::all_of(hex.cbegin(), hex.cend(), [](char c) { return std::isxdigit(uchar(c)) != 0; });
    if (!valid) {
        *error = tr("Binary messages are hex bytes, e.g. \"01 ff 7a\"");
        return std::nullopt;
    }
    return QByteArray::fromHex(hex);
}

void SendBar::requestSend(bool binary)
{
    if (!m_edit->isEnabled())
        return;
    const QString text = m_edit->text();
    if (text.isEmpty()) {
        showError(tr("Type a message first"));
        return;
    }
    QByteArray payload;
    if (binary) {
        QString error;
        const std::optional<QByteArray> bytes = parseHex(text, &error);
        if (!bytes) {
            showError(error);
            return;
        }
        payload = *bytes;
    } else {
        payload = text.toUtf8();
    }
    m_pending = text;
    Q_EMIT sendRequested(payload, binary);
}

void SendBar::browseHistory(int step)
{
    if (m_history.isEmpty())
        return;
    if (m_historyPos < 0) {
        if (step > 0)
            return; // already at the draft
        m_draft = m_edit->text();
        m_historyPos = int(m_history.size());
    }
    m_historyPos += step;
    if (m_historyPos >= m_history.size()) {
        m_historyPos = -1;
        m_edit->setText(m_draft);
        return;
    }
    m_historyPos = std::max(0, m_historyPos);
    m_edit->setText(m_history.at(m_historyPos));
}

bool SendBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter) {
            requestSend(key->modifiers().testFlag(Qt::ControlModifier));
            return true;
        }
        if (key->key() == Qt::Key_Up && key->modifiers() == Qt::NoModifier) {
            browseHistory(-1);
            return true;
        }
        if (key->key() == Qt::Key_Down && key->modifiers() == Qt::NoModifier) {
            browseHistory(+1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}
