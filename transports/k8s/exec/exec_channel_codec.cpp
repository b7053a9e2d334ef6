#include "exec_channel_codec.h"

#include "printable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>

std::optional<ExecChannelCodec::Protocol> ExecChannelCodec::protocolFor(QByteArrayView name)
{
    if (name == "v5.channel.k8s.io")
        return Protocol::V5;
    if (name == "v4.channel.k8s.io")
        return Protocol::V4;
    if (name == "v4.base64.channel.k8s.io")
        return Protocol::Base64V4;
    if (name == "channel.k8s.io" || name == "v2.channel.k8s.io" || name.isEmpty())
        return Protocol::V1;
    if (name == "base64.channel.k8s.io")
        return Protocol::Base64V1;
    return std::nullopt;
}

QByteArray ExecChannelCodec::nameOf(Protocol protocol)
{
    switch (protocol) {
    case Protocol::V1: return QByteArrayLiteral("channel.k8s.io");
    case Protocol::Base64V1: return QByteArrayLiteral("base64.channel.k8s.io");
    case Protocol::V4: return QByteArrayLiteral("v4.channel.k8s.io");
    case Protocol::Base64V4: return QByteArrayLiteral("v4.base64.channel.k8s.io");
    case Protocol::V5: return QByteArrayLiteral("v5.channel.k8s.io");
    }
    return {};
}

ExecChannelCodec::Decoded ExecChannelCodec::decode(QByteArrayView message, bool binary)
{
    Decoded out;
    if (message.isEmpty()) {
        out.kind = Decoded::Kind::Invalid;
        out.error = QStringLiteral("empty message (no channel)");
        return out;
    }
    if (isBase64()) {
        const char digit = message.front();
        if (binary || digit < '0' || digit > '9') {
            out.kind = Decoded::Kind::Invalid;
            out.error = binary ? QStringLiteral("binary message under a base64 protocol")
                               : QStringLiteral("channel character 0x%1 is not a digit")
                                     .arg(uchar(digit), 2, 16, QLatin1Char('0'));
            return out;
        }
        out.channel = digit - '0';
        const auto result = QByteArray::fromBase64Encoding(message.sliced(1).toByteArray(),
                                                           QByteArray::AbortOnBase64DecodingErrors);
        if (!result) {
            out.kind = Decoded::Kind::Invalid;
            out.error = QStringLiteral("channel %1: payload is not base64").arg(out.channel);
            return out;
        }
        out.payload = *result;
    } else {
        out.channel = uchar(message.front());
        out.payload = message.sliced(1).toByteArray();
    }
    if (out.channel != StdoutChannel && out.channel != StderrChannel && out.channel != ErrorChannel) {
        out.kind = Decoded::Kind::Ignored; // E9: stdin/resize echo, CLOSE or an unknown channel
        return out;
    }
    if (!m_connected) {
        m_connected = true;
        if (out.payload.isEmpty()) {
            out.kind = Decoded::Kind::Connected;
            return out;
        }
    }
    out.kind = Decoded::Kind::Data;
    return out;
}

ExecChannelCodec::Outgoing ExecChannelCodec::encode(int channel, QByteArrayView payload) const
{
    Outgoing out;
    if (isBase64()) {
        out.binary = false;
        out.bytes.reserve(1 + (payload.size() + 2) / 3 * 4);
        out.bytes.append(char('0' + channel));
        out.bytes.append(payload.toByteArray().toBase64());
    } else {
        out.bytes.reserve(1 + payload.size());
        out.bytes.append(char(channel));
        out.bytes.append(payload.data(), payload.size());
    }
    return out;
}

ExecChannelCodec::Outgoing ExecChannelCodec::encodeStdin(QByteArrayView bytes) const
{
    return encode(StdinChannel, bytes);
}

ExecChannelCodec::Outgoing ExecChannelCodec::encodeResize(int columns, int rows) const
{
    const int w = std::clamp(columns, 0, 65535);
    const int h = std::clamp(rows, 0, 65535);
    const QByteArray json = "{\"Width\":" + QByteArray::number(w) + ",\"Height\":" + QByteArray::number(h) + '}';
    return encode(ResizeChannel, json);
}

std::optional<ExecChannelCodec::Outgoing> ExecChannelCodec::encodeCloseStdin() const
{
    if (!canCloseInput())
        return std::nullopt;
    return Outgoing{QByteArray("\xff\x00", 2), true};
}

ExecStatus ExecChannelCodec::decodeStatus(QByteArrayView payload, Protocol protocol)
{
    ExecStatus status;
    if (protocol == Protocol::V1 || protocol == Protocol::Base64V1) {
        // channel.k8s.io: the error stream is plain text; nothing written means success.
        const QString text = Printable::fromWire(payload.toByteArray().trimmed());
        if (text.isEmpty()) {
            status.kind = ExecStatus::Kind::Success;
            status.exitCode = 0;
        } else {
            status.kind = ExecStatus::Kind::Failure;
            status.message = text;
        }
        return status;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toByteArray(), &parseError);
    const QJsonObject object = doc.object();
    if (parseError.error != QJsonParseError::NoError || !doc.isObject() || !object.value(u"status").isString()) {
        status.kind = ExecStatus::Kind::ProtocolError;
        status.message = parseError.error != QJsonParseError::NoError
                             ? QStringLiteral("the exec status is not JSON (%1 at byte %2)")
                                   .arg(parseError.errorString()).arg(parseError.offset)
                             : QStringLiteral("the exec status is not a Status object (no \"status\")");
        return status;
    }
    const QString result = object.value(u"status").toString();
    status.reason = Printable::escaped(object.value(u"reason").toString());
    status.message = Printable::escaped(object.value(u"message").toString());
    if (result == u"Success") {
        status.kind = ExecStatus::Kind::Success;
        status.exitCode = 0;
        return status;
    }
    status.kind = ExecStatus::Kind::Failure;
    if (result != u"Failure") {
        status.message = QStringLiteral("unexpected exec status '%1'%2")
                             .arg(Printable::escaped(result),
                                  status.message.isEmpty() ? QString() : QStringLiteral(": ") + status.message);
        return status;
    }
    if (status.reason == u"NonZeroExitCode") {
        const QJsonArray causes = object.value(u"details").toObject().value(u"causes").toArray();
        for (const QJsonValue &cause : causes) {
            const QJsonObject c = cause.toObject();
            if (c.value(u"reason").toString() != u"ExitCode")
                continue;
            bool ok = false;
            const int code = c.value(u"message").toString().trimmed().toInt(&ok);
            if (ok && code >= 0 && code <= 255) {
                status.kind = ExecStatus::Kind::ExitCode;
                status.exitCode = code;
            }
            break;
        }
    }
    if (status.message.isEmpty())
        status.message = status.reason.isEmpty() ? QStringLiteral("the command failed (no message)") : status.reason;
    return status;
}
