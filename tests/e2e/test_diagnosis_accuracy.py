"""Diagnosis accuracy, second pass: each first line that used to be wrong or
misleading, provoked for real (fault servers, FastAPI, a stock Node
socket.io server), asserting the class and the first line.

Every test prints `TIMING <name> <seconds>` to stderr: the time from start to
the diagnosis, collected for docs/diagnosis-accuracy.md.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

from e2e_util import ScenarioTest, failure_headline, run_bounded
from harness import PEERS, PYTHON, WSCHECK, Peer, fault_server, reference_server

MARGIN_S = 1.5


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def timing(name, r):
    sys.stderr.write(f"TIMING {name} {r.elapsed:.3f}\n")


def first_failure_line(out):
    """The first line that names a class (`class: ...`), as run/doctor print it."""
    for line in out.splitlines():
        if re.match(r"^\s*[a-z_]+: ", line) and not line.strip().startswith(("hint:", "managed server:")):
            return line.strip()
    return None


class DiagnosisAccuracyTest(ScenarioTest):
    # 1. A handshake answered one byte at a time is HTTP, just incomplete.
    def test_trickled_handshake_is_an_incomplete_http_response(self):
        with fault_server("trickle") as server:
            path, _ = self.write("trickle", [{"connect": {"url": "/ws"}}])
            r = run_bounded(self, "run", path, "--url", server.url(), "--step-timeout", "1500", timeout=30)
        timing("trickle", r)
        self.assertEqual(r.rc, 3, msg=repr(r))
        line = first_failure_line(r.out)
        self.assertTrue(line.startswith("upgrade_timeout: incomplete HTTP response to GET /ws: only "), msg=repr(r))
        self.assertRegex(line, r'only \d+ bytes? arrived within 1500 ms \("H[^"]*"\)')
        self.assertNotIn("not with HTTP", r.out)
        self.assertLess(r.elapsed, 1.5 + MARGIN_S + 1.0, msg=repr(r))

    # 2. An oversized frame fails on its header, not after it trickled in.
    def test_oversized_slow_frame_fails_at_once(self):
        with fault_server("huge-frame-slow=67108864") as server:
            path, fname = self.write("huge slow", [{"connect": {"url": "/ws"}},
                                                   {"ping": {"payload": "x"}, "timeout_ms": 5000}])
            r = run_bounded(self, "run", path, "--url", server.url(), "--max-message-bytes", "1048576", timeout=30)
        timing("huge-frame-slow", r)
        head = self.assertFailure(r, "huge slow", "protocol_error", "closed with 1009", step=2, fname=fname)
        self.assertIn("announced 67108864 bytes", head)
        self.assertIn("(1048576 bytes)", head)
        self.assertLess(r.elapsed, 5.0, msg="must not wait for the ping budget\n" + repr(r))

    def test_timeout_with_a_half_received_frame_says_so(self):
        with fault_server("half-frame=20000") as server:
            path, fname = self.write("half frame", [{"connect": {"url": "/ws"}},
                                                    {"expect": {"json": {"type": "connection_established"}}},
                                                    {"expect": {"text": "never"}, "timeout_ms": 1000}])
            r = run_bounded(self, "run", path, "--url", server.url(), timeout=30)
        timing("half-frame", r)
        head = self.assertFailure(r, "half frame", "message_timeout", step=3, fname=fname)
        # lws hands over payload in 4096-byte chunks: 8192 of the 10000 sent bytes are seen
        self.assertRegex(head, r"a frame is half-received on default: \d+ of 20000 announced bytes arrived")

    # 3. The probe knocks on exactly the connect step's URL, query included.
    def test_socketio_raw_transport_url_passes_preflight(self):
        with Peer(["node", os.path.join(PEERS, "socketio_server.js")], cwd=PEERS, ready_timeout=30) as server:
            path, _ = self.write("socket.io raw", [
                {"connect": {"url": "/socket.io/?EIO=4&transport=websocket"}},
                {"expect": {"regex": "^0\\{\"sid\""}, "timeout_ms": 3000},
                {"send": {"text": "40{\"token\":\"s3cret\"}"}},
                {"expect": {"regex": "^40\\{\"sid\""}, "timeout_ms": 3000},
                {"send": {"text": "42[\"echo\",\"hi\"]"}},
                {"expect": {"text": "42[\"echo\",\"hi\"]"}, "timeout_ms": 3000}])
            r = run_bounded(self, "run", path, "--url", server.url(), "-v", timeout=30)
            wrong, _ = self.write("socket.io no query", [{"connect": {"url": "/socket.io/"}}])
            bad = run_bounded(self, "run", wrong, "--url", server.url(), timeout=30)
        timing("socketio-query", r)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("101 Switching Protocols (GET /socket.io/?EIO=4&transport=websocket)", r.out)
        # Without the query the stock server answers 400, and the check line says what was sent.
        self.assertEqual(bad.rc, 3, msg=repr(bad))
        line = first_failure_line(bad.out)
        self.assertTrue(line.startswith("upgrade_rejected: server refused the upgrade: HTTP 400 Bad Request "
                                        'to GET /socket.io/ (body: "Transport unknown")'), msg=repr(bad))

    # 4. wait keeps the conclusive answer and stops early on a repeating 4xx.
    def test_wait_stops_early_on_a_repeating_400(self):
        with fault_server("http-400") as server:
            r = run_bounded(self, "wait", "--url", server.url("/ws"), "--timeout", "20000", timeout=40)
        timing("wait-400", r)
        self.assertEqual(r.rc, 3, msg=repr(r))
        self.assertIn("stopped early: HTTP 400 every time", r.out)
        self.assertRegex(r.out, r"\n  upgrade_rejected: server refused the upgrade: HTTP 400 Bad Request to GET /ws")
        self.assertNotIn("upgrade_timeout", r.out)
        self.assertLess(r.elapsed, 10.0, msg=repr(r))

    def test_wait_says_one_attempt(self):
        with fault_server("normal") as server:
            r = run_bounded(self, "wait", "--url", server.url("/ws"), "--timeout", "10000", timeout=30)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("(1 attempt)", r.out)

    # 6. A chunked error body is decoded and the first line stays one line.
    def test_chunked_error_body_is_decoded(self):
        with fault_server("http-400-chunked") as server:
            r = run_bounded(self, "doctor", "--url", server.url("/ws"), "--timeout", "3000",
                            cwd=self.dir.path, timeout=30)
        timing("chunked-400", r)
        self.assertEqual(r.rc, 3, msg=repr(r))
        line = [l for l in r.out.splitlines() if l.startswith("upgrade_rejected:")]
        self.assertEqual(len(line), 1, msg=repr(r))
        self.assertIn('(body: "Unsupported upgrade request.")', line[0])
        self.assertNotIn("1c", line[0])
        self.assertNotIn("\r", r.out)

    # 8. doctor --url without scenarios/; a directory walk skips what is not a scenario.
    def test_doctor_url_without_scenarios_folder(self):
        with fault_server("normal") as server:
            r = run_bounded(self, "doctor", "--url", server.url("/ws"), cwd=self.dir.path, timeout=30)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("probing the URL only", r.out)
        self.assertIn("verdict: ready", r.out)

    def test_run_dot_in_a_node_project(self):
        d = self.dir.path
        os.makedirs(os.path.join(d, "node_modules", "ws"))
        os.makedirs(os.path.join(d, ".cache"))
        os.makedirs(os.path.join(d, "scenarios"))
        self.dir.write("package.json", {"name": "app", "version": "1.0.0", "dependencies": {"ws": "^8"}})
        self.dir.write("tsconfig.json", "{ // comments\n \"compilerOptions\": {} }\n")
        self.dir.write("node_modules/ws/package.json", {"name": "ws"})
        self.dir.write(".cache/steps.json", {"steps": "not a scenario"})
        self.dir.write("scenarios/echo.json", {"name": "echo", "steps": [
            {"connect": {"url": "/ws"}},
            {"expect": {"json": {"type": "connection_established"}}}]})
        with fault_server("normal") as server:
            r = run_bounded(self, "run", ".", "--url", server.url(), cwd=d, timeout=30)
            strict = run_bounded(self, "run", "package.json", "--url", server.url(), cwd=d, timeout=30)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out)
        self.assertIn("skipped 2 *.json files that are not scenarios", r.err)
        self.assertEqual(strict.rc, 2, msg=repr(strict))

    # 10. Every address is tried; --resolve pins them.
    def test_resolve_falls_back_from_refused_ipv6_to_ipv4(self):
        with fault_server("normal") as server:
            port = server.port
            pin = f"localhost:{port}:::1,127.0.0.1"
            path, _ = self.write("v6 then v4", [{"connect": {"url": "/ws"}},
                                                {"expect": {"json": {"type": "connection_established"}}}])
            r = run_bounded(self, "run", path, "--url", f"ws://localhost:{port}", "--resolve", pin, "-v", timeout=30)
            doc = run_bounded(self, "doctor", "--url", f"ws://localhost:{port}/ws", "--resolve", pin,
                              cwd=self.dir.path, timeout=30)
        timing("resolve-fallback", r)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("tcp connected to 127.0.0.1", r.out)
        self.assertIn("::1 refused; trying 127.0.0.1", r.out)
        self.assertIn("IPv6 was refused, IPv4 answered", doc.out, msg=repr(doc))
        self.assertIn("(--resolve)", doc.out)

    def test_all_addresses_refused_lists_each(self):
        port = free_port()
        pin = f"localhost:{port}:::1,127.0.0.1"
        path, fname = self.write("nobody", [{"connect": {"url": "/ws"}}])
        r = run_bounded(self, "run", path, "--url", f"ws://localhost:{port}", "--resolve", pin, timeout=30)
        timing("resolve-all-refused", r)
        self.assertEqual(r.rc, 3, msg=repr(r))
        line = first_failure_line(r.out)
        self.assertTrue(line.startswith(f"tcp_refused: cannot connect to localhost:{port} on any of its 2 addresses: "
                                        "[::1] refused"), msg=repr(r))
        self.assertIn("127.0.0.1 refused", line)
        # the engine says the same without the preflight
        r2 = run_bounded(self, "run", path, "--url", f"ws://localhost:{port}", "--resolve", pin,
                         "--no-preflight", timeout=30)
        head = failure_headline(r2.out, "nobody")
        self.assertTrue(head.startswith(f"tcp_refused: cannot connect to localhost:{port} on any of its 2 addresses: "
                                        "[::1] refused, 127.0.0.1 refused"), msg=repr(r2))

    def test_bad_resolve_flag_is_a_usage_error(self):
        r = run_bounded(self, "wait", "--url", "ws://localhost:1/", "--resolve", "localhost:80:not-an-ip", timeout=10)
        self.assertEqual(r.rc, 2, msg=repr(r))
        self.assertIn("HOST:PORT:ADDR", r.err)


class ManagedServerWordsTest(ScenarioTest):
    def run_managed(self, command, port, *args, **kw):
        return run_bounded(self, "run", *args, "--server", command, "--ready", f"tcp://127.0.0.1:{port}",
                           "--url", f"ws://127.0.0.1:{port}", timeout=60, **kw)

    # 5 + the server's own words: FastAPI 403 from a validation error, no auth sent.
    def test_fastapi_403_without_auth_quotes_the_server(self):
        port = free_port()
        path, fname = self.write("items", [{"connect": {"url": "/items/foo/ws"}}])
        reports = tempfile.mkdtemp(prefix="wscheck-e2e-reports-")
        j, x, t = (os.path.join(reports, n) for n in ("r.json", "r.xml", "r.tap"))
        r = self.run_managed(f"exec {PYTHON} {PEERS}/fastapi_items.py --port {port}", port, path,
                             "--report-json", j, "--report-junit", x, "--report-tap", t)
        timing("fastapi-403-words", r)
        head = self.assertFailure(r, "items", "upgrade_rejected", step=1, fname=fname)
        self.assertEqual(head, "upgrade_rejected: server refused the upgrade: HTTP 403 Forbidden")
        self.assertIn("no credentials were sent", r.out)
        self.assertNotIn("the token was missing", r.out)
        self.assertIn("server log while the failing step ran:", r.out)
        self.assertIn("query -> cookie_or_token", r.out)
        self.assertIn("server's last error line: fastapi.exceptions.WebSocketRequestValidationError", r.out)
        with open(j) as f:
            report = json.load(f)
        words = report["scenarios"][0]["server_log"]
        self.assertIn("query -> cookie_or_token", words["while_failing_step"])
        self.assertIn("WebSocketRequestValidationError", words["last_error"])
        self.assertIn("query -&gt; cookie_or_token", open(x).read())
        ET.parse(x)
        tap = open(t).read()
        self.assertIn("  server_log:\n", tap)
        self.assertIn("server_last_error:", tap)

    def test_fastapi_app_error_after_close_is_quoted(self):
        port = free_port()
        path, fname = self.write("drop", [{"connect": {"url": "/drop"}}, {"send": {"text": "hi"}},
                                          {"expect": {"text": "answer"}, "timeout_ms": 3000}])
        r = self.run_managed(f"exec {PYTHON} {PEERS}/fastapi_items.py --port {port}", port, path)
        timing("fastapi-runtime-error-words", r)
        self.assertFailure(r, "drop", "closed_by_server", step=3, fname=fname)
        self.assertIn("server's last error line: RuntimeError: Cannot call \"send\" once a close message has been sent.",
                      r.out)

    # 7. A server stopped from outside (exit 0 after SIGTERM) is not a crash.
    def test_server_stopped_cleanly_is_not_a_crash(self):
        port = free_port()
        log = os.path.join(self.dir.path, "server.log")
        path, _ = self.write("stopped", [{"connect": {"url": "/ws"}},
                                         {"expect": {"text": "never"}, "timeout_ms": 20000}])
        command = (f"exec {PYTHON} {PEERS}/fault_server.py --mode shutdown-noise --port {port} "
                   f"--say-before 'ERROR: database pool exhausted'")
        proc = subprocess.Popen([WSCHECK, "run", path, "--server", command, "--ready", f"tcp://127.0.0.1:{port}",
                                 "--url", f"ws://127.0.0.1:{port}", "--server-log", log, "--no-preflight"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "NO_COLOR": "1"})
        try:
            pid = None
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and pid is None:
                line = proc.stdout.readline()
                m = re.match(r"managed server: pid (\d+)", line)
                if m:
                    pid = int(m.group(1))
            self.assertIsNotNone(pid, "no managed server pid line")
            while time.monotonic() < deadline:  # the scenario's request reached the server
                if os.path.exists(log) and "database pool exhausted" in open(log).read():
                    break
                time.sleep(0.05)
            os.kill(pid, signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 3, msg=out + err)
        head = failure_headline(out, "stopped")
        self.assertTrue(head.startswith("server_exited: managed server exited with status 0 after "), msg=out)
        self.assertIn("it stopped cleanly, it did not crash", head)
        self.assertIn("last error before the shutdown: [fault_server] ERROR: database pool exhausted", head)
        self.assertNotIn("ConnectionClosedError", head)

    # Issue 9 defect 3: a daemonised child keeping the output pipe open must not
    # keep the reader thread alive after teardown (it is joined, wscheck exits).
    def test_daemonised_child_holding_the_pipe(self):
        port = free_port()
        pidfile = os.path.join(self.dir.path, "daemon.pid")
        path, _ = self.write("daemon", [{"connect": {"url": "/ws"}},
                                        {"expect": {"json": {"type": "connection_established"}}}])
        command = (f"setsid sh -c 'echo $$ > {pidfile}; exec sleep 30' & "
                   f"exec {PYTHON} {PEERS}/fault_server.py --mode normal --port {port}")
        try:
            r = self.run_managed(command, port, path, "--server-grace", "500")
        finally:
            deadline = time.monotonic() + 5
            while not os.path.exists(pidfile) and time.monotonic() < deadline:
                time.sleep(0.05)
            if os.path.exists(pidfile):
                try:
                    os.kill(int(open(pidfile).read().strip()), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("managed server stopped", r.out)
        self.assertLess(r.elapsed, 20.0, msg=repr(r))


class FlakySummaryTest(ScenarioTest):
    def test_flaky_counts_in_every_report(self):
        reports = tempfile.mkdtemp(prefix="wscheck-e2e-reports-")
        j, x, t = (os.path.join(reports, n) for n in ("r.json", "r.xml", "r.tap"))
        from harness import SCENARIOS
        with reference_server("drop-random=50") as server:
            r = run_bounded(self, "run", SCENARIOS, "--url", server.url(), "--name", "agent events", "--repeat", "8",
                            "--no-preflight", "-j", "8", "--report-json", j, "--report-junit", x,
                            "--report-tap", t, timeout=60)
        self.assertEqual(r.rc, 1, msg=repr(r))
        report = json.load(open(j))
        self.assertEqual(report["summary"]["flaky"], 1)
        self.assertEqual(report["repeat"]["count"], 8)
        self.assertTrue(report["repeat"]["scenarios"][0]["flaky"])
        self.assertIn('name="flaky" value="1"', open(x).read())
        self.assertIn("# repeat 8: 1 flaky", open(t).read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
