#pragma once

/// Where Qt's message machinery (qDebug/qInfo/qWarning from our categories and from Qt itself)
/// goes. stderr of a headless run is a contract (one line per state change or error, written by
/// HeadlessRunner), so by default nothing else is printed there; the window prints warnings.
///
/// Every message is escaped (Printable) before it is written: Qt's own warnings can quote what a
/// server sent (header values, URLs), and nothing a peer controls may reach a terminal raw.
namespace LogOutput {

enum class Mode {
    Window,   ///< warnings and worse
    Headless, ///< critical and fatal only: stderr carries exactly the contract's lines
    Verbose,  ///< everything, including dash.* debug and info (--verbose)
};

/// Installs the handler; safe to call again to change the mode (after parsing the command line).
/// When QT_LOGGING_RULES is set, the user's rules decide which categories print, in every mode.
void install(Mode mode);

} // namespace LogOutput
