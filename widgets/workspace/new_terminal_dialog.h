#pragma once

#include "terminal_target.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLineEdit;

/// Terminal ▸ New terminal…: a target (k8s:exec/POD, k8s:attach/POD, ws://…, wss://…, a recording
/// file) and, for plain WebSockets, the send-side options a websocketd or serial-bridge user
/// expects: Enter as CR / LF / CR LF, local echo, frame type.
class NewTerminalDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewTerminalDialog(QWidget *parent = nullptr);
    ~NewTerminalDialog() override;

    TerminalTarget target() const;
    QLineEdit *targetEdit() const { return m_target; }

private:
    void updateOptions();

    QLineEdit *m_target = nullptr;
    QGroupBox *m_wsOptions = nullptr;
    QComboBox *m_enter = nullptr;
    QComboBox *m_frames = nullptr;
    QCheckBox *m_echo = nullptr;
};
