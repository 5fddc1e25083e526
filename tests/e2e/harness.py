"""Shared helpers for wscheck's end-to-end tests.

Every test runs the real `wscheck` binary (path in $WSCHECK) against real
servers on 127.0.0.1 with ephemeral ports. Peers print `LISTENING <port>`
on stdout when ready; every process a test starts is ended by PID.
"""
import json
import os
import selectors
import signal
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WSCHECK = os.environ.get("WSCHECK", os.path.join(ROOT, "build", "wscheck"))
PEERS = os.path.join(ROOT, "tests", "peers")
PYTHON = "/usr/bin/python3"
SCENARIOS = os.path.join(ROOT, "scenarios")


class Peer:
    """A server process started for one test; `port` is read from its LISTENING line."""

    def __init__(self, argv, cwd=None, env=None, ready_timeout=15.0):
        self.argv = argv
        self.cwd = cwd
        self.env = env
        self.ready_timeout = ready_timeout
        self.proc = None
        self.port = None

    def __enter__(self):
        # stderr goes to a file: its tail explains a peer that dies at start
        # (a missing module); stdout is read with a deadline, line by line.
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True, start_new_session=True)
        deadline = time.monotonic() + self.ready_timeout
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                    break
                line = self.proc.stdout.readline()
                if not line:
                    break
                if line.startswith("LISTENING "):
                    self.port = int(line.split()[1])
                    return self
        try:  # stdout ended: the peer is exiting, or it hangs silently
            exited = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            exited = None
        self.stderr.seek(0)
        tail = self.stderr.read()[-2000:]
        self.__exit__(None, None, None)
        why = f"exited with status {exited}" if exited is not None else f"printed no LISTENING line within {self.ready_timeout}s"
        raise RuntimeError(f"peer {self.argv} {why}; its stderr:\n{tail}")

    def url(self, path=""):
        return f"ws://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, "stderr", None):
            self.stderr.close()


def reference_server(*faults):
    argv = [WSCHECK, "serve", "--port", "0"]
    for f in faults:
        argv += ["--fault", f]
    return Peer(argv)


def fastapi_server():
    return Peer([PYTHON, os.path.join(PEERS, "fastapi_server.py")])


def node_server():
    return Peer(["node", os.path.join(PEERS, "node_ws_server.js")], cwd=PEERS)


def fault_server(mode):
    return Peer([PYTHON, os.path.join(PEERS, "fault_server.py"), "--mode", mode])


class Result:
    def __init__(self, rc, out, err, elapsed):
        self.rc, self.out, self.err, self.elapsed = rc, out, err, elapsed

    def __repr__(self):
        return f"rc={self.rc} elapsed={self.elapsed:.2f}s\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


def run_wscheck(*args, timeout=60, env=None, cwd=None):
    full_env = dict(os.environ)
    full_env.pop("WSCHECK_URL", None)
    full_env["NO_COLOR"] = "1"
    if env:
        full_env.update(env)
    start = time.monotonic()
    proc = subprocess.run([WSCHECK, *args], capture_output=True, text=True, timeout=timeout,
                          env=full_env, cwd=cwd or ROOT)
    return Result(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


class ScenarioDir:
    """A temporary directory of scenario files written by a test."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="wscheck-e2e-")
        self.path = self._tmp.name

    def write(self, name, content):
        path = os.path.join(self.path, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content if isinstance(content, str) else json.dumps(content, indent=2))
        return path

    def cleanup(self):
        self._tmp.cleanup()


AUTH = {"jwt": {"secret": "test-secret", "claims": {"sub": "test-user"}}, "in": "query"}


def connect_steps(auth=True):
    """The usual opening: connect with a valid token and take the greeting."""
    connect = {"url": "/ws"}
    if auth:
        connect["auth"] = AUTH
    return [{"connect": connect}, {"expect": {"json": {"type": "connection_established"}}}]


class E2ETest(unittest.TestCase):
    def setUp(self):
        self.dir = ScenarioDir()
        self.addCleanup(self.dir.cleanup)

    def scenario(self, name, steps, file=None, **extra):
        obj = {"name": name, "steps": steps, **extra}
        return self.dir.write(file or (name.replace(" ", "_").replace("/", "_") + ".json"), obj)

    def assertClass(self, result, cls):
        self.assertIn(f"{cls}:", result.out, msg=repr(result))
