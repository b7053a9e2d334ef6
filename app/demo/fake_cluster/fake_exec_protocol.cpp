#include "fake_exec_protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace FakeExecProtocol {

namespace {

const QString BearerPrefix = QStringLiteral("base64url.bearer.authorization.k8s.io.");

} // namespace

QStringList execProtocols()
{
    return {QStringLiteral("v5.channel.k8s.io"), QStringLiteral("v4.channel.k8s.io"),
            QStringLiteral("v4.base64.channel.k8s.io"), QStringLiteral("channel.k8s.io"),
            QStringLiteral("base64.channel.k8s.io"), QString()};
}

QStringList portForwardProtocols()
{
    return {QStringLiteral("v4.channel.k8s.io"), QStringLiteral("v4.base64.channel.k8s.io"), QString()};
}

std::optional<Dialect> dialectOf(const QString &subprotocol)
{
    if (subprotocol.isEmpty() || subprotocol == QLatin1String("channel.k8s.io")
        || subprotocol == QLatin1String("v2.channel.k8s.io"))
        return Dialect::Channel;
    if (subprotocol == QLatin1String("base64.channel.k8s.io"))
        return Dialect::Base64;
    if (subprotocol == QLatin1String("v4.channel.k8s.io"))
        return Dialect::V4;
    if (subprotocol == QLatin1String("v4.base64.channel.k8s.io"))
        return Dialect::V4Base64;
    if (subprotocol == QLatin1String("v5.channel.k8s.io"))
        return Dialect::V5;
    return std::nullopt;
}

QStringList offeredProtocols(QByteArrayView headerValue)
{
    QStringList out;
    for (const QByteArray &part : headerValue.toByteArray().split(',')) {
        const QByteArray trimmed = part.trimmed();
        if (!trimmed.isEmpty())
            out.append(QString::fromLatin1(trimmed));
    }
    return out;
}

std::optional<QString> choose(const QStringList &offered, const QStringList &supported)
{
    QStringList real;
    for (const QString &name : offered) {
        if (!name.startsWith(BearerPrefix))
            real.append(name);
    }
    if (real.isEmpty()) {
        if (supported.contains(QString()))
            return QString();
        return std::nullopt;
    }
    for (const QString &name : supported) {
        if (!name.isEmpty() && real.contains(name))
            return name;
    }
    return std::nullopt;
}

QByteArray bearerTokenFromProtocols(const QStringList &offered)
{
    for (const QString &name : offered) {
        if (name.startsWith(BearerPrefix)) {
            const auto decoded = QByteArray::fromBase64Encoding(name.mid(BearerPrefix.size()).toLatin1(),
                                                                QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                                                                    | QByteArray::AbortOnBase64DecodingErrors);
            if (decoded)
                return *decoded;
        }
    }
    return {};
}

QByteArray encode(Dialect dialect, quint8 channel, QByteArrayView payload)
{
    QByteArray out;
    if (isBase64(dialect)) {
        out.append(char('0' + channel));
        out.append(payload.toByteArray().toBase64());
    } else {
        out.reserve(payload.size() + 1);
        out.append(char(channel));
        out.append(payload);
    }
    return out;
}

bool decode(Dialect dialect, QByteArrayView message, quint8 *channel, QByteArray *payload)
{
    if (message.isEmpty())
        return false;
    if (!isBase64(dialect)) {
        *channel = quint8(message.front());
        *payload = message.sliced(1).toByteArray();
        return true;
    }
    const char c = message.front();
    if (c < '0' || c > '9')
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(message.sliced(1).toByteArray(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    *channel = quint8(c - '0');
    *payload = *decoded;
    return true;
}

std::optional<Size> parseResize(QByteArrayView json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonValue width = doc.object().value(QLatin1String("Width"));
    const QJsonValue height = doc.object().value(QLatin1String("Height"));
    if (!width.isDouble() || !height.isDouble())
        return std::nullopt;
    const double w = width.toDouble();
    const double h = height.toDouble();
    if (w < 1 || h < 1 || w > 65535 || h > 65535 || w != int(w) || h != int(h))
        return std::nullopt;
    return Size{int(w), int(h)};
}

QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // strip [ ]
}

QByteArray successStatus()
{
    return QByteArrayLiteral("{\"metadata\":{},\"status\":\"Success\"}");
}

QByteArray exitCodeStatus(int exitCode, const QStringList &argv)
{
    const QString message = QStringLiteral("command terminated with non-zero exit code: error executing command [%1], exit code %2")
                                .arg(argv.join(QLatin1Char(' ')))
                                .arg(exitCode);
    return "{\"metadata\":{},\"status\":\"Failure\",\"message\":" + jsonString(message)
        + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
        + QByteArray::number(exitCode) + "\"}]}}";
}

QByteArray failureStatus(const QString &message, const QString &reason, int code, bool withCause)
{
    QByteArray out = "{\"metadata\":{},\"status\":\"Failure\",\"message\":" + jsonString(message) + ",\"reason\":"
        + jsonString(reason);
    if (withCause)
        out += ",\"details\":{\"causes\":[{\"message\":" + jsonString(message) + "}]}";
    out += ",\"code\":" + QByteArray::number(code) + '}';
    return out;
}

QByteArray plainErrorText(const QByteArray &statusJson)
{
    const QJsonObject object = QJsonDocument::fromJson(statusJson).object();
    if (object.value(QLatin1String("status")).toString() == QLatin1String("Success"))
        return {};
    return object.value(QLatin1String("message")).toString().toUtf8();
}

} // namespace FakeExecProtocol
