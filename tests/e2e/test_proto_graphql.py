"""GraphQL over WebSocket (graphql-transport-ws) against a real graphql-ws server.

tests/peers/graphql_ws_server.js is npm graphql-ws's `useServer` on a `ws`
server, as graphql-ws's docs set it up, with a Query, a countdown
Subscription, an onConnect that refuses a bad connectionParams token (4403),
and both heartbeats at 300 ms: WebSocket ping frames (useServer keepAlive)
and the protocol's {"type":"ping"} messages (the docs' subprotocol-ping
recipe; unanswered -> close 4000 "pong timeout").

Each feature has a passing scenario and a NEGATIVE one that must fail with
exit 1 and a message naming what was expected and what arrived.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import ScenarioTest, run_bounded  # noqa: E402
from proto_util import EXAMPLES, HEARTBEAT_MS, PeerClass, fixture, graphql_server, report_rules  # noqa: E402

PROTO = "graphql-transport-ws"
PING_RULE = {"name": "graphql-ws ping", "match": {"json": {"type": "ping"}}, "reply": {"json": {"type": "pong"}}}


def connect(rules=True, subprotocols=(PROTO,), **extra):
    c = {"url": "/graphql", **extra}
    if subprotocols:
        c["subprotocols"] = list(subprotocols)
    if rules:
        c["on_message"] = [PING_RULE]
    return {"connect": c}


def init(token="let-me-in"):
    return {"send": {"json": {"type": "connection_init", "payload": {"token": token}}}}


ACK = {"expect": {"json": {"type": "connection_ack"}}, "strict": True, "timeout_ms": 3000}


def subscribe(op_id, query):
    return {"send": {"json": {"id": op_id, "type": "subscribe", "payload": {"query": query}}}}


def stream(op_id, count, timeout_ms=20000):
    return {"expect": {"json": {"type": "next", "id": op_id}}, "count": count,
            "until": {"json": {"type": "complete", "id": op_id}}, "timeout_ms": timeout_ms}


class GraphQLWsTest(PeerClass, ScenarioTest):
    peer_factory = staticmethod(graphql_server)

    def run_at_peer(self, *args, timeout=30):
        return run_bounded(self, "run", "--url", self.peer.url(), *args, timeout=timeout)

    # --- happy path, subprotocol, count/until -------------------------------------------------
    def test_subscription_happy_path(self):
        r = self.run_at_peer(fixture("graphql_subscription.json"))
        self.assertEqual(r.rc, 0, r)
        self.assertIn("graphql-ws countdown", r.out, r)

    def test_example_file_passes(self):
        r = self.run_at_peer(os.path.join(EXAMPLES, "graphql_ws.json"))
        self.assertEqual(r.rc, 0, r)

    def test_subprotocol_not_selected_fails_naming_both(self):
        # No subprotocol offered: the ws server selects none (graphql-ws then closes with 4406).
        path, fname = self.write("no subprotocol", [connect(rules=False, subprotocols=(), expect_subprotocol=PROTO)])
        r = self.run_at_peer(path)
        self.assertFailure(r, "no subprotocol", "mismatch", "(none)", f'"{PROTO}"', step=1, fname=fname)

    def test_early_complete_fails_at_once(self):
        # countdown(from: 5, stopAt: 4) yields 5, 4 and completes: 2 of the 5 items expected.
        steps = [connect(), init(), ACK, subscribe("1", "subscription { countdown(from: 5, stopAt: 4) }"),
                 stream("1", 5)]
        path, fname = self.write("early complete", steps)
        r = self.run_at_peer(path)
        # the step's budget is 20 s: failing well before it shows "at once"
        self.assertFailure(r, "early complete", "mismatch", "the stream ended after 2 of 5",
                           '"type":"complete"', step=5,
                           fname=fname)
        self.assertLess(r.elapsed, 12, r)

    def test_an_extra_item_before_complete_fails_at_once(self):
        steps = [connect(), init(), ACK, subscribe("1", "subscription { countdown(from: 4) }"), stream("1", 3)]
        path, fname = self.write("one item too many", steps)
        r = self.run_at_peer(path)
        self.assertFailure(r, "one item too many", "mismatch", "expected exactly 3 messages matching", "(#4)",
                           step=5, fname=fname)
        self.assertLess(r.elapsed, 12, r)

    # --- heartbeat: a reply rule answers the server's {"type":"ping"} ---------------------------
    def test_rule_answers_protocol_pings_over_four_intervals(self):
        report = os.path.join(self.dir.path, "report.json")
        r = self.run_at_peer(fixture("graphql_heartbeat.json"), "--report-json", report)
        self.assertEqual(r.rc, 0, r)
        rules = report_rules(report, "graphql-ws heartbeat")
        fired = [rule for rule in rules if rule.get("name") == "graphql-ws ping"]
        self.assertTrue(fired, f"no 'graphql-ws ping' rule in the report: {rules}\n{r!r}")
        self.assertEqual(fired[0].get("action"), "reply", rules)
        # 1200 ms of silence at a 300 ms interval: at least two pings were answered
        self.assertGreaterEqual(fired[0].get("count", 0), 2, rules)

    def test_without_the_rule_the_server_closes_for_a_missing_pong(self):
        # nothing answers the server's {"type":"ping"}: it closes with 4000 while the step waits
        steps = [connect(rules=False), init(), ACK,
                 {"expect": {"json": {"id": "never", "type": "next"}}, "timeout_ms": 10 * HEARTBEAT_MS}]
        path, fname = self.write("no ping rule", steps)
        r = self.run_at_peer(path)
        self.assertFailure(r, "no ping rule", "closed_by_server", "4000", "pong timeout", '{"type":"ping"}',
                           step=4, fname=fname)

    # --- rejection: onConnect refuses the token ------------------------------------------------
    def test_bad_token_is_closed_with_4403(self):
        r = self.run_at_peer(fixture("graphql_rejected.json"))
        self.assertEqual(r.rc, 0, r)

    def test_expecting_an_ack_with_a_bad_token_names_the_close(self):
        steps = [connect(), init(token="wrong"), ACK]
        path, fname = self.write("bad token", steps)
        r = self.run_at_peer(path)
        self.assertEqual(r.rc, 1, r)
        self.assertIn('"connection_ack"', r.out, r)
        self.assertIn("4403", r.out, r)
        self.assertIn("Forbidden", r.out, r)


if __name__ == "__main__":
    unittest.main()
