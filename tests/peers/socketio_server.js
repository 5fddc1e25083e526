// A Node socket.io server (npm socket.io 4), written the way the socket.io docs
// show (middleware for auth, namespaces, acknowledgements), for the diagnosis
// and Socket.IO end-to-end tests. Its raw WebSocket transport lives at
// /socket.io/?EIO=4&transport=websocket, and a GET /socket.io/ without the
// query answers 400 "Transport unknown".
//
// Usage: node tests/peers/socketio_server.js [--port N] [--ping-interval MS] [--ping-timeout MS]
// Prints "LISTENING <port>" on stdout once it accepts connections; SIGTERM /
// SIGINT stop it. The protocol is the one of tests/peers/socketio_py_server.py:
// - Engine.IO heartbeat "2" every --ping-interval ms (default 300); the session
//   is closed when "3" does not come back within --ping-timeout ms (default 1000).
// - Namespace "/": a middleware refuses a CONNECT whose auth is not
//   {"token": "s3cret"} with 44{"message":"invalid token"}. On connection the
//   server emits "welcome" {"user": "alice"} (socket.io sends it AFTER the
//   namespace ack 40{"sid":...}).
// - Events on "/": "echo" X -> "echo" X; "sum" a, b with an ack -> [a+b];
//   "whoami" with an ack -> [{"sid": SID}]; "quiz" -> emits "question"
//   {"q": "2+2"} with an ack callback (42N[...]); the client's 43N[ANSWER]
//   makes the server emit "verdict" {"answer": ANSWER, "correct": ANSWER === 4}.
// - Namespace "/admin": auth {"token": "admin-s3cret"} only, else
//   44/admin,{"message":"admins only"}; "stats" with an ack -> [{"clients": N}].
"use strict";

const http = require("http");
const { Server } = require("socket.io");

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}
const port = option("--port", 0);
const pingInterval = option("--ping-interval", 300);
const pingTimeout = option("--ping-timeout", 1000);

const httpServer = http.createServer((req, res) => {
  res.writeHead(404, { "Content-Type": "text/plain" });
  res.end("not found\n");
});
const io = new Server(httpServer, { pingInterval, pingTimeout });

function requireToken(token, message) {
  return (socket, next) => {
    const auth = socket.handshake.auth || {};
    if (auth.token === token) next();
    else next(new Error(message));
  };
}

io.use(requireToken("s3cret", "invalid token"));
io.on("connection", (socket) => {
  socket.emit("welcome", { user: "alice" });
  socket.on("echo", (value) => socket.emit("echo", value));
  socket.on("sum", (a, b, callback) => {
    if (typeof callback === "function") callback(a + b);
  });
  socket.on("whoami", (callback) => {
    if (typeof callback === "function") callback({ sid: socket.id });
  });
  socket.on("quiz", () => {
    socket.emit("question", { q: "2+2" }, (answer) => {
      socket.emit("verdict", { answer, correct: answer === 4 });
    });
  });
});

const admin = io.of("/admin");
admin.use(requireToken("admin-s3cret", "admins only"));
admin.on("connection", (socket) => {
  socket.on("stats", (callback) => {
    if (typeof callback === "function") callback({ clients: io.of("/").sockets.size });
  });
});

httpServer.listen(port, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
});

function stop() {
  io.close();
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
