"""docs/scenario.schema.json and the parser agree.

An independent validator (Debian's python3-jsonschema, Draft202012Validator)
accepts every bundled scenario and every valid fixture, and rejects every
invalid fixture the parser rejects for a structural reason. `wscheck schema`
prints the docs file byte for byte, and docs/scenario-keys.md names every key.
"""
import glob
import json
import os
import re
import unittest

import jsonschema

from harness import ROOT, run_wscheck

SCHEMA_PATH = os.path.join(ROOT, "docs", "scenario.schema.json")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")

# Invalid for reasons the parser checks and a schema cannot express, so these
# are NOT in tests/fixtures/invalid (the parser rejects them; the schema may
# accept them): regex syntax ("regex", "$regex", expect_close "reason", server
# "ready_log"), URL syntax and scheme of "url" and requires "http", a step
# using a connection no earlier connect opened, duplicate scenario names
# across files, undefined or malformed ${VARIABLES}, JSON pointer escapes in
# "capture" ("/a~2"), ping payloads and close reasons measured in bytes (the
# schema counts characters), and a second "server" block in another file.
INVALID_STRUCTURAL = sorted(glob.glob(os.path.join(FIXTURES, "invalid", "*.json")))


def strip_comments(text):
    """Scenario files are JSON with // and /* */ comments: drop them (outside strings)."""
    out, i, n, in_string = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(strip_comments(f.read()))


class SchemaAgreesWithParser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.schema = load(SCHEMA_PATH)
        jsonschema.Draft202012Validator.check_schema(cls.schema)
        cls.validator = jsonschema.Draft202012Validator(cls.schema)

    def valid_files(self):
        files = sorted(glob.glob(os.path.join(ROOT, "scenarios", "**", "*.json"), recursive=True))
        files += sorted(glob.glob(os.path.join(FIXTURES, "valid", "*.json")))
        files += sorted(glob.glob(os.path.join(ROOT, "fuzz", "corpus", "parser", "*.json")))
        self.assertGreaterEqual(len(files), 7)
        return files

    def test_bundled_and_valid_fixtures_pass_the_schema_and_the_parser(self):
        for path in self.valid_files():
            with self.subTest(path=os.path.relpath(path, ROOT)):
                errors = [e.message for e in self.validator.iter_errors(load(path))]
                self.assertEqual(errors, [])
                r = run_wscheck("doctor", path, timeout=30, env={"T": "t"})  # a fuzz seed uses ${T}
                self.assertNotEqual(r.rc, 2, msg=repr(r))  # 0, or 3 when a requires item is missing here

    def test_invalid_fixtures_are_rejected_by_both(self):
        self.assertGreaterEqual(len(INVALID_STRUCTURAL), 40)
        for path in INVALID_STRUCTURAL:
            with self.subTest(fixture=os.path.basename(path)):
                self.assertFalse(self.validator.is_valid(load(path)), "the schema accepts it")
                r = run_wscheck("doctor", path, timeout=30)
                self.assertEqual(r.rc, 2, msg=repr(r))
                self.assertRegex(r.err, r"(?m)^\S*" + re.escape(os.path.basename(path)) + r":\d+:\d+: ", msg=repr(r))

    def test_wscheck_schema_prints_the_docs_file(self):
        r = run_wscheck("schema", timeout=30)
        self.assertEqual(r.rc, 0, msg=repr(r))
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            self.assertEqual(r.out, f.read())

    def test_docs_page_names_every_key_of_the_schema(self):
        with open(os.path.join(ROOT, "docs", "scenario-keys.md"), encoding="utf-8") as f:
            page = f.read()
        names = set()

        def walk(node):
            if isinstance(node, dict):
                for k, v in node.get("properties", {}).items():
                    names.add(k)
                    walk(v)
                for k, v in node.items():
                    if k != "properties":
                        walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(self.schema)
        self.assertGreater(len(names), 60)
        missing = sorted(n for n in names if f"`{n}`" not in page)
        self.assertEqual(missing, [], "keys missing from docs/scenario-keys.md")


if __name__ == "__main__":
    unittest.main()
