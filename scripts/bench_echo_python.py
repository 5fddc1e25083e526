#!/usr/bin/env python3
"""Baseline echo load client on Python `websockets` (Debian python3-websockets):
C connections, W messages in flight each, N messages per connection of B bytes,
every echo checked. Prints one JSON line.
Usage: /usr/bin/python3 scripts/bench_echo_python.py URL C W N B"""
import asyncio
import collections
import json
import sys
import time

import websockets


def payload(seq, conn, size):
    """A per-connection pattern with the sequence number in front."""
    return (seq.to_bytes(8, "little") + bytes([(conn * 7) & 0xFF]) * max(0, size - 8))[:size]


async def one(url, conn, window, n, size, stats):
    async with websockets.connect(url, compression=None, max_size=None) as ws:
        queue = collections.deque()
        sent = 0
        while sent < n and sent < window:
            queue.append(payload(sent, conn, size))
            await ws.send(queue[-1])
            sent += 1
        for _ in range(n):
            data = await ws.recv()
            if data != queue.popleft():
                stats["errors"] += 1
            stats["messages"] += 1
            if sent < n:
                queue.append(payload(sent, conn, size))
                await ws.send(queue[-1])
                sent += 1


async def main():
    url, c, w, n, b = sys.argv[1], *map(int, sys.argv[2:6])
    stats = {"messages": 0, "errors": 0}
    t0 = time.monotonic()
    await asyncio.gather(*(one(url, i, w, n, b, stats) for i in range(c)))
    s = time.monotonic() - t0
    print(json.dumps({"client": "python-websockets", "messages": stats["messages"], "seconds": s,
                      "rate": stats["messages"] / s, "errors": stats["errors"]}))


asyncio.run(main())
