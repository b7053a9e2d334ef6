#pragma once

#include <cstdint>

/// Follows a terminal byte stream the way libvterm 0.1.4's parser and state do, one byte at a
/// time, so TerminalScreen knows what libvterm will make of the next bytes before it hands them
/// over. Pure C++ (no Qt, no libvterm): tested and fuzzed alone.
///
/// Two uses:
/// - **Guards** against libvterm 0.1.4 bugs that a remote program can trigger:
///   - a CSI with more than 16 parameters (`ESC[;;;…m`) writes past libvterm's argument array
///     (its parser has no bound: heap corruption from one line of container output): the
///     sequence is cancelled (CAN) at the 16th separator and its remaining bytes are dropped;
///   - a parameter with more than 9 digits overflows the int arithmetic that uses it: the extra
///     digits are dropped;
///   - REP (`CSI Ps b`) with a zero-width glyph to repeat spins forever: step() reports the REP
///     so the caller can cancel it;
///   - a control byte between the ESC and the backslash of an OSC/DCS string's ST makes it read
///     past its input (and take the bytes after the ST into the title): such a byte is dropped.
/// - **Text runs**: whether the next printable ASCII bytes are plain text that libvterm would put
///   on the screen unchanged (ground state, no translating character set in GL, no insert mode,
///   no left/right margins, no origin mode: there libvterm moves the cursor into the scroll region
///   on any CSI, which TerminalScreen's cursor-forward after a run would trigger), which lets TerminalScreen write such runs itself (see
///   TerminalScreen::writeTextRun).
///
/// The mirror is of libvterm's UTF-8 mode (TerminalScreen always sets it).
class TerminalStreamTracker
{
public:
    enum class Action : uint8_t {
        Pass,   ///< hand the byte to libvterm
        Drop,   ///< leave it out
        Cancel, ///< hand CAN (0x18) to libvterm instead: abandons the sequence in progress
        Repeat, ///< the final byte of a REP: pass it only if the last glyph has a width
        Align,  ///< the final byte of DECALN (ESC # 8): fills the screen with E without
                ///< changing the glyph a REP repeats
        DropAfterEsc, ///< a control between an ESC and the next byte inside an OSC/DCS string:
                      ///< leave it out and keep that ESC and the byte after it in one write
    };

    static constexpr int MaxCsiArgs = 16;  ///< libvterm 0.1.4's CSI_ARGS_MAX
    static constexpr int MaxArgDigits = 9; ///< keeps every parameter below 10^9

    Action step(unsigned char c)
    {
        // Inline: the parameter bytes of SGR sequences are most of what is not text.
        if (m_state == State::CsiArgs && isArgByte(c))
            return argByte(c);
        return stepOther(c);
    }

    /// Inside an OSC/DCS string right after an ESC (an ST may be coming): libvterm 0.1.4 must get
    /// that ESC and the next byte in one write. Split, or with a control between them, it
    /// computes the string's length as -1 and reads past its input.
    bool inStringTerminator() const { return m_state == State::EscInString; }
    /// Inside an OSC/DCS string (its ST not seen yet).
    bool inString() const { return m_state == State::String || m_state == State::EscInString; }
    /// The parser is in its ground state: a printable byte now is text.
    bool inText() const { return m_state == State::Normal; }
    /// Printable ASCII in the ground state would be put on the screen as it is, each byte one
    /// cell at the cursor, nothing else moving.
    bool plainAscii() const
    {
        return m_state == State::Normal && !m_translating[m_gl] && !m_insert && !m_lrMargins && !m_origin;
    }

    /// SS2 or SS3 came and no ASCII text since: the next glyph may come from G2/G3.
    bool singleShiftPending() const { return m_singleShift; }
    /// The caller handed a run of printable ASCII in the ground state to libvterm (which ends a
    /// single shift).
    void textPrinted() { m_singleShift = false; }

    static bool isPrintableAscii(unsigned char c) { return c >= 0x20 && c <= 0x7e; }

private:
    Action stepOther(unsigned char c);
    static bool isArgByte(unsigned char c) { return (c >= '0' && c <= '9') || c == ';' || c == ':'; }
    /// A digit or separator of a CSI's parameters.
    Action argByte(unsigned char c)
    {
        if (c >= '0' && c <= '9') {
            if (m_argDigits >= MaxArgDigits)
                return Action::Drop;
            ++m_argDigits;
            int32_t &arg = m_args[m_argCount - 1];
            arg = (arg < 0 ? 0 : arg) * 10 + (c - '0');
            return Action::Pass;
        }
        if (m_argCount >= MaxCsiArgs) {
            m_state = State::CsiDiscard;
            return Action::Cancel;
        }
        m_args[m_argCount++] = -1;
        m_argDigits = 0;
        return Action::Pass;
    }
    /// Records an intermediate byte (0x20..0x2f) of an escape sequence or CSI.
    void intermediate(unsigned char c)
    {
        if (m_intermedCount == 0)
            m_intermed = c;
        if (m_intermedCount < 15)
            ++m_intermedCount;
    }

    enum class State : uint8_t { Normal, Esc, CsiLeader, CsiArgs, CsiIntermed, CsiDiscard, String, EscInString };

    Action escapeByte(unsigned char c);
    Action csiByte(unsigned char c);
    void control(unsigned char c);
    Action escape(unsigned char final);
    Action csi(unsigned char final);
    void fullReset();

    State m_state = State::Normal;
    // The sequence in progress.
    uint8_t m_intermedCount = 0;
    unsigned char m_intermed = 0; ///< the first intermediate byte
    uint8_t m_leaderCount = 0;
    unsigned char m_leader = 0;
    int m_argCount = 0; ///< separators seen + 1
    int m_argDigits = 0;
    int32_t m_args[MaxCsiArgs] = {};
    // libvterm state that decides how ASCII text lands.
    bool m_translating[4] = {}; ///< G0–G3 designated as DEC special graphics or UK
    uint8_t m_gl = 0;
    bool m_insert = false;    ///< IRM (CSI 4 h)
    bool m_lrMargins = false; ///< DECLRMM (CSI ? 69 h)
    bool m_origin = false;    ///< DECOM (CSI ? 6 h)
    bool m_singleShift = false; ///< SS2/SS3 seen, no ASCII text since
};
