#!/usr/bin/env node
// Baseline echo load client on node + npm `ws`, the way a team would write it:
// C connections, W messages in flight each, N messages per connection of B
// bytes, every echo checked byte for byte. Prints one JSON line.
// Usage: node scripts/bench_echo_node.js URL C W N B
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '..', 'tests', 'peers', 'node_modules', 'ws'));

const [url, C, W, N, B] = [process.argv[2], ...process.argv.slice(3, 7).map(Number)];
// A per-connection pattern with the sequence number in front; the sent
// buffers wait in a queue and each echo is compared with the oldest one.
function payload(seq, conn) {
  const b = Buffer.alloc(B, (conn * 7) & 0xff);
  if (B >= 8) b.writeBigUInt64LE(BigInt(seq)); else b[0] = seq & 0xff;
  return b;
}
let done = 0, received = 0, errors = 0;
const t0 = process.hrtime.bigint();
for (let c = 0; c < C; c++) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let sent = 0, got = 0;
  const queue = [];
  const pump = () => {
    while (sent < N && sent - got < W) { const p = payload(sent++, c); queue.push(p); ws.send(p, { binary: true }); }
  };
  ws.on('open', pump);
  ws.on('message', (data) => {
    if (!queue.shift().equals(data)) errors++;
    got++; received++;
    if (got === N) ws.close(1000); else pump();
  });
  ws.on('close', () => { if (++done === C) finish(); });
  ws.on('error', () => { errors++; });
}
function finish() {
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ client: 'node-ws', messages: received, seconds: s, rate: received / s, errors }) + '\n');
}
