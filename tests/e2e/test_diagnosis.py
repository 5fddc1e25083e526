"""Every failure class provoked for real, named on the first line, and fast.

`ScenarioEngine` runs with --no-preflight so the scenario engine itself must
classify the failure at the failing step (exit 1 for WebSocket behaviour,
exit 3 for an unreachable environment). `Preflight` runs with the default
preflight, which must catch the environment-class failures before any
scenario runs (exit 3). Each diagnosis must arrive within the step budget
plus a small margin, never after a long generic timeout.
"""
import socket
import unittest

from e2e_util import ESTABLISHED, MARGIN_S, ScenarioTest, connect, run_bounded
from harness import fault_server

STEP_MS = 800
BUDGET_S = STEP_MS / 1000.0


def free_port():
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ECHO_STEPS = [connect(), ESTABLISHED,
              {"send": {"json": {"type": "echo", "payload": "x"}}},
              {"expect": {"json": {"type": "echo_response"}}, "timeout_ms": 1000},
              {"close": {"code": 1000}}]


class ScenarioEngine(ScenarioTest):
    def run_at(self, url, steps=ECHO_STEPS, name="diag", *extra):
        path, fname = self.write(name, steps)
        r = run_bounded(self, "run", "--no-preflight", "--url", url, "--step-timeout", str(STEP_MS),
                        *extra, path, timeout=10)
        return r, fname

    def run_fault(self, mode, steps=ECHO_STEPS, name="diag"):
        with fault_server(mode) as server:
            return self.run_at(server.url(), steps, name)

    # -- environment classes: exit 3

    def test_tcp_refused(self):
        port = free_port()
        r, fname = self.run_at(f"ws://127.0.0.1:{port}")
        self.assertFailure(r, "diag", "tcp_refused", "nothing is listening", f"127.0.0.1:{port}",
                           step=1, fname=fname, rc=3)
        self.assertLess(r.elapsed, 1.0, msg=repr(r))

    def test_dns_failed(self):
        r, fname = self.run_at("ws://nonexistent.invalid:80")
        self.assertFailure(r, "diag", "dns_failed", "nonexistent.invalid", step=1, fname=fname, rc=3,
                           within_s=BUDGET_S)

    def test_tcp_timeout(self):
        # A listener that never accepts and whose accept queue is full: Linux
        # drops further SYNs, so the handshake gets no answer at all (the
        # loopback equivalent of a filtered port), without leaving 127.0.0.1.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        try:
            for _ in range(3):
                c = socket.socket()
                c.setblocking(False)
                try:
                    c.connect(("127.0.0.1", port))
                except BlockingIOError:
                    pass
                fillers.append(c)
            r, fname = self.run_at(f"ws://127.0.0.1:{port}")
        finally:
            for c in fillers:
                c.close()
            listener.close()
        self.assertFailure(r, "diag", "tcp_timeout", "no TCP answer", f"within {STEP_MS} ms",
                           step=1, fname=fname, rc=3, within_s=BUDGET_S)

    # -- upgrade phase

    def test_upgrade_timeout_accept_silent(self):
        r, fname = self.run_fault("accept-silent")
        self.assertFailure(r, "diag", "upgrade_timeout", "holds the port", f"{STEP_MS} ms",
                           step=1, fname=fname, within_s=BUDGET_S)

    def test_upgrade_timeout_slow_upgrade(self):
        r, fname = self.run_fault("slow-upgrade=3000")
        self.assertFailure(r, "diag", "upgrade_timeout", "holds the port", step=1, fname=fname,
                           within_s=BUDGET_S)

    def test_upgrade_rejected_http_500(self):
        r, fname = self.run_fault("http-500")
        head = self.assertFailure(r, "diag", "upgrade_rejected", step=1, fname=fname, within_s=BUDGET_S)
        self.assertIn("HTTP 500", head, msg=repr(r))

    def test_upgrade_rejected_http_403(self):
        r, fname = self.run_fault("http-403")
        head = self.assertFailure(r, "diag", "upgrade_rejected", step=1, fname=fname, within_s=BUDGET_S)
        self.assertIn("HTTP 403", head, msg=repr(r))

    def test_not_websocket_http_200(self):
        r, fname = self.run_fault("http-200")
        head = self.assertFailure(r, "diag", "not_websocket", step=1, fname=fname, within_s=BUDGET_S)
        self.assertIn("HTTP 200", head, msg=repr(r))

    def test_reset_during_upgrade(self):
        r, fname = self.run_fault("reset")
        self.assertFailure(r, "diag", "reset", step=1, fname=fname, within_s=BUDGET_S)

    # -- after the upgrade

    def test_closed_by_server_1011(self):
        # connection_established, then close 1011: the expect right after
        # connect is still waiting when the close arrives.
        steps = [connect(), {"expect": {"json": {"type": "agent_started"}}, "timeout_ms": 1000}]
        r, fname = self.run_fault("close-1011", steps)
        head = self.assertFailure(r, "diag", "closed_by_server", "internal error", step=2, fname=fname,
                                  within_s=BUDGET_S)
        self.assertIn("1011", head, msg=repr(r))

    def test_message_timeout_liveness_answered(self):
        # Built-in server (in-process, no --url): the app never sends this type.
        path, fname = self.write("diag", [connect(), ESTABLISHED,
                                          {"expect": {"json": {"type": "never_sent"}}}])
        r = run_bounded(self, "run", "--no-preflight", "--step-timeout", str(STEP_MS), path, timeout=10)
        head = self.assertFailure(r, "diag", "message_timeout", "liveness ping", "alive",
                                  step=3, fname=fname, within_s=BUDGET_S)
        self.assertIn("never_sent", head, msg=repr(r))
        self.assertIn(f"{STEP_MS} ms", head, msg=repr(r))

    def test_message_timeout_no_pong(self):
        steps = [connect(), ESTABLISHED, {"ping": {}}]
        r, fname = self.run_fault("no-pong", steps)
        self.assertFailure(r, "diag", "message_timeout", "does not answer ping", step=3, fname=fname,
                           within_s=BUDGET_S)

    def test_protocol_error_bad_accept(self):
        r, fname = self.run_fault("bad-accept")
        head = self.assertFailure(r, "diag", "protocol_error", step=1, fname=fname, within_s=BUDGET_S)
        self.assertIn("Sec-WebSocket-Accept", head, msg=repr(r))

    def test_protocol_error_invalid_utf8(self):
        steps = [connect(), {"expect": {"json": {"type": "connection_established"}}, "timeout_ms": 1000}]
        r, fname = self.run_fault("invalid-utf8", steps)
        head = self.assertFailure(r, "diag", "protocol_error", "1007", step=2, fname=fname,
                                  within_s=BUDGET_S)
        self.assertIn("UTF-8", head, msg=repr(r))

    def test_protocol_error_huge_frame(self):
        steps = [connect(), {"expect": {"json": {"type": "connection_established"}}, "timeout_ms": 1000}]
        r, fname = self.run_fault("huge-frame=20000000", steps)
        head = self.assertFailure(r, "diag", "protocol_error", "1009", step=2, fname=fname,
                                  within_s=BUDGET_S)
        self.assertIn("larger than", head, msg=repr(r))


class Preflight(ScenarioTest):
    """Default runs: preflight names the class on its first line and exits 3."""

    def run_at(self, url):
        path, _ = self.write("diag", ECHO_STEPS)
        return run_bounded(self, "run", "--url", url, "--step-timeout", str(STEP_MS), path, timeout=10)

    def assertPreflight(self, r, cls, *phrases, within_s=BUDGET_S):
        self.assertEqual(r.rc, 3, msg=repr(r))
        first = r.out.splitlines()[0] if r.out else ""
        self.assertTrue(first.startswith(cls + ":"), msg=f"first line should name {cls}\n{r!r}")
        for phrase in phrases:
            self.assertIn(phrase, first, msg=repr(r))
        self.assertNotIn("passed", r.out, msg=f"no scenario should have run\n{r!r}")
        self.assertLess(r.elapsed, within_s + MARGIN_S, msg=repr(r))

    def test_tcp_refused(self):
        port = free_port()
        r = self.run_at(f"ws://127.0.0.1:{port}")
        self.assertPreflight(r, "tcp_refused", f"127.0.0.1:{port}", within_s=0.0)
        self.assertLess(r.elapsed, 1.0, msg=repr(r))

    def test_dns_failed(self):
        self.assertPreflight(self.run_at("ws://nonexistent.invalid:80"), "dns_failed", "nonexistent.invalid")

    def test_upgrade_timeout_accept_silent(self):
        with fault_server("accept-silent") as server:
            r = self.run_at(server.url())
        self.assertPreflight(r, "upgrade_timeout", "holds the port")

    def test_upgrade_timeout_slow_upgrade(self):
        with fault_server("slow-upgrade=3000") as server:
            r = self.run_at(server.url())
        self.assertPreflight(r, "upgrade_timeout", "holds the port")

    def test_upgrade_rejected_http_500(self):
        with fault_server("http-500") as server:
            r = self.run_at(server.url())
        self.assertPreflight(r, "upgrade_rejected", "HTTP 500")

    def test_http_403_is_left_to_the_scenario(self):
        # The unauthenticated probe expects 401/403 from a server that
        # enforces auth; the scenario (with its token) decides: exit 1.
        with fault_server("http-403") as server:
            r = self.run_at(server.url())
        self.assertEqual(r.rc, 1, msg=repr(r))
        self.assertClass(r, "upgrade_rejected")
        self.assertIn("HTTP 403", r.out, msg=repr(r))


if __name__ == "__main__":
    unittest.main()
