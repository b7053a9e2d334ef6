#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

/// One thing a source delivered, as every downstream consumer (log pane, chart, headless output)
/// sees it. Plain value type: cheap to copy (QString/QByteArray are implicitly shared), safe to
/// send through queued connections.
struct StreamEvent
{
    enum class Kind : quint8 {
        Data,  ///< a message / line / event from the source
        Error, ///< something the source sent that could not be used (bad JSON line, line too long);
               ///< payload holds the raw text (possibly an excerpt), detail says why
        Gap,   ///< the connection was lost and re-established here: events may be missing
        Sent,  ///< a message this client sent to the source (duplex transports); type "text"/"binary"
    };

    Kind kind = Kind::Data;
    QString source;        ///< source id: the URL as the user gave it
    quint64 seq = 0;       ///< per source, 1-based, counts Data and Error events (Gap and Sent repeat the last)
    qint64 receivedMs = 0; ///< receive time, milliseconds since the Unix epoch (UTC)
    QByteArray type;       ///< SSE event type, "line", "json", "text", "binary", "error" or "gap"
    QByteArray id;         ///< SSE last event ID at dispatch (UTF-8), empty otherwise
    QByteArray payload;    ///< payload bytes; valid UTF-8 for every kind except WebSocket binary
    QString detail;        ///< Error: what was wrong; Gap: why the connection was re-established

    bool isData() const { return kind == Kind::Data; }
};

Q_DECLARE_METATYPE(StreamEvent)
