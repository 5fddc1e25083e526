#!/usr/bin/python3
"""wss:// peer for wscheck's TLS tests (Debian python3-websockets 10.4).

Usage:
  /usr/bin/python3 tests/peers/tls_server.py --cert CERT.pem --key KEY.pem [--port N] [--host 127.0.0.1]

Serves TLS on 127.0.0.1 (ephemeral port unless --port is given) with the
given certificate, whatever it is: valid, expired, self-signed or issued for
another name. Prints exactly one line "LISTENING <port>" on stdout (flushed)
once it accepts connections; everything else goes to stderr. SIGTERM and
SIGINT exit 0.

Speaks a minimal reference protocol on any path, auth ignored:
  on connect      {"type":"connection_established","user_id":"tls"}
  {"type":"echo",...}  -> the same object with "type":"echo_response"
  {"type":"ping"}      -> {"type":"pong","timestamp":<ms>}
  invalid JSON         -> {"type":"error","code":"invalid_json"}
  anything else        -> echoed verbatim
Ping frames are answered by websockets itself.
"""

import argparse
import asyncio
import json
import signal
import ssl
import sys
import time

import websockets


def log(*args):
    print("[tls_server]", *args, file=sys.stderr, flush=True)


async def handler(ws, path=None):
    log("connection", getattr(ws, "path", path))
    try:
        await ws.send(json.dumps({"type": "connection_established", "user_id": "tls"}))
        async for message in ws:
            if isinstance(message, bytes):
                await ws.send(message)
                continue
            try:
                obj = json.loads(message)
            except ValueError:
                await ws.send(json.dumps({"type": "error", "code": "invalid_json"}))
                continue
            if isinstance(obj, dict) and obj.get("type") == "echo":
                await ws.send(json.dumps({**obj, "type": "echo_response"}))
            elif isinstance(obj, dict) and obj.get("type") == "ping":
                await ws.send(json.dumps({"type": "pong", "timestamp": int(time.time() * 1000)}))
            else:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    parser = argparse.ArgumentParser(description="wss:// test peer")
    parser.add_argument("--cert", required=True, help="server certificate (PEM, may include the chain)")
    parser.add_argument("--key", required=True, help="private key (PEM)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))

    # A failed handshake (the client rejecting our certificate) is logged by
    # websockets/asyncio on stderr; it must not stop the server.
    async with websockets.serve(handler, args.host, args.port, ssl=ctx) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"LISTENING {port}", flush=True)
        log(f"serving wss://{args.host}:{port} with {args.cert}")
        await stop
    log("stopped")


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
