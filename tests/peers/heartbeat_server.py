#!/usr/bin/python3
"""Heartbeat WebSocket peer for wscheck's background-rule tests (python3-websockets).

Usage:
  /usr/bin/python3 tests/peers/heartbeat_server.py [--port N] [--interval-ms 200] [--timeout-ms 300]

Binds 127.0.0.1 (ephemeral port unless --port) and prints one line
"LISTENING <port>" once it accepts connections. SIGTERM / SIGINT exit 0.

The upgrade selects the subprotocol "hb.v1" when the client offers it (none
otherwise) and always sets the response header "X-Heartbeat-Ms: <interval>".

Paths:
  /hb (any path but /ka)  Engine.IO-style heartbeat: the server sends the text
                          "2" every interval; when a "2" stays unanswered by a
                          "3" for longer than the timeout it closes with 4000
                          "heartbeat timeout".
  /ka                     keep-alive noise: {"type":"ka"} every 100 ms, no
                          heartbeat.
On both: "echo:X" -> {"type":"echo","text":"X"};
"stats" -> {"type":"stats","pongs":N,"pings":M} (heartbeats answered / sent).
"""

import argparse
import asyncio
import json
import signal
import sys
import time

import websockets


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--interval-ms", type=int, default=200)
    p.add_argument("--timeout-ms", type=int, default=300)
    return p.parse_args()


ARGS = parse_args()


async def heartbeat(ws, state):
    interval, timeout = ARGS.interval_ms / 1000, ARGS.timeout_ms / 1000
    next_ping = time.monotonic() + interval
    while True:
        await asyncio.sleep(0.02)
        now = time.monotonic()
        if state["unanswered_since"] is not None and now - state["unanswered_since"] > timeout:
            await ws.close(4000, "heartbeat timeout")
            return
        if now >= next_ping:
            next_ping = now + interval
            if state["unanswered_since"] is None:
                state["unanswered_since"] = now
            state["pings"] += 1
            await ws.send("2")


async def keepalive(ws):
    while True:
        await asyncio.sleep(0.1)
        await ws.send(json.dumps({"type": "ka"}))


async def handler(ws):
    state = {"unanswered_since": None, "pings": 0, "pongs": 0}
    noise = asyncio.ensure_future(keepalive(ws) if ws.path.startswith("/ka") else heartbeat(ws, state))
    try:
        async for message in ws:
            if message == "3":
                state["pongs"] += 1
                state["unanswered_since"] = None
            elif isinstance(message, str) and message.startswith("echo:"):
                await ws.send(json.dumps({"type": "echo", "text": message[5:]}))
            elif message == "stats":
                await ws.send(json.dumps({"type": "stats", "pongs": state["pongs"], "pings": state["pings"]}))
    except websockets.ConnectionClosed:
        pass
    finally:
        noise.cancel()


async def main():
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with websockets.serve(handler, "127.0.0.1", ARGS.port, subprotocols=["hb.v1"],
                                extra_headers={"X-Heartbeat-Ms": str(ARGS.interval_ms)}) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"LISTENING {port}", flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
