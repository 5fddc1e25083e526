#!/usr/bin/python3
"""The FastAPI docs' WebSocket chat ("Handling disconnections and multiple clients").

The `ConnectionManager` and the endpoint are the ones on FastAPI's WebSockets
page (connect / disconnect / send_personal_message / broadcast), with one
change: the room is part of the path, `/ws/{room}/{client_id}`, and each room
has its own ConnectionManager, so that concurrent test runs that pick
different rooms never see each other's messages.

  client sends TEXT      -> that client gets  "You wrote: TEXT"
                            the whole room gets "Client #ID says: TEXT"
  client disconnects     -> the room gets       "Client #ID left the chat"
  client_id not an int   -> FastAPI's path validation refuses the upgrade
                            (uvicorn answers HTTP 403)

Heartbeats: uvicorn sends WebSocket ping FRAMES every --ws-ping-ms (default
500) and closes a connection whose pong does not come within that time. With
--heartbeat-ms MS the app also sends the text message "heartbeat" to every
connection every MS (off by default).

Usage:
  /usr/bin/python3 tests/peers/fastapi_chat.py [--port N] [--ws-ping-ms MS]
                                               [--heartbeat-ms MS]
Binds 127.0.0.1 (ephemeral port unless --port), prints "LISTENING <port>" on
stdout once it accepts connections; everything else goes to stderr.
SIGTERM / SIGINT stop it (open WebSockets are closed with 1001 first).
"""

import argparse
import asyncio
import sys

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

import uvicorn_peer  # tests/peers/uvicorn_peer.py

app = FastAPI()
HEARTBEAT_S = 0.0


class ConnectionManager:
    """The docs' manager: the accepted WebSockets of one room."""

    def __init__(self):
        self.active_connections: list[WebSocket] = []

    async def connect(self, websocket: WebSocket):
        await websocket.accept()
        self.active_connections.append(websocket)

    def disconnect(self, websocket: WebSocket):
        self.active_connections.remove(websocket)

    async def send_personal_message(self, message: str, websocket: WebSocket):
        await websocket.send_text(message)

    async def broadcast(self, message: str):
        for connection in list(self.active_connections):
            await connection.send_text(message)


rooms: dict[str, ConnectionManager] = {}


def room_manager(room: str) -> ConnectionManager:
    if room not in rooms:
        rooms[room] = ConnectionManager()
    return rooms[room]


async def heartbeat(websocket: WebSocket):
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        await websocket.send_text("heartbeat")


@app.websocket("/ws/{room}/{client_id}")
async def websocket_endpoint(websocket: WebSocket, room: str, client_id: int):
    manager = room_manager(room)
    await manager.connect(websocket)
    beats = asyncio.ensure_future(heartbeat(websocket)) if HEARTBEAT_S > 0 else None
    try:
        while True:
            data = await websocket.receive_text()
            await manager.send_personal_message(f"You wrote: {data}", websocket)
            await manager.broadcast(f"Client #{client_id} says: {data}")
    except (WebSocketDisconnect, RuntimeError):
        # RuntimeError: closed by shutdown() under our feet.
        manager.disconnect(websocket)
        await manager.broadcast(f"Client #{client_id} left the chat")
    finally:
        if beats:
            beats.cancel()
        if not manager.active_connections:
            rooms.pop(room, None)


Server = uvicorn_peer.closing_server(lambda: [ws for m in rooms.values() for ws in m.active_connections])


async def main_async(args):
    global HEARTBEAT_S
    HEARTBEAT_S = args.heartbeat_ms / 1000.0
    ping_s = args.ws_ping_ms / 1000.0 if args.ws_ping_ms > 0 else None
    return await uvicorn_peer.serve(app, args.host, args.port, "fastapi_chat", server_class=Server, ws_ping_s=ping_s)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--ws-ping-ms", type=int, default=500,
                   help="uvicorn's WebSocket ping interval and timeout (0: off)")
    p.add_argument("--heartbeat-ms", type=int, default=0,
                   help="also send the text 'heartbeat' every MS (0: off)")
    return asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
