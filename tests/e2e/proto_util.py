"""Helpers for the protocol e2e modules (test_proto_*.py): the protocol peers
of tests/peers/ started once per test class, and the scenario fixtures of
tests/fixtures/protocols/.
"""
import json
import os
import re

from harness import PEERS, PYTHON, ROOT, Peer

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "protocols")
EXAMPLES = os.path.join(ROOT, "scenarios", "examples")

# Heartbeat interval the tests give the peers: the heartbeat scenarios wait
# more than two of them.
HEARTBEAT_MS = 300


def fixture(name):
    return os.path.join(FIXTURES, name)


def load_fixture(name):
    """A fixture file as an object (its // comments removed)."""
    with open(fixture(name), encoding="utf-8") as f:
        text = f.read()
    return json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.M))


def graphql_server():
    return Peer(["node", os.path.join(PEERS, "graphql_ws_server.js"), "--keepalive-ms", str(HEARTBEAT_MS),
                 "--protocol-ping-ms", str(HEARTBEAT_MS)], cwd=PEERS)


def rpc_server():
    return Peer(["node", os.path.join(PEERS, "rpc_websockets_server.js"), "--heartbeat-ms", str(HEARTBEAT_MS)],
                cwd=PEERS)


def chat_server():
    return Peer([PYTHON, os.path.join(PEERS, "fastapi_chat.py"), "--ws-ping-ms", str(HEARTBEAT_MS),
                 "--heartbeat-ms", str(HEARTBEAT_MS)])


class PeerClass:
    """Mixin: one peer for the whole test class, in `cls.peer`."""

    peer_factory = None

    @classmethod
    def setUpClass(cls):
        cls.peer = cls.peer_factory()
        cls.peer.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.peer.__exit__(None, None, None)


def report_rules(report_path, scenario):
    """The `rules` entries of one scenario in a JSON report."""
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    for s in report["scenarios"]:
        if s["name"] == scenario:
            return s.get("rules", [])
    raise AssertionError(f"no scenario {scenario!r} in {report_path}")
