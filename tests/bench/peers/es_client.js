// The eventsource side of the peer benchmark: node + npm eventsource (the package is resolved from
// NODE_PATH, installed by run_peers.sh). Usage: node es_client.js URL EXPECTED_EVENTS
// Counts every event (types message, log, metrics), touches its data, closes after the expected
// number and prints "events <n> data_bytes <b> ms <t>" (t from construction to the last event).
'use strict';
const [url, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);

const { EventSource } = require('eventsource');
{
  const start = process.hrtime.bigint();
  const source = new EventSource(url);
  let events = 0;
  let dataBytes = 0;
  const onEvent = (event) => {
    dataBytes += event.data.length;
    if (++events === expected) {
      source.close();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      process.stdout.write('events ' + events + ' data_bytes ' + dataBytes + ' ms ' + ms.toFixed(1) + '\n');
    }
  };
  for (const type of ['message', 'log', 'metrics'])
    source.addEventListener(type, onEvent);
  source.onerror = (error) => {
    if (events < expected) {
      process.stderr.write('eventsource error after ' + events + ' events: ' + (error.message || error.type) + '\n');
      source.close();
      process.exitCode = 1;
    }
  };
}
