"""`wscheck watch` end to end: a real Prometheus scrapes it, a real headless
Chromium renders its status page, hostile HTTP requests bounce off it, and
SIGTERM stops it cleanly.

Prometheus (Debian's 2.42) and Chromium are started here on 127.0.0.1 with
temporary config, storage and profile directories; each test is skipped with
a reason if its program is missing. The screenshot is kept as
build/test-artifacts/watch-status.png.
"""
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

from harness import ROOT, WSCHECK, connect_steps, run_wscheck

PROMETHEUS = shutil.which("prometheus")
PROMTOOL = shutil.which("promtool")
CHROMIUM = shutil.which("chromium")
ARTIFACTS = os.path.join(ROOT, "build", "test-artifacts")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, timeout=10, headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def wait_for(what, predicate, timeout, interval=0.2):
    """Polls `predicate` until it returns something truthy; fails with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


class Process:
    """A child process whose stdout lines are collected on a thread."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     start_new_session=True, env={**os.environ, "NO_COLOR": "1"})
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)

    def next_json(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if predicate(event):
                return event
        raise AssertionError(f"no matching log line within {timeout}s; lines so far:\n{''.join(self.seen)}")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        return self.proc.returncode

    def close(self):
        if self.proc.stdout:
            self.proc.stdout.close()


def start_reference_server(port=0):
    proc = Process([WSCHECK, "serve", "--port", str(port)])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        line = proc.lines.get(timeout=15)
        if line.startswith("LISTENING "):
            return proc, int(line.split()[1])
    raise AssertionError("reference server did not start")


class WatchTest(unittest.TestCase):
    """One watch process for the class; the tests run in name order."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wscheck-watch-")
        cls.server, cls.server_port = start_reference_server()
        steps = connect_steps() + [{"name": "frame ping", "ping": {"payload": "watch"}, "timeout_ms": 1000},
                                   {"close": {"code": 1000}}]
        with open(os.path.join(cls.tmp, "echo.json"), "w") as f:
            json.dump({"name": "echo ping", "steps": steps}, f)
        with open(os.path.join(cls.tmp, "nothing.json"), "w") as f:
            json.dump({"name": "never up", "steps": [{"connect": {"url": "ws://127.0.0.1:1/ws"}}]}, f)
        cls.watch = Process([WSCHECK, "watch", cls.tmp, "--url", f"ws://127.0.0.1:{cls.server_port}",
                             "--interval", "300ms", "--interval", "never up=1s", "--listen", "127.0.0.1:0",
                             "--log-format", "json", "--shutdown-timeout", "3000"])
        listening = cls.watch.next_json(lambda e: e.get("event") == "listening", 15)
        cls.port = int(listening["port"])

    @classmethod
    def tearDownClass(cls):
        cls.watch.stop()
        cls.server.stop()
        cls.watch.close()
        cls.server.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def metrics(self):
        status, body = http_get(self.port, "/metrics")
        self.assertEqual(status, 200)
        return body

    # --- Prometheus -------------------------------------------------------

    def start_prometheus(self):
        if not PROMETHEUS:
            self.skipTest("prometheus is not installed (scripts/setup.sh installs it)")
        prom_port = free_port()
        config = os.path.join(self.tmp, "prometheus.yml")
        with open(config, "w") as f:
            f.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: wscheck
    static_configs:
      - targets: ["127.0.0.1:{self.port}"]
  - job_name: wscheck_probe
    metrics_path: /probe
    params:
      scenario: ["echo ping"]
    static_configs:
      - targets: ["ws://127.0.0.1:{self.server_port}"]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:{self.port}
""")
        storage = os.path.join(self.tmp, "prometheus-data")
        prom = subprocess.Popen([PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={storage}",
                                 f"--web.listen-address=127.0.0.1:{prom_port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

        def stop():
            if prom.poll() is None:
                os.killpg(prom.pid, signal.SIGTERM)
                try:
                    prom.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(prom.pid, signal.SIGKILL)
                    prom.wait(timeout=5)
        self.addCleanup(stop)

        def ready():
            try:
                return http_get(prom_port, "/-/ready", timeout=2)[0] == 200
            except OSError:
                return False
        wait_for("prometheus to be ready", ready, 30)
        return prom_port

    def query(self, prom_port, promql):
        status, body = http_get(prom_port, "/api/v1/query?query=" + urllib.parse.quote(promql))
        self.assertEqual(status, 200, body)
        data = json.loads(body)
        self.assertEqual(data["status"], "success", body)
        return {json.dumps(r["metric"], sort_keys=True): float(r["value"][1]) for r in data["data"]["result"]}

    def value_is(self, prom_port, promql, want):
        values = self.query(prom_port, promql)
        return values if values and all(v == want for v in values.values()) else None

    def test_a_prometheus_scrapes_sees_down_with_class_then_up(self):
        prom = self.start_prometheus()
        wait_for("wscheck_up of echo ping = 1 in Prometheus",
                 lambda: self.value_is(prom, 'wscheck_up{scenario="echo ping"}', 1.0), 30)
        wait_for("never up = 0 with class tcp_refused",
                 lambda: self.value_is(prom, 'wscheck_last_failure_info{scenario="never up",class="tcp_refused"}', 1.0), 15)
        self.assertTrue(self.query(prom, 'wscheck_build_info'))
        wait_for("histogram buckets of the upgrade phase",
                 lambda: self.query(prom, 'wscheck_connect_phase_duration_seconds_count{scenario="echo ping",phase="upgrade"} > 0'), 15)
        wait_for("blackbox-style probe job succeeding",
                 lambda: self.value_is(prom, 'probe_success{job="wscheck_probe"}', 1.0), 20)
        self.assertTrue(self.value_is(prom, 'probe_http_status_code{job="wscheck_probe"}', 101.0))

        # take the target down: the scenario goes down with the right class
        self.server.stop()
        self.server.close()
        down = self.watch.next_json(lambda e: e.get("event") == "down" and e.get("scenario") == "echo ping", 15)
        self.assertEqual(down["class"], "tcp_refused", down)
        wait_for("echo ping down in Prometheus",
                 lambda: self.value_is(prom, 'wscheck_up{scenario="echo ping"}', 0.0), 20)
        wait_for("failure class tcp_refused in Prometheus",
                 lambda: self.value_is(prom, 'wscheck_last_failure_info{scenario="echo ping",class="tcp_refused"}', 1.0), 10)
        wait_for("probe job failing", lambda: self.value_is(prom, 'probe_success{job="wscheck_probe"}', 0.0), 20)

        # bring it back on the same port: up again, and the log says how long it was down
        type(self).server, _ = start_reference_server(self.server_port)
        back = self.watch.next_json(lambda e: e.get("event") == "recovered" and e.get("scenario") == "echo ping", 15)
        self.assertGreaterEqual(int(back["failed_runs"]), 1)
        wait_for("echo ping up again in Prometheus",
                 lambda: self.value_is(prom, 'wscheck_up{scenario="echo ping"}', 1.0), 20)

    def test_b_promtool_accepts_the_exposition_and_the_alert_rules(self):
        if not PROMTOOL:
            self.skipTest("promtool is not installed (Debian package prometheus)")
        body = self.metrics()
        for family in ("wscheck_runs_total", "wscheck_failures_total", "wscheck_up", "wscheck_scenario_duration_seconds_bucket",
                       "wscheck_step_duration_seconds_bucket", "wscheck_ping_rtt_seconds_bucket"):
            self.assertIn(family, body)
        r = subprocess.run([PROMTOOL, "check", "metrics"], input=body, capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual((r.stdout + r.stderr).strip(), "", "promtool lint complaints")
        _, probe = http_get(self.port, "/probe?scenario=never%20up")
        r = subprocess.run([PROMTOOL, "check", "metrics"], input=probe, capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = subprocess.run([PROMTOOL, "check", "rules", os.path.join(ROOT, "docs", "watch-alerts.yml")],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    # --- the status page in a real browser --------------------------------

    def test_c_status_page_in_headless_chromium(self):
        if not CHROMIUM:
            self.skipTest("chromium is not installed (scripts/setup.sh installs it)")
        wait_for("both scenarios to have run", lambda: 'wscheck_up{scenario="never up"} 0' in self.metrics(), 15)
        os.makedirs(ARTIFACTS, exist_ok=True)
        shot = os.path.join(ARTIFACTS, "watch-status.png")
        profile = tempfile.mkdtemp(prefix="wscheck-chromium-")
        self.addCleanup(shutil.rmtree, profile, True)
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1100,400"]
        url = f"http://127.0.0.1:{self.port}/"
        dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=90)
        self.assertEqual(dom.returncode, 0, dom.stderr[-2000:])
        html = dom.stdout
        self.assertIn('data-scenario="echo ping"', html)
        self.assertRegex(html, r'<tr class="scenario down" data-scenario="never up"><td class="name">never up</td>'
                               r'<td class="state">DOWN</td><td class="line"><b>tcp_refused</b>')
        self.assertIn("<polyline", html)
        shot_run = subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", url], capture_output=True, text=True, timeout=90)
        self.assertEqual(shot_run.returncode, 0, shot_run.stderr[-2000:])
        with open(shot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    # --- hostile HTTP -----------------------------------------------------

    def raw(self, data, read_timeout=5):
        with socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout) as s:
            try:
                s.sendall(data)
            except OSError:
                pass  # the server may hang up mid-send: that is a rejection too
            chunks = []
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    if b"\r\n\r\n" in b"".join(chunks):
                        break
            except (ConnectionResetError, socket.timeout):
                pass
            return b"".join(chunks).decode("latin-1")

    def assertRejectedOrClosed(self, answer):
        if answer:
            status = int(answer.split(" ", 2)[1])
            self.assertTrue(400 <= status < 500, answer[:200])

    def test_d_hostile_requests_are_rejected_and_it_keeps_serving(self):
        self.assertRejectedOrClosed(self.raw(b"GARBAGE\r\n\r\n"))
        self.assertRejectedOrClosed(self.raw(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n"))
        self.assertRejectedOrClosed(self.raw(b"GET /" + b"b" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"))
        status, _ = http_get(self.port, "/no/such/page")
        self.assertEqual(status, 404)
        status, body = http_get(self.port, "/probe?scenario=nope")
        self.assertEqual(status, 400)
        self.assertIn('"echo ping"', body)
        self.assertIn('"never up"', body)
        status, body = http_get(self.port, "/probe?scenario=echo%20ping&target=http://127.0.0.1:1/")
        self.assertEqual(status, 400, body)
        status, body = http_get(self.port, "/healthz")
        self.assertEqual((status, body), (200, "ok\n"))
        # an on-demand probe against another target, answered when its run ends
        status, body = http_get(self.port, "/probe?scenario=echo%20ping&target=ws://127.0.0.1:1",
                                headers={"X-Prometheus-Scrape-Timeout-Seconds": "5"})
        self.assertEqual(status, 200)
        self.assertIn("probe_success 0", body)
        self.assertIn('probe_failure_info{class="tcp_refused"} 1', body)

    # --- shutdown ---------------------------------------------------------

    def test_e_sigterm_stops_gracefully_with_exit_0(self):
        start = time.monotonic()
        rc = self.watch.stop(signal.SIGTERM, timeout=15)
        self.assertEqual(rc, 0, "".join(self.watch.seen))
        self.assertLess(time.monotonic() - start, 10)
        self.watch.next_json(lambda e: e.get("event") == "stopped", 5)



class WatchUsageTest(unittest.TestCase):
    """Bad flags are exit 2 with a sentence naming the problem, before anything listens."""

    def test_bad_flags(self):
        echo = os.path.join(ROOT, "scenarios", "echo.json")
        cases = [(["--interval", "soon"], "not a duration"),
                 (["--interval", "nosuch=1s"], "no chosen scenario is named that"),
                 (["--listen", "127.0.0.1"], "HOST:PORT"),
                 (["--listen", "127.0.0.1:99999"], "0-65535"),
                 (["--url", "http://127.0.0.1:1/"], "ws:// or wss://")]
        for args, phrase in cases:
            r = run_wscheck("watch", echo, *args, timeout=30)
            self.assertEqual(r.rc, 2, repr(r))
            self.assertIn(phrase, r.err, repr(r))


if __name__ == "__main__":
    unittest.main(verbosity=2)
