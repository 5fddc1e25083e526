// A GraphQL over WebSocket server (npm graphql-ws + graphql + ws) set up as
// graphql-ws's own docs show: `useServer(options, wsServer, keepAlive)` from
// 'graphql-ws/use/ws' (the path graphql-ws 6 exports; 5.x had
// 'graphql-ws/lib/use/ws'), subprotocol `graphql-transport-ws` (see
// node_modules/graphql-ws/PROTOCOL.md).
//
// Usage: node tests/peers/graphql_ws_server.js [--port N] [--keepalive-ms MS]
//                                              [--protocol-ping-ms MS]
// Prints "LISTENING <port>" on stdout once it accepts connections at /graphql.
//
// Schema:
//   type Query        { hello(name: String): String }
//   type Subscription { countdown(from: Int!, stopAt: Int): Int }
// `countdown` yields from, from-1, ..., 1 (every 20 ms) and completes; with
// `stopAt: K` it completes early, right after yielding K.
//
// onConnect accepts only connectionParams {"token": "let-me-in"}; any other
// token makes graphql-ws close the socket with 4403 Forbidden.
//
// Heartbeats:
//   --keepalive-ms MS    useServer's keepAlive: WebSocket ping FRAMES every MS
//                        (a socket that misses a pong for MS is terminated).
//                        Default 12000, as in graphql-ws.
//   --protocol-ping-ms MS  additionally send the protocol's own
//                        {"type":"ping"} MESSAGE every MS (the docs' recipe
//                        "ws server with subprotocol pings and pongs"); a
//                        client that does not answer {"type":"pong"} within MS
//                        is closed with 4000 "pong timeout". Off by default.
// SIGTERM / SIGINT stop it.
"use strict";

const http = require("http");
const { WebSocketServer } = require("ws");
const { useServer } = require("graphql-ws/use/ws");
const { MessageType, stringifyMessage } = require("graphql-ws");
const { buildSchema } = require("graphql");

function option(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}
const port = option("--port", 0);
const keepAliveMs = option("--keepalive-ms", 12000);
const protocolPingMs = option("--protocol-ping-ms", 0);
const TOKEN = "let-me-in";

const schema = buildSchema(`
  type Query { hello(name: String): String }
  type Subscription { countdown(from: Int!, stopAt: Int): Int }
`);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// graphql-js roots for a buildSchema schema: a subscription field's root value
// is a function returning an AsyncIterable of the events.
const roots = {
  query: { hello: ({ name }) => `Hello, ${name || "world"}!` },
  subscription: {
    countdown: async function* ({ from, stopAt }) {
      for (let i = from; i >= 1; i--) {
        await sleep(20);
        yield { countdown: i };
        if (stopAt !== undefined && stopAt !== null && i === stopAt) return;
      }
    },
  },
};

const httpServer = http.createServer((req, res) => {
  res.writeHead(404, { "Content-Type": "text/plain" });
  res.end("not found\n");
});
const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });

// Subprotocol pings (the server side of the protocol's Ping/Pong): one timer
// per socket, the pong is reported by graphql-ws through `onPong` below.
const pongWaits = new Map();
if (protocolPingMs > 0) {
  wsServer.on("connection", (socket) => {
    const pinger = setInterval(() => {
      if (socket.readyState !== socket.OPEN || pongWaits.has(socket)) return;
      socket.send(stringifyMessage({ type: MessageType.Ping }));
      pongWaits.set(socket, setTimeout(() => socket.close(4000, "pong timeout"), protocolPingMs));
    }, protocolPingMs);
    socket.once("close", () => {
      clearInterval(pinger);
      clearTimeout(pongWaits.get(socket));
      pongWaits.delete(socket);
    });
  });
}

useServer(
  {
    schema,
    roots,
    onConnect: (ctx) => {
      const token = ctx.connectionParams && ctx.connectionParams.token;
      if (token !== TOKEN) {
        process.stderr.write(`[graphql_ws_server] refusing connectionParams token ${JSON.stringify(token)}\n`);
        return false; // graphql-ws closes with 4403 Forbidden
      }
      return true;
    },
    onPong: (ctx) => {
      const socket = ctx.extra.socket;
      clearTimeout(pongWaits.get(socket));
      pongWaits.delete(socket);
    },
  },
  wsServer,
  keepAliveMs,
);

httpServer.listen(port, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
});

function stop() {
  for (const client of wsServer.clients) client.close(1001, "Going away");
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
