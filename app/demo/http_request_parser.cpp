#include "http_request_parser.h"

#include <algorithm>
#include <cctype>

namespace {

// RFC 9110 §5.6.2 tchar.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isVisibleTarget(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f)
            return false;
    }
    return true;
}

} // namespace

HttpRequestParser::State HttpRequestParser::feed(QByteArrayView chunk)
{
    if (m_state != State::NeedMore)
        return m_state;

    if (m_inBody) {
        const qint64 take = std::min<qint64>(m_bodyRemaining, chunk.size());
        m_request.body.append(chunk.first(take));
        m_bodyRemaining -= take;
        if (m_bodyRemaining == 0)
            m_state = State::Complete;
        return m_state;
    }

    m_buffer.append(chunk);
    qsizetype lineStart = 0;
    while (m_state == State::NeedMore && !m_inBody) {
        const qsizetype newline = m_buffer.indexOf('\n', lineStart);
        if (newline < 0)
            break;
        QByteArrayView line(m_buffer.constData() + lineStart, newline - lineStart);
        if (line.endsWith('\r'))
            line.chop(1);
        m_headBytes += newline + 1 - lineStart;
        lineStart = newline + 1;
        if (m_headBytes > MaxHeadBytes) {
            fail(431, "request head too large");
            break;
        }
        if (!m_haveRequestLine) {
            if (line.isEmpty())
                continue;
            if (!parseRequestLine(line))
                break;
            m_haveRequestLine = true;
        } else if (line.isEmpty()) {
            if (!finishHead())
                break;
        } else if (!parseHeaderLine(line)) {
            break;
        }
    }
    if (m_state != State::NeedMore)
        return m_state;

    const QByteArray rest = m_buffer.mid(lineStart);
    m_buffer.clear();
    if (m_inBody) {
        if (m_bodyRemaining == 0) {
            m_state = State::Complete;
            return m_state;
        }
        return feed(rest); // m_inBody is set, so this takes the body path
    }
    if (m_headBytes + rest.size() > MaxHeadBytes) {
        fail(431, "request head too large");
        return m_state;
    }
    m_buffer = rest;
    return m_state;
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    const QList<QByteArray> parts = line.toByteArray().split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || !isVisibleTarget(parts[1])) {
        fail(400, "malformed request line");
        return false;
    }
    const QByteArray &version = parts[2];
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.'
        || !std::isdigit(static_cast<unsigned char>(version[5]))
        || !std::isdigit(static_cast<unsigned char>(version[7]))) {
        fail(400, "malformed HTTP version");
        return false;
    }
    if (version[5] != '1') {
        fail(505, "only HTTP/1.x is supported");
        return false;
    }
    m_request.method = parts[0];
    if (!m_request.setTarget(parts[1])) {
        fail(400, "malformed request target");
        return false;
    }
    return true;
}

bool HttpRequestParser::parseHeaderLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t') {
        fail(400, "obsolete header line folding");
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        fail(400, "malformed header field");
        return false;
    }
    const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
    m_request.headers.append({line.first(colon).toByteArray(), value});
    return true;
}

bool HttpRequestParser::finishHead()
{
    if (m_request.hasHeader("Transfer-Encoding")) {
        fail(501, "request bodies must use Content-Length");
        return false;
    }
    if (m_request.hasHeader("Content-Length")) {
        const QByteArray text = m_request.header("Content-Length");
        bool ok = !text.isEmpty();
        for (char c : text)
            ok = ok && std::isdigit(static_cast<unsigned char>(c));
        const qint64 length = ok ? text.toLongLong(&ok) : -1;
        if (!ok || length < 0) {
            fail(400, "malformed Content-Length");
            return false;
        }
        if (length > MaxBodyBytes) {
            fail(413, "request body too large");
            return false;
        }
        m_bodyRemaining = length;
    }
    m_inBody = true;
    return true;
}

void HttpRequestParser::fail(int status, QByteArray message)
{
    m_state = State::Error;
    m_errorStatus = status;
    m_errorMessage = std::move(message);
}
