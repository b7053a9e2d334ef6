// The way remote output reaches libvterm: TerminalScreen::feed() → feedBytes() (UTF-8 carry,
// OSC 8 links) → writeToVterm() (TerminalStreamTracker: guards against libvterm 0.1.4 bugs, text
// runs) → vterm_input_write() or writeTextRun().
//
// Why writeTextRun: libvterm's state layer calls putglyph once per character, which made plain
// text cost more in libvterm and our callback than everything else together (bench_terminal).
// A run of printable ASCII in the ground state, with no translating charset, insert mode or
// left/right margins or origin mode, lands as one cell per byte from the cursor on; such a run is
// written here directly. libvterm sees a cursor-forward over it and its last byte, so its cursor,
// pending wrap and the glyph a REP or a combining character refers to are exactly as if it had
// printed the whole run (in the last two columns, where a wrap may be pending, and after a single
// shift, the first byte goes through libvterm too, as a probe).
//
// Text is also handed to libvterm in writes that are all ASCII or all non-ASCII: libvterm picks
// the decoder for a write by its first byte (GL's character set for ASCII, UTF-8 otherwise), so
// "中x" in one write printed x as ASCII where "中" then "x" printed it in the DEC graphics set,
// and a truncated UTF-8 sequence swallowed or kept the next letter depending on how the stream
// was cut. Split at every change of class, the screen no longer depends on the chunking.

#include "terminal_screen_p.h"
#include "terminal_utf8.h"

#include <algorithm>

namespace {

/// Bytes at the end of `bytes` that start a UTF-8 sequence the chunk does not complete (0–3).
qsizetype incompleteUtf8Tail(QByteArrayView bytes)
{
    const qsizetype end = bytes.size();
    for (qsizetype i = end - 1; i >= 0 && i >= end - 3; --i) {
        const auto b = uchar(bytes[i]);
        if ((b & 0xc0) == 0x80)
            continue; // continuation byte: look further back for the lead
        if (b < 0xc0)
            return 0;
        const qsizetype needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        return end - i < needed ? end - i : 0;
    }
    return 0;
}

/// An OSC/DCS string is held back until its terminator up to this size (titles, links, clipboard
/// requests are far shorter; sixel-like DCS data beyond it goes to libvterm in pieces).
constexpr size_t MaxHeldString = 64 * 1024;

/// Shorter runs go through libvterm whole: the first and last byte and the cursor-forward
/// between them would cost about as much as the run.
constexpr qsizetype MinTextRun = 8;

} // namespace

void TerminalScreen::feedBytes(QByteArrayView bytes)
{
    // libvterm 0.1.4 turns a UTF-8 sequence cut by the end of one vterm_input_write() into U+FFFD
    // when other text preceded it in that call, so every write here ends on a character boundary:
    // an incomplete tail waits for the next feed.
    if (!d->utf8Carry.isEmpty()) {
        d->joined = d->utf8Carry + bytes.toByteArray();
        d->utf8Carry.clear();
        bytes = QByteArrayView(d->joined);
    }
    if (const qsizetype tail = incompleteUtf8Tail(bytes)) {
        d->utf8Carry = bytes.last(tail).toByteArray();
        bytes.chop(tail);
    }
    d->pieces.clear();
    d->osc8.feed(bytes, d->pieces);
    for (const Osc8Piece &piece : std::as_const(d->pieces)) {
        if (piece.isLink) {
            m_pen.link = internLink(piece.uri);
            continue;
        }
        writeToVterm(piece.bytes);
    }
}

void TerminalScreen::writeToVterm(QByteArrayView bytes)
{
    using Action = TerminalStreamTracker::Action;
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *const end = p + bytes.size();
    const unsigned char *pending = p; // [pending, p) is still to be handed to libvterm
    // d->held: bytes before `pending` not written yet, the start of an OSC/DCS string. libvterm
    // 0.1.4 drops what a string brought in earlier writes (a title split by the network was
    // lost), and an ST split between writes, or with a control inside it, made it compute the
    // string's length as -1 and read past its input. So a string goes to libvterm in one write
    // with its terminator (up to MaxHeldString bytes; beyond, in pieces that never end between
    // the ESC and the backslash of an ST).
    auto flush = [&](const unsigned char *upTo) {
        if (!d->held.empty()) {
            d->held.append(reinterpret_cast<const char *>(pending), size_t(upTo - pending));
            vterm_input_write(d->vt, d->held.data(), d->held.size());
            d->held.clear();
        } else if (upTo > pending) {
            vterm_input_write(d->vt, reinterpret_cast<const char *>(pending), size_t(upTo - pending));
        }
        pending = upTo;
    };
    auto hold = [&](const unsigned char *upTo) {
        d->held.append(reinterpret_cast<const char *>(pending), size_t(upTo - pending));
        pending = upTo;
    };
    TerminalStreamTracker &tracker = d->tracker;
    const unsigned char *stringStart = nullptr; // the introducer of the last string begun in `bytes`
    // The string waits for its terminator; what came before it goes now (libvterm keeps the
    // state of an ESC across writes; only a string's bytes must not be split).
    auto holdString = [&](const unsigned char *upTo) {
        if (stringStart && stringStart >= pending)
            flush(stringStart);
        hold(upTo);
    };
    while (p < end) {
        if (tracker.inText() && TerminalStreamTracker::isPrintableAscii(*p)) {
            if (d->textClass == Private::TextClass::NonAscii)
                flush(p);
            const unsigned char *runEnd = p + 1;
            while (runEnd < end && TerminalStreamTracker::isPrintableAscii(*runEnd))
                ++runEnd;
            // A combining mark after the run must reach libvterm in the write that prints the
            // run's last character (libvterm 0.1.4 cannot join them across writes when that
            // character is in the last column): such a run goes to libvterm whole.
            if (runEnd - p >= MinTextRun && tracker.plainAscii() && !d->textPathOff
                && TerminalUtf8::combiningMarkLength(runEnd, end) == 0
                && (flush(p), !d->doubleWidthLines)) { // libvterm reports line sizes as it goes
                writeTextRun(reinterpret_cast<const char *>(p), runEnd - p);
                pending = runEnd;
            }
            d->textClass = Private::TextClass::Ascii;
            tracker.textPrinted();
            p = runEnd;
            continue;
        }
        if (tracker.inText() && *p >= 0x80) {
            if (d->textClass == Private::TextClass::Ascii && TerminalUtf8::combiningMarkLength(p, end) == 0)
                flush(p);
            d->textClass = Private::TextClass::NonAscii;
            const qsizetype unprintable = TerminalUtf8::badSequenceLength(p, end);
            if (unprintable > 0) {
                // libvterm 0.1.4 keeps a cut-off sequence's state in one of its two UTF-8
                // decoders and spends it on whatever non-ASCII text comes next, so the result
                // depended on how the stream was cut: one U+FFFD, written on its own, instead.
                flush(p);
                vterm_input_write(d->vt, "\xef\xbf\xbd", 3);
                p += unprintable;
                pending = p;
                continue;
            }
            ++p;
            continue;
        }
        d->textClass = Private::TextClass::None;
        const bool wasInString = tracker.inString();
        const Action action = tracker.step(*p);
        if (!wasInString && tracker.inString())
            stringStart = p; // the ']' or 'P': the string's bytes start here
        switch (action) {
        case Action::Pass:
            break;
        case Action::Drop:
            flush(p);
            pending = p + 1;
            break;
        case Action::Cancel:
            flush(p);
            vterm_input_write(d->vt, "\x18", 1);
            pending = p + 1;
            break;
        case Action::Repeat:
            // libvterm 0.1.4 loops forever on REP when the glyph it would repeat has width 0
            // (nothing printed yet, or a lone combining character): such a REP is cancelled
            // (xterm prints nothing for it either).
            flush(p);
            if (d->lastGlyphWidth <= 0) {
                vterm_input_write(d->vt, "\x18", 1);
                pending = p + 1;
            }
            break;
        case Action::Align: {
            // DECALN puts E everywhere through putglyph but leaves what REP repeats alone.
            flush(p);
            const int width = d->lastGlyphWidth;
            flush(p + 1);
            d->lastGlyphWidth = width;
            break;
        }
        case Action::DropAfterEsc: // inside a string: nothing is written there anyway
            holdString(p);
            pending = p + 1;
            break;
        }
        ++p;
    }
    if (!tracker.inString()) {
        flush(end);
        return;
    }
    holdString(end);
    if (d->held.size() > MaxHeldString) {
        const bool escLast = tracker.inStringTerminator() && !d->held.empty() && d->held.back() == '\x1b';
        vterm_input_write(d->vt, d->held.data(), d->held.size() - (escLast ? 1 : 0));
        d->held.erase(0, d->held.size() - (escLast ? 1 : 0));
    }
}

void TerminalScreen::writeTextRun(const char *text, qsizetype length)
{
    // Where the run starts. libvterm's cursor says it, unless the cursor is in the last column
    // or the one before it (a wrap may be pending there after a wide character, which libvterm
    // does not tell) or a single shift (SS2/SS3)
    // may change the first byte: then the first byte goes through libvterm as a probe, and shows
    // where it landed and whether it printed as itself.
    VTermPos cursor;
    vterm_state_get_cursorpos(d->state, &cursor);
    int row = cursor.row;
    int from = cursor.col; // the first column written here
    const char *rest = text;
    if (cursor.col >= m_columns - 2 || d->tracker.singleShiftPending()) {
        Private::Probe &probe = d->textProbe;
        probe = Private::Probe{};
        probe.active = true;
        vterm_input_write(d->vt, text, 1);
        probe.active = false;
        if (probe.glyphs != 1 || probe.shifted || probe.ch != uchar(text[0]) || probe.width != 1) {
            vterm_input_write(d->vt, text + 1, size_t(length - 1)); // let libvterm do all of it
            return;
        }
        row = probe.row;
        from = probe.column + 1;
        ++rest;
    }
    const int last = from + int(text + length - rest) - 1; // the column of the last byte
    if (row < 0 || row >= m_rows || last >= m_columns || last - from < 2) {
        vterm_input_write(d->vt, rest, size_t(text + length - rest));
        return;
    }
    // The bytes before the last, written here with the pen libvterm gave us.
    TerminalCell *cells = this->row(row);
    if (from > 0 && cells[from].ch == TerminalCell::WideTail && (cells[from - 1].attrs & TerminalAttr::Wide))
        clearRow(cells, from - 1, from); // the run starts on the right half of a wide character
    TerminalCell cell = m_pen;
    for (int c = from; c < last; ++c) {
        cell.ch = uchar(rest[c - from]);
        cells[c] = cell;
    }
    if (cells[last].ch == TerminalCell::WideTail)
        clearRow(cells, last, last + 1); // ... or the left half of one
    m_dirty[size_t(row)] = 1;
    m_anyDirty = m_changed = true;
    // Cursor forward over them (never clamped: the run fits the row), then the last byte, which
    // must land where the run says: otherwise this screen stops taking the fast path.
    // (Formatted by hand: snprintf took an eighth of the model's time in bench_terminal.)
    char sync[16];
    char *out = sync + sizeof sync;
    *--out = text[length - 1];
    *--out = 'C';
    for (int count = last - from; count > 0; count /= 10)
        *--out = char('0' + count % 10);
    *--out = '[';
    *--out = '\x1b';
    Private::Probe &check = d->textProbe;
    check = Private::Probe{};
    check.active = true;
    vterm_input_write(d->vt, out, size_t(sync + sizeof sync - out));
    check.active = false;
    if (check.glyphs != 1 || check.row != row || check.column != last || check.ch != uchar(text[length - 1])) {
        d->textPathOff = true;
        qWarning("TerminalScreen: libvterm put a text run's last byte at %d,%d, not %d,%d: text fast path off",
                 check.row, check.column, row, last);
    }
}
