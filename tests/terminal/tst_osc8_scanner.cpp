#include "osc8_scanner.h"

#include <QTest>

namespace {

/// The scanner's output flattened: bytes as they are, a link change as "<L:uri>".
QByteArray run(const QList<QByteArrayView> &pieces)
{
    Osc8Scanner scanner;
    QByteArray out;
    for (const QByteArrayView piece : pieces) {
        QList<Osc8Piece> got;
        scanner.feed(piece, got);
        for (const Osc8Piece &p : got) {
            if (p.isLink) {
                out += "<L:" + p.uri + ">";
            } else {
                if (p.bytes.isEmpty())
                    out += "<EMPTY>"; // never expected
                out += p.bytes.toByteArray();
            }
        }
    }
    return out;
}

} // namespace

class TestOsc8Scanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void split_data();
    void split();
    void longUrlKept();
    void overlongBodyDropped();
};

void TestOsc8Scanner::split_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QByteArray("hello\x1b[31mred\x1b[0m") << QByteArray("hello\x1b[31mred\x1b[0m");
    QTest::newRow("st") << QByteArray("a\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\b")
                        << QByteArray("a<L:http://x/>link<L:>b");
    QTest::newRow("bel") << QByteArray("\x1b]8;id=1;https://e.org/p?q=1\x07t\x1b]8;;\x07")
                         << QByteArray("<L:https://e.org/p?q=1>t<L:>");
    QTest::newRow("other osc passes") << QByteArray("\x1b]0;title\x07x\x1b]80;y\x07")
                                      << QByteArray("\x1b]0;title\x07x\x1b]80;y\x07");
    QTest::newRow("no params separator ignored") << QByteArray("\x1b]8;nourl\x07z") << QByteArray("z");
    QTest::newRow("abandoned by esc") << QByteArray("\x1b]8;;u\x1b[0mz") << QByteArray("\x1b[0mz");
    QTest::newRow("esc at end") << QByteArray("abc\x1b") << QByteArray("abc");
    QTest::newRow("esc ] at end") << QByteArray("abc\x1b]") << QByteArray("abc");
    QTest::newRow("esc ] 9") << QByteArray("\x1b]9;x\x07") << QByteArray("\x1b]9;x\x07");
    QTest::newRow("utf8 url") << QByteArray("\x1b]8;;http://\xc3\xa9/\x1b\\\xe4\xb8\xad\x1b]8;;\x1b\\")
                              << QByteArray("<L:http://\xc3\xa9/>\xe4\xb8\xad<L:>");
}

void TestOsc8Scanner::split()
{
    QFETCH(QByteArray, stream);
    QFETCH(QByteArray, expected);
    // "esc at end": the held ESC never completes, so it is not output (the stream is unfinished).
    QCOMPARE(run({stream}), expected);
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < stream.size(); ++i)
        bytes.append(QByteArrayView(stream).sliced(i, 1));
    QCOMPARE(run(bytes), expected);
    for (qsizetype cut = 0; cut <= stream.size(); ++cut)
        QCOMPARE(run({QByteArrayView(stream).first(cut), QByteArrayView(stream).sliced(cut)}), expected);
}

void TestOsc8Scanner::longUrlKept()
{
    // libvterm would cut this at 64 bytes; the scanner keeps all of it.
    const QByteArray url = "https://example.com/" + QByteArray(500, 'a');
    QCOMPARE(run({QByteArray("\x1b]8;;" + url + "\x1b\\x")}), QByteArray("<L:" + url + ">x"));
}

void TestOsc8Scanner::overlongBodyDropped()
{
    const QByteArray url(Osc8Scanner::MaxBody + 10, 'u');
    QCOMPARE(run({QByteArray("\x1b]8;;" + url + "\x07" + "after")}), QByteArray("after"));
}

QTEST_GUILESS_MAIN(TestOsc8Scanner)
#include "tst_osc8_scanner.moc"
