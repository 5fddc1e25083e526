"""Hostile and broken servers: wscheck survives, ends in bounded time, names the cause.

Every fault_server misbehaviour is run with --no-preflight (the scenario
engine itself must cope) and --step-timeout 1500. For each one wscheck must
end within the step budget plus 2 s, exit 1 or 3 (never a crash: no signal,
no abort), print a failure whose first line names a class
(`    class: ...`), and name the specific cause where it has one. When the
run supports --report-json, the report must be written and parseable for
these failures too, and agree with the console on the class.

Also: Ctrl-C (SIGINT) mid-run exits 130 with the partial result and closes
the connection with 1001 "going away"; and a valgrind run of the bundled
scenarios against the built-in server shows no definite leak.
"""
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from harness import E2ETest, PEERS, ROOT, WSCHECK, fault_server, run_wscheck

sys.path.insert(0, PEERS)
import fault_server as wire  # noqa: E402  (framing helpers of the fault peer, stdlib only)

STEP_MS = 1500
BUDGET_S = STEP_MS / 1000.0 + 2.0
CLASS_LINE = re.compile(r"^    ([a-z_]+): (.*)$", re.M)

OPEN = [{"connect": {"url": "/ws"}}, {"expect": {"json": {"type": "connection_established"}}}]


def _supports(flag):
    try:
        out = subprocess.run([WSCHECK, "run", "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return flag in out.stdout + out.stderr


HAS_REPORT_JSON = _supports("--report-json")


def _sanitized():
    """True for an ASan/UBSan build (valgrind cannot run those)."""
    try:
        with open(WSCHECK, "rb") as f:
            data = f.read()
    except OSError:
        return False
    return b"__asan_init" in data or b"__ubsan_handle" in data


class HostileTest(E2ETest):
    def run_bounded(self, *args, budget_s=BUDGET_S):
        """Runs wscheck; a hang beyond the budget is a failure that shows the output so far."""
        try:
            r = run_wscheck(*args, timeout=budget_s + 15)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            self.fail(f"wscheck {' '.join(args)} still running after {budget_s + 15:.0f} s "
                      f"(budget {budget_s:.1f} s); output so far:\n{out}")
        self.assertGreaterEqual(r.rc, 0, msg=f"wscheck was killed by signal {-r.rc}\n{r!r}")
        self.assertFalse(r.rc >= 128 and r.rc != 130, msg=f"wscheck crashed or aborted\n{r!r}")
        self.assertLessEqual(r.elapsed, budget_s,
                             msg=f"took {r.elapsed:.2f} s, budget {budget_s:.1f} s\n{r!r}")
        return r

    def run_hostile(self, mode, steps=OPEN, extra=(), expect_class=None, contains=()):
        """Runs `steps` against fault_server(mode); returns (result, class, headline, report)."""
        path = self.scenario("hostile " + mode.split("=")[0], steps)
        report_path = os.path.join(self.dir.path, "report.json")
        report_args = ("--report-json", report_path) if HAS_REPORT_JSON else ()
        with fault_server(mode) as server:
            r = self.run_bounded("run", "--url", server.url(), "--no-preflight",
                                 "--step-timeout", str(STEP_MS), *report_args, *extra, path)
        self.assertIn(r.rc, (1, 3), msg=repr(r))
        m = CLASS_LINE.search(r.out)
        self.assertIsNotNone(m, msg="no failure line naming a class ('    class: ...')\n" + repr(r))
        cls, headline = m.group(1), m.group(2)
        if expect_class:
            self.assertEqual(cls, expect_class, msg=repr(r))
        for text in contains:
            self.assertIn(text, headline, msg=repr(r))
        report = None
        if HAS_REPORT_JSON:
            self.assertTrue(os.path.isfile(report_path), msg="--report-json file not written\n" + repr(r))
            with open(report_path, encoding="utf-8") as f:
                try:
                    report = json.load(f)
                except ValueError as e:
                    self.fail(f"--report-json file is not JSON: {e}\n{r!r}")
            self.assertEqual(report.get("exit_code"), r.rc, msg=json.dumps(report)[:2000])
            scenario = report["scenarios"][0]
            self.assertEqual(scenario["status"], "failed", msg=json.dumps(scenario)[:2000])
            self.assertEqual(scenario["diagnosis"]["class"], cls, msg=json.dumps(scenario)[:2000])
        return r, cls, headline, report

    # -- the upgrade phase

    def test_trickle_is_upgrade_timeout(self):
        # The 101 arrives one byte every 200 ms: ~25 s for the whole response.
        self.run_hostile("trickle", expect_class="upgrade_timeout", contains=(f"{STEP_MS} ms",))

    def test_bad_accept_is_protocol_error(self):
        self.run_hostile("bad-accept", expect_class="protocol_error", contains=("Sec-WebSocket-Accept",))

    def test_reset_is_reset(self):
        self.run_hostile("reset", expect_class="reset")

    # -- after the upgrade

    def test_reset_mid_frame_is_reset(self):
        self.run_hostile("reset-mid-frame", expect_class="reset")

    def test_frames_after_close_is_closed_by_server(self):
        self.run_hostile("frames-after-close", expect_class="closed_by_server", contains=("1000",))

    def test_ping_flood_does_not_stall(self):
        # The peer never sends connection_established, only 10000 pings.
        self.run_hostile("ping-flood", expect_class="message_timeout")

    def test_ping_flood_survived_then_clean_close(self):
        # Pings are not messages: the silence holds, every ping is answered,
        # and the close handshake completes once the flood is out.
        steps = [{"connect": {"url": "/ws"}}, {"expect_silence": {"ms": 500}}, {"close": {"code": 1000}}]
        path = self.scenario("ping flood survived", steps)
        with fault_server("ping-flood") as server:
            r = self.run_bounded("run", "--url", server.url(), "--no-preflight",
                                 "--step-timeout", str(STEP_MS), path)
        self.assertEqual(r.rc, 0, msg=repr(r))

    # Known limitation, kept visible rather than loosened: lws 4.1 rejects the
    # frame inside its parser (close 1002 "rsv bits") and only tells the client
    # code CLIENT_CLOSED, indistinguishable from a server drop, so wscheck says
    # `reset`. It still ends at once with exit 1. If wscheck ever names it,
    # this turns into an unexpected success and the suite says so.
    @unittest.expectedFailure
    def test_compressed_frame_without_extension_is_protocol_error(self):
        # RSV1 set on a frame although no extension was negotiated (RFC 6455
        # 5.2: the client MUST fail the connection). The ideal diagnosis
        # names the protocol violation, not a generic reset.
        r, cls, headline, _ = self.run_hostile("compressed")
        self.assertEqual(cls, "protocol_error", msg=repr(r))
        self.assertRegex(headline, re.compile(r"RSV1|compress|extension", re.I), msg=repr(r))

    def test_huge_frame_is_protocol_error_1009(self):
        self.run_hostile("huge-frame=20000000", expect_class="protocol_error", contains=("1009", "20000000"))

    def test_max_message_bytes_is_protocol_error_1009(self):
        steps = OPEN + [{"send": {"text": "x" * 2000}}, {"expect": {"text": "x" * 2000}}]
        self.run_hostile("normal", steps, extra=("--max-message-bytes", "1000"),
                         expect_class="protocol_error", contains=("1009", "2000", "1000"))

    def test_invalid_utf8_is_protocol_error_1007(self):
        self.run_hostile("invalid-utf8", expect_class="protocol_error", contains=("UTF-8", "1007"))


class CloseRecorder:
    """A tiny WebSocket server (stdlib, fault_server's framing) that records close codes.

    It answers the upgrade, sends connection_established, answers pings, and
    then stays silent; on a close frame it records the code and answers it.
    """

    def __init__(self):
        self.codes = []
        self.closed = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()

    def url(self, path=""):
        return f"ws://127.0.0.1:{self.port}{path}"

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        conn.settimeout(30)
        try:
            req = wire.read_request(conn)
            if not req.is_upgrade():
                wire.send_and_close(conn, wire.http_response(426, "Upgrade Required"))
                return
            wire.send_all(conn, wire.handshake_response(req))
            wire.send_all(conn, wire.json_frame({"type": "connection_established", "user_id": "rec"}))
            for op, payload in wire.FrameReader(conn, req.rest).messages():
                if op == wire.OP_CLOSE:
                    self.codes.append(struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None)
                    self.closed.set()
                    try:
                        wire.send_all(conn, wire.frame(wire.OP_CLOSE, payload[:2]))
                    except wire.ClientGone:
                        pass
                    return
                if op == wire.OP_PING:
                    wire.send_all(conn, wire.frame(wire.OP_PONG, payload))
        except (wire.ClientGone, OSError, socket.timeout):
            pass
        finally:
            conn.close()


class Interrupt(E2ETest):
    def test_sigint_exits_130_with_partial_result_and_close_1001(self):
        steps = OPEN + [{"expect": {"json": {"type": "never_sent"}}, "timeout_ms": 20000}]
        path = self.scenario("waits for ctrl c", steps)
        report_path = os.path.join(self.dir.path, "report.json")
        report_args = ["--report-json", report_path] if HAS_REPORT_JSON else []
        env = dict(os.environ, NO_COLOR="1")
        env.pop("WSCHECK_URL", None)
        with CloseRecorder() as server:
            start = time.monotonic()
            proc = subprocess.Popen([WSCHECK, "run", "--url", server.url(), "--no-preflight", *report_args, path],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
            try:
                time.sleep(1.0)
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
                self.fail(f"wscheck did not exit within 5 s of SIGINT\n--- stdout\n{out}\n--- stderr\n{err}")
            elapsed = time.monotonic() - start
            server.closed.wait(2.0)
            codes = list(server.codes)
        shown = f"rc={proc.returncode} elapsed={elapsed:.2f}s codes={codes}\n--- stdout\n{out}\n--- stderr\n{err}"
        self.assertEqual(proc.returncode, 130, msg=shown)
        self.assertLess(elapsed, 4.0, msg=shown)
        # The partial result: the scenario that was running, where it stopped.
        self.assertIn("waits for ctrl c", out, msg=shown)
        self.assertIn("step 3", out, msg=shown)
        self.assertIn("interrupted", out + err, msg=shown)
        self.assertEqual(codes, [1001], msg="the server should see a close frame 1001 (going away)\n" + shown)
        if HAS_REPORT_JSON:
            with open(report_path, encoding="utf-8") as f:
                report = json.load(f)
            self.assertTrue(report.get("interrupted"), msg=json.dumps(report)[:2000])
            self.assertEqual(report.get("exit_code"), 130, msg=json.dumps(report)[:2000])


@unittest.skipUnless(shutil.which("valgrind"), "valgrind is not installed")
@unittest.skipIf(_sanitized(), "wscheck is built with ASan/UBSan (it checks leaks itself; valgrind cannot run it)")
class Leaks(unittest.TestCase):
    def test_bundled_scenarios_under_valgrind(self):
        env = dict(os.environ, NO_COLOR="1")
        env.pop("WSCHECK_URL", None)
        argv = ["valgrind", "--leak-check=full", "--error-exitcode=9", WSCHECK, "run", "scenarios/"]
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=150, env=env, cwd=ROOT)
        except subprocess.TimeoutExpired:
            self.fail("valgrind run of scenarios/ did not finish within 150 s")
        shown = f"rc={p.returncode}\n--- stdout\n{p.stdout}\n--- stderr (tail)\n{p.stderr[-6000:]}"
        self.assertEqual(p.returncode, 0, msg=shown)
        self.assertNoDefiniteLeak(p.stderr, shown)

    def test_failure_paths_under_valgrind(self):
        # The cleanup paths of failed connections: protocol errors, resets,
        # a refused handshake. wscheck must exit 1 (9 = valgrind found errors).
        with tempfile.TemporaryDirectory(prefix="wscheck-e2e-") as tmp:
            path = os.path.join(tmp, "hostile.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"name": "hostile under valgrind", "steps": OPEN}, f)
            for mode in ("invalid-utf8", "reset-mid-frame", "huge-frame=2000000", "bad-accept"):
                with self.subTest(mode=mode), fault_server(mode) as server:
                    argv = ["valgrind", "--leak-check=full", "--error-exitcode=9", WSCHECK, "run",
                            "--url", server.url(), "--no-preflight", "--step-timeout", str(STEP_MS), path]
                    try:
                        p = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=ROOT,
                                           env=dict(os.environ, NO_COLOR="1"))
                    except subprocess.TimeoutExpired:
                        self.fail(f"valgrind run against {mode} did not finish within 60 s")
                    shown = f"rc={p.returncode}\n--- stdout\n{p.stdout}\n--- stderr (tail)\n{p.stderr[-6000:]}"
                    self.assertEqual(p.returncode, 1, msg=shown)
                    self.assertNoDefiniteLeak(p.stderr, shown)

    def assertNoDefiniteLeak(self, stderr, shown):
        m = re.search(r"definitely lost: ([\d,]+) bytes", stderr)
        if m:  # no LEAK SUMMARY at all means nothing was left allocated
            self.assertEqual(m.group(1), "0", msg=shown)
        # "still reachable" (libwebsockets / OpenSSL globals) is fine.


if __name__ == "__main__":
    unittest.main(verbosity=2)
