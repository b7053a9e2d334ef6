// ExecChannelCodec: protocols.md 4.2/4.3 byte-exact (E4–E9), status decoding (E5), and a stream
// split into messages at every offset giving the same bytes.
#include "exec_channel_codec.h"

#include <QTest>

using Codec = ExecChannelCodec;
using Kind = ExecChannelCodec::Decoded::Kind;

class TestExecChannelCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void protocolNames()
    {
        QCOMPARE(Codec::protocolFor("v5.channel.k8s.io"), Codec::Protocol::V5);
        QCOMPARE(Codec::protocolFor("v4.channel.k8s.io"), Codec::Protocol::V4);
        QCOMPARE(Codec::protocolFor("v4.base64.channel.k8s.io"), Codec::Protocol::Base64V4);
        QCOMPARE(Codec::protocolFor("channel.k8s.io"), Codec::Protocol::V1);
        QCOMPARE(Codec::protocolFor("v2.channel.k8s.io"), Codec::Protocol::V1);
        QCOMPARE(Codec::protocolFor(""), Codec::Protocol::V1);
        QCOMPARE(Codec::protocolFor("base64.channel.k8s.io"), Codec::Protocol::Base64V1);
        QVERIFY(!Codec::protocolFor("foo"));
        QVERIFY(!Codec::protocolFor("v5.base64.channel.k8s.io"));
        for (auto p : {Codec::Protocol::V1, Codec::Protocol::Base64V1, Codec::Protocol::V4, Codec::Protocol::Base64V4,
                       Codec::Protocol::V5})
            QCOMPARE(Codec::protocolFor(Codec::nameOf(p)), p);
    }

    // E4: the first empty frame is "connected"; then stdout and stderr payloads.
    void firstEmptyFrameIsConnected()
    {
        Codec codec(Codec::Protocol::V5);
        QVERIFY(!codec.isConnected());
        auto d = codec.decode(QByteArray("\x01", 1), true);
        QCOMPARE(d.kind, Kind::Connected);
        QVERIFY(codec.isConnected());
        d = codec.decode(QByteArray("\x01hi\n"), true);
        QCOMPARE(d.kind, Kind::Data);
        QCOMPARE(d.channel, 1);
        QCOMPARE(d.payload, QByteArray("hi\n"));
        d = codec.decode(QByteArray("\x02" "err"), true);
        QCOMPARE(d.kind, Kind::Data);
        QCOMPARE(d.channel, 2);
        QCOMPARE(d.payload, QByteArray("err"));
        // A later empty frame is data of length 0, not a second "connected".
        d = codec.decode(QByteArray("\x01", 1), true);
        QCOMPARE(d.kind, Kind::Data);
        QVERIFY(d.payload.isEmpty());
    }
    void firstFrameWithDataConnectsToo()
    {
        Codec codec(Codec::Protocol::V4);
        const auto d = codec.decode(QByteArray("\x01ok"), true);
        QCOMPARE(d.kind, Kind::Data);
        QCOMPARE(d.payload, QByteArray("ok"));
        QVERIFY(codec.isConnected());
    }
    // E9: unknown channel 7 (and client-only channels) ignored; an empty message is invalid.
    void unknownChannelsIgnored()
    {
        Codec codec(Codec::Protocol::V5);
        for (const QByteArray &m : {QByteArray("\x07zz"), QByteArray("\x00x", 2), QByteArray("\x04{}"),
                                    QByteArray("\xff\x00", 2), QByteArray("\x07", 1)}) {
            const auto d = codec.decode(m, true);
            QCOMPARE(d.kind, Kind::Ignored);
        }
        QVERIFY(!codec.isConnected()); // ignored frames do not count as "connected"
        const auto d = codec.decode(QByteArray(), true);
        QCOMPARE(d.kind, Kind::Invalid);
        QVERIFY(!d.error.isEmpty());
    }
    // E7
    void resizeIsByteExact()
    {
        const QByteArray expected = QByteArray::fromHex("047b225769647468223a3132302c22486569676874223a34307d");
        QCOMPARE(expected, QByteArray("\x04{\"Width\":120,\"Height\":40}"));
        for (auto p : {Codec::Protocol::V5, Codec::Protocol::V4, Codec::Protocol::V1}) {
            const auto out = Codec(p).encodeResize(120, 40);
            QVERIFY(out.binary);
            QCOMPARE(out.bytes, expected);
        }
        QCOMPARE(Codec().encodeResize(-3, 70000).bytes, QByteArray("\x04{\"Width\":0,\"Height\":65535}"));
    }
    // E6
    void closeStdinOnlyUnderV5()
    {
        const auto close = Codec(Codec::Protocol::V5).encodeCloseStdin();
        QVERIFY(close);
        QVERIFY(close->binary);
        QCOMPARE(close->bytes, QByteArray::fromHex("ff00"));
        QVERIFY(!Codec(Codec::Protocol::V4).encodeCloseStdin());
        QVERIFY(!Codec(Codec::Protocol::V1).encodeCloseStdin());
        QVERIFY(!Codec(Codec::Protocol::Base64V4).encodeCloseStdin());
    }
    void stdinBinary()
    {
        const auto out = Codec(Codec::Protocol::V5).encodeStdin("ls\n");
        QVERIFY(out.binary);
        QCOMPARE(out.bytes, QByteArray("\x00ls\n", 4));
        QCOMPARE(Codec().encodeStdin(QByteArray()).bytes, QByteArray(1, '\0'));
    }
    // E8
    void base64RoundTrip()
    {
        for (auto p : {Codec::Protocol::Base64V4, Codec::Protocol::Base64V1}) {
            Codec codec(p);
            const auto out = codec.encodeStdin("ls\n");
            QVERIFY(!out.binary);
            QCOMPARE(out.bytes, QByteArray("0bHMK"));
            QCOMPARE(codec.encodeResize(120, 40).bytes,
                     "4" + QByteArray("{\"Width\":120,\"Height\":40}").toBase64());
            auto d = codec.decode("1", false);
            QCOMPARE(d.kind, Kind::Connected);
            d = codec.decode("1aGk=", false);
            QCOMPARE(d.kind, Kind::Data);
            QCOMPARE(d.channel, 1);
            QCOMPARE(d.payload, QByteArray("hi"));
            d = codec.decode(QByteArray("3" + QByteArray("{\"status\":\"Success\"}").toBase64()), false);
            QCOMPARE(d.channel, 3);
            QCOMPARE(d.payload, QByteArray("{\"status\":\"Success\"}"));
            QCOMPARE(codec.decode("1a*k=", false).kind, Kind::Invalid);
            QCOMPARE(codec.decode("xaGk=", false).kind, Kind::Invalid);
            QCOMPARE(codec.decode("1aGk=", true).kind, Kind::Invalid);
            QCOMPARE(codec.decode("7aGk=", false).kind, Kind::Ignored);
        }
    }
    // E5
    void status_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("success") << QByteArray("{\"metadata\":{},\"status\":\"Success\"}") << int(ExecStatus::Kind::Success) << 0 << QString();
        QTest::newRow("exit 3") << QByteArray("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: 3\","
                                              "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}")
                                << int(ExecStatus::Kind::ExitCode) << 3 << QStringLiteral("command terminated with non-zero exit code: 3");
        QTest::newRow("exit 255, other causes first") << QByteArray("{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"message\":\"m\","
                                              "\"details\":{\"causes\":[{\"reason\":\"Other\",\"message\":\"9\"},{\"reason\":\"ExitCode\",\"message\":\"255\"}]}}")
                                << int(ExecStatus::Kind::ExitCode) << 255 << QStringLiteral("m");
        QTest::newRow("exit code out of range") << QByteArray("{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"message\":\"m\","
                                              "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"256\"}]}}")
                                << int(ExecStatus::Kind::Failure) << -1 << QStringLiteral("m");
        QTest::newRow("no causes") << QByteArray("{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"message\":\"m\"}")
                                   << int(ExecStatus::Kind::Failure) << -1 << QStringLiteral("m");
        QTest::newRow("not found") << QByteArray("{\"status\":\"Failure\",\"reason\":\"InternalError\",\"message\":\"exec: \\\"bash\\\": executable file not found in $PATH\"}")
                                   << int(ExecStatus::Kind::Failure) << -1 << QStringLiteral("exec: \"bash\": executable file not found in $PATH");
        QTest::newRow("escaped message") << QByteArray("{\"status\":\"Failure\",\"message\":\"a\\u001b[31mb\"}")
                                         << int(ExecStatus::Kind::Failure) << -1 << QStringLiteral("a\\x1b[31mb");
        QTest::newRow("malformed") << QByteArray("{\"status\":\"Succ") << int(ExecStatus::Kind::ProtocolError) << -1 << QString();
        QTest::newRow("not an object") << QByteArray("[1]") << int(ExecStatus::Kind::ProtocolError) << -1 << QString();
        QTest::newRow("no status") << QByteArray("{\"kind\":\"Status\"}") << int(ExecStatus::Kind::ProtocolError) << -1 << QString();
        QTest::newRow("empty") << QByteArray() << int(ExecStatus::Kind::ProtocolError) << -1 << QString();
    }
    void status()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, kind);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        for (auto p : {Codec::Protocol::V4, Codec::Protocol::V5, Codec::Protocol::Base64V4}) {
            const ExecStatus s = Codec::decodeStatus(json, p);
            QCOMPARE(int(s.kind), kind);
            QCOMPARE(s.exitCode, exitCode);
            QCOMPARE(s.hasExitCode(), exitCode >= 0);
            if (kind == int(ExecStatus::Kind::ProtocolError))
                QVERIFY(!s.message.isEmpty());
            else
                QCOMPARE(s.message, message);
        }
    }
    void plainTextStatusV1()
    {
        ExecStatus s = Codec::decodeStatus("", Codec::Protocol::V1);
        QCOMPARE(s.kind, ExecStatus::Kind::Success);
        QCOMPARE(s.exitCode, 0);
        s = Codec::decodeStatus("container not found (\"x\")\n", Codec::Protocol::Base64V1);
        QCOMPARE(s.kind, ExecStatus::Kind::Failure);
        QCOMPARE(s.message, QStringLiteral("container not found (\"x\")"));
    }

    // A stream cut into two messages at every offset, and into one-byte messages, reads the same;
    // a Status split the same way decodes only once it is whole.
    void splitEveryWay()
    {
        const QByteArray stream = "line one\nline two \x1b[1mbold\x1b[0m\r\n\xe2\x82\xac";
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            Codec codec(Codec::Protocol::V5);
            QCOMPARE(codec.decode(QByteArray("\x01", 1), true).kind, Kind::Connected);
            QByteArray out;
            for (const QByteArray &piece : {stream.left(cut), stream.mid(cut)}) {
                const auto d = codec.decode(Codec().encodeStdin(piece).bytes.replace(0, 1, "\x01"), true);
                QCOMPARE(d.kind, Kind::Data);
                out += d.payload;
            }
            QCOMPARE(out, stream);
        }
        Codec bytewise(Codec::Protocol::V4);
        QByteArray out;
        for (char c : stream)
            out += bytewise.decode(QByteArray(QByteArray("\x01") + c), true).payload;
        QCOMPARE(out, stream);

        const QByteArray status = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"x\",\"reason\":\"NonZeroExitCode\","
                                  "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}";
        for (qsizetype cut = 1; cut < status.size(); ++cut) {
            QCOMPARE(Codec::decodeStatus(status.left(cut), Codec::Protocol::V5).kind, ExecStatus::Kind::ProtocolError);
            const ExecStatus whole = Codec::decodeStatus(QByteArray(status.left(cut) + status.mid(cut)), Codec::Protocol::V5);
            QCOMPARE(whole.exitCode, 3);
        }
    }
};

QTEST_GUILESS_MAIN(TestExecChannelCodec)
#include "tst_exec_channel_codec.moc"
