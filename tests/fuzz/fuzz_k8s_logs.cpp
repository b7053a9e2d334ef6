// libFuzzer target for the pod log resume cursor (LogResumeCursor over LineFramer + the kubelet
// timestamp parser): whole vs. fuzzer-chosen pieces must deliver the same lines, and a resume
// after a cut, replayed the way the kubelet answers sinceTime (every line from that second on),
// must deliver every line exactly once when the stream's timestamps do not go back.
// The first input byte picks the piece sizes and the cut.

#include "log_line.h"
#include "log_resume.h"

#include <cstdint>
#include <cstdlib>

namespace {

QList<KubeLogLine> run(QByteArrayView body, uint8_t control, bool whole)
{
    LogResumeCursor cursor;
    QList<KubeLogLine> out;
    if (whole) {
        cursor.feed(body, out);
    } else {
        quint32 state = 0x9E3779B9u ^ control;
        qsizetype pos = 0;
        while (pos < body.size()) {
            state = state * 1664525u + 1013904223u;
            const qsizetype piece = std::min<qsizetype>(qsizetype((state >> 24) % 23), body.size() - pos);
            cursor.feed(body.sliced(pos, piece), out);
            pos += piece;
        }
    }
    cursor.finish(out);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t control = data[0];
    const QByteArrayView body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const QList<KubeLogLine> whole = run(body, control, true);
    if (whole != run(body, control, false))
        std::abort();

    // Resume: deliver the complete lines before the cut, then replay from the second of the last
    // delivered line, as the kubelet does for sinceTime.
    const QList<QByteArray> lines = body.toByteArray().split('\n');
    bool ordered = body.endsWith('\n');
    std::optional<KubeTimestamp> previous;
    for (qsizetype i = 0; ordered && i + 1 < lines.size(); ++i) {
        const qsizetype space = lines[i].indexOf(' ');
        const auto ts = space > 0 ? KubeTimestamp::parse(QByteArrayView(lines[i]).first(space)) : std::nullopt;
        if (!ts || (previous && *ts < *previous) || lines[i].contains('\r'))
            ordered = false;
        previous = ts;
    }
    if (!ordered || lines.size() < 2)
        return 0;
    const qsizetype cut = qsizetype(control) % body.size();
    LogResumeCursor cursor;
    QList<KubeLogLine> got;
    cursor.feed(body.first(cut), got);
    cursor.resume();
    const std::optional<KubeTimestamp> last = cursor.lastTimestamp();
    QByteArray replay;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const qsizetype space = lines[i].indexOf(' ');
        const KubeTimestamp ts = *KubeTimestamp::parse(QByteArrayView(lines[i]).first(space));
        if (!last || ts.seconds >= last->seconds)
            replay += lines[i] + '\n';
    }
    cursor.feed(replay, got);
    cursor.finish(got);
    if (got.size() != whole.size())
        std::abort();
    for (qsizetype i = 0; i < got.size(); ++i)
        if (got[i].text != whole[i].text || got[i].timestamp != whole[i].timestamp)
            std::abort();
    return 0;
}
