#!/usr/bin/env node
// Reference-protocol peer server written with node's http module + the `ws`
// package (npm, ^8). See tests/peers/README.md and
// docs/reference-server.md, "Protocol".
//
// Usage: node tests/peers/node_ws_server.js [--port N] [--host 127.0.0.1]
//                                           [--jwt-secret S]
// (run `npm install` in tests/peers first.)
//
// Binds 127.0.0.1 on an ephemeral port unless --port is given and prints
// exactly one line "LISTENING <port>" on stdout; all logging goes to stderr.
// SIGTERM / SIGINT close every connection (1001) and exit 0.
'use strict';

const http = require('http');
const crypto = require('crypto');
const { WebSocketServer } = require('ws');

function parseArgs(argv) {
  const opts = { port: 0, host: '127.0.0.1', secret: process.env.JWT_SECRET || 'test-secret' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '--port') opts.port = parseInt(val(), 10);
    else if (a.startsWith('--port=')) opts.port = parseInt(a.slice(7), 10);
    else if (a === '--host') opts.host = val();
    else if (a === '--jwt-secret') opts.secret = val();
    else if (a === '-h' || a === '--help') usage(null);
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
  return opts;
}

function usage(err) {
  const text = 'usage: node node_ws_server.js [--port N] [--host ADDR] [--jwt-secret S]\n';
  if (err) {
    process.stderr.write(`node_ws_server: ${err}\n${text}`);
    process.exit(2);
  }
  process.stdout.write(text);
  process.exit(0);
}

const opts = parseArgs(process.argv.slice(2));

function log(...args) {
  process.stderr.write('[node_ws_server] ' + args.join(' ') + '\n');
}

function b64urlDecode(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('bad base64url');
  return Buffer.from(s, 'base64url');
}

// Verify an HS256 JWT; returns the claims or null.
function verifyJwt(token) {
  if (!token) return null;
  try {
    const parts = token.split('.');
    if (parts.length !== 3) throw new Error('not three segments');
    const header = JSON.parse(b64urlDecode(parts[0]).toString('utf8'));
    if (!header || header.alg !== 'HS256') throw new Error(`alg ${header && header.alg} not allowed`);
    const expected = crypto.createHmac('sha256', opts.secret)
      .update(parts[0] + '.' + parts[1]).digest();
    const got = b64urlDecode(parts[2]);
    if (got.length !== expected.length || !crypto.timingSafeEqual(got, expected)) {
      throw new Error('bad signature');
    }
    const claims = JSON.parse(b64urlDecode(parts[1]).toString('utf8'));
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
      throw new Error('claims not an object');
    }
    const now = Date.now() / 1000;
    if (claims.exp !== undefined && !(typeof claims.exp === 'number' && now < claims.exp)) {
      throw new Error('expired');
    }
    if (claims.nbf !== undefined && !(typeof claims.nbf === 'number' && now >= claims.nbf)) {
      throw new Error('not yet valid');
    }
    return claims;
  } catch (e) {
    log('rejecting token:', e.message);
    return null;
  }
}

function parseCookies(header) {
  const out = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    if (!(k in out)) out[k] = part.slice(eq + 1).trim();
  }
  return out;
}

function offeredProtocols(req) {
  const h = req.headers['sec-websocket-protocol'];
  return h ? h.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

// Returns {token, subprotocol} from query, Authorization, subprotocol, cookie.
function findToken(req) {
  const url = new URL(req.url, 'http://localhost');
  const q = url.searchParams.get('token');
  if (q) return { token: q, subprotocol: null };
  const auth = req.headers.authorization || '';
  if (auth.slice(0, 7).toLowerCase() === 'bearer ') return { token: auth.slice(7).trim(), subprotocol: null };
  for (const p of offeredProtocols(req)) {
    if (p.startsWith('jwt.')) return { token: p.slice(4), subprotocol: p };
  }
  const c = parseCookies(req.headers.cookie).token;
  if (c) return { token: c, subprotocol: null };
  return { token: null, subprotocol: null };
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/health') {
    const body = JSON.stringify({ status: 'ok' });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const body = JSON.stringify({ detail: 'Not Found' });
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (protocols, req) => req.wscheckSubprotocol || false,
});

function reject(socket, status, reason, body) {
  const b = body || '';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(b)}\r\n\r\n` + b);
}

server.on('upgrade', (req, socket, head) => {
  socket.on('error', (e) => log('socket error during upgrade:', e.message));
  const path = new URL(req.url, 'http://localhost').pathname;
  if (path !== '/ws') {
    reject(socket, 404, 'Not Found', JSON.stringify({ detail: 'Not Found' }));
    return;
  }
  const { token, subprotocol } = findToken(req);
  const claims = verifyJwt(token);
  if (!claims) {
    reject(socket, 403, 'Forbidden', JSON.stringify({ detail: token ? 'invalid token' : 'missing token' }));
    return;
  }
  req.wscheckClaims = claims;
  req.wscheckSubprotocol = subprotocol;
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

function send(ws, obj) {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(obj));
}

function handleText(ws, text) {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch (e) {
    send(ws, { type: 'error', code: 'invalid_json', message: 'message is not valid JSON' });
    return;
  }
  const type = msg !== null && typeof msg === 'object' && !Array.isArray(msg) ? msg.type : undefined;
  if (type === 'ping') {
    send(ws, { type: 'pong', timestamp: Date.now() });
  } else if (type === 'echo') {
    send(ws, Object.assign({}, msg, { type: 'echo_response' }));
  } else if (type === 'user_message') {
    const runId = crypto.randomUUID();
    const content = msg.content === undefined ? null : msg.content;
    const events = [
      ['agent_started', { content }],
      ['agent_thinking', { thought: 'thinking about the request' }],
      ['tool_executing', { tool: 'search', input: content }],
      ['tool_completed', { tool: 'search', result: 'ok' }],
      ['agent_completed', { response: `done: ${typeof content === 'string' ? content : JSON.stringify(content)}` }],
    ];
    for (const [t, data] of events) send(ws, { type: t, run_id: runId, data });
  } else {
    send(ws, { type: 'error', code: 'unknown_type', message: `unknown message type: ${JSON.stringify(type)}` });
  }
}

wss.on('connection', (ws, req) => {
  const claims = req.wscheckClaims;
  log('connection open', req.socket.remoteAddress + ':' + req.socket.remotePort);
  ws.on('error', (e) => log('ws error:', e.message));
  ws.on('close', (code) => log('connection closed', code));
  // Frame-level pings are answered automatically by ws (autoPong).
  ws.on('message', (data, isBinary) => handleText(ws, data.toString('utf8')));
  send(ws, { type: 'connection_established', user_id: String(claims.sub === undefined ? '' : claims.sub) });
});

server.on('clientError', (err, socket) => {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
});

let stopping = false;
function shutdown(sig) {
  if (stopping) return;
  stopping = true;
  log(`${sig}: shutting down`);
  for (const ws of wss.clients) ws.close(1001, 'server shutting down');
  server.close(() => process.exit(0));
  if (server.closeAllConnections) server.closeAllConnections();
  setTimeout(() => {
    for (const ws of wss.clients) ws.terminate();
    process.exit(0);
  }, 1000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.on('error', (e) => {
  log('server error:', e.message);
  process.exit(1);
});

server.listen(opts.port, opts.host, () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
