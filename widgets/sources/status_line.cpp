#include "status_line.h"

#include <QResizeEvent>

namespace {

QColor colourOf(StatusLine::Kind kind, const QPalette &palette)
{
    switch (kind) {
    case StatusLine::Kind::Error: return QColor(183, 28, 28);
    case StatusLine::Kind::Info: return QColor(46, 125, 50);
    case StatusLine::Kind::Hint: break;
    }
    return palette.color(QPalette::Disabled, QPalette::WindowText);
}

} // namespace

StatusLine::StatusLine(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setFocusPolicy(Qt::NoFocus);
    render();
}

StatusLine::~StatusLine() = default;

void StatusLine::setHint(const QString &hint)
{
    m_hint = hint;
    render();
}

void StatusLine::showMessage(const QString &message, Kind kind)
{
    m_message = message;
    m_kind = message.isEmpty() ? Kind::Hint : kind;
    render();
}

void StatusLine::clearMessage()
{
    showMessage(QString(), Kind::Hint);
}

QSize StatusLine::sizeHint() const
{
    return QSize(fontMetrics().averageCharWidth() * 20, fontMetrics().height() + 2);
}

QSize StatusLine::minimumSizeHint() const
{
    return QSize(0, fontMetrics().height() + 2);
}

void StatusLine::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    render();
}

void StatusLine::render()
{
    const QString full = m_kind == Kind::Hint ? m_hint : m_message;
    QPalette p = palette();
    p.setColor(QPalette::WindowText, colourOf(m_kind, QPalette()));
    setPalette(p);
    // One line only: newlines of multi-line errors become separators.
    QString line = full;
    line.replace(QLatin1Char('\n'), QStringLiteral(" \u00B7 "));
    const QString elided = fontMetrics().elidedText(line, Qt::ElideRight, std::max(0, width() - 2));
    setText(elided);
    setToolTip(elided == line ? QString() : full);
}
