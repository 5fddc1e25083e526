"""The managed server: started by wscheck, watched, always torn down."""
import os
import signal
import socket
import subprocess
import sys
import time
import unittest

from harness import E2ETest, PEERS, PYTHON, ROOT, SCENARIOS, WSCHECK, run_wscheck


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def group_alive(pgid):
    """True if a live (non-zombie) process is in the group. Zombies are not
    counted: in a container whose PID 1 does not reap, orphans stay defunct."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def pid_from(out):
    for line in out.splitlines():
        if line.startswith("managed server: pid "):
            return int(line.split()[3].rstrip(","))
    return None


class ManagedServer(E2ETest):
    def test_import_error_is_diagnosed_at_once_with_the_traceback_headline(self):
        port = free_port()
        result = run_wscheck("run", SCENARIOS, "--server",
                             f"{PYTHON} {PEERS}/fault_server.py --mode crash-at-start",
                             "--ready", f"tcp://127.0.0.1:{port}", "--ready-timeout", "30000", timeout=30)
        self.assertEqual(result.rc, 3, msg=repr(result))
        first = result.out.splitlines()[1]
        self.assertTrue(first.startswith("server_exited: managed server exited with status 1"), msg=repr(result))
        self.assertIn("before it was ready", first)
        self.assertIn("ModuleNotFoundError: No module named 'numpy'", first)
        self.assertIn("full log: ", result.out)
        # diagnosed when the process exits, not at the 30 s deadline
        self.assertLess(result.elapsed, 3.0, msg=repr(result))

    def test_slow_starting_server_passes(self):
        port = free_port()
        result = run_wscheck("run", SCENARIOS, "--server", f"sleep 2; exec {WSCHECK} serve --port {port}",
                             "--ready", f"http://127.0.0.1:{port}/health", timeout=40)
        self.assertEqual(result.rc, 0, msg=repr(result))
        self.assertIn("5 passed, 0 failed", result.out)
        self.assertGreater(result.elapsed, 1.9)

    def test_url_is_derived_from_ready(self):
        port = free_port()
        result = run_wscheck("run", SCENARIOS, "--server", f"exec {WSCHECK} serve --port {port}",
                             "--ready", f"ws://127.0.0.1:{port}/ws", timeout=40)
        self.assertEqual(result.rc, 0, msg=repr(result))
        self.assertIn(f"ws://127.0.0.1:{port}/", result.out)

    def test_server_that_never_opens_its_port(self):
        port = free_port()
        result = run_wscheck("run", SCENARIOS, "--server", "sleep 60", "--ready", f"tcp://127.0.0.1:{port}",
                             "--ready-timeout", "1000", timeout=30)
        self.assertEqual(result.rc, 3, msg=repr(result))
        self.assertIn("never opened 127.0.0.1:%d within 1000 ms" % port, result.out)
        self.assertLess(result.elapsed, 5.0)
        pid = pid_from(result.out)
        self.assertIsNotNone(pid, msg=repr(result))
        self.assertFalse(group_alive(pid), "the sleep was not torn down")

    def test_server_that_opens_the_port_but_never_answers_the_upgrade(self):
        port = free_port()
        result = run_wscheck("run", SCENARIOS, "--server",
                             f"exec {PYTHON} {PEERS}/fault_server.py --mode accept-silent --port {port}",
                             "--ready", f"ws://127.0.0.1:{port}/ws", "--ready-timeout", "2000", timeout=30)
        self.assertEqual(result.rc, 3, msg=repr(result))
        self.assertIn("upgrade_timeout: managed server opened its port but was not ready within", result.out)
        self.assertIn("holds the port", result.out)
        self.assertLess(result.elapsed, 6.0)

    def test_server_killed_mid_run(self):
        port = free_port()
        # the events come 3 s apart; the server is killed after 1 s
        command = f"{WSCHECK} serve --port {port} --fault slow-events=3000 & sleep 1; kill -9 $!"
        result = run_wscheck("run", SCENARIOS, "--server", command, "--ready", f"tcp://127.0.0.1:{port}",
                             "--name", "agent events", "--name", "ping*", "--no-preflight", timeout=30)
        self.assertEqual(result.rc, 3, msg=repr(result))
        self.assertIn("server_exited: managed server exited", result.out, msg=repr(result))
        self.assertIn("while scenarios were running", result.out)
        self.assertIn("not run", result.out)
        self.assertLess(result.elapsed, 6.0)

    def test_suite_file_server_block(self):
        port = free_port()
        path = self.dir.write("suite.json", {
            "server": {"command": f"exec {WSCHECK} serve --port {port}", "ready": f"tcp://127.0.0.1:{port}",
                       "ready_timeout_ms": 10000},
            "scenarios": [{"name": "health", "steps": [
                {"connect": {"url": "/ws", "auth": {"token": "bad"}, "expect_rejected": {"status": [403]}}}]}],
        })
        result = run_wscheck("run", path, timeout=30)
        self.assertEqual(result.rc, 0, msg=repr(result))
        self.assertIn("managed server: pid", result.out)

    def test_ctrl_c_tears_the_server_group_down(self):
        port = free_port()
        scenario = self.scenario("waits", [
            {"connect": {"url": "/ws", "auth": {"jwt": {"secret": "test-secret", "claims": {"sub": "u"}}, "in": "query"}}},
            {"expect": {"json": {"type": "never"}}, "timeout_ms": 20000}])
        env = dict(os.environ, NO_COLOR="1")
        proc = subprocess.Popen([WSCHECK, "run", scenario, "--server",
                                 f"{WSCHECK} serve --port {port} & sleep 300 & wait",
                                 "--ready", f"tcp://127.0.0.1:{port}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        try:
            pid = None
            deadline = time.monotonic() + 10
            line = proc.stdout.readline()
            pid = pid_from(line)
            self.assertIsNotNone(pid, line)
            # give it time to reach the waiting step
            time.sleep(1.0)
            self.assertTrue(group_alive(pid))
            proc.send_signal(signal.SIGINT)
            out, _ = proc.communicate(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 130, msg=out)
        for _ in range(50):
            if not group_alive(pid):
                break
            time.sleep(0.1)
        self.assertFalse(group_alive(pid), "the server's process group outlived wscheck")


if __name__ == "__main__":
    unittest.main()
