#!/usr/bin/python3
"""Counts test results from meson testlog.json files, case by case.

Each meson test is a whole doctest binary or a unittest module, so its
output is read for the real per-case counts ("[doctest] test cases: ..." or
unittest's "Ran N tests" / "FAILED (failures=F, errors=E, skipped=S)").
A test whose output has no such line counts as one case, by its result.
Prints the closing line CI reads: "N passed, N failed[, N skipped]".
"""
import json
import re
import sys


def count(entry):
    out = (entry.get("stdout") or "") + "\n" + (entry.get("stderr") or "")
    ok = entry.get("result") in ("OK", "EXPECTEDFAIL")
    m = re.search(r"\[doctest\] test cases:\s*(\d+) \|\s*(\d+) passed \|\s*(\d+) failed \|\s*(\d+) skipped", out)
    if m:
        passed, failed, skipped = int(m.group(2)), int(m.group(3)), int(m.group(4))
        return passed, failed + (0 if ok or failed else 1), skipped
    m = re.search(r"^Ran (\d+) tests? in", out, re.M)
    if m:
        ran = int(m.group(1))
        failed = skipped = 0
        f = re.search(r"^FAILED \(([^)]*)\)", out, re.M)
        s = re.search(r"^OK \(([^)]*)\)", out, re.M)
        details = (f.group(1) if f else "") + "," + (s.group(1) if s else "")
        for key, value in re.findall(r"([a-z_ ]+)=(\d+)", details):
            key = key.strip()
            if key in ("failures", "errors", "unexpected successes"):
                failed += int(value)
            elif key == "skipped":
                skipped += int(value)
        if not ok and failed == 0:
            failed = 1  # crashed or timed out after printing its count
        return ran - failed - skipped, failed, skipped
    if entry.get("result") == "SKIP":
        return 0, 0, 1
    return (1, 0, 0) if ok else (0, 1, 0)


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        try:
            lines = open(path, encoding="utf-8").read().splitlines()
        except OSError:
            failed += 1
            print(f"missing test log: {path}", file=sys.stderr)
            continue
        for line in lines:
            if line.strip():
                p, f, s = count(json.loads(line))
                passed, failed, skipped = passed + p, failed + f, skipped + s
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
