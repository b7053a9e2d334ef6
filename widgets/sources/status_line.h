#pragma once

#include <QLabel>

/// One line of text under a bar (add bar, send bar) that never changes the layout: its height is
/// always one line, whatever it shows, and long text is elided at the right with the whole text in
/// the tooltip. It shows a grey hint (what the keys do) until a message replaces it: an error
/// (red) or a confirmation (green); clearMessage() brings the hint back.
class StatusLine : public QLabel
{
    Q_OBJECT
public:
    enum class Kind { Hint, Info, Error };
    Q_ENUM(Kind)

    explicit StatusLine(QWidget *parent = nullptr);
    ~StatusLine() override;

    void setHint(const QString &hint);
    void showMessage(const QString &message, Kind kind);
    void clearMessage();
    /// The message shown now; empty while the hint is shown.
    QString message() const { return m_kind == Kind::Hint ? QString() : m_message; }
    Kind kind() const { return m_kind; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void render();

    QString m_hint;
    QString m_message;
    Kind m_kind = Kind::Hint;
};
