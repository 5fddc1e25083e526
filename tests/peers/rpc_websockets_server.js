// A JSON-RPC 2.0 server built with npm rpc-websockets as its README shows:
// `new Server({port, host})`, `server.register(name, fn)` (with
// `.protected()`), `server.setAuth(fn)` for `rpc.login`, `server.event(name)`
// and `server.emit(name, ...)`. Clients subscribe to an event with the
// library's `rpc.on` method and then receive {"notification": NAME, "params": ...}.
// A JSON array of requests is a batch: the library answers with one array.
//
// Usage: node tests/peers/rpc_websockets_server.js [--port N] [--heartbeat-ms MS]
// Prints "LISTENING <port>" on stdout once it accepts connections (path "/").
//
// Methods:  sum([a, b]) -> a + b; echo(x) -> x; fail() -> JSON-RPC error
//           announce({room, text}) emits event "news" {room, text};
//           secret() -> "42", protected: only after rpc.login
//           {"username": "admin", "password": "hunter2"} (else error -32605
//           "Method forbidden"; a wrong login answers result false).
// Events:   "news" (announce), "heartbeat" (see below).
//
// Heartbeat (rpc-websockets has none of its own; added here):
//   every MS (default 500) the server sends a WebSocket ping FRAME to every
//   socket and terminates one that did not answer the previous ping (the ws
//   README's "detect broken connections" pattern), and emits the event
//   "heartbeat" {"seq": N} to its subscribers. A subscriber must answer each
//   with the notification {"jsonrpc":"2.0","method":"heartbeat.ack","params":[N]}
//   (no id, so no reply); one that leaves a heartbeat unanswered for 2 * MS
//   is closed with 4000 "heartbeat not acknowledged".
// SIGTERM / SIGINT stop it.
"use strict";

const { Server } = require("rpc-websockets");

function option(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}
const port = option("--port", 0);
const heartbeatMs = option("--heartbeat-ms", 500);

const server = new Server({ port, host: "127.0.0.1" });

server.register("sum", (params) => params[0] + params[1]);
server.register("echo", (params) => params);
server.register("fail", () => {
  throw new Error("this method always fails");
});
server.event("news");
server.register("announce", (params) => {
  server.emit("news", { room: params.room, text: params.text });
  return "sent";
});
server.setAuth((params) => params.username === "admin" && params.password === "hunter2");
server.register("secret", () => "42").protected();

// Heartbeat: unacknowledged sequence numbers per socket id.
server.event("heartbeat");
const pendingAcks = new Map(); // socket id -> {seq, sentAt}
let seq = 0;
server.register("heartbeat.ack", (params, socketId) => {
  const pending = pendingAcks.get(socketId);
  if (pending && Array.isArray(params) && Number(params[0]) >= pending.seq) pendingAcks.delete(socketId);
});

function subscribersOf(event) {
  const ns = server.namespaces["/"];
  return ns ? ns.events[event].sockets.map((id) => [id, ns.clients.get(id)]).filter(([, s]) => s) : [];
}

const alive = new WeakMap();
const timer = setInterval(() => {
  for (const socket of server.wss.clients) {
    if (alive.get(socket) === false) {
      socket.terminate();
      continue;
    }
    alive.set(socket, false);
    socket.ping();
  }
  seq += 1;
  const now = Date.now();
  for (const [id, socket] of subscribersOf("heartbeat")) {
    const pending = pendingAcks.get(id);
    if (pending && now - pending.sentAt >= 2 * heartbeatMs) {
      socket.close(4000, "heartbeat not acknowledged");
      pendingAcks.delete(id);
    } else if (!pending) {
      pendingAcks.set(id, { seq, sentAt: now });
    }
  }
  server.emit("heartbeat", { seq });
}, heartbeatMs);

server.wss.on("connection", (socket) => {
  alive.set(socket, true);
  socket.on("pong", () => alive.set(socket, true));
});
server.on("disconnection", (socket) => pendingAcks.delete(socket._id));

server.on("listening", () => {
  process.stdout.write(`LISTENING ${server.wss.address().port}\n`);
});

function stop() {
  clearInterval(timer);
  for (const client of server.wss.clients) client.close(1001, "Going away");
  server.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
