// Differential test: the fast SseParser against a literal transcription of the WHATWG rules
// (sse_reference.h) on many seeded random streams built from the grammar's awkward pieces, fed in
// random slices. Any difference in events, final lastEventId or retry value is a bug in one of them.
#include "sse_parser.h"
#include "sse_reference.h"

#include <QRandomGenerator>
#include <QTest>

class TestSseDifferential : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void randomStreamsMatchReference();
};

static QByteArray randomStream(QRandomGenerator &rng)
{
    static const QList<QByteArray> pieces = {
        "data", "data:", "data: ", "event", "event:", "event: ", "id", "id:", "id: ", "retry:", "retry: ",
        ":", ": comment", "Data", "data ", "x", "hello", "a:b", " ", "  ", "\t", "0", "12", "300", "-1",
        "1.5", "99999999999999999999999", "\n", "\r", "\r\n", "\n\n", "\r\r", "\r\n\r\n", QByteArray("\0", 1),
        "\xEF\xBB\xBF", "\xEF\xBB", "\xFF", "\xE2\x80", "\xE2\x80\xA6", "\xC3\xA9", "\xF0\x9F\x98\x80", "\xED\xA0\x80",
        "message", "update", "\xC0\xAF", "\xF4\x90\x80\x80",
    };
    QByteArray out;
    const int count = rng.bounded(1, 40);
    for (int i = 0; i < count; ++i)
        out += pieces.at(rng.bounded(pieces.size()));
    return out;
}

void TestSseDifferential::randomStreamsMatchReference()
{
    QRandomGenerator rng(20261121);
    constexpr int Rounds = 30'000;
    for (int round = 0; round < Rounds; ++round) {
        const QByteArray stream = randomStream(rng);
        const SseReferenceResult expected = sseReferenceParse(stream);

        SseParser parser;
        QList<SseEvent> events;
        qsizetype pos = 0;
        while (pos < stream.size()) {
            const qsizetype len = qMin<qsizetype>(stream.size() - pos, rng.bounded(1, 8));
            parser.feed(QByteArrayView(stream).sliced(pos, len), events);
            pos += len;
        }
        parser.finish();

        if (events != expected.events || parser.lastEventId() != expected.lastEventId
            || parser.retryMs() != expected.retryMs) {
            qWarning() << "stream:" << stream.toPercentEncoding();
            qWarning() << "parser events:" << events.size() << "reference events:" << expected.events.size();
            for (const SseEvent &e : events)
                qWarning() << "  parser" << e.type << e.data.toPercentEncoding() << e.lastEventId.toPercentEncoding();
            for (const SseEvent &e : expected.events)
                qWarning() << "  reference" << e.type << e.data.toPercentEncoding() << e.lastEventId.toPercentEncoding();
            qWarning() << "lastEventId" << parser.lastEventId().toPercentEncoding() << "vs"
                       << expected.lastEventId.toPercentEncoding() << "retry" << parser.retryMs().value_or(-1)
                       << "vs" << expected.retryMs.value_or(-1);
            QFAIL("SseParser differs from the reference transcription");
        }
    }
}

QTEST_GUILESS_MAIN(TestSseDifferential)
#include "tst_sse_differential.moc"
