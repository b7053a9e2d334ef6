// libFuzzer target for WatchDecoder (+ parseList and parseTable on the same bytes): differential
// (whole vs. fuzzer-chosen pieces) + invariants. The first input byte picks the object cap and
// the piece sizes.

#include "list_decoder.h"
#include "table_decoder.h"
#include "watch_decoder.h"

#include <cstdint>
#include <cstdlib>

namespace {

qsizetype capFor(uint8_t control)
{
    return (control & 3) == 3 ? WatchDecoder::DefaultMaxObjectBytes : qsizetype(1 + (control >> 2) * 4);
}

struct Run
{
    std::vector<WatchEvent> events;
    std::vector<WatchDecodeError> errors;
};

Run runPieces(QByteArrayView body, uint8_t control, bool whole)
{
    WatchDecoder decoder(capFor(control));
    Run run;
    if (whole) {
        decoder.feed(body, run.events, &run.errors);
    } else {
        quint32 state = 0x85EBCA6Bu ^ control;
        qsizetype pos = 0;
        while (pos < body.size()) {
            state = state * 1664525u + 1013904223u;
            const qsizetype piece = std::min<qsizetype>(qsizetype((state >> 24) % 23), body.size() - pos);
            const qsizetype before = qsizetype(run.events.size());
            std::vector<WatchEvent> out;
            std::vector<WatchDecodeError> errors;
            decoder.feed(body.sliced(pos, piece), out, &errors);
            for (WatchDecodeError &e : errors) {
                e.beforeEvent += before; // per call → per stream
                run.errors.push_back(std::move(e));
            }
            for (WatchEvent &e : out)
                run.events.push_back(std::move(e));
            pos += piece;
        }
    }
    const qsizetype before = qsizetype(run.events.size());
    std::vector<WatchDecodeError> errors;
    decoder.finish(run.events, &errors);
    for (WatchDecodeError &e : errors) {
        if (e.beforeEvent != before)
            abort();
        run.errors.push_back(std::move(e));
    }
    if (decoder.hasPartial())
        abort();
    return run;
}

bool sameEvents(const Run &a, const Run &b)
{
    if (a.events.size() != b.events.size() || a.errors.size() != b.errors.size())
        return false;
    for (size_t i = 0; i < a.events.size(); ++i) {
        const WatchEvent &x = a.events[i];
        const WatchEvent &y = b.events[i];
        if (x.type != y.type || x.typeText != y.typeText || x.object != y.object || x.key() != y.key()
            || x.uid != y.uid || x.resourceVersion != y.resourceVersion || x.initialEventsEnd != y.initialEventsEnd
            || x.code != y.code || x.reason != y.reason || x.message != y.message)
            return false;
    }
    for (size_t i = 0; i < a.errors.size(); ++i) {
        if (a.errors[i].kind != b.errors[i].kind || a.errors[i].message != b.errors[i].message
            || a.errors[i].beforeEvent != b.errors[i].beforeEvent)
            return false;
    }
    return true;
}

bool hasRawControl(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t control = data[0];
    const qsizetype cap = capFor(control);
    const QByteArrayView body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const Run whole = runPieces(body, control, true);
    const Run pieces = runPieces(body, control, false);
    if (!sameEvents(whole, pieces))
        abort();

    // Every event came from a '{' of the input; its object is compact JSON of at most cap bytes.
    if (qsizetype(whole.events.size()) > body.count('{'))
        abort();
    for (const WatchEvent &e : whole.events) {
        if (e.object.isEmpty() || e.object.front() != '{' || e.object.back() != '}')
            abort();
        if (e.type == WatchEvent::Type::Error ? false : (!e.reason.isEmpty() || !e.message.isEmpty() || e.code != 0))
            abort();
        if (e.typeText != "ADDED" && e.typeText != "MODIFIED" && e.typeText != "DELETED" && e.typeText != "BOOKMARK"
            && e.typeText != "ERROR" && e.type != WatchEvent::Type::Unknown)
            abort();
    }
    qsizetype lastBefore = 0;
    for (const WatchDecodeError &e : whole.errors) {
        if (e.message.isEmpty() || hasRawControl(e.message) || e.beforeEvent < lastBefore
            || e.beforeEvent > qsizetype(whole.events.size()))
            abort();
        lastBefore = e.beforeEvent;
    }
    Q_UNUSED(cap);

    // The other decoders only must not crash and must say why when they refuse.
    const QByteArray copy = body.toByteArray();
    const ListPage page = parseList(copy);
    if (!page.error.isEmpty() && !page.items.empty())
        abort();
    if (hasRawControl(page.error))
        abort();
    const Table table = parseTable(copy);
    if (hasRawControl(table.error))
        abort();
    return 0;
}
