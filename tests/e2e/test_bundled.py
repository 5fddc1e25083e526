"""The five bundled scenarios pass unchanged against every server that speaks the protocol."""
import os
import unittest

from harness import (E2ETest, SCENARIOS, fastapi_server, node_server, reference_server, run_wscheck)


class BundledScenarios(E2ETest):
    def check_all_pass(self, result):
        self.assertEqual(result.rc, 0, msg=repr(result))
        self.assertIn("5 passed, 0 failed", result.out, msg=repr(result))
        for name in ("connect with token", "no-token rejection", "ping/pong", "echo round-trip", "agent events"):
            self.assertIn(f"✓ {name}", result.out, msg=repr(result))

    def test_in_process_builtin_server(self):
        self.check_all_pass(run_wscheck("run", SCENARIOS))

    def test_standalone_builtin_server(self):
        with reference_server() as server:
            self.check_all_pass(run_wscheck("run", "--url", server.url(), SCENARIOS))

    def test_fastapi_server(self):
        with fastapi_server() as server:
            self.check_all_pass(run_wscheck("run", "--url", server.url(), SCENARIOS))

    def test_node_ws_server(self):
        with node_server() as server:
            self.check_all_pass(run_wscheck("run", "--url", server.url(), SCENARIOS))

    def test_wscheck_url_environment_variable(self):
        with node_server() as server:
            self.check_all_pass(run_wscheck("run", SCENARIOS, env={"WSCHECK_URL": server.url()}))

    def test_jobs_keep_output_order(self):
        result = run_wscheck("run", "-j", "5", SCENARIOS)
        self.check_all_pass(result)
        order = [line.split("  ")[0] for line in result.out.splitlines() if line.startswith("✓")]
        self.assertEqual(order, sorted(order, key=lambda s: s), msg=repr(result))

    def test_default_run_skips_examples_but_a_named_path_runs_them(self):
        # scenarios/examples/ holds protocol examples that need their own servers.
        self.assertTrue(os.path.isfile(os.path.join(SCENARIOS, "examples", "socketio.json")))
        for result in (run_wscheck("run"), run_wscheck("run", SCENARIOS)):
            self.check_all_pass(result)
            self.assertNotIn("socket.io example", result.out, msg=repr(result))
        named = run_wscheck("run", "--no-preflight", "--url", "ws://127.0.0.1:9/", "--name", "socket.io example",
                            os.path.join(SCENARIOS, "examples"))
        self.assertNotEqual(named.rc, 0, msg=repr(named))
        self.assertIn("✗ socket.io example", named.out, msg=repr(named))

    def test_verbose_shows_steps_and_redacts_token(self):
        result = run_wscheck("run", "-v", SCENARIOS)
        self.check_all_pass(result)
        self.assertIn("step 1 connect /ws", result.out)
        self.assertIn("token=***", result.out)
        self.assertNotIn("eyJ", result.out, msg="a JWT leaked into the -v trace")


if __name__ == "__main__":
    unittest.main()
