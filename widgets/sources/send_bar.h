#pragma once

#include <QStringList>
#include <QWidget>

#include <optional>

class QLineEdit;
class QPushButton;
class StatusLine;

/// Message line for duplex sources, as websocat and Postman's WebSocket client work: Enter sends
/// the text, Ctrl+Enter sends the text as hex bytes ("01 ff 7a"), Up/Down walk through what was
/// sent before (the current draft comes back after the newest entry). Problems (bad hex, source not
/// open) and confirmations show in a one-line StatusLine right under the field, which has a fixed
/// height, so nothing moves.
///
/// The bar does not send by itself: it emits sendRequested(); the owner sends and calls
/// messageSent() (history, clear, confirmation) or showError().
class SendBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxHistory = 100;

    explicit SendBar(QWidget *parent = nullptr);
    ~SendBar() override;

    /// Where messages go: enables the bar when `canSend`, names the target in the placeholder.
    void setTarget(const QString &name, bool canSend);
    /// The last request was sent: adds it to the history, clears the field, confirms.
    void messageSent(const QString &confirmation);
    void showError(const QString &message);
    /// The error shown now; empty when none.
    QString errorText() const;
    QStringList history() const { return m_history; }
    QLineEdit *editor() const { return m_edit; }

    /// "01 ff 7a", "01ff7a", "01:ff:7a" → bytes; nullopt with *error otherwise.
    static std::optional<QByteArray> parseHex(const QString &text, QString *error);

Q_SIGNALS:
    void sendRequested(const QByteArray &payload, bool binary);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void requestSend(bool binary);
    void browseHistory(int step);

    QLineEdit *m_edit;
    QPushButton *m_sendText;
    QPushButton *m_sendHex;
    StatusLine *m_status;
    QStringList m_history;
    int m_historyPos = -1; ///< index into m_history while browsing; -1 = editing the draft
    QString m_draft;
    QString m_pending;     ///< text of the request in flight, added to the history when sent
};
