// libFuzzer target for ExecChannelCodec: the input is a sequence of server messages (one length
// byte, then that many bytes) under the protocol the control byte picks. Invariants: only
// channels 1–3 carry data, "connected" comes at most once and first, whatever decodes also
// re-encodes (base64 included) to the same payload, a stream cut into more messages reads the
// same, the status decoder never reports an exit code outside 0–255, and client frames are
// well-formed.

#include "exec_channel_codec.h"

#include <QList>

#include <cstdint>
#include <cstdlib>

namespace {

using Codec = ExecChannelCodec;

struct Run
{
    QByteArray stdoutBytes, stderrBytes, status;
    int connected = 0;
    int invalid = 0;
};

/// A server message carrying `payload` on `channel`, as the server would frame it.
QByteArray serverFrame(const Codec &codec, int channel, const QByteArray &payload)
{
    QByteArray m = codec.encodeStdin(payload).bytes;
    if (codec.isBase64())
        m[0] = char('0' + channel);
    else
        m[0] = char(channel);
    return m;
}

void check(bool condition)
{
    if (!condition)
        abort();
}

Run decodeAll(Codec::Protocol protocol, bool binary, const QList<QByteArray> &messages)
{
    Codec codec(protocol);
    Run run;
    bool first = true;
    for (const QByteArray &m : messages) {
        const Codec::Decoded d = codec.decode(m, binary);
        switch (d.kind) {
        case Codec::Decoded::Kind::Connected:
            check(first && d.payload.isEmpty());
            ++run.connected;
            break;
        case Codec::Decoded::Kind::Data: {
            check(d.channel >= 1 && d.channel <= 3);
            check(codec.isConnected());
            // Re-encoding and decoding in a connected codec gives the payload back.
            Codec again(protocol);
            again.decode(serverFrame(again, 1, QByteArray()), !again.isBase64());
            const Codec::Decoded back = again.decode(serverFrame(again, d.channel, d.payload), !again.isBase64());
            check(back.kind == Codec::Decoded::Kind::Data && back.payload == d.payload && back.channel == d.channel);
            (d.channel == 1 ? run.stdoutBytes : d.channel == 2 ? run.stderrBytes : run.status) += d.payload;
            break;
        }
        case Codec::Decoded::Kind::Invalid:
            check(!d.error.isEmpty());
            ++run.invalid;
            break;
        case Codec::Decoded::Kind::Ignored:
            break;
        }
        if (d.kind != Codec::Decoded::Kind::Ignored && d.kind != Codec::Decoded::Kind::Invalid)
            first = false;
    }
    check(run.connected <= 1);
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t control = data[0];
    static constexpr Codec::Protocol Protocols[] = {Codec::Protocol::V1, Codec::Protocol::Base64V1, Codec::Protocol::V4,
                                                     Codec::Protocol::Base64V4, Codec::Protocol::V5};
    const Codec::Protocol protocol = Protocols[control % 5];
    const bool binary = (control & 0x80) ? false : !Codec(protocol).isBase64();

    QList<QByteArray> messages;
    size_t pos = 1;
    while (pos < size) {
        const size_t length = std::min<size_t>(data[pos], size - pos - 1);
        messages.append(QByteArray(reinterpret_cast<const char *>(data + pos + 1), qsizetype(length)));
        pos += 1 + length;
    }
    const Run whole = decodeAll(protocol, binary, messages);

    // The same data with every non-empty binary data message cut in two reads the same.
    if (!Codec(protocol).isBase64() && binary) {
        QList<QByteArray> pieces;
        for (const QByteArray &m : messages) {
            const int channel = m.isEmpty() ? -1 : uchar(m[0]);
            if (m.size() > 2 && channel >= 1 && channel <= 3) {
                const qsizetype cut = 1 + (m.size() - 1) / 2;
                pieces.append(m.left(cut));
                pieces.append(QByteArray(m.left(1) + m.mid(cut)));
            } else {
                pieces.append(m);
            }
        }
        const Run split = decodeAll(protocol, binary, pieces);
        check(split.stdoutBytes == whole.stdoutBytes && split.stderrBytes == whole.stderrBytes
              && split.status == whole.status);
    }

    const ExecStatus status = Codec::decodeStatus(whole.status, protocol);
    if (status.hasExitCode())
        check(status.exitCode >= 0 && status.exitCode <= 255);
    else
        check(status.exitCode == -1 && !status.message.isEmpty());

    // Client frames.
    const Codec codec(protocol);
    const int w = messages.isEmpty() || messages.first().isEmpty() ? 0 : int(qint8(messages.first().at(0)) * 1000);
    const Codec::Outgoing resize = codec.encodeResize(w, -w);
    check(resize.binary != codec.isBase64());
    const QByteArray stdinPayload = messages.isEmpty() ? QByteArray() : messages.last();
    const Codec::Outgoing in = codec.encodeStdin(stdinPayload);
    if (codec.isBase64())
        check(in.bytes.front() == '0' && QByteArray::fromBase64(in.bytes.mid(1)) == stdinPayload);
    else
        check(in.bytes.front() == '\0' && in.bytes.mid(1) == stdinPayload);
    check(codec.encodeCloseStdin().has_value() == (protocol == Codec::Protocol::V5));
    return 0;
}
