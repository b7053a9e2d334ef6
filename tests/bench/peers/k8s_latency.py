#!/usr/bin/env python3
"""Reads `livedash --headless` k8s log output on stdin and prints throughput and latency.

Latency of a line = the wall clock when its bytes reach this reader (each read() of the pipe is
stamped once; livedash writes a merged batch with one write) minus the line's kubelet timestamp
(the "ts" field, milliseconds). Lines stamped before `--skip` seconds after this reader started
are counted but not measured (the replay of what the pods logged before the follow began).

Prints one line: "lines N ids K measured M seconds S rate R p50 A p99 B max C" (ms, lines/s).
"""
import calendar
import os
import sys
import time


def main():
    skip_s = 2.0
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--skip":
        skip_s = float(args[1])
    start_ms = time.time() * 1000.0
    measure_from = start_ms + skip_s * 1000.0
    second_cache = {}
    latencies = []
    ids = set()
    total = 0
    first_read = last_read = None
    rest = b""
    fd = sys.stdin.fileno()
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        now = time.time() * 1000.0
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            total += 1
            at = line.rfind(b'"ts":"')
            if at < 0:
                continue
            ts = line[at + 6:at + 30]  # 2026-12-02T00:20:01.123Z
            sec = ts[:19]
            base = second_cache.get(sec)
            if base is None:
                base = calendar.timegm(time.strptime(sec.decode(), "%Y-%m-%dT%H:%M:%S")) * 1000.0
                second_cache[sec] = base
            ts_ms = base + int(ts[20:23])
            if ts_ms < measure_from:
                continue
            if first_read is None:
                first_read = now
            last_read = now
            latencies.append(now - ts_ms)
            id_at = line.find(b'"id":"')
            if id_at >= 0:
                ids.add(line[id_at + 6:line.find(b'"', id_at + 6)])
    latencies.sort()
    n = len(latencies)
    seconds = (last_read - first_read) / 1000.0 if n > 1 else 0.0

    def pct(p):
        return latencies[min(n - 1, int(p * n))] if n else float("nan")

    rate = n / seconds if seconds > 0 else 0.0
    print("lines %d ids %d measured %d seconds %.2f rate %.0f p50 %.0f p99 %.0f max %.0f"
          % (total, len(ids), n, seconds, rate, pct(0.50), pct(0.99), latencies[-1] if n else float("nan")))


if __name__ == "__main__":
    main()
