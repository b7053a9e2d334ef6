#include "log_line.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace {

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

struct Civil
{
    qint64 year;
    unsigned month;
    unsigned day;
};

/// Inverse of daysFromCivil (civil_from_days).
constexpr Civil civilFromDays(qint64 z)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Civil{qint64(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool isLeap(qint64 y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned daysInMonth(qint64 y, unsigned m)
{
    constexpr std::array<unsigned, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

/// Reads `n` ASCII digits at p; false if any is not a digit.
inline bool digits(const char *p, int n, unsigned &value)
{
    unsigned v = 0;
    for (int i = 0; i < n; ++i) {
        const unsigned c = unsigned(static_cast<unsigned char>(p[i])) - '0';
        if (c > 9)
            return false;
        v = v * 10 + c;
    }
    value = v;
    return true;
}

/// "YYYY-MM-DDTHH:MM:SS" into buf (19 chars), UTC.
void formatSeconds(qint64 seconds, char *buf)
{
    const qint64 days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const auto secOfDay = unsigned(seconds - days * 86400);
    const Civil c = civilFromDays(days);
    const auto put = [](char *p, unsigned v, int n) {
        for (int i = n - 1; i >= 0; --i) {
            p[i] = char('0' + v % 10);
            v /= 10;
        }
    };
    put(buf, unsigned(c.year < 0 ? 0 : c.year % 10000), 4);
    buf[4] = '-';
    put(buf + 5, c.month, 2);
    buf[7] = '-';
    put(buf + 8, c.day, 2);
    buf[10] = 'T';
    put(buf + 11, secOfDay / 3600, 2);
    buf[13] = ':';
    put(buf + 14, secOfDay / 60 % 60, 2);
    buf[16] = ':';
    put(buf + 17, secOfDay % 60, 2);
}

/// A slice of `whole` from `offset` to its end, sharing its data (no copy). A tail slice keeps
/// the buffer's NUL terminator, so it is an ordinary QByteArray to every consumer.
QByteArray sharedTail(const QByteArray &whole, qsizetype offset)
{
    if (offset >= whole.size())
        return QByteArray();
    QByteArray tail = whole; // one more reference to the same buffer
    QByteArray::DataPointer &d = tail.data_ptr();
    d.ptr += offset;
    d.size -= offset;
    return tail;
}

} // namespace

std::optional<KubeTimestamp> KubeTimestamp::parse(QByteArrayView text)
{
    const char *p = text.data();
    const qsizetype n = text.size();
    if (n < 20)
        return std::nullopt;
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(p, 4, year) || p[4] != '-' || !digits(p + 5, 2, month) || p[7] != '-'
        || !digits(p + 8, 2, day) || (p[10] != 'T' && p[10] != 't' && p[10] != ' ')
        || !digits(p + 11, 2, hour) || p[13] != ':' || !digits(p + 14, 2, minute) || p[16] != ':'
        || !digits(p + 17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23
        || minute > 59 || second > 59)
        return std::nullopt;
    qsizetype i = 19;
    qint32 nanos = 0;
    if (p[i] == '.') {
        ++i;
        int count = 0;
        while (i < n && unsigned(static_cast<unsigned char>(p[i])) - '0' <= 9) {
            if (++count > 9)
                return std::nullopt;
            nanos = nanos * 10 + (p[i] - '0');
            ++i;
        }
        for (int pad = count; pad < 9; ++pad)
            nanos *= 10;
    }
    if (i >= n)
        return std::nullopt;
    qint64 offsetSeconds = 0;
    if (p[i] == 'Z' || p[i] == 'z') {
        ++i;
    } else if (p[i] == '+' || p[i] == '-') {
        unsigned oh = 0, om = 0;
        if (n - i < 6 || !digits(p + i + 1, 2, oh) || p[i + 3] != ':' || !digits(p + i + 4, 2, om)
            || oh > 23 || om > 59)
            return std::nullopt;
        offsetSeconds = qint64(oh) * 3600 + qint64(om) * 60;
        if (p[i] == '-')
            offsetSeconds = -offsetSeconds;
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != n)
        return std::nullopt;
    const qint64 days = daysFromCivil(year, month, day);
    const qint64 seconds = days * 86400 + qint64(hour) * 3600 + qint64(minute) * 60 + second
                           - offsetSeconds;
    return KubeTimestamp{seconds, nanos};
}

QString KubeTimestamp::toRfc3339Ms() const
{
    char buf[24];
    formatSeconds(seconds, buf);
    const int ms = nanos / 1'000'000;
    buf[19] = '.';
    buf[20] = char('0' + ms / 100);
    buf[21] = char('0' + ms / 10 % 10);
    buf[22] = char('0' + ms % 10);
    buf[23] = 'Z';
    return QString::fromLatin1(buf, 24);
}

QByteArray KubeTimestamp::toRfc3339Nanos() const
{
    QByteArray out(30, Qt::Uninitialized);
    char *buf = out.data();
    formatSeconds(seconds, buf);
    buf[19] = '.';
    unsigned v = unsigned(nanos);
    for (int i = 28; i >= 20; --i) {
        buf[i] = char('0' + v % 10);
        v /= 10;
    }
    buf[29] = 'Z';
    return out;
}

QString KubeTimestamp::toSinceTime() const
{
    char buf[20];
    formatSeconds(seconds, buf);
    buf[19] = 'Z';
    return QString::fromLatin1(buf, 20);
}

KubeLogLine LogLineParser::split(const QByteArray &line, KubeTimestamp inherited)
{
    // The timestamp ends at the first space; a line with a timestamp and no text has none.
    // The longest valid prefix is 35 bytes ("...T15:04:05.123456789+00:00"): look no further.
    constexpr qsizetype MaxPrefix = 40;
    const auto *data = line.constData();
    const auto *hit = static_cast<const char *>(
        std::memchr(data, ' ', size_t(std::min(line.size(), MaxPrefix + 1))));
    const qsizetype space = hit == nullptr ? -1 : hit - data;
    const qsizetype end = space < 0 ? line.size() : space;
    if (end <= MaxPrefix) {
        if (const auto ts = KubeTimestamp::parse(QByteArrayView(line.constData(), end)))
            return KubeLogLine{*ts, sharedTail(line, space < 0 ? end : space + 1), true};
    }
    return KubeLogLine{inherited, line, false};
}
