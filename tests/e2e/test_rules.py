"""Background rules (connect "on_message") and upgrade assertions, against
tests/peers/heartbeat_server.py (python3-websockets): the server sends "2"
every 200 ms and closes with 4000 when a "2" stays unanswered by "3" for
300 ms; on /ka it sends {"type":"ka"} every 100 ms instead. It selects the
subprotocol hb.v1 when offered and sets "X-Heartbeat-Ms: 200".

- A run longer than two heartbeat intervals passes thanks to the rule (the
  server counts the answers) and fails without it (the server closes 4000).
- An ignore rule keeps keep-alives out of expect_silence and strict, also
  while a step runs on another connection.
- The JSON report counts each rule; the console shows them with -v and in a
  failure's details.
- expect_subprotocol / expect_headers pass, and fail with exit 1, class
  mismatch and a message naming what was expected and what arrived.
"""
import json
import os
import unittest

from e2e_util import ScenarioTest, run_bounded
from harness import PEERS, PYTHON, Peer

HEARTBEAT = {"name": "heartbeat", "match": {"text": "2"}, "reply": {"text": "3"}}
KEEPALIVE = {"name": "keep-alive", "match": {"json": {"type": "ka"}}, "ignore": True}


def heartbeat_server():
    return Peer([PYTHON, os.path.join(PEERS, "heartbeat_server.py"), "--interval-ms", "200", "--timeout-ms", "300"])


def connect(path="/hb", **extra):
    return {"connect": {"url": path, **extra}}


ECHO = [{"send": {"text": "echo:hi"}}, {"expect": {"json": {"type": "echo", "text": "hi"}}, "timeout_ms": 2000}]
STATS = [{"send": {"text": "stats"}},
         {"expect": {"json": {"type": "stats", "pongs": {"$gte": 3}}}, "timeout_ms": 2000}]


class Rules(ScenarioTest):
    @classmethod
    def setUpClass(cls):
        cls.server = heartbeat_server()
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def run_file(self, path, *args):
        return run_bounded(self, "run", "--no-preflight", "--url", self.server.url(), *args, path, timeout=30)

    def test_a_heartbeat_rule_keeps_the_connection_alive_through_a_sleep(self):
        path, _ = self.write("kept alive", [connect(on_message=[HEARTBEAT]), {"sleep": {"ms": 800}}] + ECHO + STATS)
        report = os.path.join(self.dir.path, "report.json")
        r = self.run_file(path, "--report-json", report, "-v")
        self.assertEqual(r.rc, 0, msg=repr(r))
        with open(report, encoding="utf-8") as f:
            scenario = json.load(f)["scenarios"][0]
        self.assertEqual(len(scenario["rules"]), 1, msg=scenario)
        rule = scenario["rules"][0]
        self.assertEqual((rule["conn"], rule["name"], rule["action"]), ("default", "heartbeat", "reply"))
        self.assertGreaterEqual(rule["count"], 3, msg=rule)
        self.assertIn(f'rule "heartbeat": replied {rule["count"]} times', r.out, msg=repr(r))

    def test_without_the_rule_the_server_closes_the_connection(self):
        path, fname = self.write("not kept alive", [connect(), {"sleep": {"ms": 800}}] + ECHO)
        r = self.run_file(path)
        self.assertFailure(r, "not kept alive", "closed_by_server", "4000", step=3, fname=fname)

    def test_failure_details_count_the_rules(self):
        wrong = {"name": "wrong answer", "match": {"text": "2"}, "reply": {"text": "4"}}
        path, _ = self.write("wrong answer", [connect(on_message=[wrong, KEEPALIVE]), {"sleep": {"ms": 800}}] + ECHO)
        r = self.run_file(path)
        self.assertFailure(r, "wrong answer", "closed_by_server", "4000")
        self.assertRegex(r.out, r'rule "wrong answer": replied (\d+ times|once)')
        self.assertIn('rule "keep-alive": never matched', r.out, msg=repr(r))

    def test_reply_templates_use_the_variables_of_the_run(self):
        rule = {"match": {"regex": "^2$"}, "reply": {"text": "${ANSWER}"}}
        path, _ = self.write("templated reply", [connect(on_message=[rule]), {"sleep": {"ms": 700}}] + STATS)
        r = self.run_file(path, "--var", "ANSWER=3")
        self.assertEqual(r.rc, 0, msg=repr(r))

    def test_an_ignore_rule_keeps_keepalives_out_of_silence_and_strict_on_two_connections(self):
        steps = [connect("/ka", on_message=[KEEPALIVE], **{"as": "noisy"}),
                 connect(on_message=[HEARTBEAT]),
                 {"expect_silence": {"ms": 800}, "conn": "noisy"},  # four heartbeat intervals
                 {"send": {"text": "echo:x"}, "conn": "noisy"},
                 {"expect": {"json": {"type": "echo", "text": "x"}}, "conn": "noisy", "strict": True},
                 ] + STATS
        path, _ = self.write("quiet keepalives", steps)
        report = os.path.join(self.dir.path, "quiet.json")
        r = self.run_file(path, "--report-json", report)
        self.assertEqual(r.rc, 0, msg=repr(r))
        with open(report, encoding="utf-8") as f:
            rules = {x["conn"]: x for x in json.load(f)["scenarios"][0]["rules"]}
        self.assertEqual(rules["noisy"]["action"], "ignore")
        self.assertGreaterEqual(rules["noisy"]["count"], 4, msg=rules)
        self.assertGreaterEqual(rules["default"]["count"], 3, msg=rules)

    def test_without_the_ignore_rule_keepalives_break_silence(self):
        path, fname = self.write("noisy silence", [connect("/ka"), {"expect_silence": {"ms": 500}}])
        r = self.run_file(path)
        self.assertFailure(r, "noisy silence", "mismatch", '{"type": "ka"}', step=2, fname=fname)

    def test_upgrade_assertions_pass(self):
        c = connect(subprotocols=["hb.v1"], expect_subprotocol="hb.v1",
                    expect_headers={"x-heartbeat-ms": "200", "X-HEARTBEAT-MS": {"$regex": "^\\d+$"},
                                    "X-Absent": {"$exists": False}})
        none = connect(expect_subprotocol=None, **{"as": "plain"})
        path, _ = self.write("upgrade ok", [c, none])
        r = self.run_file(path)
        self.assertEqual(r.rc, 0, msg=repr(r))

    def test_no_subprotocol_selected_fails_naming_expected_and_got(self):
        path, fname = self.write("no subprotocol", [connect(expect_subprotocol="hb.v1")])
        r = self.run_file(path)
        self.assertFailure(r, "no subprotocol", "mismatch",
                           'server selected subprotocol (none), expected "hb.v1"', step=1, fname=fname)

    def test_a_wrong_subprotocol_pattern_names_the_one_selected(self):
        path, _ = self.write("other subprotocol",
                             [connect(subprotocols=["hb.v1"], expect_subprotocol={"$regex": "^graphql"})])
        r = self.run_file(path)
        self.assertFailure(r, "other subprotocol", "mismatch",
                           'server selected subprotocol "hb.v1", expected {"$regex":"^graphql"}')

    def test_header_mismatches_name_expected_and_got(self):
        path, _ = self.write("header value", [connect(expect_headers={"X-Heartbeat-Ms": "300"})])
        r = self.run_file(path)
        self.assertFailure(r, "header value", "mismatch",
                           'upgrade response header x-heartbeat-ms is "200", expected "300"')
        path, _ = self.write("header absent", [connect(expect_headers={"X-Version": {"$exists": True}})])
        r = self.run_file(path)
        self.assertFailure(r, "header absent", "mismatch",
                           'upgrade response header x-version is absent, expected {"$exists":true}')
        path, _ = self.write("header present", [connect(expect_headers={"x-heartbeat-ms": {"$exists": False}})])
        r = self.run_file(path)
        self.assertFailure(r, "header present", "mismatch",
                           'upgrade response header x-heartbeat-ms is "200", expected {"$exists":false}')

    def test_an_invalid_rule_is_exit_2_with_a_position(self):
        bad = {"match": {"text": "2"}, "reply": {"text": "3"}, "ignore": True}
        path, fname = self.write("bad rule", [connect(on_message=[bad])])
        r = self.run_file(path)
        self.assertEqual(r.rc, 2, msg=repr(r))
        self.assertIn("either replies or ignores", r.out + r.err, msg=repr(r))
        self.assertIn(f"{fname}:2:", r.out + r.err, msg=repr(r))


if __name__ == "__main__":
    unittest.main()
