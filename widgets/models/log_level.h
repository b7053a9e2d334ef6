#pragma once

#include <QByteArrayView>
#include <QtGlobal>

struct StreamEvent;

/// Severity of a log record, as lnav and klogg show it. Ordered: a filter "Warn and above" keeps
/// every level >= Warn.
enum class LogLevel : quint8 { None, Trace, Debug, Info, Warn, Error, Fatal };

/// The level a log record states about itself, found cheaply (only the first bytes are looked at):
/// - JSON objects: the string value of a top-level-looking "level", "severity", "lvl" or
///   "loglevel" key in the first 512 bytes;
/// - text lines: the first whole word in the first 128 bytes that names a level (ERROR, ERR,
///   FATAL, PANIC, CRIT, CRITICAL, WARN, WARNING, INFO, DEBUG, TRACE, in upper, lower or title case;
///   "level=warn" counts, "errors" and "INFOrmation" do not).
/// None when nothing names a level.
LogLevel detectLogLevel(QByteArrayView payload);

/// detectLogLevel() of a Data event's payload; Error events are LogLevel::Error; Gap and Sent
/// (a message this client sent states nothing about the source) are None.
LogLevel logLevelOf(const StreamEvent &event);

/// Maps a level word ("warn", "WARNING", "Err", ...) to its level; None when it is not one.
LogLevel logLevelFromWord(QByteArrayView word);
