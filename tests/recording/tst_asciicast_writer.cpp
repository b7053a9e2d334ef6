// AsciicastWriter: JSON escaping, 6-decimal times, UTF-8 carried across chunks, and a round trip
// through AsciicastReader.
#include "asciicast_reader.h"
#include "asciicast_writer.h"
#include "utf8.h"

#include <QRandomGenerator>
#include <QTest>

class TestAsciicastWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escaping_data();
    void escaping();
    void times();
    void headerLine();
    void eventLines();
    void utf8CarriedAcrossChunks();
    void everySplitOfMultibyte();
    void invalidBytesBecomeReplacement();
    void pendingTailFlushed();
    void inputAndOutputCarrySeparately();
    void roundTripRandomChunks();
};

void TestAsciicastWriter::escaping_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("plain") << QByteArray("abc") << QByteArray("\"abc\"");
    QTest::newRow("quote backslash") << QByteArray("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
    QTest::newRow("short escapes") << QByteArray("\n\r\t\b\f") << QByteArray("\"\\n\\r\\t\\b\\f\"");
    QTest::newRow("esc and nul") << QByteArray("\x1b[0m\x00", 5) << QByteArray("\"\\u001b[0m\\u0000\"");
    QTest::newRow("del") << QByteArray("\x7f") << QByteArray("\"\\u007f\"");
    QTest::newRow("unit separator") << QByteArray("\x1f") << QByteArray("\"\\u001f\"");
    QTest::newRow("slash not escaped") << QByteArray("a/b") << QByteArray("\"a/b\"");
    QTest::newRow("utf8 kept") << QByteArray("\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80") << QByteArray("\"\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\"");
    QTest::newRow("invalid repaired") << QByteArray("a\xFF" "b") << QByteArray("\"a\xEF\xBF\xBD" "b\"");
    QTest::newRow("empty") << QByteArray() << QByteArray("\"\"");
}

void TestAsciicastWriter::escaping()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, json);
    QCOMPARE(AsciicastWriter::jsonString(input), json);
}

void TestAsciicastWriter::times()
{
    QCOMPARE(AsciicastWriter::formatTime(0), QByteArray("0.000000"));
    QCOMPARE(AsciicastWriter::formatTime(1.25), QByteArray("1.250000"));
    QCOMPARE(AsciicastWriter::formatTime(12.3456789), QByteArray("12.345679"));
    QCOMPARE(AsciicastWriter::formatTime(-3), QByteArray("0.000000"));
    QCOMPARE(AsciicastWriter::formatTime(std::nan("")), QByteArray("0.000000"));
}

void TestAsciicastWriter::headerLine()
{
    AsciicastHeader header;
    header.width = 120;
    header.height = 40;
    QCOMPARE(AsciicastWriter::headerLine(header), QByteArray("{\"version\":2,\"width\":120,\"height\":40}\n"));
    header.timestamp = 1700000000;
    header.idleTimeLimit = 2.5;
    header.title = QStringLiteral("web-1/app: \"sh\"");
    header.env = {{QStringLiteral("TERM"), QStringLiteral("xterm-256color")}, {QStringLiteral("SHELL"), QStringLiteral("/bin/sh")}};
    QCOMPARE(AsciicastWriter::headerLine(header),
             QByteArray("{\"version\":2,\"width\":120,\"height\":40,\"timestamp\":1700000000,\"idle_time_limit\":2.5,"
                        "\"title\":\"web-1/app: \\\"sh\\\"\",\"env\":{\"TERM\":\"xterm-256color\",\"SHELL\":\"/bin/sh\"}}\n"));
    // and the reader reads it back
    AsciicastReader reader;
    AsciicastReader::readAll(AsciicastWriter::headerLine(header), reader);
    QVERIFY(reader.header().has_value());
    QCOMPARE(*reader.header(), header);
}

void TestAsciicastWriter::eventLines()
{
    AsciicastWriter writer;
    QCOMPARE(writer.outputLine(0.5, "hi\r\n"), QByteArray("[0.500000,\"o\",\"hi\\r\\n\"]\n"));
    QCOMPARE(writer.inputLine(1, "ls\r"), QByteArray("[1.000000,\"i\",\"ls\\r\"]\n"));
    QCOMPARE(AsciicastWriter::resizeLine(2, 100, 30), QByteArray("[2.000000,\"r\",\"100x30\"]\n"));
    QCOMPARE(AsciicastWriter::markerLine(3, "x"), QByteArray("[3.000000,\"m\",\"x\"]\n"));
    QCOMPARE(writer.outputLine(4, ""), QByteArray());
}

void TestAsciicastWriter::utf8CarriedAcrossChunks()
{
    AsciicastWriter writer;
    QCOMPARE(writer.outputLine(0.1, "a\xC3"), QByteArray("[0.100000,\"o\",\"a\"]\n"));
    QCOMPARE(writer.outputLine(0.2, "\xA9" "b"), QByteArray("[0.200000,\"o\",\"\xC3\xA9" "b\"]\n"));
    // every byte carried: nothing to write yet
    QCOMPARE(writer.outputLine(0.3, "\xF0\x9F"), QByteArray());
    QCOMPARE(writer.outputLine(0.4, "\x98"), QByteArray());
    QCOMPARE(writer.outputLine(0.5, "\x80"), QByteArray("[0.500000,\"o\",\"\xF0\x9F\x98\x80\"]\n"));
    QCOMPARE(writer.flushPending(0.6), QByteArray());
}

void TestAsciicastWriter::everySplitOfMultibyte()
{
    const QByteArray text = "x\xE4\xB8\xAD\xF0\x9F\x98\x80y\xC3\xA9";
    for (qsizetype cut = 0; cut <= text.size(); ++cut) {
        AsciicastWriter writer;
        QByteArray lines = writer.outputLine(0, text.first(cut));
        lines += writer.outputLine(1, text.sliced(cut));
        lines += writer.flushPending(2);
        AsciicastReader reader;
        const QByteArray file = QByteArray("{\"version\":2,\"width\":80,\"height\":24}\n") + lines;
        const QList<AsciicastEvent> events = AsciicastReader::readAll(file, reader);
        QVERIFY2(reader.issues().isEmpty(), qPrintable(reader.issues().value(0).message));
        QByteArray joined;
        for (const AsciicastEvent &event : events) {
            QVERIFY(Utf8::isValid(event.data));
            joined += event.data;
        }
        QCOMPARE(joined, text);
    }
}

void TestAsciicastWriter::invalidBytesBecomeReplacement()
{
    AsciicastWriter writer;
    // E2 80 41: the broken sequence is one U+FFFD, 'A' survives; lone FF is one U+FFFD.
    QCOMPARE(writer.outputLine(0, "\xE2\x80" "A\xFF"), QByteArray("[0.000000,\"o\",\"\xEF\xBF\xBD" "A\xEF\xBF\xBD\"]\n"));
    // carried C3 followed by a non-continuation: U+FFFD then the byte
    QCOMPARE(writer.outputLine(1, "\xC3"), QByteArray());
    QCOMPARE(writer.outputLine(2, "z"), QByteArray("[2.000000,\"o\",\"\xEF\xBF\xBDz\"]\n"));
}

void TestAsciicastWriter::pendingTailFlushed()
{
    AsciicastWriter writer;
    QCOMPARE(writer.outputLine(0, "ok\xE4\xB8"), QByteArray("[0.000000,\"o\",\"ok\"]\n"));
    QCOMPARE(writer.flushPending(1), QByteArray("[1.000000,\"o\",\"\xEF\xBF\xBD\"]\n"));
    QCOMPARE(writer.flushPending(2), QByteArray());
}

void TestAsciicastWriter::inputAndOutputCarrySeparately()
{
    AsciicastWriter writer;
    QCOMPARE(writer.outputLine(0, "\xC3"), QByteArray());
    QCOMPARE(writer.inputLine(1, "\xC3"), QByteArray());
    QCOMPARE(writer.inputLine(2, "\xA9"), QByteArray("[2.000000,\"i\",\"\xC3\xA9\"]\n"));
    QCOMPARE(writer.outputLine(3, "\xA9"), QByteArray("[3.000000,\"o\",\"\xC3\xA9\"]\n"));
}

void TestAsciicastWriter::roundTripRandomChunks()
{
    // Random terminal-like bytes (ASCII, controls, escapes, valid multi-byte, invalid bytes) in
    // random chunks: the reader must give back exactly what a streaming UTF-8 decoder makes of
    // the whole stream, with times as written.
    QRandomGenerator random(7);
    const QList<QByteArray> pieces{"a", "Z", " ", "\r\n", "\t", "\x1b[31m", "\x1b[0m", "\"", "\\", "\x07",
                                   QByteArray("\x00", 1), "\x7f", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80",
                                   "\xFF", "\xC3", "\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80"};
    for (int round = 0; round < 200; ++round) {
        QByteArray all;
        for (int i = 0, n = random.bounded(1, 60); i < n; ++i)
            all += pieces.at(random.bounded(int(pieces.size())));
        AsciicastWriter writer;
        AsciicastHeader header;
        QByteArray file = AsciicastWriter::headerLine(header);
        QList<double> times;
        double time = 0;
        for (qsizetype at = 0; at < all.size();) {
            const qsizetype length = std::min<qsizetype>(random.bounded(1, 8), all.size() - at);
            time += random.bounded(1000) / 1000.0;
            const QByteArray line = writer.outputLine(time, all.mid(at, length));
            if (!line.isEmpty())
                times.append(std::round(time * 1e6) / 1e6);
            file += line;
            at += length;
        }
        const QByteArray tail = writer.flushPending(time + 1);
        if (!tail.isEmpty())
            times.append(time + 1);
        file += tail;

        AsciicastReader reader;
        const QList<AsciicastEvent> events = AsciicastReader::readAll(file, reader);
        QVERIFY2(reader.issues().isEmpty(), qPrintable(reader.issues().value(0).message));
        QCOMPARE(events.size(), times.size());
        QByteArray joined;
        for (qsizetype i = 0; i < events.size(); ++i) {
            QCOMPARE(events.at(i).type, AsciicastEvent::Type::Output);
            QVERIFY(qAbs(events.at(i).time - times.at(i)) < 1e-9);
            joined += events.at(i).data;
        }
        QCOMPARE(joined, Utf8::sanitized(all));
    }
}

QTEST_GUILESS_MAIN(TestAsciicastWriter)
#include "tst_asciicast_writer.moc"
