"""The README's protocol scenarios run as written against the real servers
they name (tests/peers/), so the first examples a newcomer copies cannot rot.
The four ```jsonc blocks of the README's "Protocols" section are, in order:
Socket.IO, GraphQL over WebSocket, JSON-RPC 2.0 and chat."""
import os
import re
import unittest

from harness import E2ETest, PEERS, PYTHON, ROOT, Peer, run_wscheck

SERVERS = {
    "socket.io (python-socketio)": (0, [PYTHON, os.path.join(PEERS, "socketio_py_server.py")]),
    "socket.io (Node)": (0, ["node", os.path.join(PEERS, "socketio_server.js")]),
    "graphql-ws": (1, ["node", os.path.join(PEERS, "graphql_ws_server.js")]),
    "rpc-websockets": (2, ["node", os.path.join(PEERS, "rpc_websockets_server.js")]),
    "FastAPI chat": (3, [PYTHON, os.path.join(PEERS, "fastapi_chat.py")]),
}


def readme_protocol_blocks():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("## Protocols")
    section = text[start:text.index("\n## ", start + 1)]
    return re.findall(r"```jsonc\n(.*?)```", section, flags=re.S)


class ReadmeProtocolScenarios(E2ETest):
    def test_every_protocol_scenario_passes_against_its_server(self):
        blocks = readme_protocol_blocks()
        self.assertEqual(len(blocks), 4, msg="the Protocols section should hold four scenarios")
        for server, (index, argv) in SERVERS.items():
            with self.subTest(server=server):
                path = os.path.join(self.dir.path, f"readme_{index}.json")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(blocks[index])
                with Peer(argv + ["--port", "0"]) as peer:
                    r = run_wscheck("run", "--no-preflight", "--url", peer.url(), path, timeout=60)
                self.assertEqual(r.rc, 0, msg=f"{server}\n{r!r}")
                self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))


if __name__ == "__main__":
    unittest.main()
