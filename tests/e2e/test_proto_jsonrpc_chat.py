"""JSON-RPC 2.0 (npm rpc-websockets) and the FastAPI docs' ConnectionManager chat.

tests/peers/rpc_websockets_server.js: rpc-websockets' `Server` with methods,
an event (`news`), a protected method (refused before `rpc.login`), batches,
and a heartbeat at 300 ms: WebSocket ping frames plus a `heartbeat` event a
subscriber must acknowledge (else close 4000).

tests/peers/fastapi_chat.py: the FastAPI docs' broadcast chat, one room per
path `/ws/{room}/{client_id}`, uvicorn ping frames every 300 ms and an app
text "heartbeat" every 300 ms.

Each feature has a passing scenario and a NEGATIVE one that must fail with
exit 1 and a message naming what was expected and what arrived.
"""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import ScenarioTest, run_bounded  # noqa: E402
from proto_util import (EXAMPLES, HEARTBEAT_MS, PeerClass, chat_server, fixture, load_fixture,  # noqa: E402
                        report_rules, rpc_server)


def rpc(method, rid, params=None):
    msg = {"jsonrpc": "2.0", "method": method, "id": rid}
    if params is not None:
        msg["params"] = params
    return {"send": {"json": msg}}


BATCH = {"send": {"json": [{"jsonrpc": "2.0", "method": "sum", "params": [1, 2], "id": 10},
                           {"jsonrpc": "2.0", "method": "echo", "params": ["x"], "id": 11},
                           {"jsonrpc": "2.0", "method": "no.such.method", "id": 12}]}}


class JsonRpcTest(PeerClass, ScenarioTest):
    peer_factory = staticmethod(rpc_server)

    def run_at_peer(self, *args, timeout=30):
        return run_bounded(self, "run", "--url", self.peer.url(), *args, timeout=timeout)

    def test_calls_event_batch_and_forbidden_method(self):
        r = self.run_at_peer(fixture("jsonrpc_calls.json"))
        self.assertEqual(r.rc, 0, r)

    def test_example_file_passes(self):
        r = self.run_at_peer(os.path.join(EXAMPLES, "jsonrpc.json"))
        self.assertEqual(r.rc, 0, r)

    def test_batch_reply_with_an_unmatched_pattern_names_it(self):
        # the reply holds {"id":12,"error":{...}}: a pattern asking for a result for id 12 pairs with nothing
        expect = {"expect": {"json": {"$unordered": [{"id": 11, "result": ["x"]}, {"id": 12, "result": 0},
                                                     {"id": 10, "result": 3}]}}, "timeout_ms": 1000}
        path, fname = self.write("batch mismatch", [{"connect": {"url": "/"}}, BATCH, expect])
        r = self.run_at_peer(path)
        self.assertFailure(r, "batch mismatch", "message_timeout", '{"id":12,"result":0}',
                           '"Method not found"', step=3, fname=fname)

    def test_heartbeat_rule_acknowledges_every_beat(self):
        report = os.path.join(self.dir.path, "report.json")
        r = self.run_at_peer(fixture("jsonrpc_heartbeat.json"), "--report-json", report)
        self.assertEqual(r.rc, 0, r)
        rules = [x for x in report_rules(report, "rpc-websockets heartbeat acknowledged")
                 if x.get("name") == "heartbeat ack"]
        self.assertTrue(rules, r)
        self.assertEqual(rules[0].get("action"), "reply", rules)
        self.assertGreaterEqual(rules[0].get("count", 0), 2, rules)  # 1500 ms at 300 ms

    def test_without_the_rule_the_server_closes_for_missing_acks(self):
        # nothing acknowledges the heartbeat event: the server closes with 4000 while the step waits
        steps = [{"connect": {"url": "/"}}, rpc("rpc.on", 1, ["heartbeat"]),
                 {"expect": {"json": {"result": {"heartbeat": "ok"}, "id": 1}}},
                 {"expect": {"json": {"notification": "news"}}, "timeout_ms": 10 * HEARTBEAT_MS}]
        path, fname = self.write("no heartbeat rule", steps)
        r = self.run_at_peer(path)
        self.assertFailure(r, "no heartbeat rule", "closed_by_server", "4000", "heartbeat not acknowledged",
                           '"notification":"heartbeat"', step=4, fname=fname)

    def test_forbidden_method_where_a_result_was_expected(self):
        steps = [{"connect": {"url": "/"}}, rpc("secret", 4),
                 {"expect": {"json": {"result": "42", "id": 4}}, "strict": True, "timeout_ms": 2000}]
        path, fname = self.write("not logged in", steps)
        r = self.run_at_peer(path)
        self.assertFailure(r, "not logged in", "mismatch", '"result":"42"', "Method forbidden", step=3,
                           fname=fname)


class ChatTest(PeerClass, ScenarioTest):
    peer_factory = staticmethod(chat_server)

    def run_at_peer(self, *args, timeout=30):
        return run_bounded(self, "run", "--url", self.peer.url(), *args, timeout=timeout)

    def rooms(self, n=4):
        """n copies of the chat_room fixture under different names (the text each sends names it)."""
        template = load_fixture("chat_room.json")
        for i in range(1, n + 1):
            self.dir.write(f"room{i}.json", {**template, "name": f"chat room {i}"})
        return self.dir.path

    def test_room_happy_path(self):
        r = self.run_at_peer(fixture("chat_room.json"))
        self.assertEqual(r.rc, 0, r)

    def test_example_file_passes(self):
        r = self.run_at_peer(os.path.join(EXAMPLES, "chat.json"))
        self.assertEqual(r.rc, 0, r)

    def test_four_concurrent_runs_get_their_own_rooms(self):
        r = self.run_at_peer("-j", "4", self.rooms())
        self.assertEqual(r.rc, 0, r)
        self.assertIn("4 passed", r.out, r)

    def test_a_fixed_run_id_makes_concurrent_runs_share_a_room(self):
        # --var overrides WSCHECK_RUN_ID: the four runs meet in one room and hear each other
        r = self.run_at_peer("-j", "4", "--var", "WSCHECK_RUN_ID=shared", self.rooms())
        self.assertEqual(r.rc, 1, r)
        crossed = [m for m in re.finditer(r"hello from chat room (\d)", r.out)]
        names = {m.group(1) for m in crossed}
        self.assertGreaterEqual(len(names), 2, r)
        self.assertIn("mismatch:", r.out, r)

    def test_ignore_rule_keeps_the_app_heartbeat_out(self):
        report = os.path.join(self.dir.path, "report.json")
        r = self.run_at_peer(fixture("chat_heartbeat.json"), "--report-json", report)
        self.assertEqual(r.rc, 0, r)
        rules = [x for x in report_rules(report, "chat heartbeat") if x.get("name") == "app heartbeat"]
        self.assertTrue(rules, r)
        self.assertEqual(rules[0].get("action"), "ignore", rules)
        self.assertGreaterEqual(rules[0].get("count", 0), 2, rules)  # 1000 ms at 300 ms

    def test_without_the_ignore_rule_the_heartbeat_breaks_a_strict_expect(self):
        steps = [{"connect": {"url": "/ws/hb-${WSCHECK_RUN_ID}/7"}}, {"sleep": {"ms": 1000}},
                 {"send": {"text": "still here"}},
                 {"expect": {"text": "You wrote: still here"}, "strict": True, "timeout_ms": 3000}]
        path, fname = self.write("no ignore rule", steps)
        r = self.run_at_peer(path)
        self.assertFailure(r, "no ignore rule", "mismatch", '"You wrote: still here"', "heartbeat", step=4,
                           fname=fname)

    def test_non_numeric_client_id_is_refused(self):
        r = self.run_at_peer(fixture("chat_rejected.json"))
        self.assertEqual(r.rc, 0, r)

    def test_connecting_with_a_non_numeric_client_id_names_the_403(self):
        path, fname = self.write("bad client id", [{"connect": {"url": "/ws/lobby/alice"}}])
        r = self.run_at_peer(path)
        self.assertFailure(r, "bad client id", "upgrade_rejected", "403", step=1, fname=fname)


if __name__ == "__main__":
    unittest.main()
