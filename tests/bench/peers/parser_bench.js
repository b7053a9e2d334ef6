// In-memory speed of npm eventsource-parser on a corpus file (what eventsource uses inside), for
// comparison with bench_parsers on the same bytes. Usage: node parser_bench.js FILE [RUNS]
// The bytes are decoded to strings in 64 KiB pieces beforehand (eventsource-parser takes
// strings), so only feed() is timed. Prints "events <n> best_ms <t> mb_per_s <x>".
'use strict';
const fs = require('fs');
const { createParser } = require('eventsource-parser');

const [file, runsText] = process.argv.slice(2);
const runs = Number(runsText || 5);
const bytes = fs.readFileSync(file);
const decoder = new TextDecoder();
const chunks = [];
for (let pos = 0; pos < bytes.length; pos += 64 * 1024)
  chunks.push(decoder.decode(bytes.subarray(pos, pos + 64 * 1024), { stream: true }));

let best = Infinity;
let events = 0;
for (let run = 0; run < runs; ++run) {
  let count = 0;
  const parser = createParser({ onEvent: () => { ++count; } });
  const start = process.hrtime.bigint();
  for (const chunk of chunks)
    parser.feed(chunk);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  best = Math.min(best, ms);
  events = count;
}
process.stdout.write('events ' + events + ' best_ms ' + best.toFixed(1) + ' mb_per_s ' +
  (bytes.length / 1e6 / (best / 1000)).toFixed(1) + '\n');
