#include "log_level.h"

#include "stream_event.h"

#include <cstring>

namespace {

constexpr qsizetype JsonScanBytes = 512;
constexpr qsizetype TextScanBytes = 128;

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

/// Upper, lower or title case only: "Error" and "ERROR" name a level, "eRRoR" is noise.
bool isConsistentCase(QByteArrayView word)
{
    bool allUpper = true;
    bool restLower = true;
    for (qsizetype i = 0; i < word.size(); ++i) {
        const char c = word[i];
        allUpper = allUpper && !(c >= 'a' && c <= 'z');
        if (i > 0)
            restLower = restLower && !(c >= 'A' && c <= 'Z');
    }
    return allUpper || restLower;
}

LogLevel jsonLevel(QByteArrayView text)
{
    static constexpr const char *Keys[] = {"\"level\"", "\"severity\"", "\"lvl\"", "\"loglevel\""};
    for (const char *key : Keys) {
        const qsizetype at = text.indexOf(QByteArrayView(key));
        if (at < 0)
            continue;
        qsizetype i = at + qsizetype(std::strlen(key));
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
            ++i;
        if (i >= text.size() || text[i] != ':')
            continue;
        ++i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
            ++i;
        if (i >= text.size() || text[i] != '"')
            continue;
        const qsizetype start = ++i;
        while (i < text.size() && text[i] != '"')
            ++i;
        return logLevelFromWord(text.sliced(start, i - start));
    }
    return LogLevel::None;
}

LogLevel textLevel(QByteArrayView text)
{
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && !isWordChar(text[i]))
            ++i;
        const qsizetype start = i;
        while (i < text.size() && isWordChar(text[i]))
            ++i;
        if (i == start)
            break;
        if (i == text.size() && text.size() == TextScanBytes)
            break; // the word may go on past the scanned prefix
        const QByteArrayView word = text.sliced(start, i - start);
        if (word.size() >= 3 && word.size() <= 8 && isConsistentCase(word)) {
            const LogLevel level = logLevelFromWord(word);
            if (level != LogLevel::None)
                return level;
        }
    }
    return LogLevel::None;
}

} // namespace

LogLevel logLevelFromWord(QByteArrayView word)
{
    if (word.size() > 8)
        return LogLevel::None;
    char buf[9] = {};
    for (qsizetype i = 0; i < word.size(); ++i)
        buf[i] = lower(word[i]);
    const QByteArrayView w(buf, word.size());
    if (w == "error" || w == "err" || w == "eror")
        return LogLevel::Error;
    if (w == "fatal" || w == "panic" || w == "crit" || w == "critical" || w == "emerg" || w == "alert")
        return LogLevel::Fatal;
    if (w == "warn" || w == "warning")
        return LogLevel::Warn;
    if (w == "info" || w == "notice")
        return LogLevel::Info;
    if (w == "debug" || w == "dbg")
        return LogLevel::Debug;
    if (w == "trace")
        return LogLevel::Trace;
    return LogLevel::None;
}

LogLevel detectLogLevel(QByteArrayView payload)
{
    qsizetype i = 0;
    while (i < payload.size() && (payload[i] == ' ' || payload[i] == '\t'))
        ++i;
    if (i < payload.size() && payload[i] == '{')
        return jsonLevel(payload.sliced(i).first(std::min(payload.size() - i, JsonScanBytes)));
    return textLevel(payload.first(std::min(payload.size(), TextScanBytes)));
}

LogLevel logLevelOf(const StreamEvent &event)
{
    switch (event.kind) {
    case StreamEvent::Kind::Error:
        return LogLevel::Error;
    case StreamEvent::Kind::Gap:
    case StreamEvent::Kind::Sent:
        return LogLevel::None;
    case StreamEvent::Kind::Data:
        break;
    }
    if (event.type == "binary")
        return LogLevel::None;
    return detectLogLevel(event.payload);
}
