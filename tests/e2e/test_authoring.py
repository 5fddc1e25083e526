"""Authoring: `wscheck init`, `wscheck import-har` and `wscheck record`.

The test of an imported or recorded scenario is that it passes when run
against the same server it came from. Secrets must never reach the file.
"""
import asyncio
import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (E2ETest, Peer, ROOT, WSCHECK, fastapi_server, fault_server, node_server,  # noqa: E402
                     reference_server, run_wscheck)

import jwt  # noqa: E402  (python3-jwt)
import websockets  # noqa: E402  (python3-websockets)

HAR_DIR = os.path.join(ROOT, "tests", "fixtures", "har")
REFERENCE_HAR = os.path.join(HAR_DIR, "reference_session.har")
FIREFOX_HAR = os.path.join(HAR_DIR, "firefox_websocket.har")
# Secrets written into the fixture: none may appear in any output.
FIXTURE_JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0ZXN0LXVzZXIiLCJpYXQiOjE3NjQzOTAwMDAsImV4cCI6MTc2NDM5MzYwMH0."
               "nM-B_J7V_GVZKRfaWsbvrIZLTPf0Zu2pqCGn-vvTuzo")
FIXTURE_COOKIE = "s3cr3t-session-4f9a2c"


def fresh_jwt(sub="test-user"):
    return jwt.encode({"sub": sub, "exp": int(time.time()) + 600}, "test-secret", algorithm="HS256")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class Recorder:
    """`wscheck record` in front of an upstream; stopped with SIGINT like a person would."""

    def __init__(self, upstream, output, *extra):
        self.argv = [WSCHECK, "record", "--listen", "127.0.0.1:0", "--upstream", upstream, "-o", output, *extra]
        self.proc = None
        self.port = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("LISTENING "):
                self.port = int(line.split()[1])
                return self
        self.stop()
        raise RuntimeError("wscheck record did not print LISTENING: " + self.proc.stderr.read())

    def url(self, path):
        return f"ws://127.0.0.1:{self.port}{path}"

    def stop(self):
        """SIGINT, then the exit status and stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode, err

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.stop()


async def agent_chat(url, headers=None):
    """A scripted client of the reference protocol; returns what it saw."""
    seen = []
    async with websockets.connect(url, extra_headers=headers or {}, open_timeout=10) as ws:
        seen.append(await asyncio.wait_for(ws.recv(), 10))
        await ws.send('{"type":"echo","payload":"hello","n":42}')
        seen.append(await asyncio.wait_for(ws.recv(), 10))
        await ws.send('{"type":"ping"}')
        seen.append(await asyncio.wait_for(ws.recv(), 10))
        await ws.send('{"type":"user_message","content":"weather?"}')
        for _ in range(5):
            seen.append(await asyncio.wait_for(ws.recv(), 10))
        await ws.close(1000, "done")
    return seen


class InitTest(E2ETest):
    def test_defaults_pass_against_the_builtin_server(self):
        r = run_wscheck("init", "--dir", self.dir.path)
        self.assertEqual(r.rc, 0, r)
        scenarios = os.path.join(self.dir.path, "scenarios")
        self.assertEqual(sorted(os.listdir(scenarios)),
                         ["connect.json", "no_credentials_rejection.json", "ping.json", "request_response.json"])
        self.assertIn("wscheck run", read(os.path.join(self.dir.path, "wscheck-ci.yml")))
        run = run_wscheck("run", scenarios)
        self.assertEqual(run.rc, 0, run)
        self.assertIn("4 passed", run.out)

    def test_refuses_to_overwrite_and_names_the_file(self):
        self.assertEqual(run_wscheck("init", "--dir", self.dir.path).rc, 0)
        ping = os.path.join(self.dir.path, "scenarios", "ping.json")
        with open(ping, "w", encoding="utf-8") as f:
            f.write("// mine\n")
        r = run_wscheck("init", "--dir", self.dir.path)
        self.assertEqual(r.rc, 2, r)
        self.assertIn("already exists", r.err)
        self.assertIn("scenarios/connect.json", r.err)
        self.assertEqual(read(ping), "// mine\n")
        forced = run_wscheck("init", "--dir", self.dir.path, "--force")
        self.assertEqual(forced.rc, 0, forced)
        self.assertNotEqual(read(ping), "// mine\n")

    def test_url_of_a_server_that_answers_403_without_credentials(self):
        with reference_server() as server:
            r = run_wscheck("init", "--url", server.url("/ws"), "--dir", self.dir.path)
            self.assertEqual(r.rc, 0, r)
            rejection = read(os.path.join(self.dir.path, "scenarios", "no_credentials_rejection.json"))
            self.assertIn('"status": [403]', rejection)
            run = run_wscheck("run", "--url", server.url(), os.path.join(self.dir.path, "scenarios"))
            self.assertEqual(run.rc, 0, run)
        with fastapi_server() as server:
            r = run_wscheck("init", "--url", server.url("/ws"), "--dir", os.path.join(self.dir.path, "fastapi"))
            self.assertEqual(r.rc, 0, r)
            self.assertIn("HTTP 403", r.out)
            run = run_wscheck("run", "--url", server.url(), os.path.join(self.dir.path, "fastapi", "scenarios"))
            self.assertEqual(run.rc, 0, run)

    def test_url_of_a_server_that_accepts_without_credentials(self):
        with fault_server("normal") as server:
            r = run_wscheck("init", "--url", server.url("/chat"), "--dir", self.dir.path)
            self.assertEqual(r.rc, 0, r)
            scenarios = os.path.join(self.dir.path, "scenarios")
            self.assertIn("no_credentials_rejection.json.disabled", os.listdir(scenarios))
            self.assertIn("DISABLED", read(os.path.join(scenarios, "no_credentials_rejection.json.disabled")))
            self.assertNotIn('"auth"', read(os.path.join(scenarios, "connect.json")))
            self.assertIn('"/chat"', read(os.path.join(scenarios, "ping.json")))
            run = run_wscheck("run", "--url", server.url(), scenarios)
            self.assertEqual(run.rc, 0, run)

    def test_url_with_nothing_listening_writes_nothing(self):
        with reference_server() as server:
            url = server.url("/ws")
        r = run_wscheck("init", "--url", url, "--dir", self.dir.path, "--timeout", "2000")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("tcp_refused", r.err)
        self.assertFalse(os.path.exists(os.path.join(self.dir.path, "scenarios")))


class ImportHarTest(E2ETest):
    def test_chromium_har_runs_against_the_reference_server(self):
        out = os.path.join(self.dir.path, "imported.json")
        r = run_wscheck("import-har", REFERENCE_HAR, "-o", out, "--drop", '"type":"heartbeat')
        self.assertEqual(r.rc, 0, r)
        text = read(out)
        for output in (text, r.out, r.err):
            self.assertNotIn(FIXTURE_JWT, output)
            self.assertNotIn(FIXTURE_COOKIE, output)
        self.assertIn("${TOKEN}", text)
        self.assertIn("--var TOKEN=...", r.err)
        self.assertNotIn("heartbeat", text.split("{\n", 1)[1])
        with reference_server() as server:
            run = run_wscheck("run", "--url", server.url(), "--var", "TOKEN=" + fresh_jwt(), "--var", "COOKIE=theme=dark", out)
            self.assertEqual(run.rc, 0, run)

    def test_without_drop_the_heartbeats_stay_and_the_reference_server_does_not_answer_them(self):
        r = run_wscheck("import-har", REFERENCE_HAR)
        self.assertEqual(r.rc, 0, r)
        self.assertIn('"heartbeat_ack"', r.out)
        self.assertNotIn(FIXTURE_JWT, r.out + r.err)
        path = self.dir.write("with_heartbeats.json", r.out)
        with reference_server() as server:
            run = run_wscheck("run", "--url", server.url(), "--var", "TOKEN=" + fresh_jwt(), "--var", "COOKIE=x=y",
                              "--step-timeout", "500", path)
            self.assertEqual(run.rc, 1, run)
            self.assertIn("heartbeat_ack", run.out)

    def test_firefox_har_without_frames_is_a_clear_usage_error(self):
        out = os.path.join(self.dir.path, "ff.json")
        r = run_wscheck("import-har", FIREFOX_HAR, "-o", out)
        self.assertEqual(r.rc, 2, r)
        self.assertIn("Firefox", r.err)
        self.assertIn("Chromium", r.err)
        self.assertFalse(os.path.exists(out))
        self.assertNotIn(FIXTURE_JWT, r.err + r.out)

    def test_bad_input_and_existing_output(self):
        self.assertEqual(run_wscheck("import-har", os.path.join(self.dir.path, "missing.har")).rc, 2)
        notjson = self.dir.write("x.har", "not json")
        r = run_wscheck("import-har", notjson)
        self.assertEqual(r.rc, 2, r)
        self.assertIn("not a HAR file", r.err)
        existing = self.dir.write("exists.json", "keep")
        r = run_wscheck("import-har", REFERENCE_HAR, "-o", existing)
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(read(existing), "keep")
        r = run_wscheck("import-har", REFERENCE_HAR, "--url-filter", "/nothing-like-this")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--url-filter", r.err)


class RecordTest(E2ETest):
    def record_and_replay(self, server, headers_mode):
        out = os.path.join(self.dir.path, "recorded.json")
        token = fresh_jwt()
        with Recorder(server.url("/ws"), out) as rec:
            if headers_mode:
                seen = asyncio.run(agent_chat(rec.url("/ws"), {"Authorization": "Bearer " + token}))
            else:
                seen = asyncio.run(agent_chat(rec.url("/ws?token=" + token)))
            rc, err = rec.stop()
        self.assertEqual(rc, 0, err)
        self.assertIn("connection_established", seen[0])
        self.assertIn('"echo_response"', seen[1])
        self.assertIn('"agent_completed"', seen[-1])
        text = read(out)
        self.assertNotIn(token, text)
        self.assertNotIn(token, err)
        self.assertIn("${TOKEN}", text)
        self.assertIn('{"close": {"code": 1000, "reason": "done"}}', text)
        run = run_wscheck("run", "--url", server.url(), "--var", "TOKEN=" + fresh_jwt("test-user"), out)
        self.assertEqual(run.rc, 0, str(run) + "\n--- recorded\n" + text)

    def test_node_server_session_replays(self):
        with node_server() as server:
            self.record_and_replay(server, headers_mode=False)

    def test_fastapi_server_session_with_bearer_header_replays(self):
        with fastapi_server() as server:
            self.record_and_replay(server, headers_mode=True)

    def test_close_codes_and_binary_frames_pass_through(self):
        out = os.path.join(self.dir.path, "closing.json")
        with reference_server("close-1011") as server:
            with Recorder(server.url("/ws"), out) as rec:
                async def client():
                    async with websockets.connect(rec.url("/ws?token=" + fresh_jwt()), open_timeout=10) as ws:
                        greeting = await asyncio.wait_for(ws.recv(), 10)
                        try:
                            await asyncio.wait_for(ws.recv(), 10)
                        except websockets.ConnectionClosed:
                            pass
                        return greeting, ws.close_code, ws.close_reason
                greeting, code, reason = asyncio.run(client())
                rc, err = rec.stop()
            self.assertEqual(rc, 0, err)
            self.assertIn("connection_established", greeting)
            self.assertEqual((code, reason), (1011, "internal error"))
            text = read(out)
            self.assertIn('{"expect_close": {"code": [1011]}}', text)
            run = run_wscheck("run", "--url", server.url(), "--var", "TOKEN=" + fresh_jwt(), out)
            self.assertEqual(run.rc, 0, str(run) + "\n" + text)
        out = os.path.join(self.dir.path, "binary.json")
        with fault_server("normal") as server:
            with Recorder(server.url("/"), out) as rec:
                async def binary_client():
                    async with websockets.connect(rec.url("/"), open_timeout=10,
                                                  subprotocols=["chat.v2", "chat.v1"]) as ws:
                        await asyncio.wait_for(ws.recv(), 10)
                        await ws.send(b"\x00\x01\xfe\xff")
                        return ws.subprotocol, await asyncio.wait_for(ws.recv(), 10)
                chosen, echoed = asyncio.run(binary_client())
                rc, err = rec.stop()
            self.assertEqual(rc, 0, err)
            self.assertEqual(chosen, "chat.v2")
            self.assertEqual(echoed, b"\x00\x01\xfe\xff")
            text = read(out)
            self.assertIn('"binary_hex": "0001feff"', text)
            self.assertIn('"subprotocols": ["chat.v2", "chat.v1"]', text)
            run = run_wscheck("run", "--url", server.url(), out)
            self.assertEqual(run.rc, 0, str(run) + "\n" + text)

    def test_upstream_refusal_is_recorded_as_expected_rejection(self):
        out = os.path.join(self.dir.path, "refused.json")
        with reference_server() as server:
            with Recorder(server.url("/ws"), out) as rec:
                async def client():
                    try:
                        async with websockets.connect(rec.url("/ws"), open_timeout=10) as ws:
                            await asyncio.wait_for(ws.recv(), 10)
                    except websockets.ConnectionClosed as e:
                        return e.code
                    return None
                code = asyncio.run(client())
                rc, err = rec.stop()
            self.assertEqual(rc, 0, err)
            self.assertEqual(code, 1008)
            self.assertIn('"expect_rejected": {"status": [403]}', read(out))
            run = run_wscheck("run", "--url", server.url(), out)
            self.assertEqual(run.rc, 0, run)

    def test_bad_flags(self):
        self.assertEqual(run_wscheck("record", "--listen", "nope", "--upstream", "ws://127.0.0.1:1/").rc, 2)
        self.assertEqual(run_wscheck("record", "--upstream", "http://127.0.0.1:1/").rc, 2)
        self.assertEqual(run_wscheck("record", "--upstream", "ws://127.0.0.1:1/", "--drop", "(").rc, 2)
        existing = self.dir.write("exists.json", "keep")
        r = run_wscheck("record", "--upstream", "ws://127.0.0.1:1/", "-o", existing)
        self.assertEqual(r.rc, 2, r)
        self.assertIn("already exists", r.err)


if __name__ == "__main__":
    unittest.main()
