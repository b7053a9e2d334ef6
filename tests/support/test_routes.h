#pragma once

class DemoServer;

/// Misbehaving and scripted routes for the transport integration tests. All bodies are fixed
/// (deterministic); query parameters are clamped to the ranges given.
///
/// - /test/drip?count=N (1..10000, default 5)   SSE "data: drip <i>\n\n", i = 1..N, written ONE byte
///                                              per write (one chunk each) every 2 ms, then end().
/// - /test/wrong-type                           200 "Content-Type: text/html; charset=utf-8", HTML body.
/// - /test/no-type                              200 without Content-Type, body "data: hello\n\n".
/// - /test/status?code=N (200..599)             that status; 204/205/304 without body, others with
///                                              "status N\n" text/plain. Out-of-range code: 400.
/// - /test/redirect?code=301|302|303|307|308&to=/path   redirect (default 302 to /test/sse-once) with
///                                              Location exactly as given. Other codes: 400.
/// - /test/close-mid                            SSE "id: 1\ndata: a\n\n", "id: 2\ndata: b\n\n",
///                                              "id: 3\ndata: partial", then abort() after 50 ms
///                                              (truncated chunked body).
/// - /test/huge-line?bytes=N&type=sse|lines     one line of N 'x' (0..256 MiB, default 1 MiB; SSE:
///                                              "data: " + x…), then "data: after\n\n" / "after\n",
///                                              written in 64 KiB pieces as the socket drains, then end().
/// - /test/invalid-utf8?type=sse|lines|ndjson   three payloads: "bad \xFF byte", "cut \xE2\x80",
///                                              "ok \xE2\x80\xA6 caf\xC3\xA9" (valid), then end().
/// - /test/ndjson-bad                           NDJSON: 3 good lines, `{"a":1,,}`, 2 good lines, end().
/// - /test/sse-once?events=N (0..100000, def 3) "id: <i>\ndata: e<i>\n\n" for i = 1..N, or k+1..k+N
///                                              with Last-Event-ID: k; then end(). Also at /sse/once.
/// - /test/lines-once?lines=N (0..100000, def 3) "line <i>\n" for i = 1..N, then end().
/// - /test/flap?type=sse|lines|ndjson           200 with that type's Content-Type (default sse) and
///                                              no events: SSE body "retry: 0\n\n", others empty;
///                                              then end() at once. A server that would make a naive
///                                              client reconnect in a tight loop (backoff tests).
/// - /test/huge-line-stall?bytes=N&type=sse|lines|ndjson   SSE "event: big\nid: 7\ndata: " (or nothing
///                                              for lines/ndjson) + N 'x' (0..256 MiB, default 17 MiB)
///                                              in 64 KiB pieces as the socket drains, then nothing: no
///                                              line end, no end of body (cap-report tests).
class TestRoutes
{
public:
    static void install(DemoServer &server);
};
