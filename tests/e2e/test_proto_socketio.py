"""Socket.IO v5 (Engine.IO v4, raw WebSocket transport) against two real servers.

tests/peers/socketio_py_server.py (python-socketio AsyncServer + ASGIApp under
uvicorn) and tests/peers/socketio_server.js (Node socket.io) speak the same
application protocol; the scenarios in tests/fixtures/protocols/ pass (or, the
negative ones, fail) on both. Features: prefix + JSON matchers and sends,
regex named captures reused in a send (server-to-client ack ids), JSON
captures (the namespace sid), the inbox (python-socketio sends the connect
handler's event before the namespace ack), background rules (Engine.IO ping
"2" answered with "3" while a step waits), and CONNECT refusals (44{...}).
"""
import json
import os
import re
import unittest

from e2e_util import ScenarioTest, run_bounded
from harness import PEERS, PYTHON, ROOT, Peer

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "protocols")
EXAMPLE = os.path.join(ROOT, "scenarios", "examples", "socketio.json")
SIO_URL = "/socket.io/?EIO=4&transport=websocket"
HEARTBEAT = {"name": "engine.io heartbeat", "match": {"text": "2"}, "reply": {"text": "3"}}
ACK = {"prefix": "40", "json": {"sid": {"$type": "string"}}}
WELCOME = {"prefix": "42", "json": ["welcome", {"user": "alice"}]}


def block(out, name):
    """The lines of scenario `name`'s result: its ✓/✗ line and the indented lines under it."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line[:2] in ("✓ ", "✗ ") and line[2:].startswith(name + "  "):
            end = i + 1
            while end < len(lines) and lines[end].startswith(" "):
                end += 1
            return "\n".join(lines[i:end])
    return ""


class SocketIOServer:
    """Tests shared by both servers; a subclass names the server and its event order."""

    start_server = None
    ack_before_welcome = None  # does the namespace ack arrive before the connect handler's event?

    @classmethod
    def setUpClass(cls):
        cls.peer = cls.start_server()
        cls.peer.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.peer.__exit__(None, None, None)

    def run_sio(self, *args, timeout=40):
        return run_bounded(self, "run", "--url", self.peer.url(), *args, timeout=timeout)

    def test_features_pass(self):
        report = os.path.join(self.dir.path, "report.json")
        r = self.run_sio("-j", "4", "--report-json", report, os.path.join(FIXTURES, "socketio.json"))
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("4 passed, 0 failed", r.out, msg=repr(r))
        with open(report, encoding="utf-8") as f:
            doc = json.load(f)
        heartbeats = [s for s in doc["scenarios"] if s["name"] == "socket.io heartbeats answered by a rule"]
        self.assertEqual(len(heartbeats), 1, msg=json.dumps(doc, indent=1))
        rules = [rule for rule in heartbeats[0].get("rules", []) if rule.get("name") == "engine.io heartbeat"]
        self.assertTrue(rules, msg=json.dumps(heartbeats[0], indent=1))
        # 1.6 s of silence at a 300 ms ping interval: the rule answered at least 3 pings.
        self.assertGreaterEqual(sum(rule["count"] for rule in rules), 3, msg=json.dumps(heartbeats[0], indent=1))
        self.assertTrue(all(rule["action"] == "reply" for rule in rules), msg=json.dumps(rules))

    def test_example_passes(self):
        r = self.run_sio(EXAMPLE)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))

    def test_negative_scenarios_name_expected_and_arrived(self):
        r = self.run_sio("-j", "4", os.path.join(FIXTURES, "socketio_negative.json"))
        self.assertEqual(r.rc, 1, msg=repr(r))
        self.assertIn("0 passed, 4 failed", r.out, msg=repr(r))
        self.assertNotIn("Traceback", r.err)

        payload = block(r.out, "negative: event payload differs")
        self.assertIn('"bye"', payload, msg=repr(r))  # expected
        self.assertIn('42["echo",{"text":"hi"}]', payload, msg=repr(r))  # arrived

        wrong_sid = block(r.out, "negative: sid captured from the wrong namespace")
        arrived = re.search(r'433\[\{"sid":"([^"]+)"\}\]', wrong_sid)
        self.assertIsNotNone(arrived, msg=repr(r))
        expected = [s for s in re.findall(r'"sid":"([^"]+)"', wrong_sid) if s != arrived.group(1)]
        self.assertTrue(expected, msg="the failure should name the /admin sid it expected\n" + repr(r))

        silence = block(r.out, "negative: heartbeat without a rule")
        self.assertIn("silence", silence, msg=repr(r))
        self.assertRegex(silence, r'(?<![\d.])"?2"?(?![\d.])', msg=repr(r))

        refused = block(r.out, "negative: a refused CONNECT expected to succeed")
        self.assertIn('44{"message":"invalid token"}', refused, msg=repr(r))  # arrived
        self.assertIn("40", refused.split('44{"message"')[0], msg=repr(r))  # expected

    def test_strict_order_negative(self):
        """strict on the message the server sends second fails, naming the first one."""
        first, second = (ACK, WELCOME) if self.ack_before_welcome else (WELCOME, ACK)
        path, fname = self.write("strict order", [
            {"connect": {"url": SIO_URL, "on_message": [HEARTBEAT]}},
            {"expect": {"prefix": "0", "json": {"sid": {"$type": "string"}}}, "strict": True},
            {"send": {"prefix": "40", "json": {"token": "s3cret"}}},
            {"expect": second, "strict": True, "timeout_ms": 1500}])
        r = self.run_sio(path)
        head = self.assertFailure(r, "strict order", ("mismatch", "message_timeout"), step=4, fname=fname)
        text = block(r.out, "strict order")
        arrived = '40{"sid":' if first is ACK else '42["welcome",{"user":"alice"}]'
        self.assertIn(arrived, text, msg=head)
        self.assertIn(second["prefix"], text, msg=head)

    def test_strict_order_positive(self):
        """The same steps with the server's real order pass (the inbox keeps the other message)."""
        first, second = (ACK, WELCOME) if self.ack_before_welcome else (WELCOME, ACK)
        path, _ = self.write("real order", [
            {"connect": {"url": SIO_URL, "on_message": [HEARTBEAT]}},
            {"expect": {"prefix": "0", "json": {"sid": {"$type": "string"}}}, "strict": True},
            {"send": {"prefix": "40", "json": {"token": "s3cret"}}},
            {"expect": first, "strict": True},
            {"expect": second, "strict": True},
            {"close": {"code": 1000}}])
        r = self.run_sio(path)
        self.assertEqual(r.rc, 0, msg=repr(r))


class PythonSocketIO(SocketIOServer, ScenarioTest):
    """python-socketio: the connect handler's emit goes out BEFORE the namespace ack."""

    ack_before_welcome = False

    @staticmethod
    def start_server():
        return Peer([PYTHON, os.path.join(PEERS, "socketio_py_server.py")], ready_timeout=30)


class NodeSocketIO(SocketIOServer, ScenarioTest):
    """Node socket.io: the "connection" handler's emit follows the namespace ack."""

    ack_before_welcome = True

    @staticmethod
    def start_server():
        return Peer(["node", os.path.join(PEERS, "socketio_server.js")], cwd=PEERS, ready_timeout=30)


if __name__ == "__main__":
    unittest.main()
