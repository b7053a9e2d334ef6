#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

/// The framing of Kubernetes port-forward over WebSocket, `v4.channel.k8s.io` dialect
/// (protocols.md 4.5, E10). Pure: no QObject, no I/O.
///
/// For the i-th requested port, channel 2i carries data both ways and channel 2i+1 carries the
/// server's error text. The first bytes the server sends on each of the two channels are the port
/// number, 2 bytes little-endian (8080 → `90 1f`); they are checked and stripped. The prefix is
/// normally its own message but may be split over several, or followed by data in the same
/// message: both are handled. Client data is `2i` + bytes.
class PortForwardCodec
{
public:
    explicit PortForwardCodec(const QList<quint16> &ports = {});

    struct Decoded
    {
        enum class Kind {
            Data,      ///< bytes from the pod's port (payload; may be empty after a prefix)
            Error,     ///< text on the port's error channel (payload)
            Ignored,   ///< a channel of no requested port
            Invalid,   ///< empty message, or the prefix names another port (error)
        };
        Kind kind = Kind::Ignored;
        int portIndex = -1;
        QByteArray payload;
        QString error;
    };
    Decoded decode(QByteArrayView message);

    /// `2i` + bytes: one client message for port i.
    QByteArray encodeData(int portIndex, QByteArrayView bytes) const;

    int portCount() const { return int(m_ports.size()); }
    /// True when both prefixes of port i have been consumed.
    bool isAcknowledged(int portIndex) const;

private:
    struct ChannelState
    {
        quint16 port = 0;
        int prefixSeen = 0;     ///< 0..2 bytes of the port prefix consumed
        quint16 prefixValue = 0;
    };
    QList<quint16> m_ports;
    QList<ChannelState> m_channels; ///< 2 per port
};
