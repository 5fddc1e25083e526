#!/usr/bin/python3
"""Misbehaving WebSocket peer for wscheck's diagnosis tests (stdlib only).

Usage:
  /usr/bin/python3 tests/peers/fault_server.py --mode MODE [--port N] [--host 127.0.0.1]

Binds 127.0.0.1 on an ephemeral port unless --port is given, prints exactly one
line "LISTENING <port>" to stdout once it accepts connections (except
crash-at-start, which never listens); all other output goes to stderr. Each
connection is served in its own thread. SIGTERM / SIGINT exit 0.

Modes (MODE=value where shown):
  normal              correct handshake (auth ignored; the first offered
                      subprotocol is echoed), sends
                      {"type":"connection_established","user_id":"fault"},
                      JSON {"type":"echo",...} -> type echo_response,
                      {"type":"ping"} -> {"type":"pong","timestamp":ms},
                      other text/binary echoed verbatim, ping frames -> pong.
                      A plain GET /health answers 200 {"status":"ok"}.
  accept-silent       accept TCP, read the request, never answer.
  slow-upgrade=MS     wait MS ms after the request, then behave like normal.
  http-500            500 with a Python traceback body (numpy missing).
  http-200            200 text/html "<html>hello</html>" (not a WebSocket).
  http-403            403 application/json {"detail":"invalid token"}.
  no-pong             handshake + connection_established, then ignores pings
                      and app messages (still answers a close frame).
  close-1011          handshake + connection_established, then close 1011
                      "internal error" and drop the connection.
  reset               read the request, then RST (SO_LINGER 0) without answer.
  reset-mid-frame     handshake, 3 bytes of a frame header, then RST.
  trickle             the 101 response sent one byte every 200 ms.
  huge-frame=BYTES    handshake, then a text frame announcing BYTES (64-bit
                      length) and streaming that many 'a' bytes.
  invalid-utf8        handshake, then a text frame b'\\xff\\xfe\\xfd'.
  bad-accept          101 with a wrong Sec-WebSocket-Accept.
  compressed          handshake without extensions, then a frame with RSV1.
  frames-after-close  handshake, close 1000, then more text frames.
  ping-flood          handshake, 10000 ping frames as fast as possible, idle.
  crash-at-start      traceback (ModuleNotFoundError: numpy) on stderr, exit 1.
  huge-frame-slow=BYTES  handshake, then a text frame header announcing BYTES,
                      then 1 KiB of payload every 100 ms (never finishes fast).
  half-frame=BYTES    handshake + connection_established, then a text frame
                      announcing BYTES with only half of them sent; stalls.
  http-400-chunked    400 with a chunked body "Unsupported upgrade request."
                      (what Node's http server answers a bad upgrade).
  http-400            400 Bad Request "Transport unknown" (Content-Length).
  shutdown-noise      like normal; on SIGTERM logs an ERROR line, then a
                      ConnectionClosedError traceback headline, and exits 0.
                      With --say-before TEXT, TEXT is logged on each request.
"""

import argparse
import base64
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import threading
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_REQUEST = 64 * 1024
MAX_FRAME = 16 * 1024 * 1024

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

MODES_WITH_VALUE = {"slow-upgrade", "huge-frame", "huge-frame-slow", "half-frame"}
MODES = {
    "normal", "accept-silent", "slow-upgrade", "http-500", "http-200", "http-403",
    "no-pong", "close-1011", "reset", "reset-mid-frame", "trickle", "huge-frame",
    "invalid-utf8", "bad-accept", "compressed", "frames-after-close", "ping-flood",
    "crash-at-start", "huge-frame-slow", "half-frame", "http-400-chunked", "http-400",
    "shutdown-noise",
}

_log_lock = threading.Lock()
SAY_BEFORE = ""


def log(*args):
    with _log_lock:
        print("[fault_server]", *args, file=sys.stderr, flush=True)


class ClientGone(Exception):
    """The peer closed or reset the connection."""


# ---------------------------------------------------------------- HTTP bits

class Request:
    def __init__(self, method, target, headers, rest):
        self.method = method
        self.target = target
        self.headers = headers  # lower-cased name -> value
        self.rest = rest        # bytes received after the header block

    @property
    def path(self):
        return self.target.split("?", 1)[0]

    def is_upgrade(self):
        return ("websocket" in self.headers.get("upgrade", "").lower()
                and "sec-websocket-key" in self.headers)

    def subprotocols(self):
        h = self.headers.get("sec-websocket-protocol", "")
        return [p.strip() for p in h.split(",") if p.strip()]


def recv_some(conn, n=65536):
    try:
        data = conn.recv(n)
    except (ConnectionError, OSError) as e:
        raise ClientGone(str(e))
    if not data:
        raise ClientGone("EOF")
    return data


def read_request(conn):
    buf = b""
    while b"\r\n\r\n" not in buf:
        if len(buf) > MAX_REQUEST:
            raise ClientGone("request header too large")
        buf += recv_some(conn)
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    method = parts[0] if parts else ""
    target = parts[1] if len(parts) > 1 else "/"
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            k = k.strip().lower()
            headers[k] = (headers[k] + ", " + v.strip()) if k in headers else v.strip()
    return Request(method, target, headers, rest)


def send_all(conn, data):
    try:
        conn.sendall(data)
    except (ConnectionError, OSError) as e:
        raise ClientGone(str(e))


def http_response(status, reason, body=b"", content_type="text/plain; charset=utf-8", extra=()):
    lines = ["HTTP/1.1 %d %s" % (status, reason),
             "Server: wscheck-fault-server",
             "Content-Type: %s" % content_type,
             "Content-Length: %d" % len(body),
             "Connection: close"]
    lines.extend(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def send_and_close(conn, data):
    """Send a complete HTTP response, then close gracefully (FIN, not RST)."""
    send_all(conn, data)
    try:
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(1.0)
        while conn.recv(65536):
            pass
    except OSError:
        pass


def accept_value(key):
    return base64.b64encode(hashlib.sha1(key.encode("latin-1") + GUID).digest()).decode()


def handshake_response(req, accept=None, subprotocol=True):
    lines = ["HTTP/1.1 101 Switching Protocols",
             "Upgrade: websocket",
             "Connection: Upgrade",
             "Sec-WebSocket-Accept: %s" % (accept or accept_value(req.headers["sec-websocket-key"]))]
    offered = req.subprotocols()
    if subprotocol and offered:
        lines.append("Sec-WebSocket-Protocol: %s" % offered[0])
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# ---------------------------------------------------------------- framing

def frame(opcode, payload=b"", fin=True, rsv1=False):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", b0, n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, 126, n)
    else:
        head = struct.pack("!BBQ", b0, 127, n)
    return head + payload


def close_frame(code, reason=""):
    return frame(OP_CLOSE, struct.pack("!H", code) + reason.encode("utf-8"))


def json_frame(obj):
    return frame(OP_TEXT, json.dumps(obj))


class FrameReader:
    def __init__(self, conn, initial=b""):
        self.conn = conn
        self.buf = bytearray(initial)

    def _need(self, n):
        while len(self.buf) < n:
            self.buf += recv_some(self.conn)

    def _take(self, n):
        self._need(n)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def read(self):
        """Return (fin, opcode, payload) of the next frame (unmasked)."""
        b0, b1 = self._take(2)
        fin, opcode = bool(b0 & 0x80), b0 & 0x0F
        masked, n = bool(b1 & 0x80), b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._take(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._take(8))[0]
        if n > MAX_FRAME:
            raise ClientGone("client frame too large (%d bytes)" % n)
        mask = self._take(4) if masked else None
        payload = self._take(n)
        if mask and n:
            key = (mask * (n // 4 + 1))[:n]
            payload = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
        return fin, opcode, payload

    def messages(self):
        """Yield (opcode, payload) for every data/control frame, reassembling fragments."""
        frag_op, frag = None, b""
        while True:
            fin, op, payload = self.read()
            if op >= 0x8:
                yield op, payload
            elif op == OP_CONT:
                frag += payload
                if fin and frag_op is not None:
                    yield frag_op, frag
                    frag_op, frag = None, b""
            else:
                if fin:
                    yield op, payload
                else:
                    frag_op, frag = op, payload


def now_ms():
    return int(time.time() * 1000)


def echo_reply(op, payload):
    if op == OP_BINARY:
        return frame(OP_BINARY, payload)
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return close_frame(1007, "invalid utf-8")
    try:
        msg = json.loads(text)
    except ValueError:
        return frame(OP_TEXT, text)
    if isinstance(msg, dict) and msg.get("type") == "echo":
        reply = dict(msg)
        reply["type"] = "echo_response"
        return json_frame(reply)
    if isinstance(msg, dict) and msg.get("type") == "ping":
        return json_frame({"type": "pong", "timestamp": now_ms()})
    return frame(OP_TEXT, text)


def serve_frames(conn, reader, answer_pings=True, answer_messages=True, reply_close=True):
    """Read client frames until it closes; answer as the mode wants."""
    for op, payload in reader.messages():
        if op == OP_CLOSE:
            if reply_close:
                code = payload[:2] if len(payload) >= 2 else struct.pack("!H", 1000)
                try:
                    send_all(conn, frame(OP_CLOSE, code))
                except ClientGone:
                    pass
            return
        if op == OP_PING:
            if answer_pings:
                send_all(conn, frame(OP_PONG, payload))
        elif op == OP_PONG:
            pass
        elif answer_messages:
            reply = echo_reply(op, payload)
            send_all(conn, reply)
            if reply[0] & 0x0F == OP_CLOSE:
                return


def wait_until_gone(conn, timeout=None):
    """Discard input until the peer closes (or timeout seconds pass)."""
    conn.settimeout(timeout)
    try:
        while True:
            recv_some(conn)
    except (ClientGone, socket.timeout):
        pass


def rst_close(conn):
    try:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    conn.close()


# ---------------------------------------------------------------- modes

TRACEBACK = """Traceback (most recent call last):
  File "/app/main.py", line 3, in <module>
    from app.agents import router
  File "/app/app/agents.py", line 1, in <module>
    import numpy as np
ModuleNotFoundError: No module named 'numpy'
"""


def upgrade_or_plain(conn, req):
    """For handshake modes: answer a non-upgrade request and return False."""
    if req.is_upgrade():
        return True
    if req.method == "GET" and req.path == "/health":
        send_and_close(conn, http_response(200, "OK", b'{"status":"ok"}', "application/json"))
    else:
        send_and_close(conn, http_response(426, "Upgrade Required",
                                           b"this endpoint speaks WebSocket\n",
                                           extra=("Upgrade: websocket",)))
    return False


def mode_normal(conn, req, arg, established=True):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    if established:
        send_all(conn, json_frame({"type": "connection_established", "user_id": "fault"}))
    serve_frames(conn, FrameReader(conn, req.rest))


def mode_accept_silent(conn, req, arg):
    wait_until_gone(conn)


def mode_slow_upgrade(conn, req, arg):
    time.sleep(arg / 1000.0)
    mode_normal(conn, req, arg)


def mode_http_500(conn, req, arg):
    body = ("Internal Server Error\n\n" + TRACEBACK).encode()
    send_and_close(conn, http_response(500, "Internal Server Error", body))


def mode_http_200(conn, req, arg):
    send_and_close(conn, http_response(200, "OK", b"<html>hello</html>", "text/html; charset=utf-8"))


def mode_http_403(conn, req, arg):
    send_and_close(conn, http_response(403, "Forbidden", b'{"detail":"invalid token"}',
                                       "application/json"))


def mode_no_pong(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    send_all(conn, json_frame({"type": "connection_established", "user_id": "fault"}))
    serve_frames(conn, FrameReader(conn, req.rest), answer_pings=False, answer_messages=False)


def mode_close_1011(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    send_all(conn, json_frame({"type": "connection_established", "user_id": "fault"}))
    send_all(conn, close_frame(1011, "internal error"))
    # Give the client a moment to answer the close, then drop the TCP link.
    reader = FrameReader(conn, req.rest)
    conn.settimeout(2.0)
    try:
        for op, _ in reader.messages():
            if op == OP_CLOSE:
                break
    except (ClientGone, socket.timeout):
        pass


def mode_reset(conn, req, arg):
    rst_close(conn)


def mode_reset_mid_frame(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    # Text frame with a 16-bit extended length, cut after its first byte.
    send_all(conn, bytes([0x81, 0x7E, 0x01]))
    time.sleep(0.05)
    rst_close(conn)


def mode_trickle(conn, req, arg):
    data = handshake_response(req) if req.is_upgrade() else http_response(200, "OK", b"trickle\n")
    for i in range(len(data)):
        send_all(conn, data[i:i + 1])
        time.sleep(0.2)
    # The full 101 went out ~25 s later; keep it slow: never send anything else.
    wait_until_gone(conn)


def mode_huge_frame(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    send_all(conn, struct.pack("!BBQ", 0x81, 127, arg))
    chunk = b"a" * 65536
    left = arg
    while left > 0:
        n = min(left, len(chunk))
        send_all(conn, chunk[:n])
        left -= n
    log("huge-frame: streamed %d bytes" % arg)
    serve_frames(conn, FrameReader(conn, req.rest))


def mode_huge_frame_slow(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    send_all(conn, struct.pack("!BBQ", 0x81, 127, arg))
    left = arg
    while left > 0:
        n = min(left, 1024)
        send_all(conn, b"a" * n)
        left -= n
        time.sleep(0.1)


def mode_half_frame(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    send_all(conn, json_frame({"type": "connection_established", "user_id": "fault"}))
    if arg < 126:
        header = struct.pack("!BB", 0x81, arg)
    elif arg < 65536:
        header = struct.pack("!BBH", 0x81, 126, arg)
    else:
        header = struct.pack("!BBQ", 0x81, 127, arg)
    send_all(conn, header + b"a" * (arg // 2))
    wait_until_gone(conn)


def mode_http_400_chunked(conn, req, arg):
    body = b"Unsupported upgrade request."
    data = (b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n" + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
    send_and_close(conn, data)


def mode_http_400(conn, req, arg):
    send_and_close(conn, http_response(400, "Bad Request", b'{"code":0,"message":"Transport unknown"}',
                                       "application/json"))


def mode_shutdown_noise(conn, req, arg):
    if SAY_BEFORE:
        log(SAY_BEFORE)
    mode_normal(conn, req, arg)


def mode_invalid_utf8(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    send_all(conn, frame(OP_TEXT, b"\xff\xfe\xfd"))
    serve_frames(conn, FrameReader(conn, req.rest))


def mode_bad_accept(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    wrong = base64.b64encode(hashlib.sha1(b"not-the-key" + GUID).digest()).decode()
    send_all(conn, handshake_response(req, accept=wrong))
    wait_until_gone(conn)


def mode_compressed(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))  # no Sec-WebSocket-Extensions
    # Raw-deflate of "hello" (as permessage-deflate would send it), RSV1 set.
    send_all(conn, frame(OP_TEXT, bytes.fromhex("cb48cdc9c90700"), rsv1=True))
    serve_frames(conn, FrameReader(conn, req.rest))


def mode_frames_after_close(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    send_all(conn, close_frame(1000, "bye"))
    for i in range(3):
        send_all(conn, frame(OP_TEXT, "after close %d" % (i + 1)))
    # Wait (up to 10 s) for the client's close frame, then drop the TCP link
    # as a server should once both close frames have been exchanged.
    conn.settimeout(10.0)
    try:
        for op, _ in FrameReader(conn, req.rest).messages():
            if op == OP_CLOSE:
                break
    except ClientGone:
        pass


def mode_ping_flood(conn, req, arg):
    if not upgrade_or_plain(conn, req):
        return
    send_all(conn, handshake_response(req))
    reader = FrameReader(conn, req.rest)
    flood_done = threading.Event()

    def drain():
        # Read the client's pongs concurrently so neither side's buffers fill
        # up; answer its close only once the flood is out (no interleaving).
        try:
            for op, payload in reader.messages():
                if op == OP_CLOSE:
                    flood_done.wait()
                    code = payload[:2] if len(payload) >= 2 else struct.pack("!H", 1000)
                    send_all(conn, frame(OP_CLOSE, code))
                    return
        except (ClientGone, OSError):
            pass

    t = threading.Thread(target=drain, daemon=True)
    t.start()
    pings = b"".join(frame(OP_PING, struct.pack("!I", i)) for i in range(10000))
    try:
        send_all(conn, pings)
        log("ping-flood: sent 10000 pings")
    finally:
        flood_done.set()
    t.join()


HANDLERS = {
    "normal": mode_normal,
    "accept-silent": mode_accept_silent,
    "slow-upgrade": mode_slow_upgrade,
    "http-500": mode_http_500,
    "http-200": mode_http_200,
    "http-403": mode_http_403,
    "no-pong": mode_no_pong,
    "close-1011": mode_close_1011,
    "reset": mode_reset,
    "reset-mid-frame": mode_reset_mid_frame,
    "trickle": mode_trickle,
    "huge-frame": mode_huge_frame,
    "invalid-utf8": mode_invalid_utf8,
    "bad-accept": mode_bad_accept,
    "compressed": mode_compressed,
    "frames-after-close": mode_frames_after_close,
    "ping-flood": mode_ping_flood,
    "huge-frame-slow": mode_huge_frame_slow,
    "half-frame": mode_half_frame,
    "http-400-chunked": mode_http_400_chunked,
    "http-400": mode_http_400,
    "shutdown-noise": mode_shutdown_noise,
}


def serve_connection(conn, addr, mode, arg):
    peer = "%s:%d" % addr[:2]
    try:
        req = read_request(conn)
        log("%s %s %s (mode %s)" % (peer, req.method, req.target, mode))
        HANDLERS[mode](conn, req, arg)
    except ClientGone as e:
        log("%s gone: %s" % (peer, e))
    except socket.timeout:
        log("%s timed out" % peer)
    except Exception as e:  # keep serving others; one line, no traceback spam
        log("%s error: %s: %s" % (peer, type(e).__name__, e))
    finally:
        try:
            conn.close()
        except OSError:
            pass


def parse_mode(text):
    name, _, value = text.partition("=")
    if name not in MODES:
        raise argparse.ArgumentTypeError("unknown mode %r (one of: %s)" % (text, ", ".join(sorted(MODES))))
    if name in MODES_WITH_VALUE:
        if not value.isdigit():
            raise argparse.ArgumentTypeError("mode %s needs a number: %s=N" % (name, name))
        return name, int(value)
    if value:
        raise argparse.ArgumentTypeError("mode %s takes no value" % name)
    return name, None


class Stop(Exception):
    pass


def main():
    p = argparse.ArgumentParser(description="misbehaving WebSocket peer for wscheck tests",
                                epilog="modes: " + ", ".join(sorted(MODES)))
    p.add_argument("--mode", type=parse_mode, default=("normal", None),
                   help="misbehaviour, e.g. accept-silent, slow-upgrade=3000, huge-frame=100000000")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--say-before", default="", help="shutdown-noise: log this line on each request")
    args = p.parse_args()
    mode, arg = args.mode
    global SAY_BEFORE
    SAY_BEFORE = args.say_before

    if mode == "crash-at-start":
        sys.stderr.write("INFO:     Will watch for changes in these directories: ['/app']\n")
        sys.stderr.write("Process SpawnProcess-1:\n" + TRACEBACK)
        sys.stderr.flush()
        return 1

    def on_signal(signum, frame_):
        raise Stop()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        lsock.bind((args.host, args.port))
        lsock.listen(256)
    except OSError as e:
        log("cannot listen on %s:%d: %s" % (args.host, args.port, e))
        return 1
    port = lsock.getsockname()[1]
    log("mode %s%s" % (mode, "" if arg is None else "=%d" % arg))
    sys.stdout.write("LISTENING %d\n" % port)
    sys.stdout.flush()

    try:
        while True:
            try:
                conn, addr = lsock.accept()
            except OSError as e:
                log("accept failed:", e)
                time.sleep(0.05)
                continue
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=serve_connection, args=(conn, addr, mode, arg),
                             daemon=True).start()
    except (Stop, KeyboardInterrupt):
        log("stopping")
        if mode == "shutdown-noise":
            log("INFO:     Shutting down")
            log("websockets.exceptions.ConnectionClosedError: sent 1001 (going away); no close frame received")
    finally:
        lsock.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
