#include "port_forward_codec.h"

PortForwardCodec::PortForwardCodec(const QList<quint16> &ports)
    : m_ports(ports)
{
    for (quint16 port : ports) {
        m_channels.append({port, 0, 0});
        m_channels.append({port, 0, 0});
    }
}

bool PortForwardCodec::isAcknowledged(int portIndex) const
{
    if (portIndex < 0 || portIndex >= portCount())
        return false;
    return m_channels.at(2 * portIndex).prefixSeen == 2 && m_channels.at(2 * portIndex + 1).prefixSeen == 2;
}

PortForwardCodec::Decoded PortForwardCodec::decode(QByteArrayView message)
{
    Decoded out;
    if (message.isEmpty()) {
        out.kind = Decoded::Kind::Invalid;
        out.error = QStringLiteral("empty message (no channel)");
        return out;
    }
    const int channel = uchar(message.front());
    if (channel >= m_channels.size())
        return out; // Ignored
    out.portIndex = channel / 2;
    QByteArrayView rest = message.sliced(1);
    ChannelState &state = m_channels[channel];
    while (state.prefixSeen < 2 && !rest.isEmpty()) {
        state.prefixValue |= quint16(quint16(uchar(rest.front())) << (8 * state.prefixSeen));
        ++state.prefixSeen;
        rest = rest.sliced(1);
        if (state.prefixSeen == 2 && state.prefixValue != state.port) {
            out.kind = Decoded::Kind::Invalid;
            out.error = QStringLiteral("channel %1 announced port %2, expected %3")
                            .arg(channel).arg(state.prefixValue).arg(state.port);
            return out;
        }
    }
    out.kind = channel % 2 == 0 ? Decoded::Kind::Data : Decoded::Kind::Error;
    out.payload = rest.toByteArray();
    return out;
}

QByteArray PortForwardCodec::encodeData(int portIndex, QByteArrayView bytes) const
{
    QByteArray out;
    out.reserve(1 + bytes.size());
    out.append(char(2 * portIndex));
    out.append(bytes.data(), bytes.size());
    return out;
}
