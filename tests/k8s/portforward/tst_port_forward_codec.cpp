// PortForwardCodec (protocols.md 4.5, E10): port prefixes consumed and checked, data and error
// channels per port, the prefix split across messages at every offset, client framing.
#include "port_forward_codec.h"

#include <QTest>

using Kind = PortForwardCodec::Decoded::Kind;

class TestPortForwardCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void e10PrefixesConsumed()
    {
        PortForwardCodec codec({8080});
        QVERIFY(!codec.isAcknowledged(0));
        auto d = codec.decode(QByteArray::fromHex("00901f"));
        QCOMPARE(d.kind, Kind::Data);
        QCOMPARE(d.portIndex, 0);
        QVERIFY(d.payload.isEmpty());
        d = codec.decode(QByteArray::fromHex("01901f"));
        QCOMPARE(d.kind, Kind::Error);
        QVERIFY(d.payload.isEmpty());
        QVERIFY(codec.isAcknowledged(0));
        // After the prefix, 90 1f is data like any other bytes.
        d = codec.decode(QByteArray::fromHex("00901f0a00ff"));
        QCOMPARE(d.kind, Kind::Data);
        QCOMPARE(d.payload, QByteArray::fromHex("901f0a00ff"));
        d = codec.decode(QByteArray(QByteArray("\x01") + "connection refused"));
        QCOMPARE(d.kind, Kind::Error);
        QCOMPARE(d.payload, QByteArray("connection refused"));
    }
    void prefixAndDataInOneMessage()
    {
        PortForwardCodec codec({80});
        const auto d = codec.decode(QByteArray(QByteArray::fromHex("005000") + "GET /"));
        QCOMPARE(d.kind, Kind::Data);
        QCOMPARE(d.payload, QByteArray("GET /"));
    }
    void wrongPortIsInvalid()
    {
        PortForwardCodec codec({8080});
        const auto d = codec.decode(QByteArray::fromHex("005000"));
        QCOMPARE(d.kind, Kind::Invalid);
        QVERIFY2(d.error.contains(u"port 80, expected 8080"), qPrintable(d.error));
    }
    void emptyAndUnknown()
    {
        PortForwardCodec codec({8080});
        QCOMPARE(codec.decode(QByteArray()).kind, Kind::Invalid);
        QCOMPARE(codec.decode(QByteArray::fromHex("02901f")).kind, Kind::Ignored);
        QCOMPARE(codec.decode(QByteArray::fromHex("ff")).kind, Kind::Ignored);
    }
    void twoPorts()
    {
        PortForwardCodec codec({8080, 5432});
        QCOMPARE(codec.portCount(), 2);
        QCOMPARE(codec.decode(QByteArray::fromHex("02381501")).payload, QByteArray::fromHex("01")); // 5432 = 0x1538
        QCOMPARE(codec.decode(QByteArray::fromHex("023815")).kind, Kind::Data);
        auto d = codec.decode(QByteArray(QByteArray::fromHex("00901f") + "a"));
        QCOMPARE(d.portIndex, 0);
        QCOMPARE(d.payload, QByteArray("a"));
        d = codec.decode(QByteArray(QByteArray::fromHex("033815") + "boom"));
        QCOMPARE(d.kind, Kind::Error);
        QCOMPARE(d.portIndex, 1);
        QCOMPARE(d.payload, QByteArray("boom"));
        QCOMPARE(codec.encodeData(1, "xy"), QByteArray("\x02xy"));
    }
    void encode()
    {
        PortForwardCodec codec({8080});
        QCOMPARE(codec.encodeData(0, "hello"), QByteArray("\x00hello", 6));
        QCOMPARE(codec.encodeData(0, QByteArray()), QByteArray(1, '\0'));
    }
    // The data channel's byte stream (prefix + payload) cut into messages anywhere reads the same.
    void splitEveryWay()
    {
        const QByteArray stream = QByteArray::fromHex("901f") + QByteArray("payload \x00\x01\xff end", 17);
        for (qsizetype a = 0; a <= stream.size(); ++a) {
            for (qsizetype b = a; b <= stream.size(); ++b) {
                PortForwardCodec codec({8080});
                QByteArray out;
                for (const QByteArray &piece : {stream.left(a), stream.mid(a, b - a), stream.mid(b)}) {
                    const auto d = codec.decode(QByteArray(QByteArray(1, '\0') + piece));
                    QCOMPARE(d.kind, Kind::Data);
                    out += d.payload;
                }
                QCOMPARE(out, stream.mid(2));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestPortForwardCodec)
#include "tst_port_forward_codec.moc"
