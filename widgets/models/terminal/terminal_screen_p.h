#pragma once

// Private parts of TerminalScreen shared by terminal_screen.cpp (API) and
// terminal_screen_callbacks.cpp (libvterm's state callbacks). Not installed, not for other users.

#include "osc8_scanner.h"
#include "terminal_screen.h"
#include "terminal_stream_tracker.h"

#include <QHash>

#include <string>
#include <unordered_map>
#include <vterm.h>

struct TerminalScreen::Private
{
    VTerm *vt = nullptr;
    VTermState *state = nullptr;
    Osc8Scanner osc8;
    QList<Osc8Piece> pieces;
    // Combining-character clusters, interned (cells store ClusterBit | index). Capped: beyond
    // MaxClusters distinct clusters a cell keeps only its base character.
    static constexpr size_t MaxClusters = 1u << 20;
    std::vector<std::u32string> clusters;
    std::unordered_map<std::u32string, uint32_t> clusterIndex;
    // OSC 8 link URLs, interned: cells store id (index + 1). Capped at 65535 distinct links.
    QList<QString> links;
    QHash<QByteArray, uint16_t> linkIndex;
    uint16_t activeLink = 0;
    // Deferred signals (never emitted from inside libvterm's callbacks).
    bool titlePending = false;
    int bellsPending = 0;
    // Output probing (isBracketedPasteEnabled): output goes to `probe` instead of the remote.
    bool probing = false;
    QByteArray probe;
    std::vector<TerminalCell> popped; ///< scratch line for sb_popline on resize
    QByteArray utf8Carry; ///< an incomplete UTF-8 sequence held back from the last feed
    QByteArray joined;    ///< carry + the next chunk
    /// Where libvterm's cursor is after the last glyph put (the glyph's own cell when a wrap is
    /// pending), as long as it has not moved elsewhere: a glyph that then lands at column 0 of
    /// the row below came by auto-wrap, and the row is marked TerminalAttr::Wrapped. -1: none.
    /// Not followed once double-width lines appear (their rows end halfway).
    int wrapRow = -1;
    int wrapColumn = 0;
    int lastGlyphWidth = 0; ///< width of the last glyph libvterm put (what a REP would repeat)
    TerminalStreamTracker tracker; ///< where libvterm's parser is (terminal_screen_text.cpp)
    /// What libvterm did with the first byte of a text run (writeTextRun).
    struct Probe
    {
        bool active = false;
        int glyphs = 0;
        uint32_t ch = 0;
        int width = 0;
        int row = -1;
        int column = -1;
        bool shifted = false; ///< cells moved sideways (insert mode)
    } textProbe;
    /// The kind of text byte handed on last (None after a control or a sequence).
    enum class TextClass : uint8_t { None, Ascii, NonAscii } textClass = TextClass::None;
    bool doubleWidthLines = false;
    std::string held; ///< an OSC/DCS string not yet written, up to its terminator (writeToVterm)
    bool textPathOff = false; ///< a run's last byte landed elsewhere than computed (never seen) ///< DECDWL/DECDHL seen: rows are not all m_columns wide
};

/// libvterm's state-layer callbacks, as static functions with access to TerminalScreen.
struct TerminalScreenCallbacks
{
    static const VTermStateCallbacks table;
    static void output(const char *bytes, size_t length, void *user);
};
