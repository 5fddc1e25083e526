// A stock Node socket.io server (npm socket.io), for the diagnosis tests:
// its raw WebSocket transport lives at /socket.io/?EIO=4&transport=websocket,
// and a GET /socket.io/ without the query answers 400 "Transport unknown".
//
// Usage: node tests/peers/socketio_server.js [--port N]
// Prints "LISTENING <port>" on stdout once it accepts connections. A client
// that sends the socket.io CONNECT packet "40" gets "40{"sid":...}"; an
// event ["echo", X] is answered with ["echo", X]. SIGTERM / SIGINT stop it.
"use strict";

const http = require("http");
const { Server } = require("socket.io");

const args = process.argv.slice(2);
const portIndex = args.indexOf("--port");
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 0;

const httpServer = http.createServer((req, res) => {
  res.writeHead(404, { "Content-Type": "text/plain" });
  res.end("not found\n");
});
const io = new Server(httpServer, { pingInterval: 25000, pingTimeout: 20000 });
io.on("connection", (socket) => {
  socket.on("echo", (value) => socket.emit("echo", value));
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
