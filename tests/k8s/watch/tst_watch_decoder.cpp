// WatchDecoder (protocols.md 2.2, 2.5 W1/W2, 6.2), parseList and parseTable.

#include "list_decoder.h"
#include "table_decoder.h"
#include "watch_decoder.h"

#include <QTest>

namespace {

struct Decoded
{
    std::vector<WatchEvent> events;
    std::vector<WatchDecodeError> errors;
};

/// Feeds `stream` in pieces of `piece` bytes (0: whole), then finish().
Decoded decode(const QByteArray &stream, qsizetype piece = 0, qsizetype cap = WatchDecoder::DefaultMaxObjectBytes)
{
    WatchDecoder decoder(cap);
    Decoded d;
    if (piece <= 0) {
        decoder.feed(stream, d.events, &d.errors);
    } else {
        for (qsizetype pos = 0; pos < stream.size(); pos += piece)
            decoder.feed(QByteArrayView(stream).sliced(pos, std::min(piece, stream.size() - pos)), d.events, &d.errors);
    }
    decoder.finish(d.events, &d.errors);
    return d;
}

/// Feeds `stream` split once at `at`.
Decoded decodeSplit(const QByteArray &stream, qsizetype at)
{
    WatchDecoder decoder;
    Decoded d;
    decoder.feed(QByteArrayView(stream).first(at), d.events, &d.errors);
    decoder.feed(QByteArrayView(stream).sliced(at), d.events, &d.errors);
    decoder.finish(d.events, &d.errors);
    return d;
}

QByteArray eventLine(const char *type, const char *name, const char *rv)
{
    return QByteArray("{\"type\":\"") + type + "\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
           "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\",\"uid\":\"u-" + name +
           "\",\"resourceVersion\":\"" + rv + "\"},\"spec\":{\"nodeName\":\"n1 \\\"quoted\\\" {brace}\"}}}";
}

QStringList summary(const Decoded &d)
{
    QStringList s;
    for (const WatchEvent &e : d.events)
        s << QString::fromLatin1(e.typeText + ' ' + e.key() + ' ' + e.resourceVersion);
    for (const WatchDecodeError &e : d.errors)
        s << QStringLiteral("error %1 before %2").arg(int(e.kind)).arg(e.beforeEvent);
    return s;
}

} // namespace

class TestWatchDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void w1SplitInsideType()
    {
        const QByteArray first = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":"
                                 "{\"name\":\"a\",\"resourceVersion\":\"101\"}}}\n{\"type\":\"MOD";
        const QByteArray second = "IFIED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\","
                                  "\"resourceVersion\":\"105\"}}}\n";
        WatchDecoder decoder;
        std::vector<WatchEvent> out;
        std::vector<WatchDecodeError> errors;
        decoder.feed(first, out, &errors);
        QCOMPARE(out.size(), size_t(1));
        QVERIFY(decoder.hasPartial());
        decoder.feed(second, out, &errors);
        QCOMPARE(out.size(), size_t(2));
        QVERIFY(errors.empty());
        QCOMPARE(out[0].type, WatchEvent::Type::Added);
        QCOMPARE(out[0].name, QByteArray("a"));
        QCOMPARE(out[0].resourceVersion, QByteArray("101"));
        QCOMPARE(out[1].type, WatchEvent::Type::Modified);
        QCOMPARE(out[1].resourceVersion, QByteArray("105"));
        QCOMPARE(out[1].kind, QByteArray("Pod"));
        QCOMPARE(out[1].object, QByteArray("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\","
                                           "\"resourceVersion\":\"105\"}}"));
        QCOMPARE(out[1].key(), QByteArray("a"));
    }

    void w2TwoObjectsWithoutNewline()
    {
        const QByteArray stream = eventLine("ADDED", "a", "1") + eventLine("ADDED", "b", "2") + "\n";
        const Decoded d = decode(stream);
        QCOMPARE(summary(d), QStringList({"ADDED default/a 1", "ADDED default/b 2"}));
    }

    void everySplitPointOfThreeEvents()
    {
        const QByteArray stream = eventLine("ADDED", "a", "1") + "\n" + eventLine("MODIFIED", "a", "2") + "\r\n\n"
                                  + eventLine("DELETED", "a", "3") + "\n";
        const QStringList expected = {"ADDED default/a 1", "MODIFIED default/a 2", "DELETED default/a 3"};
        QCOMPARE(summary(decode(stream)), expected);
        const QByteArray wholeObject = decode(stream).events[1].object;
        for (qsizetype at = 0; at <= stream.size(); ++at) {
            const Decoded d = decodeSplit(stream, at);
            QVERIFY2(summary(d) == expected, qPrintable(QStringLiteral("split at %1").arg(at)));
            QCOMPARE(d.events[1].object, wholeObject);
        }
        QCOMPARE(summary(decode(stream, 1)), expected);
        QCOMPARE(summary(decode(stream, 7)), expected);
    }

    void blankLinesCrlfAndMissingFinalNewline()
    {
        const QByteArray stream = "\r\n\n  \r\n" + eventLine("ADDED", "a", "1") + "\r\n\r\n\n" + eventLine("ADDED", "b", "2");
        QCOMPARE(summary(decode(stream)), QStringList({"ADDED default/a 1", "ADDED default/b 2"}));
        QCOMPARE(summary(decode(stream, 3)), QStringList({"ADDED default/a 1", "ADDED default/b 2"}));
    }

    void prettyPrintedObjectIsCompacted()
    {
        const QByteArray stream = "{\n  \"type\": \"ADDED\",\n  \"object\": {\n    \"kind\": \"Pod\",\n"
                                  "    \"metadata\": { \"name\": \"a b\", \"resourceVersion\": \"7\" }\n  }\n}\n";
        for (qsizetype piece : {0, 1, 5}) {
            const Decoded d = decode(stream, piece);
            QCOMPARE(summary(d), QStringList({"ADDED a b 7"}));
            QCOMPARE(d.events[0].object,
                     QByteArray("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a b\",\"resourceVersion\":\"7\"}}"));
        }
    }

    void compactObjectWithSpacesInStringsIsKeptAsSent()
    {
        const QByteArray object = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"7\","
                                  "\"annotations\":{\"note\":\"x , y : { z ] \\\" q\"}}}";
        const Decoded d = decode("{\"type\":\"ADDED\",\"object\":" + object + "}\n");
        QCOMPARE(summary(d), QStringList({"ADDED a 7"}));
        QCOMPARE(d.events[0].object, object);
    }

    void metadataFieldsAreIndependentValues()
    {
        // The event's object and metadata share one allocation; each field must still behave
        // as a QByteArray of its own: NUL-terminated, outliving the others, detaching on write.
        const QByteArray stream = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"n\\u00e9\","
                                  "\"namespace\":\"ns\",\"uid\":\"\",\"resourceVersion\":\"42\","
                                  "\"creationTimestamp\":\"2024-05-01T10:20:30Z\"}}}\n";
        Decoded d = decode(stream);
        QCOMPARE(d.events.size(), size_t(1));
        WatchEvent event = d.events[0];
        d.events.clear();
        QCOMPARE(event.name, QByteArray("n\xc3\xa9"));
        QCOMPARE(event.namespaceName, QByteArray("ns"));
        QVERIFY(event.uid.isEmpty());
        QVERIFY(!event.uid.isNull());
        QCOMPARE(event.resourceVersion, QByteArray("42"));
        QCOMPARE(event.creationTimestamp, QByteArray("2024-05-01T10:20:30Z"));
        for (const QByteArray *field : {&event.object, &event.name, &event.resourceVersion, &event.creationTimestamp})
            QCOMPARE(field->constData()[field->size()], '\0');
        QCOMPARE(qstrlen(event.resourceVersion.constData()), size_t(2));
        const QByteArray name = event.name;
        const QByteArray objectCopy = event.object;
        event.object = QByteArray();
        event.resourceVersion.append("-x"); // must not write over what follows it in the block
        QCOMPARE(event.resourceVersion, QByteArray("42-x"));
        QCOMPARE(event.creationTimestamp, QByteArray("2024-05-01T10:20:30Z"));
        QCOMPARE(name, QByteArray("n\xc3\xa9"));
        QVERIFY(objectCopy.startsWith("{\"kind\":\"Pod\""));
        event = WatchEvent();
        QCOMPARE(name, QByteArray("n\xc3\xa9")); // outlives the event
        QByteArray grown = name;
        grown.append(QByteArray(4096, 'z'));
        QCOMPARE(grown.size(), qsizetype(3 + 4096));
        QCOMPARE(name, QByteArray("n\xc3\xa9"));
        QByteArray missing = decode("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n").events[0].uid;
        QVERIFY(missing.isNull());
    }

    void keyOrderDoesNotMatter()
    {
        const QByteArray stream = "{\"object\":{\"metadata\":{\"resourceVersion\":\"9\",\"name\":\"x\"}},\"type\":\"ADDED\"}\n";
        const Decoded d = decode(stream);
        QCOMPARE(summary(d), QStringList({"ADDED x 9"}));
        QCOMPARE(d.events[0].object, QByteArray("{\"metadata\":{\"resourceVersion\":\"9\",\"name\":\"x\"}}"));
    }

    void capThenResyncAtNextNewline()
    {
        const QByteArray big = eventLine("ADDED", "big", "1");
        const QByteArray small = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"s\",\"resourceVersion\":\"2\"}}}";
        const qsizetype cap = small.size() + 5;
        QVERIFY(big.size() > cap);
        const QByteArray stream = big + "\n" + small + "\n";
        for (qsizetype piece : {0, 1, 3, 64}) {
            const Decoded d = decode(stream, piece, cap);
            QCOMPARE(summary(d), QStringList({"ADDED s 2", "error 2 before 0"}));
            QVERIFY(d.errors[0].message.contains(QStringLiteral("larger than")));
        }
        // An object of exactly the cap still decodes.
        QCOMPARE(summary(decode(small + "\n", 0, small.size())), QStringList({"ADDED s 2"}));
    }

    void badJsonThenNextEventDecodes()
    {
        const QByteArray stream = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"x\"}},}\n"
                                  "garbage\x1b[31m\n"
                                  + eventLine("ADDED", "a", "1") + "\n{\"type\":\"ADDED\"}\n"
                                  + "{\"type\":\"ADDED\",\"object\":{\"metadata\":{}}}\n" + eventLine("ADDED", "b", "2") + "\n";
        for (qsizetype piece : {0, 1, 4}) {
            const Decoded d = decode(stream, piece);
            QCOMPARE(summary(d), QStringList({"ADDED default/a 1", "ADDED default/b 2", "error 0 before 0",
                                              "error 0 before 0", "error 1 before 1", "error 1 before 1"}));
            for (const WatchDecodeError &e : d.errors)
                QVERIFY2(!e.message.contains(QChar(0x1b)), qPrintable(e.message));
        }
        const Decoded d = decode(stream);
        QVERIFY(d.errors[1].message.contains(QStringLiteral("'g'")));
        QVERIFY(d.errors[2].message.contains(QStringLiteral("\"object\"")));
        QVERIFY(d.errors[3].message.contains(QStringLiteral("metadata.name")));
    }

    void truncatedObjectIsReportedByFinish()
    {
        const QByteArray stream = eventLine("ADDED", "a", "1") + "\n{\"type\":\"ADDED\",\"object\":{\"meta";
        const Decoded d = decode(stream);
        QCOMPARE(summary(d), QStringList({"ADDED default/a 1", "error 3 before 1"}));
        WatchDecoder decoder;
        std::vector<WatchEvent> out;
        decoder.feed(stream, out);
        decoder.finish(out);
        QCOMPARE(decoder.errorCount(), 1);
        QVERIFY(!decoder.hasPartial());
        decoder.feed(QByteArray(eventLine("ADDED", "c", "3") + "\n"), out);
        QCOMPARE(out.size(), size_t(2));
    }

    void errorStatusFields()
    {
        const QByteArray stream = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                                  "\"status\":\"Failure\",\"message\":\"too old resource version: 100 (2000)\","
                                  "\"reason\":\"Expired\",\"code\":410}}\n";
        const Decoded d = decode(stream);
        QCOMPARE(d.events.size(), size_t(1));
        QVERIFY(d.errors.empty());
        const WatchEvent &e = d.events[0];
        QCOMPARE(e.type, WatchEvent::Type::Error);
        QCOMPARE(e.code, 410);
        QCOMPARE(e.reason, QByteArray("Expired"));
        QCOMPARE(e.message, QByteArray("too old resource version: 100 (2000)"));
        QCOMPARE(e.kind, QByteArray("Status"));
    }

    void statusFieldsOnlyForErrors()
    {
        // An Event object has its own reason and message: they are not a Status.
        const QByteArray stream = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Event\",\"metadata\":{\"name\":\"e\","
                                  "\"resourceVersion\":\"4\"},\"reason\":\"Pulled\",\"message\":\"ok\"}}\n";
        const Decoded d = decode(stream);
        QCOMPARE(d.events.size(), size_t(1));
        QVERIFY(d.events[0].reason.isEmpty());
        QVERIFY(d.events[0].message.isEmpty());
        QCOMPARE(d.events[0].code, 0);
    }

    void bookmarkAndUnknownType()
    {
        const QByteArray stream = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"200\","
                                  "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}\n"
                                  "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"201\"}}}\n"
                                  "{\"type\":\"SURPRISE\",\"object\":{\"metadata\":{\"name\":\"z\"}}}\n"
                                  "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{}}}\n";
        const Decoded d = decode(stream);
        QCOMPARE(d.events.size(), size_t(3));
        QCOMPARE(d.events[0].type, WatchEvent::Type::Bookmark);
        QVERIFY(d.events[0].initialEventsEnd);
        QCOMPARE(d.events[0].resourceVersion, QByteArray("200"));
        QVERIFY(!d.events[1].initialEventsEnd);
        QCOMPARE(d.events[2].type, WatchEvent::Type::Unknown);
        QCOMPARE(d.events[2].typeText, QByteArray("SURPRISE"));
        QCOMPARE(d.errors.size(), size_t(1));
        QCOMPARE(d.errors[0].kind, WatchDecodeError::Kind::MissingField);
    }

    void listPage()
    {
        const QByteArray body = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"300\","
                                "\"continue\":\"tok\"},\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\","
                                "\"uid\":\"1\",\"resourceVersion\":\"10\",\"creationTimestamp\":\"2024-01-01T00:00:00Z\"}},"
                                " {\"metadata\": {\"name\": \"b\", \"resourceVersion\": \"11\"}}]}";
        const ListPage page = parseList(body);
        QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
        QCOMPARE(page.kind, QByteArray("PodList"));
        QCOMPARE(page.resourceVersion, QByteArray("300"));
        QCOMPARE(page.continueToken, QByteArray("tok"));
        QCOMPARE(page.items.size(), size_t(2));
        QCOMPARE(page.items[0].key(), QByteArray("ns/a"));
        QCOMPARE(page.items[0].uid, QByteArray("1"));
        QCOMPARE(page.items[0].creationTimestamp, QByteArray("2024-01-01T00:00:00Z"));
        QCOMPARE(page.items[1].object, QByteArray("{\"metadata\":{\"name\":\"b\",\"resourceVersion\":\"11\"}}"));
        QVERIFY(parseList("{\"kind\":\"PodList\",\"metadata\":{},\"items\":null}").error.isEmpty());
        QVERIFY(!parseList("{\"kind\":\"Status\",\"code\":500}").error.isEmpty());
        QVERIFY(parseList("[1,2").error.contains(QStringLiteral("not valid JSON")));
    }

    void tableDecode()
    {
        const QByteArray body =
            "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"55\"},"
            "\"columnDefinitions\":[{\"name\":\"Name\",\"type\":\"string\",\"format\":\"name\",\"description\":\"d\",\"priority\":0},"
            "{\"name\":\"Ready\",\"type\":\"string\",\"format\":\"\",\"priority\":0},"
            "{\"name\":\"Restarts\",\"type\":\"integer\",\"format\":\"\",\"priority\":0},"
            "{\"name\":\"IP\",\"type\":\"string\",\"format\":\"\",\"priority\":1}],"
            "\"rows\":[{\"cells\":[\"web-1\",\"1/1\",3,null],\"object\":{\"kind\":\"PartialObjectMetadata\","
            "\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"default\",\"uid\":\"u1\","
            "\"resourceVersion\":\"50\",\"creationTimestamp\":\"2024-05-01T10:00:00Z\"}}}]}";
        const Table table = parseTable(body);
        QVERIFY2(table.error.isEmpty(), qPrintable(table.error));
        QCOMPARE(table.resourceVersion, QByteArray("55"));
        QCOMPARE(table.columns.size(), size_t(4));
        QCOMPARE(table.columns[0].name, QStringLiteral("Name"));
        QCOMPARE(table.columns[0].format, QStringLiteral("name"));
        QCOMPARE(table.columns[2].type, QStringLiteral("integer"));
        QCOMPARE(table.columns[3].priority, 1);
        QCOMPARE(table.rows.size(), size_t(1));
        QCOMPARE(table.rows[0].cells, QStringList({"web-1", "1/1", "3", "<none>"}));
        QCOMPARE(table.rows[0].object.key(), QByteArray("default/web-1"));
        QCOMPARE(table.rows[0].object.uid, QByteArray("u1"));
        QCOMPARE(table.rows[0].object.resourceVersion, QByteArray("50"));
        QCOMPARE(table.rows[0].object.creationTimestamp, QByteArray("2024-05-01T10:00:00Z"));
        QVERIFY(table.rows[0].object.object.startsWith("{\"cells\":[\"web-1\""));
        QVERIFY(parseTable("{\"kind\":\"PodList\",\"items\":[]}").error.contains(QStringLiteral("PodList")));
        QVERIFY(!parseTable("{").error.isEmpty());

        // A watch with the Table Accept: the event's object is a Table; it decodes without a name.
        const Decoded d = decode(QByteArray("{\"type\":\"ADDED\",\"object\":" + body + "}\n"));
        QCOMPARE(d.events.size(), size_t(1));
        QCOMPARE(d.events[0].kind, QByteArray("Table"));
        QCOMPARE(parseTable(d.events[0].object).rows[0].object.name, QByteArray("web-1"));
    }
};

QTEST_GUILESS_MAIN(TestWatchDecoder)
#include "tst_watch_decoder.moc"
