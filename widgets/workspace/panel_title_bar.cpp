#include "panel_title_bar.h"

#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

PanelTitleBar::PanelTitleBar(QDockWidget *dock, QWidget *extra, QWidget *parent)
    : QWidget(parent)
    , m_dock(dock)
    , m_title(new QLabel(dock->windowTitle(), this))
    , m_floatButton(new QToolButton(this))
    , m_closeButton(new QToolButton(this))
{
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::NoTextInteraction);
    m_title->setAttribute(Qt::WA_TransparentForMouseEvents); // drags and double clicks reach the dock
    connect(dock, &QWidget::windowTitleChanged, m_title, &QLabel::setText);

    for (QToolButton *button : {m_floatButton, m_closeButton}) {
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::NoFocus);
        button->setIconSize(QSize(12, 12));
    }
    m_floatButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarNormalButton));
    m_floatButton->setToolTip(tr("Float or dock this panel"));
    connect(m_floatButton, &QToolButton::clicked, dock, [dock] { dock->setFloating(!dock->isFloating()); });
    m_closeButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_closeButton->setToolTip(tr("Close this panel"));
    connect(m_closeButton, &QToolButton::clicked, dock, &QWidget::close);
    connect(dock, &QDockWidget::featuresChanged, this, &PanelTitleBar::updateButtons);

    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(6, 0, 2, 0);
    m_layout->setSpacing(6);
    m_layout->addWidget(m_title);
    if (extra) {
        extra->setParent(this);
        extra->show();
        m_layout->addWidget(extra);
    }
    m_layout->addStretch(1);
    m_layout->addWidget(m_floatButton);
    m_layout->addWidget(m_closeButton);
    updateButtons();
}

PanelTitleBar::~PanelTitleBar() = default;

void PanelTitleBar::setVertical(bool vertical)
{
    m_layout->setDirection(vertical ? QBoxLayout::BottomToTop : QBoxLayout::LeftToRight);
    m_layout->setContentsMargins(vertical ? 0 : 6, vertical ? 2 : 0, vertical ? 0 : 2, vertical ? 6 : 0);
    m_title->setVisible(!vertical);
    setToolTip(vertical ? m_dock->windowTitle() : QString());
    updateGeometry();
}

void PanelTitleBar::updateButtons()
{
    m_floatButton->setVisible(m_dock->features() & QDockWidget::DockWidgetFloatable);
    m_closeButton->setVisible(m_dock->features() & QDockWidget::DockWidgetClosable);
}
