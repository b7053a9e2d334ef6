#pragma once

#include <QFrame>

class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;
class TerminalView;

/// The search bar over a TerminalView (Ctrl+Shift+F): pattern, a regex checkbox, previous/next,
/// "N matches". Every edit searches the whole history again (TerminalSearch::find) and shows the
/// newest match; Enter / Shift+Enter go to the older / newer one, Escape closes the bar and
/// clears the highlight. The view paints the highlight from its TerminalSearch.
class TerminalSearchBar : public QFrame
{
    Q_OBJECT
public:
    explicit TerminalSearchBar(TerminalView *view);

    void focusPattern();
    void setPattern(const QString &pattern, bool regex);
    QString countText() const;
    /// Older match (up), newer match (down).
    void findPrevious();
    void findNext();
    void closeBar();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void runSearch();
    void showCurrent();

    TerminalView *m_view;
    QLineEdit *m_pattern;
    QCheckBox *m_regex;
    QToolButton *m_previous;
    QToolButton *m_next;
    QLabel *m_count;
};
