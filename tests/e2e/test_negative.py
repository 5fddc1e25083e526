"""Scenarios that must fail (exit 1) with a message that says what went wrong and where.

Against the built-in server (in-process, or `wscheck serve --fault ...`) and
against the FastAPI and Node peers. Every failure is checked for its class on
the first line, the step's `file:line:col`, and the phrases a person needs.
"""
import unittest

from e2e_util import ESTABLISHED, ScenarioTest, connect, run_bounded
from harness import fastapi_server, fault_server, node_server, reference_server


def echo(payload):
    return {"send": {"json": {"type": "echo", "payload": payload}}}


USER_MESSAGE = {"send": {"json": {"type": "user_message", "content": "What is the weather in Paris?"}}}


class WrongEchoPayload(ScenarioTest):
    """The server echoes "hello"; the scenario expects "goodbye"."""

    def steps(self):
        return [connect(), ESTABLISHED, echo("hello"),
                {"expect": {"json": {"type": "echo_response", "payload": "goodbye"}}, "timeout_ms": 800}]

    def check(self, *url):
        path, fname = self.write("wrong echo payload", self.steps())
        r = run_bounded(self, "run", *url, path, timeout=15)
        self.assertFailure(r, "wrong echo payload", ("message_timeout", "mismatch"),
                           "closest:", "/payload",
                           '"goodbye"', '"hello"', step=4, fname=fname, within_s=0.8)
        closest = [line for line in r.out.splitlines() if line.strip().startswith("closest:")]
        self.assertTrue(closest and "hello" in closest[0] and "echo_response" in closest[0], msg=repr(r))
        self.assertIn("0 passed, 1 failed", r.out, msg=repr(r))

    def test_builtin_server(self):
        self.check()

    def test_fastapi_server(self):
        with fastapi_server() as server:
            self.check("--url", server.url())

    def test_node_server(self):
        with node_server() as server:
            self.check("--url", server.url())


class WrongEventOrder(ScenarioTest):
    """agent_thinking comes before tool_executing; the scenario demands the reverse."""

    def check(self, *url):
        path, fname = self.write("wrong order", [
            connect(), ESTABLISHED, USER_MESSAGE,
            {"expect_sequence": {"match": [{"json": {"type": "agent_started"}},
                                           {"json": {"type": "tool_executing"}},
                                           {"json": {"type": "agent_thinking"}}],
                                 "ordered": True}, "timeout_ms": 1000}])
        r = run_bounded(self, "run", *url, path, timeout=15)
        self.assertFailure(r, "wrong order", "mismatch", "wrong order", "tool_executing", "agent_thinking",
                           step=4, fname=fname, within_s=1.0)

    def test_builtin_server(self):
        self.check()

    def test_node_server(self):
        with node_server() as server:
            self.check("--url", server.url())

    def test_unordered_sequence_accepts_the_same_events(self):
        path, _ = self.write("any order", [
            connect(), ESTABLISHED, USER_MESSAGE,
            {"expect_sequence": {"match": [{"json": {"type": "agent_completed"}},
                                           {"json": {"type": "tool_executing"}},
                                           {"json": {"type": "agent_thinking"}}],
                                 "ordered": False}, "timeout_ms": 1000},
            {"close": {"code": 1000}}])
        r = run_bounded(self, "run", path, timeout=15)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))


class MissingEvent(ScenarioTest):
    """`serve --fault drop-event=tool_completed`: one event of the run never comes.

    The diagnosis must be a message_timeout naming the missing matcher, with
    the liveness ping answered (the app, not the connection, dropped it).
    """

    def run_against_dropping_server(self, path):
        with reference_server("drop-event=tool_completed") as server:
            return run_bounded(self, "run", "--url", server.url(), path, timeout=15)

    def test_expect_names_missing_event(self):
        path, fname = self.write("missing event", [
            connect(), ESTABLISHED, USER_MESSAGE,
            {"expect": {"json": {"type": "tool_completed"}}, "timeout_ms": 800}])
        r = self.run_against_dropping_server(path)
        head = self.assertFailure(r, "missing event", "message_timeout", "liveness ping", "alive",
                                  "agent_completed", step=4, fname=fname, within_s=0.8)
        self.assertIn("tool_completed", head, msg=repr(r))

    def test_unordered_sequence_names_missing_event(self):
        path, fname = self.write("missing event in set", [
            connect(), ESTABLISHED, USER_MESSAGE,
            {"expect_sequence": {"match": [{"json": {"type": "agent_started"}},
                                           {"json": {"type": "tool_completed"}},
                                           {"json": {"type": "agent_completed"}}],
                                 "ordered": False}, "timeout_ms": 800}])
        r = self.run_against_dropping_server(path)
        head = self.assertFailure(r, "missing event in set", "message_timeout", "liveness ping",
                                  step=4, fname=fname, within_s=0.8)
        self.assertIn("tool_completed", head, msg=repr(r))

    def test_ordered_sequence_names_missing_event(self):
        # Only the missing event is out of place: the closest-message diff
        # should be taken against the matcher that is missing (tool_completed).
        path, fname = self.write("missing event in sequence", [
            connect(), ESTABLISHED, USER_MESSAGE,
            {"expect_sequence": {"match": [{"json": {"type": "agent_started"}},
                                           {"json": {"type": "tool_executing"}},
                                           {"json": {"type": "tool_completed"}}]}, "timeout_ms": 800}])
        r = self.run_against_dropping_server(path)
        head = self.assertFailure(r, "missing event in sequence", "message_timeout", "liveness ping",
                                  'expected "tool_completed"', step=4, fname=fname, within_s=0.8)
        self.assertIn("tool_completed", head, msg=repr(r))

    def test_agent_events_scenario_names_missing_event(self):
        # The bundled "agent events" shape (run_id capture, ordered sequence
        # ending in agent_completed) with a short timeout. agent_completed
        # arriving while tool_completed is awaited is not a reordering: the
        # event is missing, and it must be reported as such.
        run_id = "${run_id}"
        path, fname = self.write("agent events drop", [
            connect(), ESTABLISHED, USER_MESSAGE,
            {"expect": {"json": {"type": "agent_started", "run_id": {"$type": "string"}}},
             "capture": {"run_id": "/run_id"}, "timeout_ms": 1000},
            {"expect_sequence": {"match": [{"json": {"type": t, "run_id": run_id}} for t in
                                           ("agent_thinking", "tool_executing", "tool_completed",
                                            "agent_completed")]}, "timeout_ms": 800}])
        r = self.run_against_dropping_server(path)
        head = self.assertFailure(r, "agent events drop", "message_timeout", "liveness ping",
                                  step=5, fname=fname, within_s=0.8)
        self.assertIn("tool_completed", head, msg=repr(r))
        self.assertNotIn("wrong order", r.out, msg=repr(r))


class WrongCloseCode(ScenarioTest):
    def test_expect_close_1000_but_server_sends_1011(self):
        path, fname = self.write("wrong close code", [
            connect(), ESTABLISHED, {"expect_close": {"code": 1000}, "timeout_ms": 1000}])
        with reference_server("close-1011") as server:
            r = run_bounded(self, "run", "--url", server.url(), path, timeout=15)
        self.assertFailure(r, "wrong close code", "mismatch", "1011", "1000", step=3, fname=fname,
                           within_s=1.0)

    def test_expect_close_with_code_list_passes_on_1011(self):
        path, _ = self.write("close code list", [
            connect(), ESTABLISHED, {"expect_close": {"code": [1000, 1011]}, "timeout_ms": 1000}])
        with reference_server("close-1011") as server:
            r = run_bounded(self, "run", "--url", server.url(), path, timeout=15)
        self.assertEqual(r.rc, 0, msg=repr(r))


class StrictExpect(ScenarioTest):
    def steps(self):
        return [connect(), ESTABLISHED, echo("x"),
                {"expect": {"json": {"type": "pong"}}, "strict": True, "timeout_ms": 1000}]

    def check(self, *url):
        path, fname = self.write("strict expect", self.steps())
        r = run_bounded(self, "run", *url, path, timeout=15)
        # strict: the echo_response is the next message, so it fails at once.
        self.assertFailure(r, "strict expect", "mismatch", "strict", "echo_response", "/type",
                           step=4, fname=fname, within_s=0.5)

    def test_builtin_server(self):
        self.check()

    def test_fastapi_server(self):
        with fastapi_server() as server:
            self.check("--url", server.url())

    def test_non_strict_skips_the_unexpected_message(self):
        path, _ = self.write("lenient expect", [
            connect(), ESTABLISHED, echo("x"), {"send": {"json": {"type": "ping"}}},
            {"expect": {"json": {"type": "pong"}}, "timeout_ms": 1000}, {"close": {"code": 1000}}])
        r = run_bounded(self, "run", path, timeout=15)
        self.assertEqual(r.rc, 0, msg=repr(r))


class ExpectSilence(ScenarioTest):
    def test_silence_violated(self):
        path, fname = self.write("silence violated", [
            connect(), ESTABLISHED, {"send": {"json": {"type": "ping"}}},
            {"expect_silence": {"ms": 1000}}])
        r = run_bounded(self, "run", path, timeout=15)
        # The pong arrives at once: the failure must not wait out the window.
        self.assertFailure(r, "silence violated", "mismatch", "silence", "pong",
                           step=4, fname=fname, within_s=0.5)

    def test_silence_kept(self):
        path, _ = self.write("silence kept", [
            connect(), ESTABLISHED, {"expect_silence": {"ms": 300}}, {"close": {"code": 1000}}])
        r = run_bounded(self, "run", path, timeout=15)
        self.assertEqual(r.rc, 0, msg=repr(r))


class ExpectRejectedButAccepted(ScenarioTest):
    REJECT = {"status": [401, 403], "close_code": [1008]}

    def test_builtin_server_with_valid_token(self):
        path, fname = self.write("not rejected", [
            {**connect(expect_rejected=self.REJECT), "timeout_ms": 1000}])
        r = run_bounded(self, "run", path, timeout=15)
        self.assertFailure(r, "not rejected", "mismatch", "authentication is not enforced",
                           step=1, fname=fname, within_s=1.0)

    def test_server_that_ignores_auth(self):
        path, fname = self.write("auth ignored", [
            {**connect(auth=False, expect_rejected=self.REJECT), "timeout_ms": 1000}])
        with fault_server("normal") as server:
            r = run_bounded(self, "run", "--url", server.url(), path, timeout=15)
        self.assertFailure(r, "auth ignored", "mismatch", "authentication is not enforced",
                           step=1, fname=fname, within_s=1.0)


class CaptureUsedLater(ScenarioTest):
    def steps(self):
        return [connect(), ESTABLISHED, echo("abc123"),
                {"expect": {"json": {"type": "echo_response"}}, "capture": {"p": "/payload"},
                 "timeout_ms": 1000},
                echo("again-${p}"),
                {"expect": {"json": {"type": "echo_response", "payload": "again-abc123"}},
                 "strict": True, "timeout_ms": 1000},
                {"close": {"code": 1000}}]

    def check(self, *url):
        path, _ = self.write("capture reuse", self.steps())
        r = run_bounded(self, "run", *url, path, timeout=15)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("✓ capture reuse", r.out, msg=repr(r))

    def test_builtin_server(self):
        self.check()

    def test_fastapi_server(self):
        with fastapi_server() as server:
            self.check("--url", server.url())

    def test_captured_value_mismatch_fails(self):
        # The capture really substitutes: expecting a different value fails.
        steps = self.steps()
        steps[5] = {"expect": {"json": {"type": "echo_response", "payload": "again-${p}-x"}},
                    "strict": True, "timeout_ms": 1000}
        path, fname = self.write("capture mismatch", steps)
        r = run_bounded(self, "run", path, timeout=15)
        self.assertFailure(r, "capture mismatch", "mismatch", "again-abc123-x", "/payload",
                           step=6, fname=fname, within_s=0.5)


class ScenarioBudget(ScenarioTest):
    def test_scenario_timeout_ms_exceeded(self):
        path, fname = self.write("over budget", [
            connect(), ESTABLISHED, {"sleep": {"ms": 5000}}, {"close": {"code": 1000}}], timeout_ms=600)
        r = run_bounded(self, "run", path, timeout=15)
        self.assertFailure(r, "over budget", "scenario_timeout", "600 ms", step=3, fname=fname,
                           within_s=0.6)

    def test_budget_exceeded_while_waiting_for_a_message(self):
        path, fname = self.write("over budget waiting", [
            connect(), ESTABLISHED,
            {"expect": {"json": {"type": "never_sent"}}, "timeout_ms": 5000}], timeout_ms=700)
        r = run_bounded(self, "run", path, timeout=15)
        self.assertFailure(r, "over budget waiting", "scenario_timeout", "700 ms", step=3, fname=fname,
                           within_s=0.7)

    def test_scenario_without_connection_exits_promptly(self):
        # No connection at all: the run must not linger in the event loop.
        path, _ = self.write("just sleep", [{"sleep": {"ms": 50}}])
        r = run_bounded(self, "run", path, timeout=15)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertLess(r.elapsed, 2.0, msg=repr(r))


class FailFastAndSummary(ScenarioTest):
    def test_one_failure_among_passes_exits_1(self):
        self.write("good one", [connect(), ESTABLISHED, {"close": {"code": 1000}}])
        self.write("bad one", [connect(), ESTABLISHED,
                               {"expect": {"json": {"type": "nope"}}, "timeout_ms": 500}])
        r = run_bounded(self, "run", self.dir.path, timeout=15)
        self.assertEqual(r.rc, 1, msg=repr(r))
        self.assertIn("✓ good one", r.out, msg=repr(r))
        self.assertIn("✗ bad one", r.out, msg=repr(r))
        self.assertIn("1 passed, 1 failed", r.out, msg=repr(r))


if __name__ == "__main__":
    unittest.main()
