#!/usr/bin/env python3
"""Soak: `wscheck watch` runs thousands of scenario runs at a short interval
against the built-in reference server; prints RSS after warm-up and at the
end, and the runs counted by /metrics. Not part of the test suite.

Usage: scripts/soak_watch.py [--interval 10ms] [--warmup-runs 1000] [--runs 6000] [--timeout 600]
Every wait is bounded; the watch process is stopped with SIGTERM at the end.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WSCHECK = os.environ.get("WSCHECK", os.path.join(ROOT, "build", "wscheck"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def total_runs(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        body = r.read().decode()
    return int(sum(float(m) for m in re.findall(r'^wscheck_runs_total\{[^}]*\} (\S+)$', body, re.M)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--interval", default="10ms")
    ap.add_argument("--warmup-runs", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=6000)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("scenarios", nargs="*", default=[os.path.join(ROOT, "scenarios", "ping_pong.json"),
                                                     os.path.join(ROOT, "scenarios", "echo.json")])
    a = ap.parse_args()
    proc = subprocess.Popen([WSCHECK, "watch", *a.scenarios, "--interval", a.interval, "--listen", "127.0.0.1:0",
                             "--log-format", "json", "--history", "60"],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + a.timeout
    try:
        port = None
        while port is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                sys.exit("wscheck watch exited before listening")
            event = json.loads(line)
            if event.get("event") == "listening":
                port = int(event["port"])
        started = time.monotonic()

        def wait_runs(n):
            while time.monotonic() < deadline:
                runs = total_runs(port)
                if runs >= n:
                    return runs
                time.sleep(0.5)
            sys.exit(f"timed out before {n} runs")

        warm = wait_runs(a.warmup_runs)
        warm_rss = rss_kib(proc.pid)
        warm_t = time.monotonic() - started
        print(f"after warm-up: {warm} runs in {warm_t:.1f} s, RSS {warm_rss} KiB", flush=True)
        end = wait_runs(a.runs)
        end_rss = rss_kib(proc.pid)
        end_t = time.monotonic() - started
        print(f"at the end:    {end} runs in {end_t:.1f} s, RSS {end_rss} KiB", flush=True)
        print(f"RSS change after warm-up: {end_rss - warm_rss:+d} KiB ({100.0 * (end_rss - warm_rss) / warm_rss:+.1f} %) "
              f"over {end - warm} runs ({(end - warm) / max(end_t - warm_t, 1e-9):.0f} runs/s)")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        print(f"wscheck watch exit code: {proc.returncode}")


if __name__ == "__main__":
    main()
