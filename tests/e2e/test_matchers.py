"""Protocol matchers end to end: JSON behind a `prefix` (send and expect),
named regex groups captured and reused, `$unordered`, and the per-run
variables ${WSCHECK_RUN_ID} / ${WSCHECK_SCENARIO} under -j 2.

The peer is tests/peers/echo_server.js (node `ws`): every frame comes back
unchanged, so a Socket.IO-style `421["sum",1,2]` round-trips as it was sent.
Each negative case must fail with exit 1 and say what was expected and what
arrived; each invalid file must be refused with exit 2 at file:line:col.
"""
import os
import re
import unittest

from e2e_util import ScenarioTest, run_bounded
from harness import PEERS, Peer


def echo_server():
    return Peer(["node", os.path.join(PEERS, "echo_server.js")], cwd=PEERS)


CONNECT = {"connect": {"url": "/"}}


class MatchersAgainstEcho(ScenarioTest):
    @classmethod
    def setUpClass(cls):
        cls.server = echo_server().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def run_steps(self, name, steps, *extra):
        path, fname = self.write(name, steps)
        return run_bounded(self, "run", "--url", self.server.url("/"), *extra, path, timeout=20), fname

    def test_prefix_round_trip_and_named_capture_reused_later(self):
        r, _ = self.run_steps("prefix round trip", [
            CONNECT,
            {"send": {"prefix": "42${ACK:-7}", "json": ["sum", 1, 2]}},
            {"expect": {"prefix": "42(?<ack_id>\\d+)", "json": ["sum", 1, {"$gt": 1}]}, "timeout_ms": 3000,
             "capture": {"op": "/0"}},
            {"send": {"text": "ack ${ack_id} for ${op}"}},
            {"expect": {"text": "ack 7 for sum"}, "timeout_ms": 3000},
            {"send": {"text": "room ${WSCHECK_SCENARIO} ${WSCHECK_RUN_ID}"}},
            {"expect": {"regex": "^room prefix round trip [0-9a-f]{16}$"}, "timeout_ms": 3000},
            {"close": {}}])
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))

    def test_unordered_batch_reply(self):
        r, _ = self.run_steps("unordered batch", [
            CONNECT,
            {"send": {"json": [{"jsonrpc": "2.0", "id": 2, "result": 4}, {"jsonrpc": "2.0", "id": 1, "result": 3},
                               {"jsonrpc": "2.0", "id": 3, "error": {"code": -32601}}]}},
            {"expect": {"json": {"$unordered": [{"id": 1, "result": 3}, {"id": 3, "error": {"$exists": True}},
                                                {"id": {"$type": "integer"}}]}}, "timeout_ms": 3000},
            {"close": {}}])
        self.assertEqual(r.rc, 0, msg=repr(r))

    def test_negative_prefix_names_expected_and_arrived(self):
        r, fname = self.run_steps("wrong prefix", [
            CONNECT,
            {"send": {"prefix": "43", "json": [{"ok": True}]}},
            {"expect": {"prefix": "42", "json": [{"ok": True}]}, "timeout_ms": 600}])
        self.assertFailure(r, "wrong prefix", ("message_timeout", "mismatch"), "expected text starting with /42/",
                           '43[{\\"ok\\":true}]', step=3, fname=fname)

    def test_negative_json_after_prefix(self):
        r, fname = self.run_steps("wrong json after prefix", [
            CONNECT,
            {"send": {"prefix": "42", "json": ["chat", {"text": "bye"}]}},
            {"expect": {"prefix": "42", "json": ["chat", {"text": "hi"}]}, "timeout_ms": 600}])
        self.assertFailure(r, "wrong json after prefix", ("message_timeout", "mismatch"), "/1/text",
                           'expected "hi", got "bye"', step=3, fname=fname)

    def test_negative_named_capture_regex(self):
        r, fname = self.run_steps("capture regex misses", [
            CONNECT,
            {"send": {"text": "ack x1"}},
            {"expect": {"regex": "^ack (?<n>\\d+)$"}, "timeout_ms": 600},
            {"send": {"text": "${n}"}}])
        self.assertFailure(r, "capture regex misses", ("message_timeout", "mismatch"), "does not match",
                           "ack x1", step=3, fname=fname)

    def test_negative_unordered_names_the_pattern_without_element(self):
        r, fname = self.run_steps("unordered miss", [
            CONNECT,
            {"send": {"json": [{"id": 1}, {"id": 2}]}},
            {"expect": {"json": {"$unordered": [{"id": 1}, {"id": 3}]}}, "timeout_ms": 600}])
        self.assertFailure(r, "unordered miss", ("message_timeout", "mismatch"),
                           '$unordered: pattern [1] {"id":3} matches no element', 'left over: [1] {"id":2}',
                           step=3, fname=fname)

    def test_run_ids_differ_between_two_scenarios_under_j2(self):
        steps = [CONNECT,
                 {"send": {"text": "id=${WSCHECK_RUN_ID} name=${WSCHECK_SCENARIO}"}},
                 {"expect": {"regex": "^id=(?<seen>[0-9a-f]{16}) name="}, "timeout_ms": 3000},
                 {"close": {}}]
        self.dir.write("suite.json", {"scenarios": [{"name": "room a", "steps": steps},
                                                    {"name": "room b", "steps": steps}]})
        r = run_bounded(self, "run", "-v", "-j", "2", "--url", self.server.url("/"),
                        os.path.join(self.dir.path, "suite.json"), timeout=20)
        self.assertEqual(r.rc, 0, msg=repr(r))
        ids = re.findall(r'captured seen = "([0-9a-f]{16})"', r.out + r.err)
        self.assertEqual(len(ids), 2, msg=repr(r))
        self.assertNotEqual(ids[0], ids[1], msg=repr(r))
        # --var pins it (to reproduce a run)
        r = run_bounded(self, "run", "-v", "-j", "2", "--var", "WSCHECK_RUN_ID=00000000deadbeef",
                        "--url", self.server.url("/"), os.path.join(self.dir.path, "suite.json"), timeout=20)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertEqual(re.findall(r'captured seen = "([0-9a-f]{16})"', r.out + r.err),
                         ["00000000deadbeef"] * 2, msg=repr(r))


class MatchersInvalidFiles(ScenarioTest):
    """Refused before anything runs: exit 2 with file:line:col (no server needed)."""

    def refuse(self, name, step, *phrases):
        path, fname = self.write(name, [CONNECT, step])
        r = run_bounded(self, "run", "--url", "ws://127.0.0.1:9/", "--no-preflight", path)
        self.assertEqual(r.rc, 2, msg=repr(r))
        self.assertRegex(r.err, re.escape(fname) + r":3:\d+", msg=repr(r))
        for phrase in phrases:
            self.assertIn(phrase, r.err, msg=repr(r))

    def test_bad_prefix_regex(self):
        self.refuse("bad prefix", {"expect": {"prefix": "4(2", "json": []}}, "invalid regex")

    def test_prefix_without_json(self):
        self.refuse("prefix alone", {"expect": {"prefix": "42", "text": "x"}}, '"prefix" goes with "json"')

    def test_send_prefix_without_json(self):
        self.refuse("send prefix alone", {"send": {"prefix": "42", "text": "x"}}, '"prefix" goes with "json"')

    def test_unordered_not_an_array(self):
        self.refuse("unordered object", {"expect": {"json": {"$unordered": {"id": 1}}}}, "$unordered takes an array")

    def test_misspelt_run_variable_is_undefined(self):
        self.refuse("typo", {"send": {"text": "${WSCHECK_RUNID}"}}, "undefined variable ${WSCHECK_RUNID}")


if __name__ == "__main__":
    unittest.main()
