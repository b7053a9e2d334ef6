#include "asciicast_reader.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <string>
#include <string_view>

struct AsciicastReader::Json
{
    simdjson::dom::parser parser;
    std::string scratch; // the line plus SIMDJSON_PADDING zero bytes

    simdjson::simdjson_result<simdjson::dom::element> parse(QByteArrayView line)
    {
        scratch.assign(line.data(), static_cast<size_t>(line.size()));
        scratch.append(simdjson::SIMDJSON_PADDING, '\0');
        return parser.parse(scratch.data(), static_cast<size_t>(line.size()), false);
    }
};

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr char Bom[] = "\xEF\xBB\xBF";
constexpr qsizetype BomSize = 3;

QString typeName(const element &value)
{
    switch (value.type()) {
    case element_type::ARRAY: return QStringLiteral("an array");
    case element_type::OBJECT: return QStringLiteral("an object");
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return QStringLiteral("a number");
    case element_type::STRING: return QStringLiteral("a string");
    case element_type::BOOL: return QStringLiteral("a boolean");
    case element_type::NULL_VALUE: return QStringLiteral("null");
    }
    return QStringLiteral("something else");
}

QString quoted(std::string_view text)
{
    constexpr size_t MaxShown = 40;
    QString shown = QString::fromUtf8(text.data(), static_cast<qsizetype>(std::min(text.size(), MaxShown)));
    if (text.size() > MaxShown)
        shown += QStringLiteral("...");
    return u'"' + shown + u'"';
}

QByteArray toBytes(std::string_view text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

bool isBlank(QByteArrayView line)
{
    for (const char c : line)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

QByteArrayView withoutCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

/// "120x40" → {120, 40}; false unless both are integers in 1..max.
bool parseSize(std::string_view text, int max, int &columns, int &rows)
{
    const size_t x = text.find('x');
    if (x == std::string_view::npos)
        return false;
    auto number = [max](std::string_view digits, int &value) {
        if (digits.empty() || digits.size() > 6)
            return false;
        int v = 0;
        for (const char c : digits) {
            if (c < '0' || c > '9')
                return false;
            v = v * 10 + (c - '0');
        }
        if (v < 1 || v > max)
            return false;
        value = v;
        return true;
    };
    return number(text.substr(0, x), columns) && number(text.substr(x + 1), rows);
}

} // namespace

AsciicastReader::AsciicastReader(qsizetype maxLineBytes)
    : m_maxLineBytes(std::max<qsizetype>(maxLineBytes, 16)), m_json(std::make_unique<Json>())
{
}

AsciicastReader::~AsciicastReader() = default;
AsciicastReader::AsciicastReader(AsciicastReader &&) noexcept = default;
AsciicastReader &AsciicastReader::operator=(AsciicastReader &&) noexcept = default;

QList<AsciicastEvent> AsciicastReader::readAll(QByteArrayView content, AsciicastReader &reader)
{
    QList<AsciicastEvent> events;
    reader.feed(content, events);
    reader.finish(events);
    return events;
}

void AsciicastReader::addIssue(const QString &what)
{
    ++m_issueCount;
    if (m_issues.size() < MaxKeptIssues)
        m_issues.append({m_lineNumber, QStringLiteral("line %1: %2").arg(m_lineNumber).arg(what)});
}

void AsciicastReader::fail(const QString &what)
{
    addIssue(what);
    m_failed = true;
    m_line.clear();
    m_probe.clear();
}

void AsciicastReader::feed(QByteArrayView chunk, QList<AsciicastEvent> &out)
{
    if (m_failed || chunk.isEmpty())
        return;
    switch (m_format) {
    case Format::Raw:
        out.append({0.0, AsciicastEvent::Type::Output, chunk.toByteArray(), 0, 0});
        return;
    case Format::Asciicast:
        feedLines(chunk, out);
        return;
    case Format::Undecided:
        m_probe.append(chunk);
        probe(out, false);
        return;
    }
}

void AsciicastReader::finish(QList<AsciicastEvent> &out)
{
    if (m_failed)
        return;
    if (m_format == Format::Undecided) {
        probe(out, true);
        if (m_format == Format::Undecided) // empty input
            m_format = Format::Raw;
    }
    if (m_format != Format::Asciicast)
        return;
    if (!m_skippingLine && !m_line.isEmpty()) {
        const QByteArray line = std::exchange(m_line, {});
        handleLine(line, out);
    }
    m_skippingLine = false;
}

void AsciicastReader::probe(QList<AsciicastEvent> &out, bool atEnd)
{
    qsizetype start = 0;
    const qsizetype bomPrefix = std::min(m_probe.size(), BomSize);
    if (std::memcmp(m_probe.constData(), Bom, static_cast<size_t>(bomPrefix)) == 0) {
        if (bomPrefix < BomSize && !atEnd)
            return; // maybe a BOM, not yet complete
        start = bomPrefix == BomSize ? BomSize : 0;
    }
    auto becomeRaw = [&] {
        m_format = Format::Raw;
        if (!m_probe.isEmpty())
            out.append({0.0, AsciicastEvent::Type::Output, std::exchange(m_probe, {}), 0, 0});
    };
    if (m_probe.size() <= start) {
        if (atEnd)
            becomeRaw();
        return;
    }
    if (m_probe.at(start) != '{') {
        becomeRaw();
        return;
    }
    qsizetype newline = m_probe.indexOf('\n', start);
    if (newline < 0) {
        if (m_probe.size() - start > MaxHeaderBytes) {
            becomeRaw();
            return;
        }
        if (!atEnd)
            return;
        newline = m_probe.size();
    }
    if (newline - start > MaxHeaderBytes) {
        becomeRaw();
        return;
    }
    const QByteArrayView headerLine = withoutCr(QByteArrayView(m_probe).sliced(start, newline - start));
    switch (parseHeader(headerLine)) {
    case HeaderVerdict::NotAsciicast:
        becomeRaw();
        return;
    case HeaderVerdict::Failed:
        m_format = Format::Asciicast; // an asciicast, but not one we can read
        return;
    case HeaderVerdict::Asciicast:
        break;
    }
    m_format = Format::Asciicast;
    m_lineNumber = 2;
    const QByteArray rest = newline < m_probe.size() ? m_probe.sliced(newline + 1) : QByteArray();
    m_probe.clear();
    if (!rest.isEmpty())
        feedLines(rest, out);
}

AsciicastReader::HeaderVerdict AsciicastReader::parseHeader(QByteArrayView line)
{
    element root;
    if (m_json->parse(line).get(root) != simdjson::SUCCESS || !root.is_object())
        return HeaderVerdict::NotAsciicast;
    element version;
    if (root["version"].get(version) != simdjson::SUCCESS)
        return HeaderVerdict::NotAsciicast;
    int64_t versionNumber = 0;
    if (version.get_int64().get(versionNumber) != simdjson::SUCCESS) {
        fail(QStringLiteral("expected \"version\": 2 in the header, got %1").arg(typeName(version)));
        return HeaderVerdict::Failed;
    }
    if (versionNumber != 2) {
        fail(QStringLiteral("asciicast version %1 is not supported; expected version 2").arg(versionNumber));
        return HeaderVerdict::Failed;
    }
    AsciicastHeader header;
    const struct { const char *key; int *target; } sizes[] = {{"width", &header.width}, {"height", &header.height}};
    for (const auto &size : sizes) {
        element value;
        if (root[size.key].get(value) != simdjson::SUCCESS) {
            fail(QStringLiteral("expected \"%1\" in the header, got nothing").arg(QLatin1StringView(size.key)));
            return HeaderVerdict::Failed;
        }
        int64_t number = 0;
        if (value.get_int64().get(number) != simdjson::SUCCESS || number < 1 || number > MaxDimension) {
            const QString got = value.is_int64() ? QString::number(value.get_int64().value_unsafe()) : typeName(value);
            fail(QStringLiteral("expected \"%1\" to be an integer 1..%2, got %3")
                     .arg(QLatin1StringView(size.key)).arg(MaxDimension).arg(got));
            return HeaderVerdict::Failed;
        }
        *size.target = static_cast<int>(number);
    }
    element value;
    if (root["timestamp"].get(value) == simdjson::SUCCESS && !value.is_null()) {
        double t = 0;
        if (value.get_double().get(t) == simdjson::SUCCESS && std::isfinite(t) && std::abs(t) < 9e18)
            header.timestamp = static_cast<qint64>(t);
        else
            addIssue(QStringLiteral("expected \"timestamp\" to be a number, got %1; ignored").arg(typeName(value)));
    }
    if (root["idle_time_limit"].get(value) == simdjson::SUCCESS && !value.is_null()) {
        double limit = 0;
        if (value.get_double().get(limit) == simdjson::SUCCESS && std::isfinite(limit) && limit > 0)
            header.idleTimeLimit = limit;
        else
            addIssue(QStringLiteral("expected \"idle_time_limit\" to be a positive number, got %1; ignored")
                         .arg(value.is_number() ? QStringLiteral("%1").arg(value.get_double().value_unsafe()) : typeName(value)));
    }
    if (root["title"].get(value) == simdjson::SUCCESS && !value.is_null()) {
        std::string_view title;
        if (value.get_string().get(title) == simdjson::SUCCESS)
            header.title = QString::fromUtf8(title.data(), static_cast<qsizetype>(title.size()));
        else
            addIssue(QStringLiteral("expected \"title\" to be a string, got %1; ignored").arg(typeName(value)));
    }
    if (root["env"].get(value) == simdjson::SUCCESS && !value.is_null()) {
        simdjson::dom::object env;
        if (value.get_object().get(env) == simdjson::SUCCESS) {
            for (const auto field : env) {
                std::string_view text;
                if (field.value.get_string().get(text) == simdjson::SUCCESS)
                    header.env.append({QString::fromUtf8(field.key.data(), static_cast<qsizetype>(field.key.size())),
                                       QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()))});
            }
        } else {
            addIssue(QStringLiteral("expected \"env\" to be an object, got %1; ignored").arg(typeName(value)));
        }
    }
    m_header = header;
    return HeaderVerdict::Asciicast;
}

void AsciicastReader::feedLines(QByteArrayView chunk, QList<AsciicastEvent> &out)
{
    while (!chunk.isEmpty() && !m_failed) {
        const char *nl = static_cast<const char *>(std::memchr(chunk.data(), '\n', static_cast<size_t>(chunk.size())));
        const qsizetype piece = nl ? nl - chunk.data() : chunk.size();
        if (m_skippingLine) {
            // the rest of an over-long line: dropped, never buffered
        } else if (m_line.size() + piece > m_maxLineBytes) {
            addIssue(QStringLiteral("expected a line of at most %1 bytes, got a longer one; skipped").arg(m_maxLineBytes));
            m_line.clear();
            m_skippingLine = true;
        } else if (!nl) {
            m_line.append(chunk);
        } else if (m_line.isEmpty()) {
            handleLine(chunk.first(piece), out);
        } else {
            m_line.append(chunk.first(piece));
            const QByteArray line = std::exchange(m_line, {});
            handleLine(line, out);
        }
        if (!nl)
            return;
        ++m_lineNumber;
        m_skippingLine = false;
        chunk = chunk.sliced(piece + 1);
    }
}

void AsciicastReader::handleLine(QByteArrayView line, QList<AsciicastEvent> &out)
{
    if (isBlank(line))
        return;
    parseEvent(withoutCr(line), out);
}

void AsciicastReader::parseEvent(QByteArrayView line, QList<AsciicastEvent> &out)
{
    element root;
    if (const auto error = m_json->parse(line).get(root); error != simdjson::SUCCESS) {
        addIssue(QStringLiteral("expected an event [time, code, data] in JSON, got invalid JSON (%1); skipped")
                     .arg(QLatin1StringView(simdjson::error_message(error))));
        return;
    }
    simdjson::dom::array items;
    if (root.get_array().get(items) != simdjson::SUCCESS) {
        addIssue(QStringLiteral("expected an event array [time, code, data], got %1; skipped").arg(typeName(root)));
        return;
    }
    if (items.size() != 3) {
        addIssue(QStringLiteral("expected 3 elements [time, code, data], got %1; skipped").arg(items.size()));
        return;
    }
    const element timeValue = items.at(0).value_unsafe();
    const element codeValue = items.at(1).value_unsafe();
    const element dataValue = items.at(2).value_unsafe();
    double time = 0;
    if (timeValue.get_double().get(time) != simdjson::SUCCESS) {
        addIssue(QStringLiteral("expected the event time (a number), got %1; skipped").arg(typeName(timeValue)));
        return;
    }
    if (!std::isfinite(time) || time < 0) {
        addIssue(QStringLiteral("expected the event time to be >= 0, got %1; skipped").arg(time));
        return;
    }
    std::string_view code;
    if (codeValue.get_string().get(code) != simdjson::SUCCESS) {
        addIssue(QStringLiteral("expected the event code \"o\", \"i\", \"r\" or \"m\", got %1; skipped").arg(typeName(codeValue)));
        return;
    }
    AsciicastEvent event;
    if (code == "o")
        event.type = AsciicastEvent::Type::Output;
    else if (code == "i")
        event.type = AsciicastEvent::Type::Input;
    else if (code == "r")
        event.type = AsciicastEvent::Type::Resize;
    else if (code == "m")
        event.type = AsciicastEvent::Type::Marker;
    else {
        addIssue(QStringLiteral("expected the event code \"o\", \"i\", \"r\" or \"m\", got %1; skipped").arg(quoted(code)));
        return;
    }
    std::string_view data;
    if (dataValue.get_string().get(data) != simdjson::SUCCESS) {
        addIssue(QStringLiteral("expected the event data (a string), got %1; skipped").arg(typeName(dataValue)));
        return;
    }
    if (event.type == AsciicastEvent::Type::Resize
        && !parseSize(data, MaxDimension, event.columns, event.rows)) {
        addIssue(QStringLiteral("expected resize data \"COLSxROWS\" (1..%1 each), got %2; skipped")
                     .arg(MaxDimension).arg(quoted(data)));
        return;
    }
    if (time < m_lastTime) {
        addIssue(QStringLiteral("expected a time >= %1 (the previous event's), got %2; raised to %1")
                     .arg(m_lastTime).arg(time));
        time = m_lastTime;
    }
    m_lastTime = time;
    event.time = time;
    if (event.type != AsciicastEvent::Type::Resize)
        event.data = toBytes(data);
    out.append(std::move(event));
}
