#include "utf8.h"

#include <simdjson.h>

namespace {

constexpr char Replacement[] = "\xEF\xBF\xBD";

/// Bounds of the first continuation byte for a lead byte, per the WHATWG UTF-8 decoder
/// (Encoding Standard 4.1); later continuation bytes are always 80..BF.
struct Lead
{
    int needed = 0; ///< continuation bytes still needed; 0 = the byte is not a valid lead
    uchar lower = 0x80;
    uchar upper = 0xBF;
};

Lead leadInfo(uchar b)
{
    if (b >= 0xC2 && b <= 0xDF)
        return {1, 0x80, 0xBF};
    if (b == 0xE0)
        return {2, 0xA0, 0xBF};
    if (b == 0xED)
        return {2, 0x80, 0x9F};
    if (b >= 0xE1 && b <= 0xEF)
        return {2, 0x80, 0xBF};
    if (b == 0xF0)
        return {3, 0x90, 0xBF};
    if (b == 0xF4)
        return {3, 0x80, 0x8F};
    if (b >= 0xF1 && b <= 0xF3)
        return {3, 0x80, 0xBF};
    return {};
}

QByteArray repair(const char *data, qsizetype size)
{
    QByteArray out;
    out.reserve(size + size / 2 + 3);
    const auto *s = reinterpret_cast<const uchar *>(data);
    qsizetype i = 0;
    while (i < size) {
        // Copy the run of ASCII in one go.
        qsizetype run = i;
        while (run < size && s[run] < 0x80)
            ++run;
        if (run > i) {
            out.append(data + i, run - i);
            i = run;
            if (i >= size)
                break;
        }
        const Lead lead = leadInfo(s[i]);
        if (lead.needed == 0) {
            out.append(Replacement, 3);
            ++i;
            continue;
        }
        qsizetype j = i + 1;
        bool complete = true;
        for (int k = 0; k < lead.needed; ++k, ++j) {
            const uchar lo = k == 0 ? lead.lower : uchar(0x80);
            const uchar hi = k == 0 ? lead.upper : uchar(0xBF);
            if (j >= size || s[j] < lo || s[j] > hi) {
                complete = false;
                break;
            }
        }
        if (complete) {
            out.append(data + i, j - i);
        } else {
            // The maximal subpart [i, j) becomes one U+FFFD; the byte at j is looked at again.
            out.append(Replacement, 3);
        }
        i = j;
    }
    return out;
}

} // namespace

namespace Utf8 {

bool isValid(QByteArrayView bytes)
{
    return simdjson::validate_utf8(bytes.data(), size_t(bytes.size()));
}

QByteArray sanitized(const QByteArray &bytes)
{
    if (isValid(bytes))
        return bytes;
    return repair(bytes.constData(), bytes.size());
}

QByteArray sanitized(QByteArrayView bytes)
{
    if (isValid(bytes))
        return bytes.toByteArray();
    return repair(bytes.data(), bytes.size());
}

qsizetype incompleteTail(QByteArrayView bytes)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype size = bytes.size();
    // A lead byte can be at most 3 bytes before the end of an incomplete sequence.
    for (qsizetype back = 1; back <= 3 && back <= size; ++back) {
        const uchar b = s[size - back];
        if (b < 0x80)
            return 0;
        if (b >= 0xC0) {
            const Lead lead = leadInfo(b);
            if (lead.needed < back)
                return 0; // complete (or invalid) sequence: nothing to cut
            for (qsizetype k = 1; k < back; ++k) {
                const uchar c = s[size - back + k];
                const uchar lo = k == 1 ? lead.lower : uchar(0x80);
                const uchar hi = k == 1 ? lead.upper : uchar(0xBF);
                if (c < lo || c > hi)
                    return 0;
            }
            return back;
        }
    }
    return 0;
}

} // namespace Utf8
