#!/usr/bin/python3
"""Reference-protocol peer server written with FastAPI + uvicorn.

Speaks the wscheck "reference server protocol" (see docs/reference-server.md):

  GET /health          -> 200 {"status":"ok"}
  WebSocket /ws        -> HS256 JWT required (query ?token=, Authorization:
                          Bearer, Sec-WebSocket-Protocol jwt.<token>, or a
                          cookie named token); missing/invalid -> HTTP 403.

Usage:
  /usr/bin/python3 tests/peers/fastapi_server.py [--port N] [--host 127.0.0.1]
                                                 [--jwt-secret S]

Binds 127.0.0.1 on an ephemeral port unless --port is given, prints exactly
one line "LISTENING <port>" to stdout once it accepts connections; all other
output goes to stderr. SIGTERM / SIGINT stop it cleanly.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import uuid

import jwt
from fastapi import FastAPI, WebSocket
from fastapi.responses import JSONResponse
from starlette.websockets import WebSocketDisconnect

import uvicorn_peer  # tests/peers/uvicorn_peer.py

app = FastAPI()
ACTIVE = set()  # accepted WebSockets, closed with 1001 on shutdown
JWT_SECRET = os.environ.get("JWT_SECRET", "test-secret")
SUBPROTOCOL_PREFIX = "jwt."


def log(*args):
    print("[fastapi_server]", *args, file=sys.stderr, flush=True)


def verify(token):
    """Return the claims of a valid HS256 token, or None."""
    if not token:
        return None
    try:
        return jwt.decode(token, JWT_SECRET, algorithms=["HS256"],
                          options={"verify_aud": False})
    except jwt.PyJWTError as e:
        log("rejecting token:", type(e).__name__, e)
        return None


def find_token(ws):
    """Return (token, subprotocol_to_echo) from the first place that has one."""
    tok = ws.query_params.get("token")
    if tok:
        return tok, None
    auth = ws.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip(), None
    for proto in ws.scope.get("subprotocols") or []:
        if proto.startswith(SUBPROTOCOL_PREFIX):
            return proto[len(SUBPROTOCOL_PREFIX):], proto
    tok = ws.cookies.get("token")
    if tok:
        return tok, None
    return None, None


@app.get("/health")
async def health():
    return JSONResponse({"status": "ok"})


def now_ms():
    return int(time.time() * 1000)


async def handle_message(ws, text):
    try:
        msg = json.loads(text)
    except (ValueError, TypeError):
        await ws.send_text(json.dumps({"type": "error", "code": "invalid_json",
                                       "message": "message is not valid JSON"}))
        return
    mtype = msg.get("type") if isinstance(msg, dict) else None
    if mtype == "ping":
        await ws.send_text(json.dumps({"type": "pong", "timestamp": now_ms()}))
    elif mtype == "echo":
        reply = dict(msg)
        reply["type"] = "echo_response"
        await ws.send_text(json.dumps(reply))
    elif mtype == "user_message":
        run_id = uuid.uuid4().hex
        content = msg.get("content")
        events = [
            ("agent_started", {"content": content}),
            ("agent_thinking", {"thought": "thinking about the request"}),
            ("tool_executing", {"tool": "search", "input": content}),
            ("tool_completed", {"tool": "search", "result": "ok"}),
            ("agent_completed", {"response": "done: %s" % (content,)}),
        ]
        for etype, data in events:
            await ws.send_text(json.dumps({"type": etype, "run_id": run_id,
                                           "data": data}))
    else:
        await ws.send_text(json.dumps({"type": "error", "code": "unknown_type",
                                       "message": "unknown message type: %r" % (mtype,)}))


@app.websocket("/ws")
async def ws_endpoint(ws: WebSocket):
    token, subprotocol = find_token(ws)
    claims = verify(token)
    if claims is None:
        # Before accept, uvicorn turns this into an HTTP 403 response.
        await ws.close(code=1008)
        return
    await ws.accept(subprotocol=subprotocol)
    ACTIVE.add(ws)
    try:
        await ws.send_text(json.dumps({"type": "connection_established",
                                       "user_id": str(claims.get("sub", ""))}))
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                try:
                    text = message["bytes"].decode("utf-8")
                except UnicodeDecodeError:
                    text = ""
            await handle_message(ws, text)
    except (WebSocketDisconnect, RuntimeError):
        # RuntimeError: the socket was closed by shutdown() under our feet.
        return
    finally:
        ACTIVE.discard(ws)


Server = uvicorn_peer.closing_server(lambda: ACTIVE)


async def main_async(args):
    global JWT_SECRET
    if args.jwt_secret is not None:
        JWT_SECRET = args.jwt_secret
    return await uvicorn_peer.serve(app, args.host, args.port, "fastapi_server", server_class=Server)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--jwt-secret", default=None,
                   help="HS256 secret (default: $JWT_SECRET or 'test-secret')")
    args = p.parse_args()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
