#include "terminal_stream_tracker.h"

// Mirrors vterm_input_write() in libvterm 0.1.4's parser.c (UTF-8 mode) and the parts of
// state.c's on_escape/on_csi/on_control that decide how ASCII text lands. Keep the order of the
// checks as libvterm has them: a difference is a desynchronised fast path.

TerminalStreamTracker::Action TerminalStreamTracker::stepOther(unsigned char c)
{
    if (m_state == State::EscInString && (c < 0x20 || c == 0x7f) && c != 0x18 && c != 0x1a && c != 0x1b)
        return Action::DropAfterEsc;
    if (c == 0x00 || c == 0x7f)
        return Action::Pass; // ignored by libvterm in every state
    if (c == 0x18 || c == 0x1a) { // CAN, SUB
        m_state = State::Normal;
        return Action::Pass;
    }
    if (c == 0x1b) {
        m_intermedCount = 0;
        m_state = m_state == State::String ? State::EscInString : State::Esc;
        return Action::Pass;
    }
    if (c == 0x07 && m_state == State::String) { // BEL ends an OSC/DCS string
        m_state = State::Normal;
        return Action::Pass;
    }
    if (c < 0x20) { // other C0: executed in every state, the state unchanged
        control(c);
        return Action::Pass;
    }
    switch (m_state) {
    case State::EscInString:
        if (c == 0x5c) { // ST
            m_state = State::Normal;
            return Action::Pass;
        }
        m_state = State::Esc;
        return escapeByte(c);
    case State::Esc:
        return escapeByte(c);
    case State::CsiLeader:
    case State::CsiArgs:
    case State::CsiIntermed:
        return csiByte(c);
    case State::CsiDiscard:
        if (c >= 0x40 && c <= 0x7e)
            m_state = State::Normal;
        return Action::Drop;
    case State::String:
    case State::Normal:
        break;
    }
    return Action::Pass;
}

TerminalStreamTracker::Action TerminalStreamTracker::escapeByte(unsigned char c)
{
    if (c == '[') {
        m_state = State::CsiLeader;
        m_leaderCount = 0;
        m_leader = 0;
        return Action::Pass;
    }
    if (c == ']' || c == 'P') { // OSC, DCS
        m_state = State::String;
        return Action::Pass;
    }
    if (c >= 0x20 && c <= 0x2f) {
        intermediate(c);
        return Action::Pass;
    }
    if (m_intermedCount == 0 && c >= 0x40 && c < 0x60) { // 7-bit C1
        control(uint8_t(c + 0x40));
        m_state = State::Normal;
        return Action::Pass;
    }
    if (c >= 0x30 && c < 0x7f) {
        m_state = State::Normal;
        return escape(c);
    }
    return Action::Pass; // libvterm stays in its escape state
}

TerminalStreamTracker::Action TerminalStreamTracker::csiByte(unsigned char c)
{
    if (m_state == State::CsiLeader) {
        if (c >= 0x3c && c <= 0x3f) {
            if (m_leaderCount == 0)
                m_leader = c;
            if (m_leaderCount < 15)
                ++m_leaderCount;
            return Action::Pass;
        }
        m_state = State::CsiArgs;
        m_argCount = 1;
        m_args[0] = -1;
        m_argDigits = 0;
    }
    if (m_state == State::CsiArgs) {
        if (isArgByte(c))
            return argByte(c);
        m_state = State::CsiIntermed;
        m_intermedCount = 0;
    }
    if (c >= 0x20 && c <= 0x2f) {
        intermediate(c);
        return Action::Pass;
    }
    m_state = State::Normal;
    if (c >= 0x40 && c <= 0x7e)
        return csi(c);
    return Action::Pass; // an invalid CSI: libvterm drops it and returns to the ground state
}

void TerminalStreamTracker::control(unsigned char c)
{
    if (c == 0x0e) // SO (LS1)
        m_gl = 1;
    else if (c == 0x0f) // SI (LS0)
        m_gl = 0;
    else if (c == 0x8e || c == 0x8f) // SS2, SS3 (ESC N, ESC O): the next glyph only
        m_singleShift = true;
}

TerminalStreamTracker::Action TerminalStreamTracker::escape(unsigned char final)
{
    if (m_intermedCount == 0) {
        switch (final) {
        case 'c': fullReset(); break; // RIS
        case 'n': m_gl = 2; break;    // LS2
        case 'o': m_gl = 3; break;    // LS3
        default: break;
        }
        return Action::Pass;
    }
    if (m_intermedCount != 1)
        return Action::Pass;
    if (m_intermed >= '(' && m_intermed <= '+') { // SCS: libvterm knows '0', 'A' and 'B'
        const int set = m_intermed - '(';
        if (final == '0' || final == 'A')
            m_translating[set] = true;
        else if (final == 'B')
            m_translating[set] = false;
    } else if (m_intermed == '#' && final == '8') {
        return Action::Align;
    }
    return Action::Pass;
}

TerminalStreamTracker::Action TerminalStreamTracker::csi(unsigned char final)
{
    // libvterm ignores a CSI with more than one leader or intermediate byte.
    if (m_leaderCount > 1 || m_intermedCount > 1)
        return Action::Pass;
    const unsigned char leader = m_leaderCount ? m_leader : 0;
    const unsigned char intermed = m_intermedCount ? m_intermed : 0;
    // DECSTR (CSI ! p) is not here: libvterm 0.1.4 files it under a leader '!' that its parser
    // never produces ('!' is an intermediate byte), so a soft reset does nothing there.
    if (final == 'b' && leader == 0 && intermed == 0)
        return Action::Repeat;
    if ((final == 'h' || final == 'l') && intermed == 0) {
        const bool on = final == 'h';
        for (int i = 0; i < m_argCount; ++i) {
            if (leader == 0 && m_args[i] == 4)
                m_insert = on;
            else if (leader == '?' && m_args[i] == 69)
                m_lrMargins = on;
            else if (leader == '?' && m_args[i] == 6)
                m_origin = on;
        }
    }
    return Action::Pass;
}

void TerminalStreamTracker::fullReset()
{
    m_singleShift = false;
    for (bool &t : m_translating)
        t = false;
    m_gl = 0;
    m_insert = false;
    m_lrMargins = false;
    m_origin = false;
}
