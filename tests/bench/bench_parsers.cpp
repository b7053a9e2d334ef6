// Throughput of the pure parsers on deterministic synthetic corpora (~100 MB each).
// Labelled "bench" in CTest (run with `ctest -L bench`); prints MB/s lines to stdout and verifies
// that every run produces exactly the events/lines the generator wrote.
//
// Two SSE corpora: a mixed one (long lines, CR/CRLF, comments, retry) and a "peer" one shaped like
// the stream of the peer comparison (~160-byte events, 70 % one-line JSON, an id on every event).
// DASH_BENCH_SSE_CORPUS=<file> replaces the generated peer corpus with that file (run_peers.sh
// passes the exact bytes it serves to eventsource, so the MB/s figures are comparable).

#include "body_decoder.h"
#include "event_json.h"
#include "json_validator.h"
#include "line_framer.h"
#include "sse_parser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>

namespace {

constexpr qsizetype CorpusBytes = 100 * 1000 * 1000;
constexpr qsizetype ChunkBytes = 64 * 1024;
constexpr int Runs = 5;

/// splitmix64: tiny, fast, identical on every platform.
class Prng
{
public:
    explicit Prng(quint64 seed) : m_state(seed) { }
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int range(int lo, int hi) { return lo + int(next() % quint64(hi - lo + 1)); } ///< inclusive
    bool chance(int percentTimes10) { return int(next() % 1000) < percentTimes10; }

private:
    quint64 m_state;
};

/// A JSON metrics object of about `size` bytes (never shorter than its fixed fields).
void appendJson(QByteArray &out, Prng &rng, int size)
{
    const qsizetype start = out.size();
    out += "{\"ts\":";
    out += QByteArray::number(1700000000000ll + qint64(rng.next() % 100000000));
    out += ",\"host\":\"node-";
    out += QByteArray::number(rng.range(1, 64));
    out += "\",\"cpu\":";
    out += QByteArray::number(rng.range(0, 10000) / 100.0, 'f', 2);
    out += ",\"mem\":";
    out += QByteArray::number(rng.range(1, 1 << 30));
    out += ",\"tags\":[\"prod\",\"eu-west\"],\"msg\":\"";
    static const char Alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789 -_.";
    const qsizetype used = out.size() - start + 2;
    for (qsizetype i = used; i < size; ++i)
        out += Alphabet[rng.next() % (sizeof(Alphabet) - 1)];
    out += "\"}";
}

struct SseCorpus
{
    QByteArray bytes;
    qsizetype events = 0;
};

SseCorpus makeSseCorpus()
{
    SseCorpus corpus;
    QByteArray &s = corpus.bytes;
    s.reserve(CorpusBytes + 128 * 1024);
    Prng rng(20240601);
    quint64 id = 0;
    static const char *const Types[] = {"metrics", "log", "status"};
    while (s.size() < CorpusBytes) {
        const int eolKind = rng.range(0, 99);
        const char *eol = eolKind < 85 ? "\n" : eolKind < 95 ? "\r\n" : "\r";
        if (rng.chance(50))
            s += QByteArray(": keepalive ") + QByteArray::number(id) + eol;
        if (rng.chance(300))
            s += QByteArray("event: ") + Types[rng.range(0, 2)] + eol;
        if (rng.chance(500))
            s += "id: " + QByteArray::number(++id) + eol;
        if (rng.chance(1))
            s += QByteArray("retry: ") + QByteArray::number(rng.range(1000, 5000)) + eol;
        if (rng.next() % 5000 == 0) {
            // now and then a long 64 KiB data line
            s += "data: ";
            appendJson(s, rng, 64 * 1024);
            s += eol;
        } else {
            const int lines = rng.chance(100) ? rng.range(2, 4) : 1;
            for (int i = 0; i < lines; ++i) {
                s += "data: ";
                appendJson(s, rng, rng.range(80, 400) / lines);
                s += eol;
            }
        }
        s += eol;
        ++corpus.events;
    }
    return corpus;
}

/// ~160-byte events like tests/bench/peers/corpus.js: an id on each, 70 % one-line JSON, 15 % a
/// text line under `event: log`, 10 % two to four data lines, 5 % JSON under `event: metrics`.
SseCorpus makePeerSseCorpus()
{
    SseCorpus corpus;
    QByteArray &s = corpus.bytes;
    if (const QByteArray path = qgetenv("DASH_BENCH_SSE_CORPUS"); !path.isEmpty()) {
        QFile file(QString::fromLocal8Bit(path));
        if (file.open(QIODevice::ReadOnly))
            s = file.readAll();
        corpus.events = s.count("\n\n"); // the peer corpus uses LF only: one blank line per event
        return corpus;
    }
    s.reserve(CorpusBytes + 1024);
    Prng rng(20261121);
    static const char Alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789 -_.";
    auto text = [&](int size) {
        for (int i = 0; i < size; ++i)
            s += Alphabet[rng.next() % (sizeof(Alphabet) - 1)];
    };
    while (s.size() < CorpusBytes) {
        if (corpus.events % 64 == 63)
            s += ": keepalive\n";
        s += "id: " + QByteArray::number(corpus.events + 1) + '\n';
        const int kind = rng.range(0, 99);
        const int size = rng.range(108, 177);
        if (kind < 70) {
            s += "data: ";
            appendJson(s, rng, size - 30);
            s += '\n';
        } else if (kind < 85) {
            s += "event: log\ndata: ";
            text(size - 30);
            s += '\n';
        } else if (kind < 95) {
            const int lines = rng.range(2, 4);
            for (int i = 0; i < lines; ++i) {
                s += "data: ";
                text(size / lines - 12);
                s += '\n';
            }
        } else {
            s += "event: metrics\ndata: ";
            appendJson(s, rng, size - 45);
            s += '\n';
        }
        s += '\n';
        ++corpus.events;
    }
    return corpus;
}

struct LineCorpus
{
    QByteArray bytes;
    qsizetype lines = 0;
    QList<QByteArrayView> ndjson; ///< the NDJSON-shaped lines (views into bytes)
};

LineCorpus makeLineCorpus()
{
    LineCorpus corpus;
    QByteArray &s = corpus.bytes;
    s.reserve(CorpusBytes + 1024);
    Prng rng(77);
    QList<QPair<qsizetype, qsizetype>> ndjson;
    static const char *const Levels[] = {"INFO ", "WARN ", "DEBUG", "ERROR"};
    static const char Alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789 =:/-.";
    while (s.size() < CorpusBytes) {
        const int size = rng.range(60, 300);
        const qsizetype start = s.size();
        if (rng.chance(100)) {
            appendJson(s, rng, size);
            ndjson.append({start, s.size() - start});
        } else {
            s += "2024-06-01T12:00:00.000Z ";
            s += Levels[rng.range(0, 3)];
            s += ' ';
            for (qsizetype i = s.size() - start; i < size; ++i)
                s += Alphabet[rng.next() % (sizeof(Alphabet) - 1)];
        }
        s += rng.chance(100) ? "\r\n" : "\n";
        ++corpus.lines;
    }
    for (const auto &[start, size] : ndjson)
        corpus.ndjson.append(QByteArrayView(corpus.bytes).sliced(start, size));
    return corpus;
}

/// Best-of-Runs wall time in seconds of `body`.
double bestOf(const std::function<void()> &body)
{
    double best = 1e30;
    for (int run = 0; run < Runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        body();
        best = std::min(best, double(timer.nsecsElapsed()) / 1e9);
    }
    return best;
}

void report(const char *name, const char *mode, qsizetype bytes, double seconds, qsizetype items, const char *unit)
{
    std::printf("%-16s %-14s %8.1f MB/s  %6.2f M %s/s\n", name, mode, double(bytes) / 1e6 / seconds,
                double(items) / 1e6 / seconds, unit);
    std::fflush(stdout);
}

} // namespace

class BenchParsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void memchrBaseline();
    void sseParser();
    void sseParserPeerCorpus();
    void bodyDecoderSse();
    void headlessPipeline();
    void lineFramer();
    void jsonValidator();

private:
    SseCorpus m_sse;
    SseCorpus m_peer;
    LineCorpus m_lines;
};

void BenchParsers::initTestCase()
{
    QElapsedTimer timer;
    timer.start();
    m_sse = makeSseCorpus();
    m_peer = makePeerSseCorpus();
    m_lines = makeLineCorpus();
    std::printf("corpora: sse %.1f MB / %lld events, lines %.1f MB / %lld lines (%lld ndjson), generated in %lld ms\n",
                double(m_sse.bytes.size()) / 1e6, qlonglong(m_sse.events), double(m_lines.bytes.size()) / 1e6,
                qlonglong(m_lines.lines), qlonglong(m_lines.ndjson.size()), qlonglong(timer.elapsed()));
    std::printf("peer sse corpus: %.1f MB / %lld events (%s)\n", double(m_peer.bytes.size()) / 1e6,
                qlonglong(m_peer.events), qEnvironmentVariableIsSet("DASH_BENCH_SSE_CORPUS") ? "from file" : "generated");
    std::fflush(stdout);
}

void BenchParsers::memchrBaseline()
{
    const QByteArray &s = m_sse.bytes;
    qsizetype count = 0;
    const double seconds = bestOf([&] {
        count = 0;
        const char *p = s.constData();
        const char *const end = p + s.size();
        while (const auto *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)))) {
            ++count;
            p = lf + 1;
        }
    });
    QVERIFY(count > 0);
    report("memchr('\\n')", "sse corpus", s.size(), seconds, count, "lines");
}

void BenchParsers::sseParser()
{
    const QByteArrayView all(m_sse.bytes);
    qsizetype events = 0;
    const double chunked = bestOf([&] {
        SseParser parser;
        QList<SseEvent> out;
        events = 0;
        for (qsizetype pos = 0; pos < all.size(); pos += ChunkBytes) {
            parser.feed(all.sliced(pos, std::min(ChunkBytes, all.size() - pos)), out);
            events += out.size();
            out.clear(); // what a transport does after emitting the batch
        }
        parser.finish();
    });
    QCOMPARE(events, m_sse.events);
    report("sse_parser", "64KiB chunks", all.size(), chunked, events, "events");

    const double whole = bestOf([&] {
        SseParser parser;
        QList<SseEvent> out;
        parser.feed(all, out);
        parser.finish();
        events = out.size();
    });
    QCOMPARE(events, m_sse.events);
    report("sse_parser", "whole", all.size(), whole, events, "events");
}

void BenchParsers::lineFramer()
{
    const QByteArrayView all(m_lines.bytes);
    qsizetype lines = 0;
    const double chunked = bestOf([&] {
        LineFramer framer;
        QList<FramedLine> out;
        lines = 0;
        for (qsizetype pos = 0; pos < all.size(); pos += ChunkBytes) {
            framer.feed(all.sliced(pos, std::min(ChunkBytes, all.size() - pos)), out);
            lines += out.size();
            out.clear();
        }
        framer.finish(out);
        lines += out.size();
    });
    QCOMPARE(lines, m_lines.lines);
    report("line_framer", "64KiB chunks", all.size(), chunked, lines, "lines");

    const double whole = bestOf([&] {
        LineFramer framer;
        QList<FramedLine> out;
        framer.feed(all, out);
        framer.finish(out);
        lines = out.size();
    });
    QCOMPARE(lines, m_lines.lines);
    report("line_framer", "whole", all.size(), whole, lines, "lines");
}

void BenchParsers::jsonValidator()
{
    qsizetype bytes = 0;
    for (const QByteArrayView line : m_lines.ndjson)
        bytes += line.size();
    qsizetype valid = 0;
    const double seconds = bestOf([&] {
        JsonValidator validator;
        valid = 0;
        for (const QByteArrayView line : m_lines.ndjson)
            valid += validator.check(line).has_value() ? 0 : 1;
    });
    QCOMPARE(valid, m_lines.ndjson.size());
    report("json_validator", "ndjson lines", bytes, seconds, valid, "lines");
}

void BenchParsers::sseParserPeerCorpus()
{
    const QByteArrayView all(m_peer.bytes);
    qsizetype count = 0;
    const double scan = bestOf([&] {
        count = 0;
        const char *p = all.data();
        const char *const end = p + all.size();
        while (const auto *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)))) {
            ++count;
            p = lf + 1;
        }
    });
    QVERIFY(count > 0);
    report("memchr('\\n')", "peer corpus", all.size(), scan, count, "lines");

    qsizetype events = 0;
    const double chunked = bestOf([&] {
        SseParser parser;
        QList<SseEvent> out;
        events = 0;
        for (qsizetype pos = 0; pos < all.size(); pos += ChunkBytes) {
            parser.feed(all.sliced(pos, std::min(ChunkBytes, all.size() - pos)), out);
            events += out.size();
            out.clear();
        }
        parser.finish();
    });
    QCOMPARE(events, m_peer.events);
    report("sse_parser", "peer, 64KiB", all.size(), chunked, events, "events");
    std::printf("sse_parser on the peer corpus: %.2fx the memchr line scan\n", scan / chunked);
    std::fflush(stdout);
}

void BenchParsers::bodyDecoderSse()
{
    // What the transport runs per network read: the parser plus stamping StreamEvents.
    const QByteArrayView all(m_peer.bytes);
    qsizetype events = 0;
    const QString source = QStringLiteral("http://127.0.0.1:1/sse");
    const double seconds = bestOf([&] {
        BodyDecoder decoder(BodyDecoder::Format::Sse);
        quint64 seq = 0;
        const BodyDecoder::Context context{source, 1'795'000'000'000, &seq};
        QList<StreamEvent> out;
        events = 0;
        for (qsizetype pos = 0; pos < all.size(); pos += ChunkBytes) {
            decoder.feed(all.sliced(pos, std::min(ChunkBytes, all.size() - pos)), context, out);
            events += out.size();
            out.clear();
        }
    });
    QCOMPARE(events, m_peer.events);
    report("body_decoder", "peer, 64KiB", all.size(), seconds, events, "events");
}

void BenchParsers::headlessPipeline()
{
    // The in-memory part of `livedash --headless --transport sse > file`, per 64 KiB read: decode
    // into StreamEvents, format each as its JSON line into the reused output buffer. The rest of
    // the end-to-end time is Qt's network thread, the kernel and the write(2) per read.
    const QByteArrayView all(m_peer.bytes);
    const QString source = QStringLiteral("http://127.0.0.1:1/sse");
    qsizetype events = 0;
    qsizetype outputBytes = 0;
    double formatOnly = 1e30;
    const double seconds = bestOf([&] {
        BodyDecoder decoder(BodyDecoder::Format::Sse);
        EventJsonFormatter formatter;
        quint64 seq = 0;
        qint64 now = 1'795'000'000'000;
        QList<StreamEvent> batch;
        QByteArray out;
        events = 0;
        outputBytes = 0;
        qint64 formatNs = 0;
        QElapsedTimer timer;
        for (qsizetype pos = 0; pos < all.size(); pos += ChunkBytes) {
            const BodyDecoder::Context context{source, now++, &seq};
            decoder.feed(all.sliced(pos, std::min(ChunkBytes, all.size() - pos)), context, batch);
            timer.start();
            qsizetype used = 0;
            for (const StreamEvent &event : batch)
                used = formatter.write(event, out, used);
            formatNs += timer.nsecsElapsed();
            outputBytes += used;
            events += batch.size();
            batch.clear();
        }
        formatOnly = std::min(formatOnly, double(formatNs) / 1e9);
    });
    QCOMPARE(events, m_peer.events);
    report("decode+format", "peer, 64KiB", all.size(), seconds, events, "events");
    report("format only", "JSON lines out", outputBytes, formatOnly, events, "events");
}

QTEST_GUILESS_MAIN(BenchParsers)
#include "bench_parsers.moc"
