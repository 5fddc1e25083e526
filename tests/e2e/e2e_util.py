"""Helpers shared by the negative, diagnosis and bad-input e2e modules.

`lined()` lays a scenario out with one step per line so a test knows where
each step starts: step N (1-based) begins at line N + 1, column STEP_COL.
`run_bounded()` turns a hang into a test failure that shows the output so far
instead of an unexplained TimeoutExpired traceback.
"""
import json
import subprocess

from harness import AUTH, E2ETest, run_wscheck

STEP_COL = 5


def lined(name, steps, **extra):
    head = json.dumps({"name": name, **extra})
    body = ",\n".join("    " + json.dumps(step) for step in steps)
    return head[:-1] + ', "steps": [\n' + body + "\n]}\n"


def step_pos(filename, n):
    """The `file:line:col` wscheck should print for step n of a lined() file."""
    return f"{filename}:{n + 1}:{STEP_COL}"


def connect(auth=True, **extra):
    c = {"url": "/ws", **extra}
    if auth:
        c["auth"] = AUTH
    return {"connect": c}


ESTABLISHED = {"expect": {"json": {"type": "connection_established"}}, "timeout_ms": 1500}


def _text(data):
    if data is None:
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


def run_bounded(test, *args, timeout=15, **kw):
    try:
        return run_wscheck(*args, timeout=timeout, **kw)
    except subprocess.TimeoutExpired as e:
        test.fail(f"wscheck {' '.join(map(str, args))} hung: no exit within {timeout} s\n"
                  f"--- stdout so far\n{_text(e.stdout)}\n--- stderr so far\n{_text(e.stderr)}")


def failure_headline(out, name):
    """The first line under `✗ name`, stripped (it must name the class)."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"✗ {name}  ") and i + 1 < len(lines):
            return lines[i + 1].strip()
    return None


MARGIN_S = 1.5


class ScenarioTest(E2ETest):
    """E2ETest plus one-step-per-line scenario files and failure assertions."""

    def write(self, name, steps, **extra):
        fname = name.replace(" ", "_").replace("/", "_") + ".json"
        return self.dir.write(fname, lined(name, steps, **extra)), fname

    def assertFailure(self, r, name, cls, *phrases, step=None, fname=None, rc=1, within_s=None):
        """Scenario `name` failed with class `cls` (or one of a tuple) on its first line."""
        self.assertEqual(r.rc, rc, msg=repr(r))
        head = failure_headline(r.out, name)
        self.assertIsNotNone(head, msg=f"no '✗ {name}' block\n{r!r}")
        classes = cls if isinstance(cls, tuple) else (cls,)
        self.assertTrue(any(head.startswith(c + ":") for c in classes),
                        msg=f"first failure line should name class {classes}: {head!r}\n{r!r}")
        if step is not None:
            self.assertIn(f"step {step} at ", r.out, msg=repr(r))
            self.assertIn(step_pos(fname, step), r.out, msg=repr(r))
        for phrase in phrases:
            self.assertIn(phrase, r.out, msg=repr(r))
        if within_s is not None:
            self.assertLess(r.elapsed, within_s + MARGIN_S,
                            msg=f"took {r.elapsed:.2f}s, budget {within_s}s + {MARGIN_S}s margin\n{r!r}")
        self.assertNotIn("Traceback", r.err, msg=repr(r))
        return head
