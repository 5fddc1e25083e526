"""A suite file's `server` block: typed like every other key (exit 2 with
file:line:col, never a crash), `${VARS}` expanded, and `command` / `cwd`
resolved against the suite file's folder, not the invocation directory.
"""
import os
import re
import socket
import stat
import unittest

from harness import E2ETest, ROOT, WSCHECK, run_wscheck

CRASH_SIGNS = ("terminate called", "Aborted", "core dumped", "AddressSanitizer", "std::")
SCENARIOS = [{"name": "rejected without a token", "steps": [
    {"connect": {"url": "/ws", "auth": {"token": "bad"}, "expect_rejected": {"status": [403]}}}]}]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def suite_text(server_lines):
    """A suite file whose server block has one key per line, starting on line 3."""
    import json
    body = ",\n".join("    " + line for line in server_lines)
    return ('{\n  "server": {\n' + body + '\n  },\n  "scenarios": ' + json.dumps(SCENARIOS) + "\n}\n")


class ServerBlockTypes(E2ETest):
    def run_file(self, text, *args):
        path = self.dir.write("suite.json", text)
        r = run_wscheck("run", path, *args, timeout=20)
        for sign in CRASH_SIGNS:
            self.assertNotIn(sign, r.err, msg=repr(r))
        self.assertEqual(r.rc, 2, msg=repr(r))
        self.assertNotIn("managed server: pid", r.out, msg="nothing may start\n" + repr(r))
        return r

    def assertAt(self, r, line, col, *phrases):
        pattern = r"(?m)^(\S*/)?suite\.json:%d:%d: .*" % (line, col)
        self.assertRegex(r.err, pattern, msg=repr(r))
        for p in phrases:
            self.assertIn(p, r.err, msg=repr(r))

    def test_ready_as_a_number_is_exit_2_not_a_crash(self):
        r = self.run_file(suite_text(['"command": "true"', '"ready": 5']))
        self.assertAt(r, 4, 14, '"ready" must be a string, found a number')

    def test_every_wrong_type_in_the_block_is_reported_at_once(self):
        r = self.run_file(suite_text(['"command": "true"', '"env": {"A": 1}', '"ready_timeout_ms": "soon"',
                                      '"grace_ms": -5', '"cwd": []']))
        self.assertAt(r, 4, 18, "env values must be strings")
        self.assertAt(r, 5, 25, "ready_timeout_ms must be an integer, found a string")
        self.assertAt(r, 6, 17, "grace_ms must be between 0 and 600000")
        self.assertAt(r, 7, 12, '"cwd" must be a string, found an array')
        self.assertIn("4 errors in scenario files", r.err, msg=repr(r))

    def test_unknown_key_with_did_you_mean(self):
        r = self.run_file(suite_text(['"command": "true"', '"redy": "tcp://127.0.0.1:1"']))
        self.assertAt(r, 4, 5, 'unknown key "redy"', 'did you mean "ready"?')

    def test_missing_command(self):
        r = self.run_file(suite_text(['"ready": "tcp://127.0.0.1:1"']))
        self.assertAt(r, 2, 13, 'missing required key "command"')

    def test_undefined_variable_in_the_block(self):
        r = self.run_file(suite_text(['"command": "serve --port ${NO_SUCH_PORT_VAR}"']))
        self.assertAt(r, 3, 16, "${NO_SUCH_PORT_VAR}")


class ServerBlockResolution(E2ETest):
    def script(self, relpath, body):
        path = os.path.join(self.dir.path, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def test_command_runs_in_the_suite_folder_with_vars_expanded(self):
        port = free_port()
        # ./serve.sh only exists beside the suite file; wscheck runs from the repository root.
        self.script("serve.sh", 'pwd > started-in.txt\nexec "$BIN" serve --port "$PORT"\n')
        path = self.dir.write("suite.json", {
            "server": {"command": "./serve.sh", "ready": "tcp://127.0.0.1:${PORT}",
                       "env": {"BIN": "${WSCHECK_BIN}", "PORT": "${PORT}"},
                       "ready_timeout_ms": 10000},
            "scenarios": SCENARIOS})
        r = run_wscheck("run", path, "--var", f"PORT={port}", timeout=40, cwd=ROOT, env={"WSCHECK_BIN": WSCHECK})
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))
        with open(os.path.join(self.dir.path, "started-in.txt")) as f:
            self.assertEqual(os.path.realpath(f.read().strip()), os.path.realpath(self.dir.path))

    def test_relative_cwd_is_the_suite_folder_plus_cwd(self):
        port = free_port()
        self.script("srv/run.sh", 'exec "$BIN" serve --port ' + str(port) + "\n")
        os.makedirs(os.path.join(self.dir.path, "suites"))
        path = self.dir.write("suites/suite.json", {
            "server": {"command": "./run.sh", "cwd": "../srv", "ready": f"tcp://127.0.0.1:{port}",
                       "env": {"BIN": "${WSCHECK_BIN:-wscheck}"}, "ready_timeout_ms": 10000},
            "scenarios": SCENARIOS})
        r = run_wscheck("run", path, timeout=40, cwd=ROOT, env={"WSCHECK_BIN": WSCHECK})
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))


if __name__ == "__main__":
    unittest.main()
