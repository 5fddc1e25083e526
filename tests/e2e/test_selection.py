"""Selection and repetition: --tag, --name, --shard, --repeat (flakiness), --fail-fast."""
import re
import unittest

from harness import E2ETest, SCENARIOS, reference_server, run_wscheck

ALL = {"connect with token", "no-token rejection", "ping/pong", "echo round-trip", "agent events"}


def passed_names(out):
    return {m.group(1) for m in re.finditer(r"^✓ (.+?)  ", out, re.M)}


class Selection(E2ETest):
    def test_shards_cover_every_scenario_exactly_once(self):
        for n in (2, 3, 5, 7):
            seen = []
            for i in range(1, n + 1):
                result = run_wscheck("run", SCENARIOS, "--shard", f"{i}/{n}", timeout=30)
                self.assertEqual(result.rc, 0, msg=repr(result))
                seen += sorted(passed_names(result.out))
            self.assertEqual(sorted(seen), sorted(ALL), msg=f"shards of {n}")

    def test_shard_is_stable_between_runs(self):
        a = run_wscheck("run", SCENARIOS, "--shard", "2/3")
        b = run_wscheck("run", SCENARIOS, "--shard", "2/3")
        self.assertEqual(passed_names(a.out), passed_names(b.out))

    def test_bad_shard_is_a_usage_error(self):
        for bad in ("0/3", "4/3", "1/0", "x", "1/2/3"):
            result = run_wscheck("run", SCENARIOS, "--shard", bad)
            self.assertEqual(result.rc, 2, msg=f"{bad}: {result!r}")
            self.assertIn("--shard takes I/N", result.err)

    def test_tag_and_name_filters(self):
        result = run_wscheck("run", SCENARIOS, "--tag", "agent")
        self.assertEqual(passed_names(result.out), {"agent events"}, msg=repr(result))
        result = run_wscheck("run", SCENARIOS, "--name", "*token*")
        self.assertEqual(passed_names(result.out), {"connect with token", "no-token rejection"}, msg=repr(result))
        result = run_wscheck("run", SCENARIOS, "--name", "nothing-matches")
        self.assertEqual(result.rc, 2)

    def test_repeat_marks_a_flaky_scenario(self):
        # The server drops one random agent event in half of the runs (seeded).
        with reference_server("drop-random=50") as server:
            result = run_wscheck("run", SCENARIOS, "--url", server.url(), "--name", "agent events", "--repeat", "8",
                                 "--no-preflight", "-j", "8", timeout=60)
        self.assertEqual(result.rc, 1, msg=repr(result))
        m = re.search(r"^~ agent events  passed (\d)/8  FLAKY$", result.out, re.M)
        self.assertIsNotNone(m, msg=repr(result))
        self.assertTrue(0 < int(m.group(1)) < 8)
        self.assertIn("1 flaky scenario", result.out)

    def test_repeat_all_passing(self):
        result = run_wscheck("run", SCENARIOS, "--repeat", "3")
        self.assertEqual(result.rc, 0, msg=repr(result))
        self.assertIn("✓ echo round-trip  passed 3/3", result.out)
        self.assertIn("15 passed, 0 failed", result.out)

    def test_fail_fast_stops_starting_scenarios(self):
        bad = self.scenario("a fails", [{"connect": {"url": "/ws"}}, {"expect": {"json": {"type": "x"}}, "timeout_ms": 200}],
                            file="a.json")
        good = self.scenario("b passes", [{"connect": {"url": "/ws", "expect_rejected": {}}}], file="b.json")
        result = run_wscheck("run", self.dir.path, "--fail-fast")
        self.assertEqual(result.rc, 1, msg=repr(result))
        self.assertIn("- b passes  not run: --fail-fast stopped the run", result.out)
        self.assertIn("0 passed, 1 failed, 1 not run", result.out)


if __name__ == "__main__":
    unittest.main()
