#pragma once

#include <QtGlobal>

/// How libvterm 0.1.4 groups UTF-8 text, for TerminalScreen (which keeps a character and its
/// marks in one write and replaces what libvterm would mishandle) and for the tests and the
/// fuzzer that must cut a stream only where libvterm can be cut.
namespace TerminalUtf8 {

/// Length of the combining mark (or other zero-width character libvterm joins to the glyph
/// before it: Mn, Me, Cf, Hangul medial vowels, U+200B) whose UTF-8 starts at `p`; 0 if none.
int combiningMarkLength(const unsigned char *p, const unsigned char *end);

/// Bytes of a UTF-8 sequence at `p` (>= 0x80) that libvterm would mishandle: a lead byte without
/// all its continuation bytes before other text, a lead it reads as a 5- or 6-byte sequence, or
/// a C1 control encoded in UTF-8 (U+0080..U+009F, which it prints as a glyph of width -1 and so
/// moves the cursor backwards). 0 for a good character or a lone continuation byte (libvterm
/// replaces those at once).
qsizetype badSequenceLength(const unsigned char *p, const unsigned char *end);

} // namespace TerminalUtf8
