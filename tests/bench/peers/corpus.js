// Deterministic corpora for the peer benchmark (run_peers.sh). Same seed, same bytes, on every
// machine: a 32-bit PRNG (mulberry32) drives every choice, no clock, no Math.random.
//
// sse(): ~100 MB text/event-stream of ~160-byte events. Every event has an `id:`; 70 % carry one
//   line of JSON (`data: {...}`), 15 % a plain log line under `event: log`, 10 % two to four
//   data lines, 5 % JSON under `event: metrics`; a `: keepalive` comment every ~64 events.
//   Returns {bytes: Buffer, events, types: {name: count}}.
// podLog(): 1,000,000 lines of a pod log (~122 MB): RFC 3339 nanosecond timestamps, 80 % text
//   lines, 20 % JSON structured-log lines. Returns {bytes: Buffer, lines}.
'use strict';

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const Alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 -_.';
const Hosts = ['api-7f9c', 'worker-2b1d', 'ingest-0a44', 'edge-93e1', 'db-proxy-5c02'];
const Words = ['request', 'served', 'cache', 'miss', 'hit', 'upstream', 'timeout', 'retry', 'user',
  'session', 'started', 'finished', 'queue', 'depth', 'flush', 'shard', 'leader', 'elected'];

// 1 MiB of word salad made once per seed; text() cuts pieces out of it at random offsets.
function wordPool(rnd) {
  const parts = [];
  let size = 0;
  while (size < 1 << 20) {
    let w = Words[Math.floor(rnd() * Words.length)];
    w += rnd() < 0.2 ? ' ' + Alphabet[Math.floor(rnd() * 36)] + Math.floor(rnd() * 1000) : ' ';
    parts.push(w);
    size += w.length;
  }
  return parts.join('');
}

let pool = '';
function text(rnd, size) {
  const at = Math.floor(rnd() * (pool.length - size - 1));
  return pool.substr(at, size);
}

function json(rnd, seq, size) {
  const head = '{"seq":' + seq + ',"host":"' + Hosts[Math.floor(rnd() * Hosts.length)] +
    '","cpu":' + (rnd() * 100).toFixed(2) + ',"mem":' + Math.floor(rnd() * 4e9) +
    ',"latency_ms":' + (rnd() * 250).toFixed(1) + ',"msg":"';
  return head + text(rnd, Math.max(4, size - head.length - 2)) + '"}';
}

/// Appends latin1 strings to one preallocated Buffer (keeping 600k strings alive costs seconds of GC).
class Sink {
  constructor(capacity) { this.buf = Buffer.allocUnsafe(capacity); this.size = 0; }
  push(s) {
    if (this.size + s.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.size);
      this.buf = bigger;
    }
    this.size += this.buf.latin1Write(s, this.size);
  }
  bytes() { return this.buf.subarray(0, this.size); }
}

function sse(targetBytes = 100 * 1000 * 1000) {
  const rnd = mulberry32(20261121);
  pool = wordPool(rnd);
  const parts = new Sink(targetBytes + 4096);
  let size = 0;
  let events = 0;
  const types = { message: 0, log: 0, metrics: 0 };
  while (size < targetBytes) {
    let e = '';
    if (events % 64 === 63)
      e += ': keepalive\n';
    e += 'id: ' + (events + 1) + '\n';
    const kind = rnd();
    const len = 108 + Math.floor(rnd() * 70);
    if (kind < 0.70) {
      e += 'data: ' + json(rnd, events, len) + '\n';
      types.message++;
    } else if (kind < 0.85) {
      e += 'event: log\ndata: ' + text(rnd, len - 11) + '\n';
      types.log++;
    } else if (kind < 0.95) {
      const lines = 2 + Math.floor(rnd() * 3);
      for (let i = 0; i < lines; ++i)
        e += 'data: ' + text(rnd, Math.floor(len / lines) - 6) + '\n';
      types.message++;
    } else {
      e += 'event: metrics\ndata: ' + json(rnd, events, len - 15) + '\n';
      types.metrics++;
    }
    e += '\n';
    parts.push(e);
    size += e.length; // ASCII only: length == bytes
    ++events;
  }
  return { bytes: parts.bytes(), events, types };
}

function podLog(lineCount = 1000000) {
  const rnd = mulberry32(77);
  pool = wordPool(rnd);
  const parts = new Sink(128 * 1000 * 1000);
  const Levels = ['INFO', 'INFO', 'INFO', 'WARN', 'DEBUG', 'ERROR'];
  let ns = 0;
  for (let i = 0; i < lineCount; ++i) {
    ns += 1000 + Math.floor(rnd() * 900000);
    const sec = Math.floor(ns / 1e9);
    const ts = '2026-11-18T11:' + String(6 + Math.floor(sec / 60)).padStart(2, '0') + ':' +
      String(sec % 60).padStart(2, '0') + '.' + String(ns % 1e9).padStart(9, '0') + 'Z';
    const len = 40 + Math.floor(rnd() * 86);
    if (rnd() < 0.2)
      parts.push('{"ts":"' + ts + '","level":"' + Levels[Math.floor(rnd() * Levels.length)].toLowerCase() +
        '","msg":"' + text(rnd, len - 30) + '","req":' + i + '}\n');
    else
      parts.push(ts + ' ' + Levels[Math.floor(rnd() * Levels.length)] + ' ' + text(rnd, len) + '\n');
  }
  return { bytes: parts.bytes(), lines: lineCount };
}

module.exports = { sse, podLog };

// `node corpus.js sse FILE` / `node corpus.js lines FILE` writes a corpus to FILE (for
// bench_parsers and the eventsource-parser run of parser_bench.js).
if (require.main === module) {
  const [kind, file] = process.argv.slice(2);
  const made = kind === 'sse' ? module.exports.sse() : module.exports.podLog();
  require('fs').writeFileSync(file, made.bytes);
}
