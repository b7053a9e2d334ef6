#pragma once

#include <QString>
#include <QStringList>

/// `livedash --headless --render-terminal FILE [--size COLSxROWS]`: feeds a recording (asciicast
/// v2, or any other file as raw terminal bytes) through the terminal model (TerminalScreen, the
/// same one the terminal tab uses) and prints the final screen as text.
///
/// Size: --size when given, else the asciicast header's width × height, else 80×24; "r" (resize)
/// events of the recording are applied in order after that. Only "o" events are fed ("i" input
/// and "m" markers are not screen content). Timing is ignored: the result is the screen after the
/// last event.
///
/// Output (stdout): TerminalScreen::screenText() — one line per row, trailing spaces trimmed, a
/// wide character once, combining characters kept — then a newline; exit 0. Lines the reader
/// skipped are reported as warnings on stderr (exit still 0). A file that cannot be read or is an
/// unreadable asciicast (bad header, version 1/3): a message on stderr, exit 1.

struct TerminalRender
{
    bool ok = false;
    QString screenText;     ///< ok: the final screen
    int columns = 0;        ///< ok: the final size
    int rows = 0;
    QString error;          ///< !ok: "cannot read FILE: ...", "FILE: line 1: ..."
    QStringList warnings;   ///< skipped lines ("FILE: line 5: ...")
};

/// Renders `path`; `columns`/`rows` 0 = from the recording (else 80×24).
TerminalRender renderTerminalFile(const QString &path, int columns = 0, int rows = 0);

/// The headless command: prints as described above; returns the exit code (0 or 1).
int runRenderTerminal(const QString &path, int columns, int rows);
