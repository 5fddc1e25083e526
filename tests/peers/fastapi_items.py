#!/usr/bin/python3
"""FastAPI app shaped like the FastAPI documentation's WebSocket example, for
the "server's own words" diagnosis tests.

  WebSocket /items/{item_id}/ws?cookie_or_token=...
      cookie_or_token is a required query parameter: without it FastAPI
      raises WebSocketRequestValidationError before accept, uvicorn answers
      HTTP 403 and logs the validation error (query -> cookie_or_token).
      With it: accepts and echoes text as "item <id>: <text>".
  WebSocket /drop
      accepts, closes, then sends: the app raises
      RuntimeError: Unexpected ASGI message 'websocket.send' ...

Usage:
  /usr/bin/python3 tests/peers/fastapi_items.py [--port N] [--host 127.0.0.1]

Prints "LISTENING <port>" on stdout once it accepts connections; uvicorn's
log goes to stderr. SIGTERM / SIGINT stop it.
"""

import argparse
import asyncio
import socket
import sys

import uvicorn
from fastapi import FastAPI, Query, WebSocket

app = FastAPI()


@app.websocket("/items/{item_id}/ws")
async def items_ws(websocket: WebSocket, item_id: str, cookie_or_token: str = Query()):
    await websocket.accept()
    try:
        while True:
            text = await websocket.receive_text()
            await websocket.send_text(f"item {item_id}: {text}")
    except Exception:
        return


@app.websocket("/drop")
async def drop_ws(websocket: WebSocket):
    await websocket.accept()
    await websocket.receive_text()
    await websocket.close(code=1000)
    await websocket.send_text("too late")  # raises: the app's own bug, quoted by wscheck


async def main_async(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, ws="websockets", ws_ping_interval=None, ws_ping_timeout=None, lifespan="off",
                            log_level="info")
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
            return 1
        await asyncio.sleep(0.01)
    sys.stdout.write("LISTENING %d\n" % port)
    sys.stdout.flush()
    await task
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--host", default="127.0.0.1")
    return asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
