#pragma once

#include "stream_event.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>
#include <string>
#include <vector>

/// Turns the JSON payloads of Data events into samples of numbered fields: the parsing half of
/// SeriesBuffer, kept free of Qt objects so it can run on SeriesBuffer's worker thread (or, for
/// tests, inline). One instance is used by one thread at a time.
///
/// - Payloads that start with '{' or '[' (after whitespace) are parsed with one reused simdjson
///   parser; every number (booleans as 0/1) is a sample (x = receive time, y = value) of the
///   field named by source + RFC 6901 pointer. Other events are counted and skipped.
/// - Fields get ids 0, 1, 2, … in discovery order; an id is never reused (forgetSource() drops
///   a source's fields, its next events get new ids). At most MaxFieldsPerSource fields per
///   source; deeper than MaxDepth or beyond MaxLeavesPerEvent leaves is not walked.
/// - Consecutive events of a source usually have the same shape: the k-th leaf is compared with
///   the k-th leaf of the previous event (one string compare) before any hash lookup.
class SeriesExtractor
{
public:
    static constexpr int MaxFieldsPerSource = 64;
    static constexpr int MaxDepth = 64;
    static constexpr int MaxLeavesPerEvent = 10'000;

    struct NewField
    {
        int id = -1;
        QString source;
        QString pointer;
    };
    struct Sample
    {
        int field = -1;
        qint64 x = 0;
        double y = 0;
    };
    /// What one extract() found. A plain value (implicitly shared lists): cheap through queued
    /// connections.
    struct Batch
    {
        quint64 epoch = 0;        ///< SeriesBuffer's removal/clear count when it was made
        qsizetype events = 0;     ///< events given, of any kind
        quint64 dataEvents = 0;   ///< Data events looked at
        quint64 parsedEvents = 0; ///< of those, parsed as JSON
        QList<NewField> newFields;
        QList<Sample> samples;
    };

    SeriesExtractor();
    ~SeriesExtractor();
    SeriesExtractor(const SeriesExtractor &) = delete;
    SeriesExtractor &operator=(const SeriesExtractor &) = delete;

    /// Appends what `events` hold to `out` (counts add up).
    void extract(const QList<StreamEvent> &events, Batch &out);
    void forgetSource(const QString &source);
    /// Forgets every field; ids start again at 0.
    void reset();

private:
    struct ShapeLeaf
    {
        std::string pointer;
        int field; ///< -1 for a leaf beyond MaxFieldsPerSource
    };
    struct SourceFields
    {
        QHash<QByteArray, int> byPointer; ///< UTF-8 pointer → field id
        std::vector<ShapeLeaf> shape;     ///< the leaves of the last event, in walk order
    };
    struct JsonParser;
    friend class SeriesWalker;

    SourceFields &fieldsOf(const QString &source);
    int fieldFor(const QString &source, SourceFields &fields, QByteArrayView pointer, Batch &out);

    std::unique_ptr<JsonParser> m_parser;
    QHash<QString, SourceFields> m_sources;
    QString m_lastSource;
    SourceFields *m_lastFields = nullptr;
    int m_nextId = 0;
};

Q_DECLARE_METATYPE(SeriesExtractor::Batch)
