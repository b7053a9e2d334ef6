// libFuzzer target for Osc8Scanner: differential (whole vs. fuzzer-chosen pieces) + invariants.
// The first input byte seeds the piece sizes; the rest is the terminal output stream.

#include "osc8_scanner.h"

#include <cstdint>
#include <cstdlib>

namespace {

/// Bytes with each link change written as ESC 0xff <uri> 0xff (not a byte pair the scanner emits).
QByteArray runPieces(QByteArrayView body, uint8_t control, bool whole)
{
    Osc8Scanner scanner;
    QByteArray out;
    QList<Osc8Piece> pieces;
    auto take = [&](QByteArrayView chunk) {
        pieces.clear();
        scanner.feed(chunk, pieces);
        for (const Osc8Piece &p : pieces) {
            if (p.isLink) {
                if (!p.bytes.isEmpty() || p.uri.size() > Osc8Scanner::MaxBody)
                    abort();
                out += "\x1b\xff" + p.uri + "\xff";
            } else {
                if (p.bytes.isEmpty())
                    abort(); // bytes pieces are never empty
                out += p.bytes.toByteArray();
            }
        }
    };
    if (whole) {
        take(body);
    } else {
        quint32 state = 0x9E3779B9u ^ control;
        qsizetype pos = 0;
        while (pos < body.size()) {
            state = state * 1664525u + 1013904223u;
            const qsizetype piece = std::min<qsizetype>(qsizetype((state >> 24) % 17), body.size() - pos);
            take(body.sliced(pos, piece));
            pos += piece;
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArrayView body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const QByteArray whole = runPieces(body, data[0], true);
    const QByteArray pieces = runPieces(body, data[0], false);
    if (whole != pieces)
        abort();
    // Nothing is invented: the output never holds more stream bytes than the input.
    if (whole.size() > body.size() + 2 * whole.count("\x1b\xff"))
        abort();
    return 0;
}
