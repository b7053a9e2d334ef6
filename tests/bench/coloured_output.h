#pragma once

// The input of the terminal benchmarks (issue 7 section 7), shared by bench_terminal (in process)
// and bench_terminal_exec (end to end through the demo's exec).

#include <QByteArray>
#include <QStringBuilder> // "x" + QByteArray under QT_USE_QSTRINGBUILDER

inline constexpr qsizetype ColouredOutputBytes = 20'000'000;

/// At least ColouredOutputBytes of ~160-byte lines, each a run of "wordN text " pieces with a
/// 16-colour, 256-colour or truecolor SGR before each, then "\x1b[0m", the line's number (from 0)
/// and "\r\n". Deterministic (a fixed LCG seed); ends at a line end.
inline QByteArray colouredOutput()
{
    QByteArray out;
    out.reserve(ColouredOutputBytes + 400);
    quint32 seed = 12345;
    auto next = [&] {
        seed = seed * 1103515245u + 12345u;
        return seed >> 8;
    };
    int line = 0;
    while (out.size() < ColouredOutputBytes) {
        QByteArray l;
        while (l.size() < 150) {
            switch (next() % 3) {
            case 0: l += "\x1b[" + QByteArray::number(30 + next() % 8) + 'm'; break;
            case 1: l += "\x1b[38;5;" + QByteArray::number(next() % 256) + 'm'; break;
            default:
                l += "\x1b[38;2;" + QByteArray::number(next() % 256) + ';' + QByteArray::number(next() % 256)
                    + ';' + QByteArray::number(next() % 256) + 'm';
            }
            l += "word" + QByteArray::number(next() % 100000) + " text ";
        }
        l += "\x1b[0m" + QByteArray::number(line++) + "\r\n";
        out += l;
    }
    return out;
}
