#include "terminal_utf8.h"

#include <QChar>

namespace TerminalUtf8 {

int combiningMarkLength(const unsigned char *p, const unsigned char *end)
{
    if (p >= end || *p < 0xc0 || *p >= 0xf8)
        return 0;
    const int length = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
    if (end - p < length)
        return 0;
    char32_t cp = *p & (0x7f >> length);
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xc0) != 0x80)
            return 0; // not a character at all
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    switch (QChar::category(cp)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_Enclosing:
    case QChar::Other_Format:
        return length;
    default:
        return (cp >= 0x1160 && cp <= 0x11ff) || cp == 0x200b ? length : 0;
    }
}

qsizetype badSequenceLength(const unsigned char *p, const unsigned char *end)
{
    if (*p < 0xc0)
        return 0;
    if (*p >= 0xf8)
        return 1;
    if (*p == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] < 0xa0)
        return 2;
    const int needed = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
    int have = 0;
    while (have < needed && p + 1 + have < end && (p[1 + have] & 0xc0) == 0x80)
        ++have;
    return have == needed ? 0 : 1 + have;
}

} // namespace TerminalUtf8
