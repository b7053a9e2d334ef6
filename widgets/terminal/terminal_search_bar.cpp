#include "terminal_search_bar.h"

#include "terminal_search.h"
#include "terminal_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

TerminalSearchBar::TerminalSearchBar(TerminalView *view)
    : QFrame(view)
    , m_view(view)
    , m_pattern(new QLineEdit(this))
    , m_regex(new QCheckBox(tr("Regex"), this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_count(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setCursor(Qt::ArrowCursor);
    m_pattern->setPlaceholderText(tr("Search the scrollback"));
    m_pattern->setClearButtonEnabled(true);
    m_previous->setArrowType(Qt::UpArrow);
    m_previous->setToolTip(tr("Older match (Enter)"));
    m_next->setArrowType(Qt::DownArrow);
    m_next->setToolTip(tr("Newer match (Shift+Enter)"));
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("×"));
    close->setToolTip(tr("Close (Escape)"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_pattern);
    layout->addWidget(m_regex);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_count);
    layout->addWidget(close);
    connect(m_pattern, &QLineEdit::textChanged, this, &TerminalSearchBar::runSearch);
    connect(m_regex, &QCheckBox::toggled, this, &TerminalSearchBar::runSearch);
    connect(m_previous, &QToolButton::clicked, this, &TerminalSearchBar::findPrevious);
    connect(m_next, &QToolButton::clicked, this, &TerminalSearchBar::findNext);
    connect(close, &QToolButton::clicked, this, &TerminalSearchBar::closeBar);
}

void TerminalSearchBar::focusPattern()
{
    m_pattern->setFocus(Qt::ShortcutFocusReason);
    m_pattern->selectAll();
    runSearch();
}

void TerminalSearchBar::setPattern(const QString &pattern, bool regex)
{
    m_regex->setChecked(regex);
    m_pattern->setText(pattern);
    runSearch();
}

QString TerminalSearchBar::countText() const
{
    return m_count->text();
}

void TerminalSearchBar::runSearch()
{
    TerminalSearch *search = m_view->search();
    const int n = search->find(m_pattern->text(), m_regex->isChecked());
    if (!search->errorString().isEmpty())
        m_count->setText(tr("invalid pattern"));
    else if (m_pattern->text().isEmpty())
        m_count->clear();
    else
        m_count->setText(tr("%n match(es)", nullptr, n));
    showCurrent();
}

void TerminalSearchBar::showCurrent()
{
    const TerminalSpan span = m_view->search()->current();
    if (span.endColumn > 0)
        m_view->revealLine(span.line);
    m_view->update();
}

void TerminalSearchBar::findPrevious()
{
    m_view->search()->previous();
    showCurrent();
}

void TerminalSearchBar::findNext()
{
    m_view->search()->next();
    showCurrent();
}

void TerminalSearchBar::closeBar()
{
    m_view->search()->clear();
    hide();
    m_view->setFocus(Qt::OtherFocusReason);
    m_view->update();
}

void TerminalSearchBar::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Escape: closeBar(); return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (event->modifiers() & Qt::ShiftModifier)
            findNext();
        else
            findPrevious();
        return;
    default: QFrame::keyPressEvent(event);
    }
}
