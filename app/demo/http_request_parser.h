#pragma once

#include "http_request.h"

#include <QByteArray>
#include <QByteArrayView>

/// Incremental HTTP/1.x request parser: no QObject, no I/O. feed() accepts any slice of the
/// connection's bytes; the head may be split anywhere (even inside "\r\n"). Lines may end in CRLF
/// or a bare LF (RFC 9112 §2.2 allows a recipient to accept LF). Empty lines before the request
/// line are skipped. A body is read only when Content-Length is present; a request with
/// Transfer-Encoding is refused (501) because the demo routes never need request chunking.
///
/// Limits: the head may be at most MaxHeadBytes (else 431), the body at most MaxBodyBytes (else 413).
/// After Complete or Error further input is ignored.
class HttpRequestParser
{
public:
    static constexpr qsizetype MaxHeadBytes = 64 * 1024;
    static constexpr qsizetype MaxBodyBytes = 16 * 1024 * 1024;

    enum class State { NeedMore, Complete, Error };

    /// Consumes `chunk`; returns the state after it.
    State feed(QByteArrayView chunk);
    State state() const { return m_state; }
    /// True once the blank line ending the head was seen (the body may still be incomplete).
    bool hasHead() const { return m_inBody || m_state == State::Complete; }
    /// Valid once Complete; receivedMs is left at 0 for the caller to stamp.
    const HttpRequest &request() const { return m_request; }
    /// On Error: the status to answer with (400, 413, 431, 501, 505) and a short reason.
    int errorStatus() const { return m_errorStatus; }
    QByteArray errorMessage() const { return m_errorMessage; }

private:
    bool parseRequestLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    bool finishHead();
    void fail(int status, QByteArray message);

    HttpRequest m_request;
    QByteArray m_buffer;
    qsizetype m_headBytes = 0;
    qint64 m_bodyRemaining = 0;
    bool m_haveRequestLine = false;
    bool m_inBody = false;
    State m_state = State::NeedMore;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};
