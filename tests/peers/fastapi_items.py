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
import sys

import uvicorn
from fastapi import FastAPI, Query, WebSocket

import uvicorn_peer  # tests/peers/uvicorn_peer.py

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
    # uvicorn's own log configuration: the app's traceback is what the
    # diagnosis tests quote from the managed server's output.
    return await uvicorn_peer.serve(app, args.host, args.port, "fastapi_items",
                                    log_config_dict=uvicorn.config.LOGGING_CONFIG)



def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--host", default="127.0.0.1")
    return asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
