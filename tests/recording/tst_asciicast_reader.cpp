// AsciicastReader: valid files, every error, raw detection; every case fed whole, byte by byte
// and split at every offset must give the same result.
#include "asciicast_reader.h"

#include <QTest>

Q_DECLARE_METATYPE(AsciicastEvent)

namespace {

using Type = AsciicastEvent::Type;

AsciicastEvent ev(double time, Type type, const QByteArray &data = {})
{
    return {time, type, data, 0, 0};
}

AsciicastEvent resizeEv(double time, int columns, int rows)
{
    return {time, Type::Resize, {}, columns, rows};
}

struct Result
{
    QList<AsciicastEvent> events;
    QStringList issues;
    AsciicastReader::Format format = AsciicastReader::Format::Undecided;
    bool failed = false;
    std::optional<AsciicastHeader> header;
};

/// Raw output arrives in as many events as feeds: join them so splits compare equal.
QList<AsciicastEvent> normalized(const QList<AsciicastEvent> &events, AsciicastReader::Format format)
{
    if (format != AsciicastReader::Format::Raw || events.isEmpty())
        return events;
    QByteArray all;
    for (const AsciicastEvent &event : events)
        all += event.data;
    return {ev(0, Type::Output, all)};
}

Result readSplit(const QByteArray &stream, const QList<qsizetype> &cuts, qsizetype maxLine)
{
    AsciicastReader reader(maxLine);
    Result result;
    qsizetype from = 0;
    for (const qsizetype cut : cuts) {
        reader.feed(QByteArrayView(stream).sliced(from, cut - from), result.events);
        from = cut;
    }
    reader.feed(QByteArrayView(stream).sliced(from), result.events);
    reader.finish(result.events);
    for (const AsciicastIssue &issue : reader.issues())
        result.issues.append(issue.message);
    result.format = reader.format();
    result.failed = reader.hasFailed();
    result.header = reader.header();
    result.events = normalized(result.events, result.format);
    return result;
}

const QByteArray Header = "{\"version\": 2, \"width\": 80, \"height\": 24}\n";

} // namespace

class TestAsciicastReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void read_data();
    void read();
    void headerFields();
    void headerWrongOptionalTypes();
    void issueCountIsCappedButCounted();
};

void TestAsciicastReader::read_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<AsciicastEvent>>("expected");
    QTest::addColumn<QStringList>("issues");
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("failed");
    QTest::addColumn<int>("maxLine");

    const int cast = int(AsciicastReader::Format::Asciicast);
    const int raw = int(AsciicastReader::Format::Raw);
    const int big = int(AsciicastReader::DefaultMaxLineBytes);

    QTest::newRow("header only") << Header << QList<AsciicastEvent>{} << QStringList{} << cast << false << big;
    QTest::newRow("one output") << QByteArray(Header + "[0.5, \"o\", \"hi\"]\n")
                                << QList<AsciicastEvent>{ev(0.5, Type::Output, "hi")} << QStringList{} << cast << false << big;
    QTest::newRow("all codes")
        << QByteArray(Header + "[0.1, \"o\", \"a\"]\n[0.2, \"i\", \"ls\\r\"]\n[0.3, \"r\", \"100x30\"]\n[0.4, \"m\", \"chapter\"]\n")
        << QList<AsciicastEvent>{ev(0.1, Type::Output, "a"), ev(0.2, Type::Input, "ls\r"), resizeEv(0.3, 100, 30),
                                 ev(0.4, Type::Marker, "chapter")}
        << QStringList{} << cast << false << big;
    QTest::newRow("integer time") << QByteArray(Header + "[2, \"o\", \"x\"]\n")
                                  << QList<AsciicastEvent>{ev(2, Type::Output, "x")} << QStringList{} << cast << false << big;
    QTest::newRow("json escapes")
        << QByteArray(Header + "[0, \"o\", \"\\u001b[31mred\\u001b[0m\\r\\n\\\"q\\\" \\\\ \\t\"]\n")
        << QList<AsciicastEvent>{ev(0, Type::Output, "\x1b[31mred\x1b[0m\r\n\"q\" \\ \t")} << QStringList{} << cast << false << big;
    QTest::newRow("unicode and surrogate pair")
        << QByteArray(Header + "[0, \"o\", \"\xC3\xA9 \\u00e9 \\ud83d\\ude00 \xE4\xB8\xAD\"]\n")
        << QList<AsciicastEvent>{ev(0, Type::Output, "\xC3\xA9 \xC3\xA9 \xF0\x9F\x98\x80 \xE4\xB8\xAD")} << QStringList{} << cast << false << big;
    QTest::newRow("crlf lines")
        << QByteArray("{\"version\": 2, \"width\": 80, \"height\": 24}\r\n[0.1, \"o\", \"a\"]\r\n[0.2, \"o\", \"b\"]\r\n")
        << QList<AsciicastEvent>{ev(0.1, Type::Output, "a"), ev(0.2, Type::Output, "b")} << QStringList{} << cast << false << big;
    QTest::newRow("last line without newline")
        << QByteArray(Header + "[0.1, \"o\", \"a\"]\n[0.2, \"o\", \"b\"]")
        << QList<AsciicastEvent>{ev(0.1, Type::Output, "a"), ev(0.2, Type::Output, "b")} << QStringList{} << cast << false << big;
    QTest::newRow("header without newline")
        << QByteArray("{\"version\": 2, \"width\": 80, \"height\": 24}")
        << QList<AsciicastEvent>{} << QStringList{} << cast << false << big;
    QTest::newRow("blank lines skipped")
        << QByteArray(Header + "\n   \n[0.1, \"o\", \"a\"]\n\r\n")
        << QList<AsciicastEvent>{ev(0.1, Type::Output, "a")} << QStringList{} << cast << false << big;
    QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF" + Header + "[0, \"o\", \"a\"]\n")
                         << QList<AsciicastEvent>{ev(0, Type::Output, "a")} << QStringList{} << cast << false << big;

    // Event errors: reported with the line, the line skipped, reading goes on.
    const QByteArray next = "[9, \"o\", \"next\"]\n";
    const QList<AsciicastEvent> nextOnly{ev(9, Type::Output, "next")};
    auto bad = [&](const char *name, const QByteArray &line, const QString &issue) {
        QTest::newRow(name) << QByteArray(Header + line + "\n" + next) << nextOnly << QStringList{issue} << cast << false << big;
    };
    bad("invalid json", "[0.1, \"o\", \"a\"", QStringLiteral("line 2: expected an event [time, code, data] in JSON, got invalid JSON"));
    bad("object event", "{\"time\": 1}", QStringLiteral("line 2: expected an event array [time, code, data], got an object; skipped"));
    bad("two elements", "[0.1, \"o\"]", QStringLiteral("line 2: expected 3 elements [time, code, data], got 2; skipped"));
    bad("four elements", "[0.1, \"o\", \"a\", 1]", QStringLiteral("line 2: expected 3 elements [time, code, data], got 4; skipped"));
    bad("string time", "[\"0.1\", \"o\", \"a\"]", QStringLiteral("line 2: expected the event time (a number), got a string; skipped"));
    bad("negative time", "[-1, \"o\", \"a\"]", QStringLiteral("line 2: expected the event time to be >= 0, got -1; skipped"));
    bad("numeric code", "[0.1, 5, \"a\"]", QStringLiteral("line 2: expected the event code \"o\", \"i\", \"r\" or \"m\", got a number; skipped"));
    bad("unknown code", "[0.1, \"x\", \"a\"]", QStringLiteral("line 2: expected the event code \"o\", \"i\", \"r\" or \"m\", got \"x\"; skipped"));
    bad("null data", "[0.1, \"o\", null]", QStringLiteral("line 2: expected the event data (a string), got null; skipped"));
    bad("bad resize", "[0.1, \"r\", \"abc\"]", QStringLiteral("line 2: expected resize data \"COLSxROWS\" (1..1000 each), got \"abc\"; skipped"));
    bad("zero resize", "[0.1, \"r\", \"0x5\"]", QStringLiteral("line 2: expected resize data \"COLSxROWS\" (1..1000 each), got \"0x5\"; skipped"));
    bad("huge resize", "[0.1, \"r\", \"5000x50\"]", QStringLiteral("line 2: expected resize data \"COLSxROWS\" (1..1000 each), got \"5000x50\"; skipped"));

    QTest::newRow("time going back is raised")
        << QByteArray(Header + "[2, \"o\", \"a\"]\n[1, \"o\", \"b\"]\n")
        << QList<AsciicastEvent>{ev(2, Type::Output, "a"), ev(2, Type::Output, "b")}
        << QStringList{QStringLiteral("line 3: expected a time >= 2 (the previous event's), got 1; raised to 2")} << cast << false << big;
    QTest::newRow("line numbers count blank lines")
        << QByteArray(Header + "\n[0, \"o\", \"a\"]\n\nbroken\n")
        << QList<AsciicastEvent>{ev(0, Type::Output, "a")}
        << QStringList{QStringLiteral("line 5: expected an event [time, code, data] in JSON, got invalid JSON")} << cast << false << 4096;
    QTest::newRow("over-long line skipped, next read")
        << QByteArray(Header + "[0, \"o\", \"" + QByteArray(100, 'x') + "\"]\n[1, \"o\", \"ok\"]\n")
        << QList<AsciicastEvent>{ev(1, Type::Output, "ok")}
        << QStringList{QStringLiteral("line 2: expected a line of at most 64 bytes, got a longer one; skipped")} << cast << false << 64;

    // Header failures: nothing after them is read.
    auto fatal = [&](const char *name, const QByteArray &header, const QString &issue) {
        QTest::newRow(name) << QByteArray(header + "\n[0, \"o\", \"a\"]\n") << QList<AsciicastEvent>{} << QStringList{issue} << cast << true << big;
    };
    fatal("version 1", "{\"version\": 1, \"width\": 80, \"height\": 24}",
          QStringLiteral("line 1: asciicast version 1 is not supported; expected version 2"));
    fatal("version 3", "{\"version\": 3, \"term\": {\"cols\": 80, \"rows\": 24}}",
          QStringLiteral("line 1: asciicast version 3 is not supported; expected version 2"));
    fatal("version string", "{\"version\": \"2\", \"width\": 80, \"height\": 24}",
          QStringLiteral("line 1: expected \"version\": 2 in the header, got a string"));
    fatal("no width", "{\"version\": 2, \"height\": 24}", QStringLiteral("line 1: expected \"width\" in the header, got nothing"));
    fatal("width string", "{\"version\": 2, \"width\": \"80\", \"height\": 24}",
          QStringLiteral("line 1: expected \"width\" to be an integer 1..1000, got a string"));
    fatal("height zero", "{\"version\": 2, \"width\": 80, \"height\": 0}",
          QStringLiteral("line 1: expected \"height\" to be an integer 1..1000, got 0"));
    fatal("width huge", "{\"version\": 2, \"width\": 5000, \"height\": 24}",
          QStringLiteral("line 1: expected \"width\" to be an integer 1..1000, got 5000"));

    // Raw: anything that is not an asciicast v2 header, byte for byte.
    QTest::newRow("raw text") << QByteArray("hello \x1b[1mbold\x1b[0m\r\n") << QList<AsciicastEvent>{ev(0, Type::Output, "hello \x1b[1mbold\x1b[0m\r\n")}
                              << QStringList{} << raw << false << big;
    QTest::newRow("raw brace not json") << QByteArray("{not json\nmore\n") << QList<AsciicastEvent>{ev(0, Type::Output, "{not json\nmore\n")}
                                        << QStringList{} << raw << false << big;
    QTest::newRow("raw object without version") << QByteArray("{\"a\": 1}\nxyz") << QList<AsciicastEvent>{ev(0, Type::Output, "{\"a\": 1}\nxyz")}
                                                << QStringList{} << raw << false << big;
    QTest::newRow("raw array first") << QByteArray("[0, \"o\", \"a\"]\n") << QList<AsciicastEvent>{ev(0, Type::Output, "[0, \"o\", \"a\"]\n")}
                                     << QStringList{} << raw << false << big;
    QTest::newRow("raw bom kept") << QByteArray("\xEF\xBB\xBFhi") << QList<AsciicastEvent>{ev(0, Type::Output, "\xEF\xBB\xBFhi")}
                                  << QStringList{} << raw << false << big;
    QTest::newRow("raw partial bom") << QByteArray("\xEF\xBB") << QList<AsciicastEvent>{ev(0, Type::Output, "\xEF\xBB")}
                                     << QStringList{} << raw << false << big;
    QTest::newRow("raw invalid utf8") << QByteArray("\xFF\xFE\x00\x01", 4) << QList<AsciicastEvent>{ev(0, Type::Output, QByteArray("\xFF\xFE\x00\x01", 4))}
                                      << QStringList{} << raw << false << big;
    QTest::newRow("empty") << QByteArray() << QList<AsciicastEvent>{} << QStringList{} << raw << false << big;
}

void TestAsciicastReader::read()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<AsciicastEvent>, expected);
    QFETCH(QStringList, issues);
    QFETCH(int, format);
    QFETCH(bool, failed);
    QFETCH(int, maxLine);

    auto check = [&](const Result &result, const QString &how) {
        const QString where = QStringLiteral(" (%1)").arg(how);
        QVERIFY2(result.events == expected, qPrintable(QStringLiteral("events differ") + where));
        QCOMPARE(result.issues.size(), issues.size());
        for (qsizetype i = 0; i < issues.size(); ++i)
            QVERIFY2(result.issues.at(i).startsWith(issues.at(i)),
                     qPrintable(result.issues.at(i) + QStringLiteral(" != ") + issues.at(i) + where));
        QCOMPARE(int(result.format), format);
        QCOMPARE(result.failed, failed);
    };
    const Result whole = readSplit(stream, {}, maxLine);
    check(whole, QStringLiteral("whole"));
    if (QTest::currentTestFailed())
        return;

    QList<qsizetype> everyByte;
    for (qsizetype i = 1; i < stream.size(); ++i)
        everyByte.append(i);
    const Result bytewise = readSplit(stream, everyByte, maxLine);
    check(bytewise, QStringLiteral("byte by byte"));
    QCOMPARE(bytewise.header, whole.header);
    if (QTest::currentTestFailed())
        return;
    for (qsizetype cut = 1; cut < stream.size(); ++cut) {
        const Result split = readSplit(stream, {cut}, maxLine);
        check(split, QStringLiteral("split at %1").arg(cut));
        QCOMPARE(split.header, whole.header);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestAsciicastReader::headerFields()
{
    const QByteArray file = "{\"version\": 2, \"width\": 132, \"height\": 43, \"timestamp\": 1700000000, "
                            "\"idle_time_limit\": 1.5, \"title\": \"demo \\u00e9\", "
                            "\"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": \"/bin/bash\", \"N\": 5}, "
                            "\"theme\": {\"fg\": \"#fff\"}}\n[0, \"o\", \"x\"]\n";
    AsciicastReader reader;
    const QList<AsciicastEvent> events = AsciicastReader::readAll(file, reader);
    QCOMPARE(reader.format(), AsciicastReader::Format::Asciicast);
    QVERIFY(reader.issues().isEmpty());
    QVERIFY(reader.header().has_value());
    const AsciicastHeader &header = *reader.header();
    QCOMPARE(header.width, 132);
    QCOMPARE(header.height, 43);
    QCOMPARE(header.timestamp, std::optional<qint64>(1700000000));
    QCOMPARE(header.idleTimeLimit, std::optional<double>(1.5));
    QCOMPARE(header.title, QStringLiteral("demo \u00e9"));
    const QList<std::pair<QString, QString>> env{{QStringLiteral("TERM"), QStringLiteral("xterm-256color")},
                                                  {QStringLiteral("SHELL"), QStringLiteral("/bin/bash")}};
    QCOMPARE(header.env, env); // non-string values are left out
    QCOMPARE(events.size(), 1);
}

void TestAsciicastReader::headerWrongOptionalTypes()
{
    const QByteArray file = "{\"version\": 2, \"width\": 80, \"height\": 24, \"title\": 5, \"timestamp\": \"now\", "
                            "\"idle_time_limit\": -2, \"env\": []}\n[0, \"o\", \"x\"]\n";
    AsciicastReader reader;
    const QList<AsciicastEvent> events = AsciicastReader::readAll(file, reader);
    QVERIFY(!reader.hasFailed());
    QCOMPARE(events.size(), 1);
    QStringList messages;
    for (const AsciicastIssue &issue : reader.issues())
        messages.append(issue.message);
    QCOMPARE(messages, (QStringList{
        QStringLiteral("line 1: expected \"timestamp\" to be a number, got a string; ignored"),
        QStringLiteral("line 1: expected \"idle_time_limit\" to be a positive number, got -2; ignored"),
        QStringLiteral("line 1: expected \"title\" to be a string, got a number; ignored"),
        QStringLiteral("line 1: expected \"env\" to be an object, got an array; ignored")}));
    QCOMPARE(reader.issues().constFirst().line, 1);
    QVERIFY(reader.header()->title.isEmpty());
    QVERIFY(!reader.header()->timestamp);
}

void TestAsciicastReader::issueCountIsCappedButCounted()
{
    QByteArray file = Header;
    for (int i = 0; i < 250; ++i)
        file += "garbage\n";
    file += "[1, \"o\", \"end\"]\n";
    AsciicastReader reader;
    const QList<AsciicastEvent> events = AsciicastReader::readAll(file, reader);
    QCOMPARE(reader.issueCount(), 250);
    QCOMPARE(reader.issues().size(), AsciicastReader::MaxKeptIssues);
    QCOMPARE(reader.issues().constLast().line, 101);
    QCOMPARE(events, (QList<AsciicastEvent>{ev(1, Type::Output, "end")}));
}

QTEST_GUILESS_MAIN(TestAsciicastReader)
#include "tst_asciicast_reader.moc"
