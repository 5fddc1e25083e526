#!/usr/bin/python3
"""Hand-written WebSocket smoke checks: the baseline wscheck is compared with.

This is the kind of script a backend team writes today: Python asyncio, the
`websockets` package (10.4, legacy asyncio client) and PyJWT. It performs the
same five checks as wscheck's bundled scenarios (scenarios/*.json):

  1. connect with token   JWT (HS256) in ?token=, greeted with connection_established/user_id
  2. no-token rejection   upgrade refused with HTTP 401/403 (or accept + close 1008)
  3. ping/pong            {"type":"ping"} -> pong with integer timestamp; then a ping frame
  4. echo round-trip      {"type":"echo",...} comes back as echo_response with every field
  5. agent events         user_message -> five events in order, same run_id

Usage:
  /usr/bin/python3 scripts/baseline_python_checks.py --url ws://127.0.0.1:PORT [--only NAME ...]

Prints one line per check; exit 0 if all pass, 1 otherwise.
"""

import argparse
import asyncio
import json
import os
import sys
import time

import jwt
import websockets

TIMEOUT = 5.0  # seconds, for every connect / recv / pong wait
JWT_SECRET = os.environ.get("JWT_SECRET", "test-secret")


def make_token(sub="test-user", expires_in=900):
    now = int(time.time())
    return jwt.encode({"sub": sub, "iat": now, "exp": now + expires_in}, JWT_SECRET, algorithm="HS256")


async def connect(url, **kwargs):
    return await asyncio.wait_for(websockets.connect(url, **kwargs), TIMEOUT)


async def recv_json(ws):
    raw = await asyncio.wait_for(ws.recv(), TIMEOUT)
    return json.loads(raw)


async def recv_type(ws, wanted):
    """Skip other messages until one of type `wanted` arrives (TIMEOUT per recv)."""
    while True:
        msg = await recv_json(ws)
        if msg.get("type") == wanted:
            return msg


# ------------------------------------------------------------------ checks

async def check_connect_with_token(base):
    ws = await connect(f"{base}/ws?token={make_token()}")
    try:
        msg = await recv_json(ws)
        assert msg.get("type") == "connection_established", f"unexpected first message: {msg}"
        assert msg.get("user_id") == "test-user", f"wrong user_id: {msg}"
    finally:
        await ws.close(code=1000)


async def check_no_token_rejection(base):
    try:
        ws = await connect(f"{base}/ws")
    except websockets.exceptions.InvalidStatusCode as e:
        assert e.status_code in (401, 403), f"rejected with HTTP {e.status_code}, expected 401/403"
        return
    # Accepted: the server must close at once with 1008 (policy violation).
    try:
        await asyncio.wait_for(ws.recv(), TIMEOUT)
    except websockets.exceptions.ConnectionClosed as e:
        assert e.code == 1008, f"closed with {e.code}, expected 1008"
        return
    finally:
        await ws.close()
    raise AssertionError("server accepted a connection without a token")


async def check_ping_pong(base):
    ws = await connect(f"{base}/ws", extra_headers={"Authorization": f"Bearer {make_token()}"})
    try:
        await recv_type(ws, "connection_established")
        # application-level ping
        await ws.send(json.dumps({"type": "ping"}))
        pong = await recv_type(ws, "pong")
        ts = pong.get("timestamp")
        assert isinstance(ts, int) and not isinstance(ts, bool) and ts > 0, f"bad timestamp: {pong}"
        # frame-level ping
        waiter = await ws.ping(b"wscheck")
        await asyncio.wait_for(waiter, TIMEOUT)
    finally:
        await ws.close(code=1000)


async def check_echo(base):
    ws = await connect(f"{base}/ws?token={make_token()}")
    try:
        await recv_type(ws, "connection_established")
        sent = {"type": "echo", "payload": "hello", "n": 42, "nested": {"list": [1, 2, 3]}}
        await ws.send(json.dumps(sent))
        reply = await recv_type(ws, "echo_response")
        for key in ("payload", "n", "nested"):
            assert reply.get(key) == sent[key], f"field {key!r} differs: {reply}"
    finally:
        await ws.close(code=1000)


async def check_agent_events(base):
    ws = await connect(f"{base}/ws?token={make_token()}")
    try:
        await recv_type(ws, "connection_established")
        await ws.send(json.dumps({"type": "user_message", "content": "What is the weather in Paris?"}))
        expected = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
        started = await recv_type(ws, "agent_started")
        run_id = started.get("run_id")
        assert isinstance(run_id, str), f"agent_started without a run_id: {started}"
        for etype in expected[1:]:
            msg = await recv_json(ws)
            assert msg.get("type") == etype, f"expected {etype}, got {msg}"
            assert msg.get("run_id") == run_id, f"run_id changed: {msg}"
    finally:
        await ws.close(code=1000)


CHECKS = [
    ("connect with token", check_connect_with_token),
    ("no-token rejection", check_no_token_rejection),
    ("ping/pong", check_ping_pong),
    ("echo round-trip", check_echo),
    ("agent events", check_agent_events),
]


async def main():
    p = argparse.ArgumentParser(description="WebSocket smoke checks (hand-written baseline)")
    p.add_argument("--url", required=True, help="ws://host:port")
    p.add_argument("--only", action="append", default=[], help="run only this check (repeatable)")
    args = p.parse_args()
    base = args.url.rstrip("/")

    failed = 0
    for name, check in CHECKS:
        if args.only and name not in args.only:
            continue
        t0 = time.perf_counter()
        try:
            await check(base)
        except Exception as e:
            failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        else:
            print(f"PASS {name} ({(time.perf_counter() - t0) * 1000:.1f} ms)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
