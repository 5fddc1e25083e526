"""Bad scenario files and bad command lines: exit exactly 2, a `file:line:col:`
message on stderr where a position exists, nothing run, and never a crash,
traceback or hang.
"""
import json
import os
import re
import unittest

from e2e_util import ESTABLISHED, ScenarioTest, connect, run_bounded

CRASH_SIGNS = ("Traceback", "terminate called", "Segmentation fault", "Aborted", "AddressSanitizer",
               "core dumped", "std::")


class BadInputTest(ScenarioTest):
    def run_paths(self, *args):
        return run_bounded(self, "run", *args, timeout=15)

    def assertUsage(self, r, *phrases, position=None):
        """Exit exactly 2 (not a signal), nothing run, `position:` on stderr when given."""
        self.assertEqual(r.rc, 2, msg=repr(r))
        for sign in CRASH_SIGNS:
            self.assertNotIn(sign, r.err, msg=repr(r))
            self.assertNotIn(sign, r.out, msg=repr(r))
        self.assertNotIn("passed", r.out, msg=f"nothing should have run\n{r!r}")
        if position is not None:
            self.assertRegex(r.err, r"(?m)^(\S*/)?" + re.escape(position) + ":", msg=repr(r))
        for phrase in phrases:
            self.assertIn(phrase, r.err, msg=repr(r))

    def assertPositioned(self, r, fname):
        """Some `fname:LINE:COL:` message, whatever the exact position."""
        self.assertRegex(r.err, r"(?m)^(\S*/)?" + re.escape(fname) + r":\d+:\d+: \S", msg=repr(r))

    def raw(self, fname, data):
        path = os.path.join(self.dir.path, fname)
        with open(path, "wb") as f:
            f.write(data)
        return path


class ScenarioFileErrors(BadInputTest):
    def test_json_syntax_error_exact_position(self):
        path = self.dir.write("syntax.json", '{"name": "x",\n  "steps": [\n    {"sleep": {"ms": 1}},,\n  ]\n}\n')
        # line 3: four spaces + `{"sleep": {"ms": 1}},` (21 chars) -> the second comma is column 26.
        self.assertUsage(self.run_paths(path), position="syntax.json:3:26")

    def test_unterminated_string_position(self):
        path = self.dir.write("unterminated.json", '{\n  "name": "x,\n  "steps": []\n}\n')
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertRegex(r.err, r"(?m)^(\S*/)?unterminated\.json:2:\d+: ", msg=repr(r))

    def test_unknown_key_typo_did_you_mean(self):
        path = self.dir.write("typo.json", '{"name": "x", "steps": [\n  {"expcet": {"json": {}}}\n]}\n')
        self.assertUsage(self.run_paths(path), '"expcet"', "did you mean", '"expect"', position="typo.json:2:4")

    def test_unknown_top_level_key(self):
        path = self.dir.write("toplevel.json", '{"name": "x",\n "stpes": [],\n "steps": []}\n')
        self.assertUsage(self.run_paths(path), "stpes", position="toplevel.json:2:2")

    def test_unknown_modifier_key(self):
        path = self.dir.write("modifier.json",
                              '{"name": "x", "steps": [\n  {"sleep": {"ms": 1}, "timeuot_ms": 5}\n]}\n')
        r = self.run_paths(path)
        self.assertUsage(r, "timeuot_ms", "did you mean")
        self.assertPositioned(r, "modifier.json")

    def test_wrong_type(self):
        path = self.dir.write("type.json", '{"name": "x", "steps": [\n  {"sleep": {"ms": "ten"}}\n]}\n')
        r = self.run_paths(path)
        self.assertUsage(r, "ms", position="type.json:2:20")
        self.assertRegex(r.err, r"integer|number", msg=repr(r))

    def test_steps_not_a_list(self):
        path = self.dir.write("steps.json", '{"name": "x",\n "steps": {"sleep": {"ms": 1}}}\n')
        r = self.run_paths(path)
        self.assertUsage(r, "steps")
        self.assertPositioned(r, "steps.json")

    def test_step_with_two_step_keys(self):
        path = self.dir.write("twokeys.json",
                              '{"name": "x", "steps": [\n  {"sleep": {"ms": 1}, "ping": {}}\n]}\n')
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertRegex(r.err, r"(?m)^(\S*/)?twokeys\.json:2:\d+: ", msg=repr(r))

    def test_missing_name(self):
        path = self.dir.write("noname.json", '{"steps": [\n  {"sleep": {"ms": 1}}\n]}\n')
        r = self.run_paths(path)
        self.assertUsage(r, "name")
        self.assertPositioned(r, "noname.json")

    def test_invalid_regex_in_matcher(self):
        path = self.dir.write("regex.json", '{"name": "x", "steps": [\n  {"connect": {"url": "/ws"}},\n'
                                            '  {"expect": {"regex": "([unclosed"}}\n]}\n')
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertRegex(r.err, r"(?m)^(\S*/)?regex\.json:3:\d+: ", msg=repr(r))


class ErrorExcerpts(BadInputTest):
    """Each error: `file:line:col: message`, the source line, a caret under the column, a hint."""

    def test_caret_under_the_column(self):
        path = self.dir.write("caret.json", '{"name": "x", "steps": [\n  {"expcet": {"json": {}}}\n]}\n')
        r = self.run_paths(path)
        self.assertUsage(r, position="caret.json:2:4")
        lines = r.err.splitlines()
        i = next(n for n, line in enumerate(lines) if re.search(r"caret\.json:2:4: ", line))
        self.assertEqual(lines[i + 1], '    2 |   {"expcet": {"json": {}}}')
        self.assertEqual(lines[i + 2], "      |    ^")
        self.assertTrue(lines[i + 3].startswith("      = hint: a step is one of: "), msg=repr(r))

    def test_caret_after_multibyte_characters(self):
        # "é" (2 bytes) and "日本" (3 bytes each, two cells wide) before the culprit
        path = self.dir.write("utf8.json", '{"name": "é日本", "tgas": []}\n')
        r = self.run_paths(path)
        self.assertUsage(r, "tgas", position="utf8.json:1:17")
        lines = r.err.splitlines()
        i = next(n for n, line in enumerate(lines) if "utf8.json:1:17: " in line)
        self.assertEqual(lines[i + 1], '    1 | {"name": "é日本", "tgas": []}')
        # 16 characters before the column, two of them two cells wide: 18 cells
        self.assertEqual(lines[i + 2], "      | " + " " * 18 + "^")

    def test_every_error_of_a_file_at_once(self):
        path = self.dir.write("many.json", '{"name": "x", "steps": [\n'
                                           '  {"expcet": {}},\n'
                                           '  {"sleep": {"ms": "ten"}},\n'
                                           '  {"close": {"code": 5}}\n]}\n')
        r = self.run_paths(path)
        self.assertUsage(r, "4 errors in scenario files")  # the close also has no connection to close
        for pos in ("many.json:2:4", "many.json:3:20", "many.json:4:3", "many.json:4:22"):
            self.assertRegex(r.err, r"(?m)^(\S*/)?" + re.escape(pos) + ": ", msg=repr(r))

    def test_errors_beyond_twenty_are_counted(self):
        steps = ",\n".join('  {"sleep": {"ms": -1}}' for _ in range(30))
        path = self.dir.write("thirty.json", '{"name": "x", "steps": [\n' + steps + "\n]}\n")
        r = self.run_paths(path)
        self.assertUsage(r, "... and 10 more", "30 errors in scenario files")
        self.assertEqual(len(re.findall(r"(?m)^(\S*/)?thirty\.json:\d+:\d+: ", r.err)), 20, msg=repr(r))

    def test_a_hostile_long_line_is_cut_around_the_column(self):
        path = self.dir.write("long.json", '{"name": "x", "tags": ["' + "a" * 50000 + '"], "stpes": []}\n')
        r = self.run_paths(path)
        self.assertUsage(r, "stpes")
        self.assertLess(max(len(line) for line in r.err.splitlines()), 600, msg=r.err[:2000])


class Variables(BadInputTest):
    STEPS = [connect(), ESTABLISHED,
             {"send": {"json": {"type": "echo", "payload": "${NOPE}"}}},
             {"expect": {"json": {"type": "echo_response", "payload": "x"}}, "timeout_ms": 1000},
             {"close": {"code": 1000}}]

    def test_undefined_variable(self):
        path, fname = self.write("undefined var", self.STEPS)
        r = self.run_paths(path)
        # step 3 is on line 4; the message names the variable and the file position.
        self.assertUsage(r, "NOPE")
        self.assertRegex(r.err, r"(?m)^(\S*/)?" + re.escape(fname) + r":4:\d+: .*NOPE", msg=repr(r))

    def test_var_after_path_makes_it_run(self):
        path, _ = self.write("undefined var", self.STEPS)
        r = run_bounded(self, "run", path, "--var", "NOPE=x", timeout=15)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))

    def test_var_before_path_makes_it_run(self):
        # `--var N=V` is repeatable; it must not swallow the positional path
        # that follows it (wscheck run --var A=1 file.json is the natural form).
        path, _ = self.write("undefined var", self.STEPS)
        r = run_bounded(self, "run", "--var", "NOPE=x", path, timeout=15)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))

    def test_environment_defines_variable(self):
        path, _ = self.write("undefined var", self.STEPS)
        r = run_bounded(self, "run", path, timeout=15, env={"NOPE": "x"})
        self.assertEqual(r.rc, 0, msg=repr(r))

    def test_malformed_var_option(self):
        path, _ = self.write("undefined var", self.STEPS)
        r = run_bounded(self, "run", path, "--var", "NOPE", timeout=15)
        self.assertUsage(r, "NOPE")


class Paths(BadInputTest):
    def test_missing_path(self):
        missing = os.path.join(self.dir.path, "does-not-exist.json")
        self.assertUsage(self.run_paths(missing), "does-not-exist.json")

    def test_empty_directory(self):
        empty = os.path.join(self.dir.path, "empty")
        os.mkdir(empty)
        r = self.run_paths(empty)
        self.assertUsage(r, "empty")

    def test_binary_junk_file(self):
        junk = bytes([0x7F, ord("E"), ord("L"), ord("F"), 2, 1, 1, 0]) + bytes(range(256)) * 64
        path = self.raw("junk.json", junk)
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertPositioned(r, "junk.json")

    def test_nul_bytes_file(self):
        path = self.raw("nul.json", b"\x00" * 1024)
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertPositioned(r, "nul.json")

    def test_invalid_utf8_file(self):
        path = self.raw("latin1.json", '{"name": "café", "steps": []}\n'.encode("latin-1"))
        # `{"name": "caf` is 13 characters: the 0xE9 byte is column 14.
        self.assertUsage(self.run_paths(path), "UTF-8", position="latin1.json:1:14")

    def test_deeply_nested_file(self):
        path = self.dir.write("deep.json", "[" * 100000)
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertPositioned(r, "deep.json")
        self.assertLess(r.elapsed, 5.0, msg=repr(r))

    def test_deeply_nested_objects(self):
        path = self.dir.write("deepobj.json", '{"name": "x", "steps": [], "tags": ' + '{"a":' * 100000)
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertPositioned(r, "deepobj.json")

    def test_20_megabyte_file(self):
        # Valid JSON: only its size is wrong.
        obj = {"name": "big", "steps": [{"sleep": {"ms": 1}}], "tags": ["x" * 1000] * 20000}
        path = self.dir.write("big.json", json.dumps(obj))
        self.assertGreaterEqual(os.path.getsize(path), 20_000_000)
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertPositioned(r, "big.json")
        self.assertLess(r.elapsed, 5.0, msg=repr(r))

    def test_empty_file(self):
        path = self.dir.write("zero.json", "")
        r = self.run_paths(path)
        self.assertUsage(r)
        self.assertPositioned(r, "zero.json")

    def test_duplicate_scenario_names_across_files(self):
        self.dir.write("a.json", '{"name": "same", "steps": [\n  {"sleep": {"ms": 1}}\n]}\n')
        self.dir.write("b.json", '// second\n{"name": "same", "steps": [\n  {"sleep": {"ms": 1}}\n]}\n')
        r = self.run_paths(self.dir.path)
        self.assertUsage(r, '"same"', "a.json")
        self.assertRegex(r.err, r"(?m)^(\S*/)?b\.json:2:\d+: .*duplicate", msg=repr(r))

    def test_one_bad_file_stops_the_whole_run(self):
        self.write("good", [connect(), ESTABLISHED, {"close": {"code": 1000}}])
        self.dir.write("bad.json", '{"name": "bad", "steps": [\n  {"expcet": {}}\n]}\n')
        r = self.run_paths(self.dir.path)
        self.assertUsage(r, position="bad.json:2:4")
        self.assertNotIn("✓", r.out, msg=repr(r))


class CommandLine(BadInputTest):
    def scenario_path(self):
        path, _ = self.write("fine", [connect(), ESTABLISHED, {"close": {"code": 1000}}])
        return path

    def check_url(self, url, *phrases):
        r = run_bounded(self, "run", "--url", url, self.scenario_path(), timeout=15)
        self.assertUsage(r, "--url", *phrases)
        self.assertTrue(r.err.strip(), msg=repr(r))

    def test_url_http_scheme(self):
        self.check_url("http://x", "ws://")

    def test_url_without_host(self):
        self.check_url("ws://", "host")

    def test_url_port_out_of_range(self):
        self.check_url("ws://host:99999", "99999")

    def test_url_port_not_a_number(self):
        self.check_url("ws://127.0.0.1:abc", "abc")

    def test_url_not_a_url(self):
        self.check_url("not a url")

    def test_unknown_flag(self):
        r = run_bounded(self, "run", "--bogus-flag", self.scenario_path(), timeout=15)
        self.assertUsage(r, "--bogus-flag")

    def test_unknown_subcommand(self):
        r = run_bounded(self, "frobnicate", timeout=15)
        self.assertUsage(r, "frobnicate")

    def test_step_timeout_not_a_number(self):
        r = run_bounded(self, "run", "--step-timeout", "abc", self.scenario_path(), timeout=15)
        self.assertUsage(r, "step-timeout")

    def test_jobs_zero(self):
        r = run_bounded(self, "run", "-j", "0", self.scenario_path(), timeout=15)
        self.assertUsage(r)


if __name__ == "__main__":
    unittest.main()
