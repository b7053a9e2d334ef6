#include "series_buffer.h"

#include "models_logging.h"

#include <QCoreApplication>
#include <QDateTime>

#include <algorithm>

namespace {

/// Lives on SeriesBuffer's worker thread; only touched there (queued calls).
class SeriesWorker : public QObject
{
public:
    SeriesExtractor extractor;
};

} // namespace

SeriesBuffer::SeriesBuffer(QObject *parent, Parsing parsing)
    : QObject(parent)
    , m_parsing(parsing)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &SeriesBuffer::emitIfChanged);
    if (parsing == Parsing::Inline) {
        m_inline = std::make_unique<SeriesExtractor>();
        return;
    }
    auto *worker = new SeriesWorker; // no parent: it moves to the thread (STYLE.md §6)
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_worker = worker;
    m_thread.setObjectName(QStringLiteral("series-parser"));
    m_thread.start();
}

SeriesBuffer::~SeriesBuffer()
{
    if (m_parsing == Parsing::Worker) {
        m_thread.quit();
        m_thread.wait();
    }
}

void SeriesBuffer::append(const QList<StreamEvent> &events)
{
    if (events.isEmpty())
        return;
    if (m_parsing == Parsing::Inline) {
        SeriesExtractor::Batch batch;
        batch.epoch = m_epoch;
        m_inline->extract(events, batch);
        m_inFlight += batch.events;
        applyBatch(batch);
        return;
    }
    if (m_inFlight + events.size() > m_maxInFlight) {
        m_droppedEvents += quint64(events.size());
        return;
    }
    m_inFlight += events.size();
    auto *worker = static_cast<SeriesWorker *>(m_worker);
    const quint64 epoch = m_epoch;
    QMetaObject::invokeMethod(
        worker,
        [worker, events, epoch, buffer = this] {
            SeriesExtractor::Batch batch;
            batch.epoch = epoch;
            worker->extractor.extract(events, batch);
            // Posted to the buffer's thread; dropped by Qt if the buffer is gone by then.
            QMetaObject::invokeMethod(buffer, [buffer, batch] { buffer->applyBatch(batch); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void SeriesBuffer::applyBatch(const SeriesExtractor::Batch &batch)
{
    m_inFlight -= batch.events;
    if (batch.epoch < m_clearEpoch)
        return; // extracted before a clear()
    m_eventsSeen += batch.dataEvents;
    m_eventsParsed += batch.parsedEvents;
    QList<SeriesKey> newKeys;
    for (const SeriesExtractor::NewField &field : batch.newFields) {
        const auto removed = m_removedAt.constFind(field.source);
        if (removed != m_removedAt.constEnd() && removed.value() > batch.epoch)
            continue; // the source was removed after this batch was extracted
        SeriesKey key{field.source, field.pointer};
        const int index = int(m_series.size());
        m_series.push_back(std::make_unique<Series>(field.id, key));
        if (size_t(field.id) >= m_slotOfId.size())
            m_slotOfId.resize(size_t(field.id) + 1, -1);
        m_slotOfId[size_t(field.id)] = index;
        m_index.insert(key, index);
        m_known.append(key);
        m_sources.insert(field.source);
        newKeys.append(key);
    }
    bool selectedChanged = false;
    const int slots = int(m_slotOfId.size());
    for (const SeriesExtractor::Sample &sample : batch.samples) {
        if (sample.field < 0 || sample.field >= slots)
            continue;
        const int index = m_slotOfId[size_t(sample.field)];
        if (index < 0)
            continue; // a field of a source removed meanwhile
        Series &s = *m_series[size_t(index)];
        s.samples.add(sample.x, sample.y);
        selectedChanged |= s.selected;
    }
    if (selectedChanged && !m_selectedDirty) {
        m_selectedDirty = true;
        scheduleFlush();
    }
    if (!newKeys.isEmpty())
        Q_EMIT fieldsDiscovered(newKeys);
}

void SeriesBuffer::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

const SeriesBuffer::Series *SeriesBuffer::find(const SeriesKey &key) const
{
    const auto it = m_index.constFind(key);
    return it == m_index.constEnd() ? nullptr : m_series[size_t(it.value())].get();
}

void SeriesBuffer::setSelected(const SeriesKey &key, bool on)
{
    const auto it = m_index.constFind(key);
    if (it == m_index.constEnd())
        return;
    Series &s = *m_series[size_t(it.value())];
    if (s.selected == on)
        return;
    s.selected = on;
    m_selectedDirty = true;
    scheduleFlush();
}

bool SeriesBuffer::isSelected(const SeriesKey &key) const
{
    const Series *s = find(key);
    return s && s->selected;
}

QList<SeriesKey> SeriesBuffer::selectedFields() const
{
    QList<SeriesKey> out;
    for (const auto &s : m_series)
        if (s->selected)
            out.append(s->key);
    return out;
}

std::pair<qint64, qint64> SeriesBuffer::windowRange(qint64 nowMs) const
{
    if (m_windowMs == AllWindow) {
        const qint64 earliest = earliestSelectedMs();
        return {earliest > 0 && earliest < nowMs ? earliest : nowMs - MinWindowMs, nowMs};
    }
    return {nowMs - m_windowMs, nowMs};
}

QList<QPointF> SeriesBuffer::points(const SeriesKey &key) const
{
    const Series *s = find(key);
    if (!s)
        return {};
    return s->samples.samples(windowRange(QDateTime::currentMSecsSinceEpoch()).first);
}

QList<QPointF> SeriesBuffer::decimated(const SeriesKey &key, qint64 fromMs, qint64 toMs, int columns) const
{
    QList<QPointF> out;
    if (const Series *s = find(key))
        s->samples.decimate(fromMs, toMs, columns, out);
    return out;
}

std::optional<QPointF> SeriesBuffer::valueAt(const SeriesKey &key, qint64 xMs) const
{
    const Series *s = find(key);
    return s ? s->samples.valueAt(xMs) : std::nullopt;
}

std::optional<QPointF> SeriesBuffer::lastValue(const SeriesKey &key) const
{
    const Series *s = find(key);
    return s ? s->samples.last() : std::nullopt;
}

qint64 SeriesBuffer::earliestSelectedMs() const
{
    qint64 earliest = 0;
    for (const auto &s : m_series) {
        if (!s->selected || s->samples.isEmpty())
            continue;
        const qint64 first = s->samples.firstMs();
        earliest = earliest == 0 ? first : std::min(earliest, first);
    }
    return earliest;
}

void SeriesBuffer::setWindowMs(int windowMs)
{
    if (windowMs != AllWindow)
        windowMs = std::clamp(windowMs, MinWindowMs, MaxWindowMs);
    if (windowMs == m_windowMs)
        return;
    m_windowMs = windowMs;
    m_selectedDirty = true;
    scheduleFlush();
}

void SeriesBuffer::clear()
{
    m_flushTimer.stop();
    m_series.clear();
    m_known.clear();
    m_index.clear();
    m_sources.clear();
    m_slotOfId.clear();
    m_removedAt.clear();
    m_selectedDirty = false;
    m_eventsSeen = 0;
    m_eventsParsed = 0;
    m_droppedEvents = 0;
    m_clearEpoch = ++m_epoch;
    if (m_parsing == Parsing::Inline) {
        m_inline->reset();
    } else {
        auto *worker = static_cast<SeriesWorker *>(m_worker);
        QMetaObject::invokeMethod(worker, [worker] { worker->extractor.reset(); }, Qt::QueuedConnection);
    }
    Q_EMIT cleared();
}

void SeriesBuffer::removeSource(const QString &sourceId)
{
    m_removedAt.insert(sourceId, ++m_epoch);
    if (m_parsing == Parsing::Inline) {
        m_inline->forgetSource(sourceId);
    } else {
        auto *worker = static_cast<SeriesWorker *>(m_worker);
        QMetaObject::invokeMethod(worker, [worker, sourceId] { worker->extractor.forgetSource(sourceId); },
                                  Qt::QueuedConnection);
    }
    if (!m_sources.remove(sourceId))
        return;
    QList<SeriesKey> removed;
    bool selectedRemoved = false;
    std::vector<std::unique_ptr<Series>> kept;
    kept.reserve(m_series.size());
    for (auto &s : m_series) {
        if (s->key.source == sourceId) {
            removed.append(s->key);
            selectedRemoved |= s->selected;
        } else {
            kept.push_back(std::move(s));
        }
    }
    m_series = std::move(kept);
    rebuildIndex();
    if (removed.isEmpty())
        return;
    Q_EMIT fieldsRemoved(removed);
    if (selectedRemoved) {
        m_selectedDirty = true;
        scheduleFlush();
    }
}

void SeriesBuffer::rebuildIndex()
{
    m_index.clear();
    m_known.clear();
    std::fill(m_slotOfId.begin(), m_slotOfId.end(), -1);
    for (int i = 0; i < int(m_series.size()); ++i) {
        const Series &s = *m_series[size_t(i)];
        m_index.insert(s.key, i);
        m_known.append(s.key);
        m_slotOfId[size_t(s.id)] = i;
    }
}

void SeriesBuffer::flushNow()
{
    if (m_parsing == Parsing::Worker && m_inFlight > 0) {
        // The worker handles queued calls in order: once this empty one has run, every batch
        // sent before it has been extracted and its result posted to us.
        QMetaObject::invokeMethod(m_worker, [] {}, Qt::BlockingQueuedConnection);
        QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    }
    emitIfChanged();
}

void SeriesBuffer::emitIfChanged()
{
    m_flushTimer.stop();
    if (!m_selectedDirty)
        return;
    m_selectedDirty = false;
    Q_EMIT seriesUpdated();
}
