// TerminalView input: keys (QKeyEvent → TerminalScreen::Key / text with modifiers), shortcuts,
// mouse (reports when the program asked, selection otherwise), wheel, IME, focus, clipboard.

#include "terminal_view.h"

#include "terminal_screen.h"
#include "terminal_search_bar.h"

#include <QApplication>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QMessageBox>
#include <QMouseEvent>
#include <QScrollBar>
#include <QUrl>
#include <QWheelEvent>

#include <optional>

namespace {

std::optional<TerminalScreen::Key> keyOf(const QKeyEvent *event)
{
    using K = TerminalScreen::Key;
    const bool keypad = event->modifiers() & Qt::KeypadModifier;
    const int key = event->key();
    if (key >= Qt::Key_F1 && key <= Qt::Key_F12)
        return K(int(K::F1) + (key - Qt::Key_F1));
    if (keypad) {
        if (key >= Qt::Key_0 && key <= Qt::Key_9)
            return K(int(K::Keypad0) + (key - Qt::Key_0));
        switch (key) {
        case Qt::Key_Asterisk: return K::KeypadMultiply;
        case Qt::Key_Plus: return K::KeypadPlus;
        case Qt::Key_Comma: return K::KeypadComma;
        case Qt::Key_Minus: return K::KeypadMinus;
        case Qt::Key_Period: return K::KeypadPeriod;
        case Qt::Key_Slash: return K::KeypadDivide;
        case Qt::Key_Enter: return K::KeypadEnter;
        case Qt::Key_Equal: return K::KeypadEqual;
        default: break;
        }
    }
    switch (key) {
    case Qt::Key_Return:
    case Qt::Key_Enter: return K::Enter;
    case Qt::Key_Tab:
    case Qt::Key_Backtab: return K::Tab;
    case Qt::Key_Backspace: return K::Backspace;
    case Qt::Key_Escape: return K::Escape;
    case Qt::Key_Up: return K::Up;
    case Qt::Key_Down: return K::Down;
    case Qt::Key_Left: return K::Left;
    case Qt::Key_Right: return K::Right;
    case Qt::Key_Insert: return K::Insert;
    case Qt::Key_Delete: return K::Delete;
    case Qt::Key_Home: return K::Home;
    case Qt::Key_End: return K::End;
    case Qt::Key_PageUp: return K::PageUp;
    case Qt::Key_PageDown: return K::PageDown;
    default: return std::nullopt;
    }
}

TerminalScreen::Modifiers modifiersOf(Qt::KeyboardModifiers m)
{
    TerminalScreen::Modifiers out = TerminalScreen::NoModifier;
    if (m & Qt::ShiftModifier)
        out |= TerminalScreen::Shift;
    if (m & Qt::AltModifier)
        out |= TerminalScreen::Alt;
    if (m & Qt::ControlModifier)
        out |= TerminalScreen::Control;
    return out;
}

int buttonOf(Qt::MouseButton b)
{
    switch (b) {
    case Qt::LeftButton: return 1;
    case Qt::MiddleButton: return 2;
    case Qt::RightButton: return 3;
    default: return 0;
    }
}

bool isCtrlShift(const QKeyEvent *e)
{
    const auto m = e->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier | Qt::AltModifier);
    return m == (Qt::ControlModifier | Qt::ShiftModifier);
}

} // namespace

bool TerminalView::event(QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) {
            keyPressEvent(key); // the terminal keeps Tab, focus does not move
            return true;
        }
    }
    if (event->type() == QEvent::ShortcutOverride) {
        // Keys the terminal needs beat application shortcuts (Ctrl+letters, Alt+letters, F-keys).
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier) || keyOf(key)) {
            event->accept();
            return true;
        }
    }
    return QWidget::event(event);
}

bool TerminalView::handleShortcut(QKeyEvent *event)
{
    const int key = event->key();
    if (isCtrlShift(event)) {
        switch (key) {
        case Qt::Key_C: copySelection(); return true;
        case Qt::Key_V: pasteFrom(QClipboard::Clipboard); return true;
        case Qt::Key_F: showSearchBar(); return true;
        default: break;
        }
    }
    const auto mods = event->modifiers() & ~Qt::KeypadModifier;
    if (mods == Qt::ControlModifier || mods == (Qt::ControlModifier | Qt::ShiftModifier)) {
        if (key == Qt::Key_Equal || key == Qt::Key_Plus) {
            zoomIn();
            return true;
        }
        if (key == Qt::Key_Minus && mods == Qt::ControlModifier) {
            zoomOut();
            return true;
        }
        if (key == Qt::Key_0 && mods == Qt::ControlModifier) {
            resetZoom();
            return true;
        }
    }
    if (mods == Qt::ShiftModifier && (key == Qt::Key_PageUp || key == Qt::Key_PageDown)) {
        scrollLines(key == Qt::Key_PageUp ? m_screen->rows() - 1 : -(m_screen->rows() - 1));
        return true;
    }
    return false;
}

bool TerminalView::sendKeyEvent(QKeyEvent *event)
{
    TerminalScreen::Modifiers mods = modifiersOf(event->modifiers());
    if (event->key() == Qt::Key_Backtab)
        mods |= TerminalScreen::Shift;
    if (const auto key = keyOf(event)) {
        m_screen->sendKey(*key, mods);
        return true;
    }
    const int key = event->key();
    if (mods & TerminalScreen::Control) {
        // Ctrl combinations by key, not by the (already control-mapped) text.
        if (key >= Qt::Key_A && key <= Qt::Key_Z) {
            m_screen->sendText(QString(QChar(char16_t('a' + (key - Qt::Key_A)))), mods & ~TerminalScreen::Shift);
            return true;
        }
        if (key == Qt::Key_Space) {
            m_screen->sendText(QStringLiteral(" "), mods & ~TerminalScreen::Shift);
            return true;
        }
        static const QString punct = QStringLiteral("[\\]^_@");
        static const int punctKeys[] = {Qt::Key_BracketLeft, Qt::Key_Backslash, Qt::Key_BracketRight,
                                        Qt::Key_AsciiCircum, Qt::Key_Underscore, Qt::Key_At};
        for (int i = 0; i < 6; ++i) {
            if (key == punctKeys[i]) {
                if (i == 5) // Ctrl+@ is NUL, like Ctrl+Space
                    m_screen->sendText(QStringLiteral(" "), TerminalScreen::Control);
                else
                    m_screen->sendText(QString(punct.at(i)), mods & ~TerminalScreen::Shift);
                return true;
            }
        }
    }
    QString text = event->text();
    if (text.isEmpty())
        return false;
    if ((mods & TerminalScreen::Alt) && !(mods & TerminalScreen::Control)) {
        // Alt as Meta: the key's character with an ESC prefix (libvterm adds it).
        if (key >= Qt::Key_A && key <= Qt::Key_Z) {
            const char16_t base = (mods & TerminalScreen::Shift) ? 'A' : 'a';
            text = QString(QChar(char16_t(base + (key - Qt::Key_A))));
        }
        m_screen->sendText(text, TerminalScreen::Alt);
        return true;
    }
    if (text.at(0).unicode() < 0x20 || text.at(0).unicode() == 0x7f)
        return false; // a control char we did not map above
    m_screen->sendText(text);
    return true;
}

void TerminalView::keyPressEvent(QKeyEvent *event)
{
    if (handleShortcut(event)) {
        event->accept();
        return;
    }
    if (sendKeyEvent(event)) {
        scrollToBottom();
        m_blinkPhase = true;
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool TerminalView::mouseReporting(const QMouseEvent *event) const
{
    return m_screen->mouseMode() != TerminalScreen::MouseMode::None
        && !(event->modifiers() & Qt::ShiftModifier) && m_scrollOffset == 0;
}

QPoint TerminalView::cellAt(QPointF position) const
{
    const int column = std::clamp(int(position.x()) / m_cellWidth, 0, m_screen->columns() - 1);
    const int row = std::clamp(int(position.y()) / m_cellHeight, 0, m_screen->rows() - 1);
    return {column, row};
}

int TerminalView::linkAt(QPointF position) const
{
    const QPoint cell = cellAt(position);
    int length = 0;
    const TerminalCell *cells = m_screen->lineCells(viewTopLine() + cell.y(), &length);
    return cell.x() < length ? cells[cell.x()].link : 0;
}

void TerminalView::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    const QPoint cell = cellAt(event->position());
    if (mouseReporting(event)) {
        m_screen->mouseMove(cell.y(), cell.x(), modifiersOf(event->modifiers()));
        m_screen->mouseButton(buttonOf(event->button()), true, modifiersOf(event->modifiers()));
        return;
    }
    if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ControlModifier)) {
        if (const int link = linkAt(event->position())) {
            QDesktopServices::openUrl(QUrl(m_screen->linkUrl(link)));
            return;
        }
    }
    if (event->button() == Qt::MiddleButton) {
        pasteFrom(QClipboard::Selection);
        return;
    }
    if (event->button() == Qt::LeftButton) {
        m_screen->clearSelection();
        m_selecting = true;
        m_blockSelect = event->modifiers() & Qt::AltModifier;
        m_anchorLine = viewTopLine() + cell.y();
        m_anchorColumn = cell.x();
        update();
    }
}

void TerminalView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint cell = cellAt(event->position());
    if (mouseReporting(event)) {
        m_screen->mouseMove(cell.y(), cell.x(), modifiersOf(event->modifiers()));
        return;
    }
    const int link = linkAt(event->position());
    if (link != m_hoverLink) {
        m_hoverLink = link;
        setCursor(link ? Qt::PointingHandCursor : Qt::IBeamCursor);
        setToolTip(link ? m_screen->linkUrl(link) : QString());
        update();
    }
    if (m_selecting && (event->buttons() & Qt::LeftButton)) {
        if (event->position().y() < 0)
            scrollLines(1);
        else if (event->position().y() > height())
            scrollLines(-1);
        const TerminalPos extent{viewTopLine() + cell.y(), cell.x()};
        m_screen->setSelection({m_anchorLine, m_anchorColumn}, extent, m_blockSelect);
        update();
    }
}

void TerminalView::mouseReleaseEvent(QMouseEvent *event)
{
    if (mouseReporting(event)) {
        const QPoint cell = cellAt(event->position());
        m_screen->mouseMove(cell.y(), cell.x(), modifiersOf(event->modifiers()));
        m_screen->mouseButton(buttonOf(event->button()), false, modifiersOf(event->modifiers()));
        return;
    }
    if (event->button() == Qt::LeftButton && m_selecting) {
        m_selecting = false;
        if (m_screen->hasSelection()) {
            const QString text = m_screen->selectedText();
            if (QClipboard *clipboard = QGuiApplication::clipboard()) {
                if (clipboard->supportsSelection())
                    clipboard->setText(text, QClipboard::Selection);
                if (m_selectToCopy)
                    clipboard->setText(text, QClipboard::Clipboard);
            }
        }
    }
}

void TerminalView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (mouseReporting(event) || event->button() != Qt::LeftButton) {
        mousePressEvent(event);
        return;
    }
    // Select the word under the pointer (letters, digits and -._/~:@ as shells' words), across
    // auto-wrapped line ends (a URL cut by the right margin is one word).
    const QPoint cell = cellAt(event->position());
    const int columns = m_screen->columns();
    auto isWord = [&](TerminalPos p) {
        int length = 0;
        const TerminalCell *cells = m_screen->lineCells(p.line, &length);
        if (p.column < 0 || p.column >= length || cells[p.column].isBlank())
            return false;
        const QString t = m_screen->cellText(cells[p.column]);
        return !t.isEmpty() && (t.at(0).isLetterOrNumber() || QStringLiteral("-._/~:@").contains(t.at(0)));
    };
    auto before = [&](TerminalPos p) {
        if (p.column > 0)
            return TerminalPos{p.line, p.column - 1};
        return m_screen->isWrapped(p.line - 1) ? TerminalPos{p.line - 1, columns - 1} : TerminalPos{p.line, -1};
    };
    auto after = [&](TerminalPos p) {
        if (p.column < columns - 1)
            return TerminalPos{p.line, p.column + 1};
        return m_screen->isWrapped(p.line) ? TerminalPos{p.line + 1, 0} : TerminalPos{p.line, columns};
    };
    TerminalPos from{viewTopLine() + cell.y(), cell.x()};
    if (!isWord(from))
        return;
    TerminalPos to = from;
    while (isWord(before(from)))
        from = before(from);
    while (isWord(after(to)))
        to = after(to);
    m_screen->setSelection(from, to);
    m_selecting = false;
    if (QClipboard *clipboard = QGuiApplication::clipboard(); clipboard && clipboard->supportsSelection())
        clipboard->setText(m_screen->selectedText(), QClipboard::Selection);
    update();
}

void TerminalView::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y() / 40; // 3 lines per notch
    if (steps == 0)
        return;
    if (m_screen->mouseMode() != TerminalScreen::MouseMode::None && !(event->modifiers() & Qt::ShiftModifier)) {
        const QPoint cell = cellAt(event->position());
        m_screen->mouseMove(cell.y(), cell.x());
        for (int i = 0; i < std::abs(steps); ++i)
            m_screen->mouseButton(steps > 0 ? 4 : 5, true);
    } else if (m_screen->isAltScreen()) {
        // Full-screen programs without mouse mode scroll with the arrow keys (alternate scroll).
        for (int i = 0; i < std::abs(steps); ++i)
            m_screen->sendKey(steps > 0 ? TerminalScreen::Key::Up : TerminalScreen::Key::Down);
    } else {
        scrollLines(steps);
    }
    event->accept();
}

void TerminalView::focusInEvent(QFocusEvent *event)
{
    m_screen->focusIn();
    m_blinkPhase = true;
    update(cursorRect());
    QWidget::focusInEvent(event);
}

void TerminalView::focusOutEvent(QFocusEvent *event)
{
    m_screen->focusOut();
    update(cursorRect());
    QWidget::focusOutEvent(event);
}

void TerminalView::inputMethodEvent(QInputMethodEvent *event)
{
    if (!event->commitString().isEmpty())
        m_screen->sendText(event->commitString());
    m_preedit = event->preeditString();
    update(cursorRect().adjusted(0, 0, m_cellWidth * int(m_preedit.size() + 1), 0));
    event->accept();
}

QVariant TerminalView::inputMethodQuery(Qt::InputMethodQuery query) const
{
    switch (query) {
    case Qt::ImEnabled: return true;
    case Qt::ImCursorRectangle: return cursorRect();
    case Qt::ImFont: return m_font;
    case Qt::ImCursorPosition: return int(m_preedit.size());
    case Qt::ImSurroundingText: return QString();
    default: return QWidget::inputMethodQuery(query);
    }
}

void TerminalView::copySelection()
{
    if (!m_screen->hasSelection())
        return;
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(m_screen->selectedText(), QClipboard::Clipboard);
}

void TerminalView::pasteFrom(QClipboard::Mode mode)
{
    QClipboard *clipboard = QGuiApplication::clipboard();
    if (!clipboard || (mode == QClipboard::Selection && !clipboard->supportsSelection()))
        return;
    pasteText(clipboard->text(mode));
}

void TerminalView::pasteText(const QString &text)
{
    const QString clean = TerminalScreen::sanitisedPaste(text);
    if (clean.isEmpty())
        return;
    // A paste with a line break runs commands in a shell at once: confirm unless the program
    // takes pastes as such (bracketed paste).
    const bool multiLine = clean.indexOf(QLatin1Char('\r')) >= 0;
    if (multiLine && !m_screen->isBracketedPasteEnabled()) {
        const bool ok = m_confirmPaste
            ? m_confirmPaste(clean)
            : QMessageBox::question(this, tr("Paste"),
                                    tr("Paste %n line(s) into the terminal? Each line break runs what is before it.",
                                       nullptr, int(clean.count(QLatin1Char('\r'))) + 1))
                  == QMessageBox::Yes;
        if (!ok)
            return;
    }
    scrollToBottom();
    m_screen->paste(text);
}

void TerminalView::showSearchBar()
{
    m_searchBar->show();
    m_searchBar->adjustSize();
    fitGrid();
    m_searchBar->raise();
    m_searchBar->focusPattern();
}
