#!/usr/bin/python3
"""Latency the `wscheck record` proxy adds, on loopback.

Starts the reference server (`wscheck serve`) and a recording proxy in front
of it, then times echo round trips (send {"type":"echo"}, wait for
echo_response) with one python3-websockets client, directly and through the
proxy, interleaved in blocks so that machine load hits both alike. Prints
p50/p90/p99/max per path and what the proxy adds (proxy minus direct) at each
percentile. The goal in the authoring issue: at most 1 ms added at p99.

Usage: scripts/bench_record.py [ROUNDS_PER_BLOCK] [BLOCKS]   (default 250 x 8)
Env: WSCHECK (default build/wscheck).
"""
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time

import jwt
import websockets

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WSCHECK = os.environ.get("WSCHECK", os.path.join(ROOT, "build", "wscheck"))


def start(argv):
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("LISTENING "):
            return proc, int(line.split()[1])
        if not line:
            break
    proc.kill()
    sys.exit(f"{argv[:2]} did not start")


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


async def round_trips(url, n):
    out = []
    async with websockets.connect(url, open_timeout=10, compression=None) as ws:
        await asyncio.wait_for(ws.recv(), 10)  # greeting
        for i in range(n):
            msg = '{"type":"echo","payload":"bench","i":%d}' % i
            t0 = time.perf_counter_ns()
            await ws.send(msg)
            await asyncio.wait_for(ws.recv(), 10)
            out.append((time.perf_counter_ns() - t0) / 1e6)
    return out


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    per_block = int(sys.argv[1]) if len(sys.argv) > 1 else 250
    blocks = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    token = jwt.encode({"sub": "bench", "exp": int(time.time()) + 3600}, "test-secret", algorithm="HS256")
    server, port = start([WSCHECK, "serve", "--port", "0"])
    tmp = tempfile.TemporaryDirectory(prefix="wscheck-bench-record-")
    proxy, pport = start([WSCHECK, "record", "--listen", "127.0.0.1:0", "--upstream", f"ws://127.0.0.1:{port}/ws",
                          "-o", os.path.join(tmp.name, "bench.json")])
    direct_url = f"ws://127.0.0.1:{port}/ws?token={token}"
    proxy_url = f"ws://127.0.0.1:{pport}/ws?token={token}"
    direct, proxied = [], []
    try:
        asyncio.run(round_trips(direct_url, 100))  # warm-up both paths
        asyncio.run(round_trips(proxy_url, 100))
        for _ in range(blocks):
            direct += asyncio.run(round_trips(direct_url, per_block))
            proxied += asyncio.run(round_trips(proxy_url, per_block))
    finally:
        stop(proxy)
        stop(server)
        tmp.cleanup()
    print(f"echo round trips on loopback, {len(direct)} per path ({blocks} interleaved blocks), python3-websockets client")
    print(f"{'':>8} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}   (ms)")
    for name, v in (("direct", direct), ("proxy", proxied)):
        print(f"{name:>8} " + " ".join(f"{pct(v, p):8.3f}" for p in (50, 90, 99)) + f" {max(v):8.3f}")
    added = [pct(proxied, p) - pct(direct, p) for p in (50, 90, 99)]
    print(f"{'added':>8} " + " ".join(f"{a:8.3f}" for a in added))
    verdict = "meets" if added[2] <= 1.0 else "MISSES"
    print(f"proxy adds {added[2]:.3f} ms at p99: {verdict} the 1 ms goal")


if __name__ == "__main__":
    main()
