#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QUrlQuery>

/// One HTTP request as the demo server received it (or a WebSocket handshake, with the headers
/// QWebSocket::request() exposes). Plain value type, cheap to copy.
struct HttpRequest
{
    QByteArray method;            ///< "GET"
    QByteArray target;            ///< raw request-target, e.g. "/sse/metrics?hz=50"
    QString path;                 ///< decoded path, "/sse/metrics"
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; ///< as received, in order
    QByteArray body;              ///< Content-Length bodies (POST)
    qint64 receivedMs = 0;        ///< QDateTime::currentMSecsSinceEpoch() when the head was complete

    /// Case-insensitive lookup; the first occurrence wins; empty if absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    /// Sets path and query from target (origin-form "/p?q" or absolute-form "http://h/p?q").
    /// False when the target is neither.
    bool setTarget(const QByteArray &rawTarget);
};

Q_DECLARE_METATYPE(HttpRequest)
