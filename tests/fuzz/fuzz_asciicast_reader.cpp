// libFuzzer target for AsciicastReader: differential (whole vs. fuzzer-chosen pieces) + invariants,
// and a writer round trip of every event's data.
// The first input byte picks the line cap and the piece sizes; the rest is the file.

#include "asciicast_reader.h"
#include "asciicast_writer.h"
#include "utf8.h"

#include <cstdint>
#include <cstdlib>

namespace {

struct Run
{
    QList<AsciicastEvent> events;
    QList<AsciicastIssue> issues;
    qint64 issueCount = 0;
    AsciicastReader::Format format = AsciicastReader::Format::Undecided;
    bool failed = false;
    std::optional<AsciicastHeader> header;
};

qsizetype capFor(uint8_t control)
{
    // Small caps exercise the over-long line path; every 4th input uses the default.
    return (control & 3) == 3 ? AsciicastReader::DefaultMaxLineBytes : qsizetype(16 + (control >> 2));
}

QList<AsciicastEvent> joinedRaw(const QList<AsciicastEvent> &events)
{
    QByteArray all;
    for (const AsciicastEvent &event : events)
        all += event.data;
    if (all.isEmpty())
        return {};
    return {AsciicastEvent{0, AsciicastEvent::Type::Output, all, 0, 0}};
}

Run runPieces(QByteArrayView body, uint8_t control, bool whole)
{
    AsciicastReader reader(capFor(control));
    Run run;
    if (whole) {
        reader.feed(body, run.events);
    } else {
        quint32 state = 0x9E3779B9u ^ control;
        qsizetype pos = 0;
        while (pos < body.size()) {
            state = state * 1664525u + 1013904223u;
            const qsizetype piece = std::min<qsizetype>(qsizetype((state >> 24) % 17), body.size() - pos);
            reader.feed(body.sliced(pos, piece), run.events);
            pos += piece;
        }
    }
    reader.finish(run.events);
    run.issues = reader.issues();
    run.issueCount = reader.issueCount();
    run.format = reader.format();
    run.failed = reader.hasFailed();
    run.header = reader.header();
    if (run.format == AsciicastReader::Format::Raw)
        run.events = joinedRaw(run.events);
    return run;
}

void checkInvariants(const Run &run, QByteArrayView body)
{
    if (run.format == AsciicastReader::Format::Undecided)
        abort();
    if (run.format == AsciicastReader::Format::Raw) {
        // raw = the input, byte for byte
        const QByteArray all = run.events.isEmpty() ? QByteArray() : run.events.constFirst().data;
        if (all != body.toByteArray() || run.failed || !run.issues.isEmpty())
            abort();
        return;
    }
    if (run.issues.size() > AsciicastReader::MaxKeptIssues || run.issueCount < run.issues.size())
        abort();
    if (run.failed != !run.header.has_value())
        abort();
    if (run.header && (run.header->width < 1 || run.header->width > AsciicastReader::MaxDimension
                       || run.header->height < 1 || run.header->height > AsciicastReader::MaxDimension))
        abort();
    double last = 0;
    for (const AsciicastEvent &event : run.events) {
        if (!(event.time >= last))
            abort();
        last = event.time;
        if (!Utf8::isValid(event.data))
            abort();
        if (event.type == AsciicastEvent::Type::Resize
            && (event.columns < 1 || event.columns > AsciicastReader::MaxDimension || event.rows < 1
                || event.rows > AsciicastReader::MaxDimension))
            abort();
    }
    qint64 line = 0;
    for (const AsciicastIssue &issue : run.issues) {
        if (issue.line < line || issue.line < 1)
            abort();
        line = issue.line;
    }
}

/// What the writer makes of the events is read back identically.
void checkRoundTrip(const Run &run)
{
    if (run.format != AsciicastReader::Format::Asciicast || !run.header)
        return;
    AsciicastWriter writer;
    QByteArray file = AsciicastWriter::headerLine(*run.header);
    for (const AsciicastEvent &event : run.events) {
        switch (event.type) {
        case AsciicastEvent::Type::Output: file += writer.outputLine(event.time, event.data); break;
        case AsciicastEvent::Type::Input: file += writer.inputLine(event.time, event.data); break;
        case AsciicastEvent::Type::Resize: file += AsciicastWriter::resizeLine(event.time, event.columns, event.rows); break;
        case AsciicastEvent::Type::Marker: file += AsciicastWriter::markerLine(event.time, event.data); break;
        }
    }
    AsciicastReader reader;
    QList<AsciicastEvent> again = AsciicastReader::readAll(file, reader);
    if (reader.hasFailed() || reader.format() != AsciicastReader::Format::Asciicast)
        abort();
    if (reader.header()->width != run.header->width || reader.header()->height != run.header->height
        || reader.header()->title != run.header->title)
        abort();
    // empty output/input data is not written; times are rounded to 6 decimals
    QList<AsciicastEvent> expected;
    for (const AsciicastEvent &event : run.events)
        if (!(event.data.isEmpty() && (event.type == AsciicastEvent::Type::Output || event.type == AsciicastEvent::Type::Input)))
            expected.append(event);
    if (again.size() != expected.size())
        abort();
    for (qsizetype i = 0; i < again.size(); ++i) {
        const AsciicastEvent &a = again.at(i);
        const AsciicastEvent &b = expected.at(i);
        if (a.type != b.type || a.data != b.data || a.columns != b.columns || a.rows != b.rows)
            abort();
        if (b.time < 1e9 && std::abs(a.time - b.time) > 1e-6 * std::max(1.0, b.time))
            abort();
    }
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
    if (whole.events != pieces.events || whole.issues != pieces.issues || whole.issueCount != pieces.issueCount
        || whole.format != pieces.format || whole.failed != pieces.failed || whole.header != pieces.header)
        abort();
    checkInvariants(whole, body);
    checkRoundTrip(whole);
    return 0;
}
