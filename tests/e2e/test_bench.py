"""`wscheck bench` and `wscheck merge`: counts add up, payloads are verified,
thresholds decide the exit code, merges are exact, bad flags are exit 2."""
import json
import os
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PEERS, SCENARIOS, WSCHECK, E2ETest, Peer, reference_server, run_wscheck  # noqa: E402


def echo_server(*extra):
    return Peer(["node", os.path.join(PEERS, "echo_server.js"), *extra], cwd=PEERS)


def closed_port():
    """A loopback port nothing listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class BenchTest(E2ETest):
    def report(self, name):
        return os.path.join(self.dir.path, name)

    def load(self, path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    def bench(self, *args, timeout=60):
        return run_wscheck("bench", "-q", *args, timeout=timeout)


class EchoTest(BenchTest):
    def test_counts_add_up_and_every_echo_is_checked(self):
        with echo_server() as server:
            path = self.report("echo.json")
            r = self.bench("--echo", "--url", server.url("/"), "--connections", "4", "--messages", "500",
                           "--window", "20", "--size", "64", "--threads", "2", "--report-json", path)
        self.assertEqual(r.rc, 0, msg=repr(r))
        rep = self.load(path)
        t = rep["totals"]
        self.assertEqual(t["messages_sent"], 4 * 500)
        self.assertEqual(t["messages_received"], 4 * 500)
        self.assertEqual(t["bytes_received"], 4 * 500 * 64)
        self.assertEqual(t["connections_opened"], 4)
        self.assertEqual(t["errors"], 0)
        self.assertEqual(rep["histograms"]["latency"]["count"], 2000)
        self.assertEqual(sum(s["counters"]["messages_received"] for s in rep["series"]), 2000)
        self.assertIn("round trip (rtt)", r.out)

    def test_a_corrupted_byte_is_a_mismatch_failure(self):
        with echo_server("--corrupt-at", "7") as server:
            path = self.report("bad.json")
            r = self.bench("--echo", "--url", server.url("/"), "--connections", "2", "--messages", "50",
                           "--window", "5", "--threads", "1", "--report-json", path, "--threshold", "errors<1")
        self.assertEqual(r.rc, 1, msg=repr(r))
        rep = self.load(path)
        self.assertEqual(rep["failures"]["mismatch"]["count"], 2)
        self.assertIn("echo of message 6 differs at byte 10", rep["failures"]["mismatch"]["example"])
        self.assertLess(rep["totals"]["messages_received"], 100)
        self.assertIn("mismatch", r.out)

    def test_thresholds_decide_the_exit_code(self):
        with echo_server() as server:
            ok = self.bench("--echo", "--url", server.url("/"), "--messages", "200", "--threads", "1",
                            "--threshold", "rtt_p99<60s", "--threshold", "msg_rate>1", "--threshold", "error_rate<0.1%")
            crossed = self.bench("--echo", "--url", server.url("/"), "--messages", "200", "--threads", "1",
                                 "--threshold", "rtt_p50<1us", "--threshold", "msg_rate>1")
        self.assertEqual(ok.rc, 0, msg=repr(ok))
        self.assertIn("✓ rtt_p99<60s", ok.out)
        self.assertIn("all 3 thresholds held", ok.out)
        self.assertEqual(crossed.rc, 1, msg=repr(crossed))
        self.assertIn("✗ rtt_p50<1us", crossed.out)
        self.assertIn("✓ msg_rate>1", crossed.out)
        self.assertIn("1 of 2 thresholds crossed", crossed.out)

    def test_a_refusing_server_is_counted_as_tcp_refused(self):
        port = closed_port()
        path = self.report("refused.json")
        r = self.bench("--echo", "--url", f"ws://127.0.0.1:{port}/", "--connections", "3", "--messages", "10",
                       "--threads", "1", "--report-json", path)
        self.assertEqual(r.rc, 3, msg=repr(r))
        rep = self.load(path)
        self.assertEqual(rep["failures"]["tcp_refused"]["count"], 3)
        self.assertIn("tcp_refused", r.out)

    def test_echo_segments_merge_to_the_whole(self):
        with echo_server() as server:
            paths = [self.report(f"seg{i}.json") for i in (1, 2)]
            procs = [subprocess.Popen([WSCHECK, "bench", "-q", "--echo", "--url", server.url("/"), "--connections", "5",
                                       "--messages", "100", "--threads", "1", "--segment", f"{i}/2",
                                       "--report-json", paths[i - 1]], stdout=subprocess.DEVNULL)
                     for i in (1, 2)]
            for p in procs:
                self.assertEqual(p.wait(timeout=60), 0)
        merged = self.report("merged.json")
        r = run_wscheck("merge", *paths, "-o", merged, "--threshold", "messages>=500")
        self.assertEqual(r.rc, 0, msg=repr(r))
        a, b, m = self.load(paths[0]), self.load(paths[1]), self.load(merged)
        self.assertEqual(a["totals"]["connections_opened"], 3)
        self.assertEqual(b["totals"]["connections_opened"], 2)
        self.assertEqual(m["totals"]["messages_received"], 500)
        self.assertEqual(m["histograms"]["latency"]["count"], 500)
        for key in ("count", "sum"):
            self.assertEqual(m["histograms"]["latency"][key],
                             a["histograms"]["latency"][key] + b["histograms"]["latency"][key])
        self.assertEqual(sorted(m["segments"]), ["1/2", "2/2"])


class ScenarioLoadTest(BenchTest):
    def test_closed_model_runs_the_scenario_n_times(self):
        with reference_server() as server:
            path = self.report("closed.json")
            html = self.report("closed.html")
            r = self.bench(os.path.join(SCENARIOS, "echo.json"), "--url", server.url(), "--vus", "4",
                           "--iterations", "40", "--threads", "2", "--report-json", path, "--report-html", html)
        self.assertEqual(r.rc, 0, msg=repr(r))
        rep = self.load(path)
        self.assertEqual(rep["totals"]["iterations"], 40)
        self.assertEqual(rep["totals"]["iterations_failed"], 0)
        self.assertEqual(rep["histograms"]["tcp"]["count"], 40)
        steps = [k for k in rep["histograms"] if k.startswith("step 4: expect")]
        self.assertEqual(len(steps), 1, msg=list(rep["histograms"]))
        self.assertEqual(rep["histograms"][steps[0]]["count"], 40)
        with open(html, encoding="utf-8") as f:
            page = f.read()
        self.assertIn("<svg", page)
        self.assertNotIn("src=", page)  # self-contained

    def test_open_model_starts_every_due_arrival(self):
        with reference_server() as server:
            path = self.report("open.json")
            r = self.bench(os.path.join(SCENARIOS, "echo.json"), "--url", server.url(), "--rate", "40/s",
                           "--duration", "1s", "--threads", "2", "--report-json", path)
        self.assertEqual(r.rc, 0, msg=repr(r))
        rep = self.load(path)
        self.assertEqual(rep["totals"]["iterations"], 40)
        self.assertEqual(rep["histograms"]["start_lag"]["count"], 40)
        self.assertEqual(rep["mode"], "open")

    def test_refused_iterations_are_failures_by_class(self):
        path = self.report("refused.json")
        r = self.bench(os.path.join(SCENARIOS, "echo.json"), "--url", f"ws://127.0.0.1:{closed_port()}",
                       "--iterations", "5", "--threads", "1", "--report-json", path)
        self.assertEqual(r.rc, 3, msg=repr(r))
        rep = self.load(path)
        self.assertEqual(rep["failures"]["tcp_refused"]["count"], 5)
        self.assertEqual(rep["totals"]["iterations_failed"], 5)

    def test_scenario_segments_merge_exactly(self):
        with reference_server() as server:
            paths = [self.report(f"s{i}.json") for i in (1, 2)]
            procs = [subprocess.Popen([WSCHECK, "bench", "-q", os.path.join(SCENARIOS, "echo.json"), "--url", server.url(),
                                       "--vus", "3", "--iterations", "21", "--threads", "1", "--segment", f"{i}/2",
                                       "--report-json", paths[i - 1]], stdout=subprocess.DEVNULL)
                     for i in (1, 2)]
            for p in procs:
                self.assertEqual(p.wait(timeout=60), 0)
        merged = self.report("m.json")
        r = run_wscheck("merge", *paths, "-o", merged)
        self.assertEqual(r.rc, 0, msg=repr(r))
        a, b, m = self.load(paths[0]), self.load(paths[1]), self.load(merged)
        self.assertEqual(a["totals"]["iterations"] + b["totals"]["iterations"], 21)
        self.assertEqual(m["totals"]["iterations"], 21)
        for name, h in m["histograms"].items():
            self.assertEqual(h["count"], a["histograms"].get(name, {"count": 0})["count"] +
                             b["histograms"].get(name, {"count": 0})["count"], msg=name)


class BadFlagsTest(BenchTest):
    def test_bad_flags_exit_2_with_a_sentence(self):
        url = "ws://127.0.0.1:9/"
        cases = [
            (["--echo", "--url", url, "--threshold", "step_p99<50"], "unit"),
            (["--echo", "--url", url, "--threshold", "speed>3"], "unknown metric"),
            (["--url", url, "--vus", "2", "--rate", "5"], "exclude each other"),
            (["--echo", "--url", url, "--segment", "3/2"], "I/N"),
            (["--echo", "--url", url, "--size", "0"], "--size"),
            (["--echo"], "needs a target"),
            (["--url", url, "--rate", "fast", "--duration", "1s"], "--rate"),
            (["--url", url, "--duration", "soon"], "duration"),
            (["--echo", "--url", url, "--bogus"], "bogus"),
        ]
        for args, words in cases:
            r = run_wscheck("bench", *args)
            self.assertEqual(r.rc, 2, msg=f"{args}: {r!r}")
            self.assertIn(words, r.out + r.err, msg=f"{args}: {r!r}")

    def test_merge_refuses_what_is_not_a_bench_report(self):
        bad = self.dir.write("bad.json", {"format": "something else"})
        r = run_wscheck("merge", bad)
        self.assertEqual(r.rc, 2, msg=repr(r))
        self.assertIn("not a wscheck bench report", r.err)
        r = run_wscheck("merge", os.path.join(self.dir.path, "missing.json"))
        self.assertEqual(r.rc, 2, msg=repr(r))


if __name__ == "__main__":
    unittest.main()
