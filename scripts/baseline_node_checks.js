#!/usr/bin/env node
// Hand-written WebSocket smoke checks with the npm `ws` client: the node
// baseline wscheck is compared with. Same five checks as scenarios/*.json:
//   connect with token, no-token rejection (HTTP 401/403 or close 1008),
//   ping/pong (app-level then frame-level), echo round-trip, agent events.
//
// Usage: node scripts/baseline_node_checks.js --url ws://127.0.0.1:PORT [--only NAME ...]
// Prints one line per check; exit 0 if all pass, 1 otherwise.
'use strict';

const path = require('path');
const crypto = require('crypto');
const WebSocket = require(path.join(__dirname, '../tests/peers/node_modules/ws'));

const TIMEOUT_MS = 5000;
const JWT_SECRET = process.env.JWT_SECRET || 'test-secret';

function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function makeToken(sub = 'test-user', expiresIn = 900) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub, iat: now, exp: now + expiresIn }));
  const sig = b64url(crypto.createHmac('sha256', JWT_SECRET).update(`${head}.${body}`).digest());
  return `${head}.${body}.${sig}`;
}

function withTimeout(promise, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${TIMEOUT_MS} ms waiting for ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

// A connected client with a queue of parsed JSON messages.
class Client {
  constructor(ws) {
    this.ws = ws;
    this.queue = [];
    this.waiters = [];
    this.closed = null;
    ws.on('message', (data) => {
      let msg;
      try { msg = JSON.parse(data.toString()); } catch (e) { msg = { _raw: data.toString() }; }
      if (this.waiters.length) this.waiters.shift().resolve(msg); else this.queue.push(msg);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.waiters.splice(0)) w.reject(new Error(`connection closed: ${code} ${reason}`));
    });
    ws.on('error', () => {}); // surfaced via close / timeouts
  }

  recv() {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    if (this.closed) return Promise.reject(new Error(`connection closed: ${this.closed.code}`));
    return withTimeout(new Promise((resolve, reject) => this.waiters.push({ resolve, reject })), 'a message');
  }

  async recvType(type) {
    for (;;) {
      const msg = await this.recv();
      if (msg.type === type) return msg;
    }
  }

  send(obj) { this.ws.send(JSON.stringify(obj)); }

  ping(payload) {
    return withTimeout(new Promise((resolve) => {
      this.ws.once('pong', resolve);
      this.ws.ping(payload);
    }), 'a pong frame');
  }

  close() {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return withTimeout(new Promise((resolve) => {
      this.ws.once('close', resolve);
      this.ws.close(1000);
    }), 'the close handshake');
  }
}

function connect(url, options = {}) {
  return withTimeout(new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve(new Client(ws)));
    ws.once('unexpected-response', (req, res) => {
      const err = new Error(`Unexpected server response: ${res.statusCode}`);
      err.statusCode = res.statusCode;
      res.resume();
      req.destroy();
      reject(err);
    });
    ws.once('error', reject);
  }), 'the upgrade');
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// ------------------------------------------------------------------ checks

async function checkConnectWithToken(base) {
  const c = await connect(`${base}/ws?token=${makeToken()}`);
  try {
    const msg = await c.recv();
    assert(msg.type === 'connection_established', `unexpected first message: ${JSON.stringify(msg)}`);
    assert(msg.user_id === 'test-user', `wrong user_id: ${JSON.stringify(msg)}`);
  } finally {
    await c.close();
  }
}

async function checkNoTokenRejection(base) {
  let c;
  try {
    c = await connect(`${base}/ws`);
  } catch (e) {
    if (e.statusCode !== undefined) {
      assert([401, 403].includes(e.statusCode), `rejected with HTTP ${e.statusCode}, expected 401/403`);
      return;
    }
    throw e;
  }
  // Accepted: the server must close at once with 1008.
  try {
    await c.recv();
  } catch (e) {
    if (c.closed) {
      assert(c.closed.code === 1008, `closed with ${c.closed.code}, expected 1008`);
      return;
    }
    throw e;
  } finally {
    await c.close();
  }
  throw new Error('server accepted a connection without a token');
}

async function checkPingPong(base) {
  const c = await connect(`${base}/ws`, { headers: { Authorization: `Bearer ${makeToken()}` } });
  try {
    await c.recvType('connection_established');
    c.send({ type: 'ping' });
    const pong = await c.recvType('pong');
    assert(Number.isInteger(pong.timestamp) && pong.timestamp > 0, `bad timestamp: ${JSON.stringify(pong)}`);
    await c.ping('wscheck');
  } finally {
    await c.close();
  }
}

async function checkEcho(base) {
  const c = await connect(`${base}/ws?token=${makeToken()}`);
  try {
    await c.recvType('connection_established');
    const sent = { type: 'echo', payload: 'hello', n: 42, nested: { list: [1, 2, 3] } };
    c.send(sent);
    const reply = await c.recvType('echo_response');
    for (const key of ['payload', 'n', 'nested']) {
      assert(JSON.stringify(reply[key]) === JSON.stringify(sent[key]), `field ${key} differs: ${JSON.stringify(reply)}`);
    }
  } finally {
    await c.close();
  }
}

async function checkAgentEvents(base) {
  const c = await connect(`${base}/ws?token=${makeToken()}`);
  try {
    await c.recvType('connection_established');
    c.send({ type: 'user_message', content: 'What is the weather in Paris?' });
    const started = await c.recvType('agent_started');
    const runId = started.run_id;
    assert(typeof runId === 'string', `agent_started without a run_id: ${JSON.stringify(started)}`);
    for (const type of ['agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']) {
      const msg = await c.recv();
      assert(msg.type === type, `expected ${type}, got ${JSON.stringify(msg)}`);
      assert(msg.run_id === runId, `run_id changed: ${JSON.stringify(msg)}`);
    }
  } finally {
    await c.close();
  }
}

const CHECKS = [
  ['connect with token', checkConnectWithToken],
  ['no-token rejection', checkNoTokenRejection],
  ['ping/pong', checkPingPong],
  ['echo round-trip', checkEcho],
  ['agent events', checkAgentEvents],
];

function parseArgs(argv) {
  const args = { url: null, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--url') args.url = argv[++i];
    else if (a.startsWith('--url=')) args.url = a.slice(6);
    else if (a === '--only') args.only.push(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/baseline_node_checks.js --url ws://host:port [--only NAME ...]');
      process.exit(0);
    } else {
      console.error(`unknown argument: ${a}`);
      process.exit(2);
    }
  }
  if (!args.url) {
    console.error('--url is required');
    process.exit(2);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const base = args.url.replace(/\/+$/, '');
  let failed = 0;
  for (const [name, check] of CHECKS) {
    if (args.only.length && !args.only.includes(name)) continue;
    const t0 = process.hrtime.bigint();
    try {
      await check(base);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      console.log(`PASS ${name} (${ms.toFixed(1)} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e.message || e}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main();
