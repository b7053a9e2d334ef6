#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

/// Value types of the asciicast v2 format (https://docs.asciinema.org/manual/asciicast/v2/),
/// shared by AsciicastReader, AsciicastWriter and the player. A file is one JSON object per line:
/// the header, then events `[time, code, data]` with time in seconds since the start.

/// The header line: `{"version": 2, "width": 80, "height": 24, "timestamp": ..., ...}`.
struct AsciicastHeader
{
    int width = 80;                          ///< columns (required, > 0)
    int height = 24;                         ///< rows (required, > 0)
    std::optional<qint64> timestamp;         ///< Unix time of the start
    std::optional<double> idleTimeLimit;     ///< players cap pauses between events to this (s)
    QString title;
    QList<std::pair<QString, QString>> env;  ///< e.g. TERM, SHELL (string values only)
    friend bool operator==(const AsciicastHeader &, const AsciicastHeader &) = default;
};

/// One event line. Output/Input carry data bytes (UTF-8 as written in the file); Resize carries
/// columns/rows ("r" data "COLSxROWS"); Marker carries its label in data.
struct AsciicastEvent
{
    enum class Type { Output, Input, Resize, Marker };
    double time = 0;        ///< seconds since the start, as in the file
    Type type = Type::Output;
    QByteArray data;
    int columns = 0;        ///< Resize only
    int rows = 0;           ///< Resize only
    friend bool operator==(const AsciicastEvent &, const AsciicastEvent &) = default;
};
