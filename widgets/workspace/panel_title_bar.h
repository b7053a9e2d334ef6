#pragma once

#include <QWidget>

class QDockWidget;
class QBoxLayout;
class QLabel;
class QToolButton;

/// The title bar of a workspace dock: the title, an optional extra widget (a BoundPanel's
/// "Sources: …" button), and the float and close buttons. One row instead of a title bar plus a
/// header row inside the panel, so small windows keep their height for content. Mouse presses it
/// does not handle go to the QDockWidget, which drags the dock and floats it on double click.
class PanelTitleBar : public QWidget
{
    Q_OBJECT
public:
    /// `extra` (may be nullptr) is shown after the title and reparented.
    PanelTitleBar(QDockWidget *dock, QWidget *extra, QWidget *parent = nullptr);
    ~PanelTitleBar() override;

    QLabel *titleLabel() const { return m_title; }
    /// Lays the bar out top to bottom (the dock has DockWidgetVerticalTitleBar): the buttons
    /// only, the title as their tooltip, so the bar costs a column instead of a row.
    void setVertical(bool vertical);

private:
    void updateButtons();

    QDockWidget *m_dock;
    QLabel *m_title;
    QToolButton *m_floatButton;
    QToolButton *m_closeButton;
    QBoxLayout *m_layout = nullptr;
};
