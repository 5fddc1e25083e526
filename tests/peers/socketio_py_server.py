#!/usr/bin/python3
"""Socket.IO peer server written with python-socketio (AsyncServer + ASGIApp under uvicorn).

Built the way the python-socketio docs show (Debian python3-socketio 5.7.2,
python3-engineio 4.3.4), not to wscheck's needs. Clients use the raw
WebSocket transport: ws://127.0.0.1:PORT/socket.io/?EIO=4&transport=websocket

Protocol (the same as tests/peers/socketio_server.js):
- Engine.IO heartbeat: the server sends "2" every --ping-interval seconds
  (default 0.3) and closes the session when "3" does not come back within
  --ping-timeout seconds (default 1.0).
- Namespace "/": the CONNECT auth must be {"token": "s3cret"}; otherwise the
  connect handler raises ConnectionRefusedError and the client gets
  44{"message":"invalid token"}. The connect handler emits
  "welcome" {"user": "alice"} to the new client, which python-socketio sends
  BEFORE the namespace ack 40{"sid":...}.
- Events on "/": "echo" X -> emits "echo" X back; "sum" a, b with an ack id ->
  ack [a+b]; "whoami" with an ack id -> ack [{"sid": SID}]; "quiz" -> emits
  "question" {"q": "2+2"} with an ack callback (42N[...]); when the client acks
  it with 43N[ANSWER] the server emits "verdict" {"answer": ANSWER,
  "correct": ANSWER == 4}.
- Namespace "/admin": auth {"token": "admin-s3cret"} only, else
  44/admin,{"message":"admins only"}; "stats" with an ack id -> ack
  [{"clients": N}] (N = clients connected to "/").

Prints one line "LISTENING <port>" on stdout once it accepts connections,
logs to stderr, exits 0 on SIGTERM. Usage:
  /usr/bin/python3 tests/peers/socketio_py_server.py [--port N] [--ping-interval S] [--ping-timeout S]
"""
import argparse
import asyncio
import sys

import socketio

import uvicorn_peer

USER_TOKEN = "s3cret"
ADMIN_TOKEN = "admin-s3cret"


def token_of(auth):
    return auth.get("token") if isinstance(auth, dict) else None


def build_app(ping_interval, ping_timeout):
    sio = socketio.AsyncServer(async_mode="asgi", ping_interval=ping_interval, ping_timeout=ping_timeout,
                               cors_allowed_origins="*")
    clients = set()

    @sio.event
    async def connect(sid, environ, auth):
        if token_of(auth) != USER_TOKEN:
            raise socketio.exceptions.ConnectionRefusedError("invalid token")
        clients.add(sid)
        await sio.emit("welcome", {"user": "alice"}, to=sid)

    @sio.event
    async def disconnect(sid):
        clients.discard(sid)

    @sio.event
    async def echo(sid, data):
        await sio.emit("echo", data, to=sid)

    @sio.on("sum")
    async def add(sid, a, b):
        return a + b

    @sio.event
    async def whoami(sid):
        return {"sid": sid}

    @sio.event
    async def quiz(sid, *args):
        async def on_answer(answer=None, *rest):
            await sio.emit("verdict", {"answer": answer, "correct": answer == 4}, to=sid)
        await sio.emit("question", {"q": "2+2"}, to=sid, callback=on_answer)

    @sio.on("connect", namespace="/admin")
    async def admin_connect(sid, environ, auth):
        if token_of(auth) != ADMIN_TOKEN:
            raise socketio.exceptions.ConnectionRefusedError("admins only")

    @sio.on("stats", namespace="/admin")
    async def stats(sid, *args):
        return {"clients": len(clients)}

    return socketio.ASGIApp(sio)


async def main_async(args):
    app = build_app(args.ping_interval, args.ping_timeout)
    return await uvicorn_peer.serve(app, args.host, args.port, "socketio_py_server")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--ping-interval", type=float, default=0.3)
    p.add_argument("--ping-timeout", type=float, default=1.0)
    return asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
