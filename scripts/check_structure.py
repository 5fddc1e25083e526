#!/usr/bin/env python3
"""Checks the code-structure rules of docs/architecture.md on src/:
no file over 400 lines, no function over 80 lines, and no #include of a
layer above the including one. Prints one line per breach (file:line: ...)
and exits 1 if there is any; run by `meson test structure`.

Functions are found the way this codebase is written: namespaces are not
indented, so a function definition starts at column 0 and its body ends at
the next line that is exactly "}" at column 0.
Usage: scripts/check_structure.py [SRC_DIR]
"""
import pathlib
import re
import sys

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80

# Each folder may include itself and the folders listed here (transitively
# closed below). Mirrors the link order in src/meson.build.
ALLOWED = {
    "core": [],
    "pch": [],
    "scenario": ["core"],
    "engine": ["scenario"],
    "diagnose": ["engine"],
    "bench": ["diagnose"],
    "watch": ["diagnose"],
    "report": ["bench", "diagnose"],
    "process": ["diagnose"],
    "server": ["scenario"],
    "author": ["scenario"],
    "record": ["author"],
    "cli": ["report", "watch", "process", "server", "record", "author", "bench"],
}

NOT_A_FUNCTION = re.compile(r"^(namespace|struct|class|enum|union|using|template|typedef|extern|static_assert|#|//|/\*|\}|\s)")
INCLUDE = re.compile(r'^#include "([a-z_]+)/')


def closure(folder, seen=None):
    seen = set() if seen is None else seen
    for dep in ALLOWED.get(folder, []):
        if dep not in seen:
            seen.add(dep)
            closure(dep, seen)
    return seen | {folder}


def long_functions(lines):
    """Yields (start line, length) of every function over the limit."""
    start = None
    for number, line in enumerate(lines, 1):
        if start is None:
            if line and not NOT_A_FUNCTION.match(line) and "(" in line and not line.rstrip().endswith(";"):
                start = number
        elif line.rstrip() in ("}", "};"):
            length = number - start + 1
            if length > MAX_FUNCTION_LINES:
                yield start, length
            start = None
        elif line.rstrip().endswith(";") and line and not line[0].isspace() and line[0] != "}":
            start = None  # a declaration that spanned lines, not a definition


def main():
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent / "src")
    problems = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".cc", ".h"):
            continue
        rel = path.relative_to(src)
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        if len(lines) - 1 > MAX_FILE_LINES:
            problems.append(f"src/{rel}:1: {len(lines) - 1} lines (limit {MAX_FILE_LINES}): split it by concept")
        if path.suffix == ".cc":
            for start, length in long_functions(lines):
                problems.append(f"src/{rel}:{start}: function of {length} lines (limit {MAX_FUNCTION_LINES})")
        folder = rel.parts[0] if len(rel.parts) > 1 else None
        if folder:
            allowed = closure(folder)
            for number, line in enumerate(lines, 1):
                m = INCLUDE.match(line)
                if m and m.group(1) in ALLOWED and m.group(1) not in allowed:
                    problems.append(f"src/{rel}:{number}: {folder}/ includes {m.group(1)}/, a layer above it")
    for p in problems:
        print(p)
    print(f"structure: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
