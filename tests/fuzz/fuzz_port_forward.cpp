// libFuzzer target for PortForwardCodec: the input is a sequence of server messages (one length
// byte, then that many bytes) for one or two ports chosen by the first bytes. Invariants: data
// and errors only for requested ports, a port prefix that disagrees is reported, and the same
// messages with every payload cut into one-byte messages (prefix split anywhere) deliver the same
// bytes per port and channel, with the first Invalid at the same place.

#include "port_forward_codec.h"

#include <cstdint>
#include <cstdlib>

namespace {

struct Run
{
    QByteArray data[2], errors[2];
    bool invalid = false;
};

void check(bool condition)
{
    if (!condition)
        abort();
}

Run decodeAll(const QList<quint16> &ports, const QList<QByteArray> &messages, bool bytewise)
{
    PortForwardCodec codec(ports);
    Run run;
    auto handle = [&](const QByteArray &m) {
        const PortForwardCodec::Decoded d = codec.decode(m);
        switch (d.kind) {
        case PortForwardCodec::Decoded::Kind::Data:
        case PortForwardCodec::Decoded::Kind::Error:
            check(d.portIndex >= 0 && d.portIndex < ports.size());
            check(uchar(m[0]) / 2 == d.portIndex);
            (d.kind == PortForwardCodec::Decoded::Kind::Data ? run.data : run.errors)[d.portIndex] += d.payload;
            break;
        case PortForwardCodec::Decoded::Kind::Invalid:
            check(!d.error.isEmpty());
            run.invalid = true;
            break;
        case PortForwardCodec::Decoded::Kind::Ignored:
            check(!m.isEmpty() && uchar(m[0]) >= 2 * ports.size());
            break;
        }
    };
    for (const QByteArray &m : messages) {
        if (run.invalid)
            break;
        if (bytewise && m.size() > 1) {
            for (qsizetype i = 1; i < m.size() && !run.invalid; ++i)
                handle(QByteArray(m.left(1) + m.mid(i, 1)));
        } else {
            handle(m);
        }
    }
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    QList<quint16> ports = {quint16(data[1] | (data[2] << 8))};
    if (data[0] & 1)
        ports.append(quint16(data[3] | (data[4] << 8)));
    QList<QByteArray> messages;
    size_t pos = 5;
    while (pos < size) {
        const size_t length = std::min<size_t>(data[pos], size - pos - 1);
        QByteArray m(reinterpret_cast<const char *>(data + pos + 1), qsizetype(length));
        if (!m.isEmpty() && (data[0] & 2))
            m[0] = char(uchar(m[0]) % 5); // mostly requested channels
        messages.append(m);
        pos += 1 + length;
    }
    const Run whole = decodeAll(ports, messages, false);
    const Run pieces = decodeAll(ports, messages, true);
    check(whole.invalid == pieces.invalid);
    if (!whole.invalid) {
        for (int i = 0; i < 2; ++i)
            check(whole.data[i] == pieces.data[i] && whole.errors[i] == pieces.errors[i]);
    }
    // Client framing.
    const PortForwardCodec codec(ports);
    const QByteArray payload = messages.isEmpty() ? QByteArray() : messages.first();
    const QByteArray out = codec.encodeData(int(ports.size()) - 1, payload);
    check(uchar(out[0]) == 2 * (ports.size() - 1) && out.mid(1) == payload);
    return 0;
}
