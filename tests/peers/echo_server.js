#!/usr/bin/env node
// Raw echo peer for `wscheck bench --echo` (node `ws`): every message comes
// back unchanged, same frame type. Any path is accepted.
//
// Usage: node tests/peers/echo_server.js [--port N] [--host 127.0.0.1]
//                                        [--corrupt-at K]
// --corrupt-at K flips one bit of byte 10 (or the last byte) of the K-th
// message received on each connection (1-based): a fault for the payload check.
// Prints "LISTENING <port>" once ready; SIGTERM/SIGINT exit 0.
'use strict';

const { WebSocketServer } = require('ws');

const opts = { port: 0, host: '127.0.0.1', corruptAt: 0 };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const v = process.argv[i + 1];
  if (a === '--port') { opts.port = parseInt(v, 10); i++; }
  else if (a === '--host') { opts.host = v; i++; }
  else if (a === '--corrupt-at') { opts.corruptAt = parseInt(v, 10); i++; }
  else { process.stderr.write(`usage: echo_server.js [--port N] [--host H] [--corrupt-at K]\n`); process.exit(2); }
}

const wss = new WebSocketServer({ host: opts.host, port: opts.port, perMessageDeflate: false, maxPayload: 256 << 20 });
wss.on('listening', () => process.stdout.write(`LISTENING ${wss.address().port}\n`));
wss.on('connection', (ws) => {
  let n = 0;
  ws.on('message', (data, isBinary) => {
    n++;
    if (opts.corruptAt && n === opts.corruptAt && data.length > 0) {
      data = Buffer.from(data);
      const at = Math.min(10, data.length - 1);
      data[at] ^= 0x01;
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('error', () => {});
});
const stop = () => { for (const c of wss.clients) c.terminate(); wss.close(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
