#include "dashboard_document.h"

#include "http_headers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringDecoder>

namespace {

QString storageName(DashboardHeader::Storage storage)
{
    return storage == DashboardHeader::Storage::Keyring ? QStringLiteral("keyring") : QStringLiteral("prompt");
}

bool isUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    return !decoder.hasError();
}

QJsonObject headerObject(const DashboardHeader &header)
{
    QJsonObject object{{QStringLiteral("name"), QString::fromLatin1(header.name)}};
    if (header.secret) {
        object.insert(QStringLiteral("secret"), true);
        object.insert(QStringLiteral("valueIn"),
                      storageName(header.storage == DashboardHeader::Storage::Plain ? DashboardHeader::Storage::Prompt
                                                                                    : header.storage));
    } else {
        object.insert(QStringLiteral("value"), QString::fromUtf8(header.value));
    }
    return object;
}

QJsonObject sourceObject(const DashboardSource &source)
{
    QJsonObject object{{QStringLiteral("url"), source.url}};
    if (!source.name.isEmpty())
        object.insert(QStringLiteral("name"), source.name);
    if (!source.transportId.isEmpty())
        object.insert(QStringLiteral("transport"), source.transportId);
    QJsonArray headers;
    for (const DashboardHeader &header : source.headers)
        headers.append(headerObject(header));
    object.insert(QStringLiteral("headers"), headers);
    if (source.body) {
        if (isUtf8(*source.body))
            object.insert(QStringLiteral("body"), QString::fromUtf8(*source.body));
        else
            object.insert(QStringLiteral("bodyBase64"), QString::fromLatin1(source.body->toBase64()));
    }
    object.insert(QStringLiteral("insecureTls"), source.insecureTls);
    object.insert(QStringLiteral("reconnect"), source.reconnect);
    object.insert(QStringLiteral("detectStalls"), source.detectStalls);
    object.insert(QStringLiteral("paused"), source.paused);
    object.insert(QStringLiteral("connectTimeoutMs"), source.connectTimeoutMs);
    object.insert(QStringLiteral("idleTimeoutMs"), source.idleTimeoutMs);
    object.insert(QStringLiteral("pingIntervalMs"), source.pingIntervalMs);
    object.insert(QStringLiteral("subprotocols"), QJsonArray::fromStringList(source.subprotocols));
    QJsonArray codes;
    for (int code : source.finalCloseCodes)
        codes.append(code);
    object.insert(QStringLiteral("finalCloseCodes"), codes);
    return object;
}

QJsonObject panelObject(const DashboardPanel &panel)
{
    QJsonObject object{{QStringLiteral("kind"), panel.kind},
                       {QStringLiteral("id"), panel.id},
                       {QStringLiteral("title"), panel.title},
                       {QStringLiteral("settings"), panel.settings}};
    if (panel.allSources)
        object.insert(QStringLiteral("sources"), QStringLiteral("all"));
    else
        object.insert(QStringLiteral("sources"), QJsonArray::fromStringList(panel.sources));
    return object;
}

/// Walks the parsed JSON keeping the path of the value looked at, so every content error names it.
class Reader
{
public:
    explicit Reader(DashboardError *error)
        : m_error(error)
    {
    }

    bool fail(const QString &path, const QString &message)
    {
        if (m_error) {
            m_error->where = path;
            m_error->message = message;
        }
        return false;
    }

    bool string(const QJsonObject &object, const QString &path, const QString &key, QString *out, bool required)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() && !required)
            return true;
        if (!value.isString())
            return fail(join(path, key), value.isUndefined() ? QStringLiteral("missing; expected a string")
                                                              : QStringLiteral("expected a string"));
        *out = value.toString();
        return true;
    }

    bool boolean(const QJsonObject &object, const QString &path, const QString &key, bool *out)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return true;
        if (!value.isBool())
            return fail(join(path, key), QStringLiteral("expected true or false"));
        *out = value.toBool();
        return true;
    }

    bool integer(const QJsonObject &object, const QString &path, const QString &key, int *out, int low, int high)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return true;
        const double number = value.toDouble(-1.0);
        if (!value.isDouble() || number != double(qint64(number)) || number < low || number > high)
            return fail(join(path, key), QStringLiteral("expected a whole number from %1 to %2").arg(low).arg(high));
        *out = int(number);
        return true;
    }

    bool stringList(const QJsonObject &object, const QString &path, const QString &key, QStringList *out)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return true;
        if (!value.isArray())
            return fail(join(path, key), QStringLiteral("expected a list of strings"));
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString())
                return fail(QStringLiteral("%1[%2]").arg(join(path, key)).arg(i), QStringLiteral("expected a string"));
            out->append(array.at(i).toString());
        }
        return true;
    }

    bool header(const QJsonValue &value, const QString &path, DashboardHeader *out)
    {
        if (!value.isObject())
            return fail(path, QStringLiteral("expected an object {\"name\", \"value\"}"));
        const QJsonObject object = value.toObject();
        QString name;
        if (!string(object, path, QStringLiteral("name"), &name, true))
            return false;
        if (name.isEmpty() || name.contains(QLatin1Char(':')) || name.contains(QLatin1Char('\n')))
            return fail(join(path, QStringLiteral("name")), QStringLiteral("expected a header name"));
        out->name = name.toLatin1();
        if (!boolean(object, path, QStringLiteral("secret"), &out->secret))
            return false;
        if (out->secret) {
            QString where;
            if (!string(object, path, QStringLiteral("valueIn"), &where, true))
                return false;
            if (where == QLatin1String("keyring"))
                out->storage = DashboardHeader::Storage::Keyring;
            else if (where == QLatin1String("prompt"))
                out->storage = DashboardHeader::Storage::Prompt;
            else
                return fail(join(path, QStringLiteral("valueIn")), QStringLiteral("expected \"keyring\" or \"prompt\""));
            if (object.contains(QStringLiteral("value")))
                return fail(join(path, QStringLiteral("value")),
                            QStringLiteral("a secret header keeps no value in the file"));
            return true;
        }
        QString text;
        if (!string(object, path, QStringLiteral("value"), &text, true))
            return false;
        if (text.contains(QLatin1Char('\r')) || text.contains(QLatin1Char('\n')))
            return fail(join(path, QStringLiteral("value")), QStringLiteral("expected one line"));
        out->value = text.toUtf8();
        return true;
    }

    bool source(const QJsonValue &value, const QString &path, DashboardSource *out)
    {
        if (!value.isObject())
            return fail(path, QStringLiteral("expected an object with a \"url\""));
        const QJsonObject object = value.toObject();
        if (!string(object, path, QStringLiteral("url"), &out->url, true))
            return false;
        if (out->url.trimmed().isEmpty())
            return fail(join(path, QStringLiteral("url")), QStringLiteral("expected a URL or source spec, got an empty string"));
        if (!string(object, path, QStringLiteral("name"), &out->name, false)
            || !string(object, path, QStringLiteral("transport"), &out->transportId, false))
            return false;
        const QJsonValue headers = object.value(QStringLiteral("headers"));
        if (!headers.isUndefined() && !headers.isArray())
            return fail(join(path, QStringLiteral("headers")), QStringLiteral("expected a list of headers"));
        const QJsonArray headerArray = headers.toArray();
        for (qsizetype i = 0; i < headerArray.size(); ++i) {
            DashboardHeader header;
            if (!this->header(headerArray.at(i), QStringLiteral("%1.headers[%2]").arg(path).arg(i), &header))
                return false;
            out->headers.append(header);
        }
        if (object.contains(QStringLiteral("body"))) {
            QString body;
            if (!string(object, path, QStringLiteral("body"), &body, true))
                return false;
            out->body = body.toUtf8();
        } else if (object.contains(QStringLiteral("bodyBase64"))) {
            QString body;
            if (!string(object, path, QStringLiteral("bodyBase64"), &body, true))
                return false;
            const auto decoded = QByteArray::fromBase64Encoding(body.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return fail(join(path, QStringLiteral("bodyBase64")), QStringLiteral("expected base64"));
            out->body = *decoded;
        }
        QStringList codes;
        const bool ok = boolean(object, path, QStringLiteral("insecureTls"), &out->insecureTls)
                        && boolean(object, path, QStringLiteral("reconnect"), &out->reconnect)
                        && boolean(object, path, QStringLiteral("detectStalls"), &out->detectStalls)
                        && boolean(object, path, QStringLiteral("paused"), &out->paused)
                        && integer(object, path, QStringLiteral("connectTimeoutMs"), &out->connectTimeoutMs, 0, 86'400'000)
                        && integer(object, path, QStringLiteral("idleTimeoutMs"), &out->idleTimeoutMs, 0, 86'400'000)
                        && integer(object, path, QStringLiteral("pingIntervalMs"), &out->pingIntervalMs, 0, 86'400'000)
                        && stringList(object, path, QStringLiteral("subprotocols"), &out->subprotocols);
        if (!ok)
            return false;
        const QJsonValue closeCodes = object.value(QStringLiteral("finalCloseCodes"));
        if (!closeCodes.isUndefined() && !closeCodes.isArray())
            return fail(join(path, QStringLiteral("finalCloseCodes")), QStringLiteral("expected a list of close codes"));
        const QJsonArray codeArray = closeCodes.toArray();
        for (qsizetype i = 0; i < codeArray.size(); ++i) {
            const double code = codeArray.at(i).toDouble(-1.0);
            if (code != double(int(code)) || code < 1000 || code > 4999)
                return fail(QStringLiteral("%1.finalCloseCodes[%2]").arg(path).arg(i),
                            QStringLiteral("expected a close code from 1000 to 4999"));
            out->finalCloseCodes.append(int(code));
        }
        return true;
    }

    bool panel(const QJsonValue &value, const QString &path, DashboardPanel *out)
    {
        if (!value.isObject())
            return fail(path, QStringLiteral("expected an object with \"kind\" and \"id\""));
        const QJsonObject object = value.toObject();
        if (!string(object, path, QStringLiteral("kind"), &out->kind, true)
            || !string(object, path, QStringLiteral("id"), &out->id, true)
            || !string(object, path, QStringLiteral("title"), &out->title, false))
            return false;
        if (out->kind.isEmpty() || out->id.isEmpty())
            return fail(join(path, out->kind.isEmpty() ? QStringLiteral("kind") : QStringLiteral("id")),
                        QStringLiteral("expected a non-empty string"));
        const QJsonValue sources = object.value(QStringLiteral("sources"));
        if (sources.isUndefined() || sources == QJsonValue(QStringLiteral("all"))) {
            out->allSources = true;
        } else if (sources.isArray()) {
            out->allSources = false;
            if (!stringList(object, path, QStringLiteral("sources"), &out->sources))
                return false;
        } else {
            return fail(join(path, QStringLiteral("sources")), QStringLiteral("expected \"all\" or a list of source names"));
        }
        const QJsonValue settings = object.value(QStringLiteral("settings"));
        if (!settings.isUndefined() && !settings.isObject())
            return fail(join(path, QStringLiteral("settings")), QStringLiteral("expected an object"));
        out->settings = settings.toObject();
        return true;
    }

    bool base64(const QJsonObject &object, const QString &path, const QString &key, QByteArray *out)
    {
        QString text;
        if (!string(object, path, key, &text, false))
            return false;
        const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(join(path, key), QStringLiteral("expected base64"));
        *out = *decoded;
        return true;
    }

    static QString join(const QString &path, const QString &key) { return path.isEmpty() ? key : path + QLatin1Char('.') + key; }

private:
    DashboardError *m_error;
};

void lineAndColumn(const QByteArray &text, int offset, int *line, int *column)
{
    *line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.size(); ++i) {
        if (text.at(i) == '\n') {
            ++*line;
            lineStart = i + 1;
        }
    }
    *column = offset - lineStart + 1;
}

} // namespace

TransportConfig DashboardSource::toTransportConfig() const
{
    TransportConfig config;
    config.url = QUrl(url);
    config.sourceId = name;
    config.transportId = transportId;
    for (const DashboardHeader &header : headers) {
        config.headers.append({header.name, header.value});
        if (header.secret && !HttpHeaders::isSensitive(header.name))
            config.secretHeaders.append(header.name);
    }
    config.body = body;
    config.insecureTls = insecureTls;
    config.reconnect = reconnect;
    config.detectStalls = detectStalls;
    config.connectTimeoutMs = connectTimeoutMs;
    config.idleTimeoutMs = idleTimeoutMs;
    config.pingIntervalMs = pingIntervalMs;
    config.subprotocols = subprotocols;
    config.finalCloseCodes = finalCloseCodes;
    return config;
}

DashboardSource DashboardSource::fromTransportConfig(const TransportConfig &config, bool paused)
{
    DashboardSource source;
    source.url = config.url.toString();
    source.name = config.sourceId;
    source.transportId = config.transportId;
    for (const auto &[name, value] : config.headers) {
        DashboardHeader header;
        header.name = name;
        header.value = value;
        header.secret = HttpHeaders::isSecret(name, config.secretHeaders);
        header.storage = header.secret ? DashboardHeader::Storage::Prompt : DashboardHeader::Storage::Plain;
        source.headers.append(header);
    }
    source.body = config.body;
    source.insecureTls = config.insecureTls;
    source.reconnect = config.reconnect;
    source.detectStalls = config.detectStalls;
    source.paused = paused;
    source.connectTimeoutMs = config.connectTimeoutMs;
    source.idleTimeoutMs = config.idleTimeoutMs;
    source.pingIntervalMs = config.pingIntervalMs;
    source.subprotocols = config.subprotocols;
    source.finalCloseCodes = config.finalCloseCodes;
    return source;
}

QString DashboardError::toString() const
{
    if (line > 0)
        return QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(message);
    if (!where.isEmpty())
        return QStringLiteral("at %1: %2").arg(where, message);
    return message;
}

namespace DashboardFormat {

QByteArray serialize(const DashboardDocument &document)
{
    QJsonArray sources;
    for (const DashboardSource &source : document.sources)
        sources.append(sourceObject(source));
    QJsonArray panels;
    for (const DashboardPanel &panel : document.panels)
        panels.append(panelObject(panel));
    const QJsonObject layout{{QStringLiteral("state"), QString::fromLatin1(document.windowState.toBase64())},
                             {QStringLiteral("geometry"), QString::fromLatin1(document.windowGeometry.toBase64())}};
    const QJsonObject root{{QStringLiteral("format"), QLatin1String(FormatName)},
                           {QStringLiteral("version"), DashboardDocument::Version},
                           {QStringLiteral("name"), document.name},
                           {QStringLiteral("sources"), sources},
                           {QStringLiteral("panels"), panels},
                           {QStringLiteral("layout"), layout}};
    // QJsonObject keeps its keys sorted, so equal documents give equal bytes.
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<DashboardDocument> parse(const QByteArray &text, DashboardError *error)
{
    DashboardError scratch;
    DashboardError *err = error ? error : &scratch;
    *err = DashboardError{};
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        lineAndColumn(text, parseError.offset, &err->line, &err->column);
        err->message = parseError.errorString() + QStringLiteral(" (expected a JSON dashboard)");
        return std::nullopt;
    }
    Reader reader(err);
    if (!json.isObject()) {
        reader.fail(QString(), QStringLiteral("expected a JSON object at the top level"));
        return std::nullopt;
    }
    const QJsonObject root = json.object();
    if (root.value(QStringLiteral("format")) != QJsonValue(QLatin1String(FormatName))) {
        reader.fail(QStringLiteral("format"), QStringLiteral("expected \"%1\" (not a LiveDash dashboard)").arg(QLatin1String(FormatName)));
        return std::nullopt;
    }
    int version = 0;
    if (!root.contains(QStringLiteral("version"))) {
        reader.fail(QStringLiteral("version"), QStringLiteral("missing; expected %1").arg(DashboardDocument::Version));
        return std::nullopt;
    }
    if (!reader.integer(root, QString(), QStringLiteral("version"), &version, 1, 1'000'000))
        return std::nullopt;
    if (version > DashboardDocument::Version) {
        reader.fail(QStringLiteral("version"), QStringLiteral("version %1 is newer than this LiveDash reads (%2)")
                                                    .arg(version).arg(DashboardDocument::Version));
        return std::nullopt;
    }
    DashboardDocument document;
    if (!reader.string(root, QString(), QStringLiteral("name"), &document.name, false))
        return std::nullopt;
    for (const QString &key : {QStringLiteral("sources"), QStringLiteral("panels")}) {
        const QJsonValue list = root.value(key);
        if (!list.isUndefined() && !list.isArray()) {
            reader.fail(key, QStringLiteral("expected a list"));
            return std::nullopt;
        }
    }
    const QJsonArray sources = root.value(QStringLiteral("sources")).toArray();
    for (qsizetype i = 0; i < sources.size(); ++i) {
        DashboardSource source;
        if (!reader.source(sources.at(i), QStringLiteral("sources[%1]").arg(i), &source))
            return std::nullopt;
        document.sources.append(source);
    }
    const QJsonArray panels = root.value(QStringLiteral("panels")).toArray();
    for (qsizetype i = 0; i < panels.size(); ++i) {
        DashboardPanel panel;
        const QString path = QStringLiteral("panels[%1]").arg(i);
        if (!reader.panel(panels.at(i), path, &panel))
            return std::nullopt;
        for (const DashboardPanel &other : std::as_const(document.panels))
            if (other.id == panel.id) {
                reader.fail(path + QStringLiteral(".id"), QStringLiteral("the id \"%1\" is used twice").arg(panel.id));
                return std::nullopt;
            }
        document.panels.append(panel);
    }
    const QJsonValue layout = root.value(QStringLiteral("layout"));
    if (!layout.isUndefined() && !layout.isObject()) {
        reader.fail(QStringLiteral("layout"), QStringLiteral("expected an object {\"state\", \"geometry\"}"));
        return std::nullopt;
    }
    if (!reader.base64(layout.toObject(), QStringLiteral("layout"), QStringLiteral("state"), &document.windowState)
        || !reader.base64(layout.toObject(), QStringLiteral("layout"), QStringLiteral("geometry"), &document.windowGeometry))
        return std::nullopt;
    return document;
}

} // namespace DashboardFormat
