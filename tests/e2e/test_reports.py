"""File reports: `wscheck run --report-json FILE --report-junit FILE --report-tap FILE|-`,
and GitHub Actions annotations.

The bundled scenarios plus purpose-written failing ones run against the
built-in server; the reports are then checked by independent consumers:
JUnit with `xmllint --schema tests/e2e/junit.xsd`, JSON against
docs/report.schema.json (python3-jsonschema when installed, else a strict
validator for the subset of JSON Schema that file uses), TAP with Perl's
TAP::Parser / `prove`. No secret (a literal token, a minted JWT, the JWT
secret) may appear in any report, on stdout or on stderr.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from e2e_util import run_bounded
from harness import AUTH, ROOT, SCENARIOS, E2ETest, run_wscheck

SCHEMA = os.path.join(ROOT, "docs", "report.schema.json")
JUNIT_XSD = os.path.join(ROOT, "tests", "e2e", "junit.xsd")

TOKEN = "s3cr3t-token-value"
JWT_SECRET = "test-secret"  # the built-in server's default, used by the bundled scenarios
JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}")
BUNDLED = ["agent events", "connect with token", "echo round-trip", "no-token rejection", "ping/pong"]

# Not GitHub Actions, unless a test says so (the suite itself may run under Actions).
NOT_GITHUB = {"GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": ""}

try:
    import jsonschema  # python3-jsonschema (Debian)
except ImportError:  # pragma: no cover - depends on the machine
    jsonschema = None


# --- scenarios --------------------------------------------------------------

def lined(obj):
    """A scenario file with one step per line, so step N is on line N + 1, column 5."""
    head = json.dumps({k: v for k, v in obj.items() if k != "steps"})
    body = ",\n".join("    " + json.dumps(step) for step in obj["steps"])
    return head[:-1] + ', "steps": [\n' + body + "\n]}\n"


# Never answered: the reference server has no "never" message type.
NEVER = {
    "name": "never answered <&> \"quoted\" #1",
    "tags": ["reports"],
    "steps": [
        {"connect": {"url": "/ws", "auth": AUTH}},
        {"expect": {"json": {"type": "connection_established"}}, "timeout_ms": 1500},
        {"send": {"json": {"type": "echo", "payload": "ping"}}},
        {"expect": {"json": {"type": "never_sent"}}, "timeout_ms": 600},
    ],
}

# The token is presented (and refused), then sent as a payload the server
# echoes back: it reaches the frame trace, the diagnosis and the frames.
SECRET = {
    "name": "token handling",
    "tags": ["reports"],
    "steps": [
        {"connect": {"url": "/ws", "auth": {"token": "${TOKEN}", "in": "query"},
                     "expect_rejected": {"status": [401, 403]}, "as": "probe"}, "timeout_ms": 3000},
        {"connect": {"url": "/ws", "auth": {"token": "${TOKEN}", "in": "header"},
                     "expect_rejected": {"status": [401, 403]}, "as": "probe2"}, "timeout_ms": 3000},
        {"connect": {"url": "/ws", "auth": AUTH}},
        {"expect": {"json": {"type": "connection_established"}}, "timeout_ms": 1500},
        {"send": {"json": {"type": "echo", "payload": "${TOKEN}"}}},
        {"expect": {"json": {"type": "echo_response", "payload": "something else"}}, "timeout_ms": 600},
    ],
}


# --- consumers --------------------------------------------------------------

def perl_tap(text):
    """Parses TAP with Perl's TAP::Parser: {'tests': [(n, ok, skip, description)], 'planned', 'failed', 'errors'}.

    Debian 12's TAP::Parser (Test::Harness 3.44) knows TAP versions up to 13 and
    rejects "TAP version 14"; TAP 14 is a superset of 13 and wscheck's output
    uses nothing beyond 13 (no subtests, no pragmas), so the version line is
    read as 13.
    """
    script = r'''
use strict; use warnings; use TAP::Parser;
my $tap = do { local $/; <STDIN> };
$tap =~ s/\ATAP version 14\n/TAP version 13\n/;
my $p = TAP::Parser->new({ tap => $tap });
while (my $r = $p->next) {
  next unless $r->is_test;
  my $d = $r->description; $d =~ s/^- //;
  print join("\t", "TEST", $r->number, ($r->is_actual_ok ? 1 : 0), ($r->has_skip ? 1 : 0), $d), "\n";
}
print "PLANNED\t", ($p->tests_planned // -1), "\n";
print "FAILED\t", join(",", $p->failed), "\n";
print "ERRORS\t", join(" | ", $p->parse_errors), "\n";
'''
    proc = subprocess.run(["perl", "-e", script], input=text, capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        raise AssertionError(f"perl TAP::Parser failed: {proc.stderr}")
    out = {"tests": [], "planned": None, "failed": [], "errors": ""}
    for line in proc.stdout.splitlines():
        parts = line.split("\t")
        if parts[0] == "TEST":
            out["tests"].append((int(parts[1]), parts[2] == "1", parts[3] == "1", parts[4]))
        elif parts[0] == "PLANNED":
            out["planned"] = int(parts[1])
        elif parts[0] == "FAILED":
            out["failed"] = [int(n) for n in parts[1].split(",") if n]
        elif parts[0] == "ERRORS":
            out["errors"] = parts[1] if len(parts) > 1 else ""
    return out


def prove(path):
    """`prove` on a TAP file (version line read as 13, see perl_tap): (rc, output)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tap", delete=False, encoding="utf-8") as f:
        with open(path, encoding="utf-8") as src:
            text = src.read()
        f.write(re.sub(r"\ATAP version 14\n", "TAP version 13\n", text))
        tmp = f.name
    try:
        proc = subprocess.run(["prove", "-e", "cat", tmp], capture_output=True, text=True, timeout=30)
        return proc.returncode, proc.stdout + proc.stderr
    finally:
        os.unlink(tmp)


class SchemaError(AssertionError):
    pass


def validate_subset(value, schema, root, where="$"):
    """A strict validator for the JSON Schema keywords docs/report.schema.json uses.

    Used only when python3-jsonschema is not installed. An unknown keyword is
    an error, so the schema cannot grow past what this checks unnoticed.
    """
    known = {"$schema", "$id", "$defs", "title", "description", "type", "properties", "required",
             "additionalProperties", "items", "enum", "minimum", "pattern", "$ref", "anyOf"}
    unknown = set(schema) - known
    if unknown:
        raise SchemaError(f"the fallback validator does not know {sorted(unknown)}: install python3-jsonschema")
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            raise SchemaError(f"unsupported $ref {ref}")
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        validate_subset(value, target, root, where)
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                validate_subset(value, option, root, where)
                break
            except SchemaError as e:
                errors.append(str(e))
        else:
            raise SchemaError(f"{where}: matches none of anyOf: {errors}")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        checks = {
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "string": lambda v: isinstance(v, str),
            "boolean": lambda v: isinstance(v, bool),
            "null": lambda v: v is None,
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) or (
                isinstance(v, float) and v.is_integer()),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        }
        if not any(checks[t](value) for t in types):
            raise SchemaError(f"{where}: {value!r} is not of type {types}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < schema["minimum"]:
            raise SchemaError(f"{where}: {value!r} < {schema['minimum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        raise SchemaError(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                raise SchemaError(f"{where}: missing required property {key!r}")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                validate_subset(item, props[key], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                raise SchemaError(f"{where}: unexpected property {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                validate_subset(item, schema["additionalProperties"], root, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            validate_subset(item, schema["items"], root, f"{where}[{i}]")


def validate_json_report(report):
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    if jsonschema is not None:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        cls(schema).validate(report)
    else:
        validate_subset(report, schema, schema)


def xmllint_schema(path):
    proc = subprocess.run(["xmllint", "--noout", "--schema", JUNIT_XSD, path],
                          capture_output=True, text=True, timeout=30)
    return proc.returncode, proc.stdout + proc.stderr


# --- tests ------------------------------------------------------------------

class Run:
    """One `wscheck run` writing every report into `tmp`."""

    def __init__(self, tmp, *args, env=None):
        self.dir = tmp
        self.json = os.path.join(tmp, "report.json")
        self.junit = os.path.join(tmp, "report.xml")
        self.tap = os.path.join(tmp, "report.tap")
        argv = ["run", "--report-json", self.json, "--report-junit", self.junit, "--report-tap", self.tap, *args]
        try:
            self.result = run_wscheck(*argv, timeout=60, env={**NOT_GITHUB, **(env or {})})
        except subprocess.TimeoutExpired as e:
            raise AssertionError(f"wscheck {' '.join(argv)} hung: no exit within 60 s\n{e.stdout!r}\n{e.stderr!r}")

    def read(self, path):
        with open(path, encoding="utf-8") as f:
            return f.read()


class ReportFiles(E2ETest):
    """Bundled scenarios (pass) + one never-answered and one token scenario (fail), -v, -j 2."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wscheck-reports-")
        cls.never = os.path.join(cls.tmp, "never.json")
        cls.secret = os.path.join(cls.tmp, "secret.json")
        with open(cls.never, "w", encoding="utf-8") as f:
            f.write(lined(NEVER))
        with open(cls.secret, "w", encoding="utf-8") as f:
            f.write(lined(SECRET))
        cls.report_run = Run(cls.tmp, "-v", "-j", "2", "--var", f"TOKEN={TOKEN}", SCENARIOS, cls.never, cls.secret)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.r = self.report_run.result
        self.assertEqual(self.r.rc, 1, msg=f"two scenarios fail: exit 1\n{self.r!r}")
        for path in (self.report_run.json, self.report_run.junit, self.report_run.tap):
            self.assertTrue(os.path.isfile(path), msg=f"{path} was not written\n{self.r!r}")

    def load_json(self):
        return json.loads(self.report_run.read(self.report_run.json))

    def scenario(self, report, name):
        found = [s for s in report["scenarios"] if s["name"] == name]
        self.assertEqual(len(found), 1, msg=f"scenario {name!r} in {[s['name'] for s in report['scenarios']]}")
        return found[0]

    def test_no_temporary_files_left(self):
        self.assertEqual([f for f in os.listdir(self.tmp) if f.endswith(".tmp")], [])

    # JSON

    def test_json_report_matches_the_schema(self):
        report = self.load_json()
        try:
            validate_json_report(report)
        except Exception as e:  # jsonschema.ValidationError or SchemaError
            self.fail(f"the JSON report does not match docs/report.schema.json: {e}")

    def test_json_report_content(self):
        report = self.load_json()
        self.assertEqual(report["exit_code"], 1)
        self.assertFalse(report["interrupted"])
        self.assertEqual(report["summary"], {"passed": 5, "failed": 2, "not_run": 0})
        self.assertIn("built-in reference server at ws://127.0.0.1:", report["target"])
        self.assertRegex(report["started_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertTrue(report["wscheck"]["version"])
        self.assertTrue(report["wscheck"]["libwebsockets"])
        self.assertIn("OpenSSL", report["wscheck"]["openssl"])
        self.assertGreater(report["total_ms"], 0)
        names = [s["name"] for s in report["scenarios"]]
        self.assertEqual(sorted(names), sorted(BUNDLED + [NEVER["name"], SECRET["name"]]))

        for name in BUNDLED:
            s = self.scenario(report, name)
            self.assertEqual(s["status"], "passed", msg=name)
            self.assertIsNone(s["diagnosis"])
            self.assertIsNone(s["failed_step"])
            self.assertTrue(s["file"].endswith(".json"), msg=s["file"])
            self.assertGreater(s["line"], 0)
            self.assertTrue(all(step["status"] == "passed" for step in s["steps"]), msg=name)
            self.assertEqual([step["index"] for step in s["steps"]], list(range(1, len(s["steps"]) + 1)))
            self.assertGreaterEqual(len(s["connections"]), 1, msg=name)
            self.assertIsNotNone(s["connections"][0]["phases"]["tcp_ms"], msg=name)
        self.assertIn("smoke", self.scenario(report, "echo round-trip")["tags"])
        ping = self.scenario(report, "ping/pong")
        self.assertTrue(any("rtt_ms" in step for step in ping["steps"]), msg="a ping step has rtt_ms")
        established = self.scenario(report, "connect with token")["connections"][0]
        self.assertIsNotNone(established["phases"]["upgrade_ms"])
        self.assertEqual(established["close"]["code"], 1000)
        self.assertGreaterEqual(established["messages_received"], 1)

        never = self.scenario(report, NEVER["name"])
        self.assertEqual(never["status"], "failed")
        self.assertEqual(never["file"], self.never)
        self.assertEqual(never["diagnosis"]["class"], "message_timeout")
        self.assertIn("never_sent", never["diagnosis"]["headline"])
        self.assertEqual(never["failed_step"], 4)
        failed = never["steps"][3]
        self.assertEqual((failed["index"], failed["kind"], failed["status"]), (4, "expect", "failed"))
        self.assertEqual((failed["file"], failed["line"], failed["col"]), (self.never, 5, 5))
        self.assertEqual(failed["diagnosis"]["class"], "message_timeout")
        self.assertGreaterEqual(failed["duration_ms"], 550)

    def test_json_keeps_received_frames(self):
        """The JSON report holds the frames received (bounded); a failure is where they matter."""
        never = self.scenario(self.load_json(), NEVER["name"])
        frames = never["connections"][0]["last_frames"]
        self.assertTrue(frames, msg="last_frames is empty for a connection that received 2 messages")
        self.assertTrue(any("echo_response" in f for f in frames), msg=frames)

    # JUnit

    def test_junit_validates_against_the_xsd(self):
        rc, out = xmllint_schema(self.report_run.junit)
        self.assertEqual(rc, 0, msg=f"xmllint --schema tests/e2e/junit.xsd:\n{out}")

    def test_junit_content(self):
        root = ET.parse(self.report_run.junit).getroot()
        self.assertEqual(root.tag, "testsuites")
        suites = root.findall("testsuite")
        self.assertEqual(len(suites), 1)
        suite = suites[0]
        self.assertEqual(suite.get("name"), "wscheck")
        self.assertEqual((suite.get("tests"), suite.get("failures"), suite.get("skipped")), ("7", "2", "0"))
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        self.assertEqual(sorted(cases), sorted(BUNDLED + [NEVER["name"], SECRET["name"]]))
        for name in BUNDLED:
            self.assertIsNone(cases[name].find("failure"), msg=name)
            self.assertTrue(cases[name].get("classname").endswith(".json"))
            self.assertIn("tcp", cases[name].findtext("system-out"), msg=name)
        never = cases[NEVER["name"]]  # <&> "quoted" survived the round trip
        self.assertEqual(never.get("classname"), self.never)
        self.assertGreaterEqual(float(never.get("time")), 0.5)
        failure = never.find("failure")
        self.assertIsNotNone(failure)
        self.assertEqual(failure.get("type"), "message_timeout")
        self.assertTrue(failure.get("message").startswith("message_timeout: "), msg=failure.get("message"))
        self.assertIn(f"step 4 at {self.never}:5:5", failure.text)
        self.assertIn("connection default", never.findtext("system-out"))
        self.assertIn("step 4 expect", never.findtext("system-out"))

    # TAP

    def test_tap_structure_and_prove(self):
        text = self.report_run.read(self.report_run.tap)
        lines = text.splitlines()
        self.assertEqual(lines[0], "TAP version 14")
        self.assertEqual(lines[1], "1..7")
        parsed = perl_tap(text)
        self.assertEqual(parsed["errors"], "", msg=text)
        self.assertEqual(parsed["planned"], 7)
        self.assertEqual(len(parsed["tests"]), 7)
        failed = {d: skip for (_, ok, skip, d) in parsed["tests"] if not ok}
        # "#" in a name is escaped as "\#" (TAP::Parser keeps the escape), so it is no directive
        self.assertEqual(failed, {"never answered <&> \"quoted\" \\#1": False, SECRET["name"]: False}, msg=text)
        self.assertEqual(len(parsed["failed"]), 2)
        rc, out = prove(self.report_run.tap)
        self.assertNotEqual(rc, 0, msg=f"prove must report the failures\n{out}")
        self.assertIn("Failed 2/7 subtests", out)
        self.assertNotIn("Parse errors", out)
        self.assertIn("  class: message_timeout", text)
        self.assertIn(f'  at: "{self.never}:5:5"', text)
        self.assertIn("  phases:", text)

    # secrets

    def test_no_secret_in_any_output(self):
        outputs = {"stdout": self.r.out, "stderr": self.r.err}
        for path in (self.report_run.json, self.report_run.junit, self.report_run.tap):
            outputs[os.path.basename(path)] = self.report_run.read(path)
        # the token was really used: the redacted query shows it was there
        self.assertIn("token=***", outputs["report.json"])
        for where, text in outputs.items():
            self.assertNotIn(TOKEN, text, msg=f"the token leaked into {where}")
            self.assertIsNone(JWT_RE.search(text), msg=f"a JWT leaked into {where}: {JWT_RE.search(text)}")
            self.assertNotIn(JWT_SECRET, text, msg=f"the JWT secret leaked into {where}")


class NotRun(E2ETest):
    """--fail-fast: the scenarios after the first failure are reported as skipped."""

    def test_not_run_scenarios_are_skipped_in_every_format(self):
        never = self.dir.write("1_never.json", lined(NEVER))
        echo = os.path.join(SCENARIOS, "echo.json")
        run = Run(self.dir.path, "--fail-fast", never, echo)
        self.assertEqual(run.result.rc, 1, msg=repr(run.result))

        report = json.loads(run.read(run.json))
        validate_json_report(report)
        self.assertEqual(report["summary"], {"passed": 0, "failed": 1, "not_run": 1})
        skipped = [s for s in report["scenarios"] if s["status"] == "not_run"]
        self.assertEqual([s["name"] for s in skipped], ["echo round-trip"])
        self.assertTrue(skipped[0]["not_run_reason"])

        rc, out = xmllint_schema(run.junit)
        self.assertEqual(rc, 0, msg=out)
        suite = ET.parse(run.junit).getroot().find("testsuite")
        self.assertEqual((suite.get("tests"), suite.get("failures"), suite.get("skipped")), ("2", "1", "1"))
        case = [c for c in suite.findall("testcase") if c.get("name") == "echo round-trip"][0]
        self.assertIsNotNone(case.find("skipped"))

        tap = run.read(run.tap)
        parsed = perl_tap(tap)
        self.assertEqual(parsed["errors"], "", msg=tap)
        self.assertEqual([(n, ok, skip) for (n, ok, skip, _) in parsed["tests"]], [(1, False, False), (2, True, True)])
        self.assertRegex(tap, r"\nok 2 - echo round-trip # SKIP \S")


class TapOnStdout(E2ETest):
    """--report-tap -: stdout is a TAP stream a harness can read; the console moves to stderr."""

    def test_stdout_is_pure_tap(self):
        never = self.dir.write("never.json", lined(NEVER))
        r = run_bounded(self, "run", "--report-tap", "-", os.path.join(SCENARIOS, "echo.json"), never,
                        timeout=30, env=NOT_GITHUB)
        self.assertEqual(r.rc, 1, msg=repr(r))
        self.assertTrue(r.out.startswith("TAP version 14\n1..2\n"), msg=repr(r))
        parsed = perl_tap(r.out)
        self.assertEqual(parsed["errors"], "", msg=repr(r))
        self.assertEqual([(n, ok) for (n, ok, _, _) in parsed["tests"]], [(1, True), (2, False)])
        self.assertIn("✗ never answered", r.err, msg="the console report goes to stderr")

        path = self.dir.write("stdout.tap", r.out)
        rc, out = prove(path)
        self.assertNotEqual(rc, 0, msg=out)
        self.assertIn("Failed 1/2 subtests", out)


class GithubActions(E2ETest):
    """GITHUB_ACTIONS=true: ::error annotations on stdout, a table in $GITHUB_STEP_SUMMARY."""

    def test_annotations_and_step_summary(self):
        never = self.dir.write("never.json", lined(NEVER))
        summary = self.dir.write("summary.md", "previous step\n")
        r = run_bounded(self, "run", os.path.join(SCENARIOS, "echo.json"), never, timeout=30,
                        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary})
        self.assertEqual(r.rc, 1, msg=repr(r))
        errors = [line for line in r.out.splitlines() if line.startswith("::error ")]
        self.assertEqual(len(errors), 1, msg=repr(r))
        self.assertTrue(errors[0].startswith(f"::error file={never},line=5,col=5,title=wscheck message_timeout::"),
                        msg=errors[0])
        self.assertIn("never_sent", errors[0])
        with open(summary, encoding="utf-8") as f:
            md = f.read()
        self.assertTrue(md.startswith("previous step\n### wscheck: 1 passed, 1 failed"), msg=md)
        self.assertIn("| scenario | status | time | diagnosis |", md)
        self.assertIn("| echo round-trip | ✅ passed |", md)
        self.assertIn("❌ failed", md)
        self.assertIn("`message_timeout`", md)
        self.assertIn("never answered &lt;&amp;&gt;", md, msg="Markdown cells are HTML-escaped")

    def test_nothing_extra_outside_github(self):
        r = run_bounded(self, "run", os.path.join(SCENARIOS, "echo.json"), timeout=30, env=NOT_GITHUB)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertNotIn("::error", r.out)


class BadReportOptions(E2ETest):
    """Unusable report paths are usage errors (exit 2) found before anything runs."""

    def check_usage(self, *args, phrase):
        r = run_bounded(self, "run", *args, os.path.join(SCENARIOS, "echo.json"), timeout=30, env=NOT_GITHUB)
        self.assertEqual(r.rc, 2, msg=repr(r))
        self.assertIn(phrase, r.out + r.err, msg=repr(r))
        self.assertNotIn("echo round-trip", r.out, msg="nothing may run")

    def test_missing_directory(self):
        self.check_usage("--report-junit", os.path.join(self.dir.path, "no", "such", "r.xml"), phrase="does not exist")

    def test_json_to_stdout(self):
        self.check_usage("--report-json", "-", phrase="only supported for --report-tap")

    def test_two_reports_on_one_path(self):
        same = os.path.join(self.dir.path, "same")
        self.check_usage("--report-json", same, "--report-tap", same, phrase="both write")


class EnvironmentFailureStillWritesReports(E2ETest):
    """A run stopped by the environment (exit 3) must not leave a stale report behind."""

    def test_failed_preflight_writes_every_report(self):
        import socket
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        junit = os.path.join(self.dir.path, "r.xml")
        report = os.path.join(self.dir.path, "r.json")
        with open(junit, "w") as f:
            f.write("stale")
        result = run_wscheck("run", SCENARIOS, "--url", f"ws://127.0.0.1:{port}",
                             "--report-junit", junit, "--report-json", report)
        self.assertEqual(result.rc, 3, msg=repr(result))
        data = json.load(open(report))
        self.assertEqual(data["exit_code"], 3)
        self.assertEqual(data["summary"]["failed"], 5)
        self.assertTrue(all(s["diagnosis"]["class"] == "tcp_refused" for s in data["scenarios"]))
        root = ET.parse(junit).getroot()
        messages = [f.get("message") for f in root.iter("failure")]
        self.assertEqual(len(messages), 5)
        self.assertTrue(all(m.startswith("tcp_refused: nothing is listening") for m in messages), messages)


if __name__ == "__main__":
    unittest.main()
