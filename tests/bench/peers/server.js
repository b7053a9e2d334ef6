// Serves the peer-benchmark corpora (corpus.js) on 127.0.0.1 and prints "port <n>" on stdout once
// it listens. Bodies are written in 64 KiB pieces (one HTTP/1.1 chunk each), following the
// socket's backpressure, then ended.
//
//   GET /sse                                                   text/event-stream, the SSE corpus
//   GET /api/v1/namespaces/default/pods/bench                  a minimal Pod object (what kubectl
//                                                              reads to pick the container)
//   GET /api/v1/namespaces/default/pods/bench/log?follow=true  text/plain, the pod log corpus
//   GET /lines                                                 the same pod log bytes
//   GET /version, /api, /apis, /api/v1                         the discovery documents kubectl
//                                                              reads before it asks for the log
//
// Every request line is written to stderr when PEERS_VERBOSE=1. Exits when stdin closes, so the
// script that started it never leaves it behind.
'use strict';
const http = require('http');
const corpus = require('./corpus.js');

const Piece = 64 * 1024;
const sse = corpus.sse();
const log = corpus.podLog();
const verbose = process.env.PEERS_VERBOSE === '1';

const pod = JSON.stringify({
  kind: 'Pod', apiVersion: 'v1',
  metadata: { name: 'bench', namespace: 'default', uid: '00000000-0000-0000-0000-000000000001',
    resourceVersion: '1', creationTimestamp: '2026-11-18T11:00:00Z' },
  spec: { containers: [{ name: 'app', image: 'bench:1' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0,
    image: 'bench:1', imageID: '', state: { running: { startedAt: '2026-11-18T11:00:00Z' } } }] },
});

const discovery = {
  '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' },
  '/api': { kind: 'APIVersions', versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
  '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'],
      verbs: ['get', 'list', 'watch'] },
    { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] }] },
};

function stream(res, bytes, contentType) {
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache' });
  let pos = 0;
  const pump = () => {
    while (pos < bytes.length) {
      const piece = bytes.subarray(pos, Math.min(pos + Piece, bytes.length));
      pos += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

const server = http.createServer((req, res) => {
  if (verbose)
    process.stderr.write(req.method + ' ' + req.url + '\n');
  const path = req.url.split('?')[0];
  if (path === '/sse')
    return stream(res, sse.bytes, 'text/event-stream');
  if (path === '/lines' || path === '/api/v1/namespaces/default/pods/bench/log')
    return stream(res, log.bytes, 'text/plain');
  if (discovery[path]) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify(discovery[path]));
  }
  if (path === '/api/v1/namespaces/default/pods/bench') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(pod);
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write('port ' + server.address().port + ' sse_events ' + sse.events + ' sse_bytes ' +
    sse.bytes.length + ' log_lines ' + log.lines + ' log_bytes ' + log.bytes.length + '\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
