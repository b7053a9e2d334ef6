// libFuzzer target for LineFramer (+ JsonValidator on every line): differential (whole vs.
// fuzzer-chosen pieces) + invariants. The first input byte picks the cap and the piece sizes.

#include "json_validator.h"
#include "line_framer.h"
#include "utf8.h"

#include <cstdint>
#include <cstdlib>

namespace {

qsizetype capFor(uint8_t control)
{
    return (control & 3) == 3 ? LineFramer::DefaultMaxLineBytes : qsizetype(1 + (control >> 2));
}

QList<FramedLine> runPieces(QByteArrayView body, uint8_t control, bool whole)
{
    LineFramer framer(capFor(control));
    QList<FramedLine> out;
    if (whole) {
        framer.feed(body, out);
    } else {
        quint32 state = 0x85EBCA6Bu ^ control;
        qsizetype pos = 0;
        while (pos < body.size()) {
            state = state * 1664525u + 1013904223u;
            const qsizetype piece = std::min<qsizetype>(qsizetype((state >> 24) % 17), body.size() - pos);
            framer.feed(body.sliced(pos, piece), out);
            pos += piece;
        }
    }
    framer.finish(out);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t control = data[0];
    const qsizetype cap = capFor(control);
    const QByteArrayView body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const QList<FramedLine> whole = runPieces(body, control, true);
    const QList<FramedLine> pieces = runPieces(body, control, false);
    if (whole != pieces)
        abort();

    qsizetype consumed = 0;
    bool anyTooLong = false;
    JsonValidator validator;
    for (const FramedLine &line : whole) {
        if (line.text.contains('\n') || line.length < line.text.size())
            abort();
        if (line.tooLong != (line.length > cap))
            abort();
        if (line.tooLong ? line.text.size() > LineFramer::ExcerptBytes : line.text.size() != line.length)
            abort();
        // A too-long line is reported when the cap is passed: its length says cap + 1, and the
        // rest of it was skipped, so only a lower bound of the bytes it had is known.
        if (line.tooLong && line.length != cap + 1)
            abort();
        anyTooLong = anyTooLong || line.tooLong;
        consumed += line.length;
        if (!line.tooLong) {
            const std::optional<QString> reason = validator.check(line.text);
            if (reason && !reason->startsWith(QLatin1String("invalid JSON: ")))
                abort();
        }
    }
    // Every byte is either line content or part of a line end (LF, or the CR of a CRLF).
    const qsizetype accounted = consumed + body.count('\n') + body.count(QByteArrayView("\r\n"));
    if (anyTooLong ? accounted > body.size() : accounted != body.size())
        abort();
    // Lines the framer says it validated are valid.
    for (const FramedLine &line : whole) {
        if (line.validUtf8 && !Utf8::isValid(line.text))
            abort();
    }
    return 0;
}
