// libFuzzer target for SseParser: differential (whole vs. fuzzer-chosen pieces, and against the
// literal WHATWG transcription in tests/transports/sse_reference.h) + invariants.
// The first input byte picks the line cap and the piece sizes; the rest is the body.

#include "sse_parser.h"
#include "utf8.h"
#include "../transports/sse_reference.h"

#include <cstdint>
#include <cstdlib>

namespace {

struct Run
{
    QList<SseEvent> events;
    QByteArray lastEventId;
    std::optional<qint64> retry;
    quint64 dropped = 0;
};

qsizetype capFor(uint8_t control)
{
    // Small caps exercise the overlong paths; every 4th input uses the production default.
    return (control & 3) == 3 ? SseParser::DefaultMaxLineBytes : qsizetype(1 + (control >> 2));
}

Run runPieces(QByteArrayView body, uint8_t control, bool whole)
{
    SseParser parser(capFor(control));
    Run run;
    if (whole) {
        parser.feed(body, run.events);
    } else {
        // Piece sizes from a small LCG seeded by the control byte: 1..16 bytes, sometimes 0.
        quint32 state = 0x9E3779B9u ^ control;
        qsizetype pos = 0;
        while (pos < body.size()) {
            state = state * 1664525u + 1013904223u;
            const qsizetype piece = std::min<qsizetype>(qsizetype((state >> 24) % 17), body.size() - pos);
            parser.feed(body.sliced(pos, piece), run.events);
            pos += piece;
        }
    }
    parser.finish();
    run.lastEventId = parser.lastEventId();
    run.retry = parser.retryMs();
    run.dropped = parser.droppedEvents();

    // After a reconnect the parser must keep lastEventId and accept a new stream.
    parser.reset();
    QList<SseEvent> after;
    parser.feed("data: z\n\n", after);
    if (after.size() != 1 || after[0].lastEventId != run.lastEventId || after[0].data != "z")
        abort();
    return run;
}

void checkInvariants(const Run &run, qsizetype cap)
{
    quint64 errors = 0;
    for (const SseEvent &e : run.events) {
        if (!Utf8::isValid(e.type) || !Utf8::isValid(e.data) || !Utf8::isValid(e.lastEventId))
            abort();
        if (e.type.isEmpty())
            abort();
        // Repair can turn one invalid byte into the 3-byte U+FFFD. A drop report carries an
        // excerpt of at most ExcerptBytes input bytes instead of the data.
        if (e.lastEventId.size() > 3 * cap || (e.type.size() > 3 * cap && e.type != "message"))
            abort();
        if (e.error.isEmpty() ? e.data.size() > 3 * cap : e.data.size() > 3 * SseParser::ExcerptBytes)
            abort();
        if (!e.error.isEmpty())
            ++errors;
        if (e.lastEventId.contains('\0') || e.lastEventId.contains('\n') || e.lastEventId.contains('\r'))
            abort();
    }
    if (errors != run.dropped)
        abort();
    if (run.retry && *run.retry < 0)
        abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t control = data[0];
    const QByteArrayView body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const Run whole = runPieces(body, control, true);
    const Run pieces = runPieces(body, control, false);
    if (whole.events != pieces.events || whole.lastEventId != pieces.lastEventId
        || whole.retry != pieces.retry || whole.dropped != pieces.dropped)
        abort();
    checkInvariants(whole, capFor(control));
    if (capFor(control) == SseParser::DefaultMaxLineBytes) {
        // No cap in play: the fast parser must agree with the spec transcription exactly.
        const SseReferenceResult expected = sseReferenceParse(body.toByteArray());
        if (whole.events != expected.events || whole.lastEventId != expected.lastEventId
            || whole.retry != expected.retryMs)
            abort();
    }
    return 0;
}
