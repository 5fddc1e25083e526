# wscheck's Python dependency checker. Embedded in the wscheck binary
# (meson turns this file into a header) and run as `PYTHON -c SCRIPT` in the
# folder the app runs from, so sys.path is the one the app sees.
# stdin: one JSON object (see src/diagnose/python_env.cc); stdout: JSON lines,
# one per answer, flushed as they come, so that an import that hangs (killed
# by faulthandler, whose stack goes to stderr) loses nothing checked before it.
# Works with Python 3.8+. Uses `packaging` (Debian: python3-packaging) when the
# interpreter has it; without it, version specifiers are compared by a small
# fallback and environment markers are not evaluated (reported as such).
import json
import os
import re
import sys
import time
import traceback

_out = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)  # whatever the app prints at import goes to stderr, not into our JSON
sys.stdout = sys.stderr

try:
    from importlib import metadata
except ImportError:  # Python < 3.8
    metadata = None

try:
    from packaging.requirements import Requirement, InvalidRequirement
    from packaging.specifiers import SpecifierSet
    HAVE_PACKAGING = True
except ImportError:
    HAVE_PACKAGING = False


def emit(obj):
    _out.write(json.dumps(obj) + "\n")
    _out.flush()


def last_line(exc):
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()
    return text[-1] if text else type(exc).__name__


def where(exc):
    if isinstance(exc, SyntaxError) and exc.filename:
        return "%s:%s" % (exc.filename, exc.lineno)
    frames = traceback.extract_tb(exc.__traceback__)
    frames = [f for f in frames if not f.filename.startswith("<")]
    return "%s:%d" % (frames[-1].filename, frames[-1].lineno) if frames else ""


# --- requirement lines -----------------------------------------------------

NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


class SimpleReq:
    """A requirement parsed without `packaging`: name, extras, specifier, marker."""

    def __init__(self, text):
        body, _, marker = text.partition(";")
        m = NAME_RE.match(body)
        if not m:
            raise ValueError("not a requirement: %r" % text)
        self.name = m.group(1)
        self.extras = [e.strip() for e in (m.group(2) or "[]")[1:-1].split(",") if e.strip()]
        rest = m.group(3).strip()
        self.url = rest[1:].strip() if rest.startswith("@") else None
        self.specifier = "" if self.url else rest.strip("()").replace(" ", "")
        self.marker = marker.strip() or None


def parse_requirement(text):
    if HAVE_PACKAGING:
        try:
            return Requirement(text)
        except InvalidRequirement as e:
            raise ValueError(str(e))
    return SimpleReq(text)


def release(v):
    m = re.match(r"^\s*v?(\d+(?:\.\d+)*)", v)
    return [int(x) for x in m.group(1).split(".")] if m else None


def cmp_release(a, b):
    n = max(len(a), len(b))
    a, b = a + [0] * (n - len(a)), b + [0] * (n - len(b))
    return (a > b) - (a < b)


def simple_contains(spec, version):
    """PEP 440 comparison on release numbers only (no `packaging`)."""
    have = release(version)
    for clause in filter(None, spec.split(",")):
        m = re.match(r"^(~=|==|!=|<=|>=|<|>|===)(.*)$", clause.strip())
        if not m or have is None:
            return None
        op, want = m.group(1), m.group(2)
        if want.endswith(".*"):
            prefix = release(want[:-2]) or []
            same = have[: len(prefix)] == prefix
            if (op == "==") != same:
                return False
            continue
        w = release(want)
        if w is None:
            return None
        c = cmp_release(have, w)
        ok = {"==": c == 0, "===": version == want, "!=": c != 0, "<=": c <= 0, ">=": c >= 0, "<": c < 0, ">": c > 0}.get(op)
        if op == "~=":
            ok = c >= 0 and have[: max(len(w) - 1, 1)] == w[: max(len(w) - 1, 1)]
        if not ok:
            return False
    return True


def read_requirements(path, seen, out, errors):
    path = os.path.abspath(path)
    if path in seen:
        return
    seen.add(path)
    try:
        with open(path, encoding="utf-8") as f:
            raw = f.read().splitlines()
    except OSError as e:
        errors.append("cannot read %s: %s" % (path, e.strerror))
        return
    lineno, i = 0, 0
    while i < len(raw):
        start = i + 1
        line = raw[i]
        while line.endswith("\\") and i + 1 < len(raw):
            i += 1
            line = line[:-1] + " " + raw[i]
        i += 1
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line:
            continue
        where_ = "%s:%d" % (path, start)
        m = re.match(r"^(-r|--requirement)(?:\s+|=)?(\S+)$", line)
        if m:
            read_requirements(os.path.join(os.path.dirname(path), m.group(2)), seen, out, errors)
            continue
        if line.startswith("-"):
            continue  # -c constraints, -e editables, --index-url, ...: not requirements to check
        line = re.split(r"\s--?[a-z]", line)[0].strip()  # per-requirement options (--hash=...)
        if "://" in line.split("@")[0] or line.startswith((".", "/")) or line.endswith((".whl", ".tar.gz", ".zip")):
            out.append({"source": where_, "line": line, "skip": "a path or URL, not a name: not checked"})
            continue
        out.append({"source": where_, "line": line})


def read_pyproject(spec, out, errors):
    path = spec["file"]
    try:
        import tomllib as toml
    except ImportError:
        try:
            import tomli as toml
        except ImportError:
            errors.append("cannot read %s: this Python has neither tomllib (3.11+) nor tomli" % path)
            return
    try:
        with open(path, "rb") as f:
            doc = toml.load(f)
    except (OSError, ValueError) as e:
        errors.append("cannot read %s: %s" % (path, e))
        return
    project = doc.get("project", {})
    for r in project.get("dependencies", []):
        out.append({"source": "%s [project.dependencies]" % path, "line": r})
    optional = project.get("optional-dependencies", {})
    groups = doc.get("dependency-groups", {})
    for g in spec.get("groups", []):
        if g in optional:
            for r in optional[g]:
                out.append({"source": "%s [project.optional-dependencies.%s]" % (path, g), "line": r})
        elif g in groups:
            for r in groups[g]:
                if isinstance(r, str):
                    out.append({"source": "%s [dependency-groups.%s]" % (path, g), "line": r})
        else:
            known = sorted(set(optional) | set(groups))
            errors.append("%s has no group %r (it has: %s)" % (path, g, ", ".join(known) or "none"))


# --- checks ----------------------------------------------------------------

def top_level_module(dist, name):
    try:
        text = dist.read_text("top_level.txt")
    except Exception:
        text = None
    names = [n for n in (text or "").split() if n and not n.startswith("_")]
    return names[0] if names else name.replace("-", "_").lower()


def check_requirement(item, import_packages):
    result = {"kind": "req", "source": item["source"], "line": item["line"]}
    if "skip" in item:
        result.update(status="skipped", detail=item["skip"])
        return result
    try:
        req = parse_requirement(item["line"])
    except ValueError as e:
        result.update(status="invalid", detail=str(e))
        return result
    spec = str(req.specifier)
    result.update(name=req.name, extras=sorted(req.extras), spec=spec)
    if req.marker is not None:
        if not HAVE_PACKAGING:
            result.update(status="unchecked_marker", detail="marker %r not evaluated (no `packaging` in this Python)" % str(req.marker))
            return result
        if not req.marker.evaluate({"extra": ""}):
            result.update(status="not_applicable", detail="marker %s is false here" % req.marker)
            return result
    try:
        dist = metadata.distribution(req.name)
        version = dist.version
    except metadata.PackageNotFoundError:
        result["status"] = "missing"
        return result
    result["installed"] = version
    if spec:
        ok = SpecifierSet(spec).contains(version, prereleases=True) if HAVE_PACKAGING else simple_contains(spec, version)
        if ok is False:
            result["status"] = "mismatch"
            return result
        if ok is None:
            result["detail"] = "version not compared (no `packaging` in this Python)"
    result["status"] = "ok"
    if import_packages:
        module = top_level_module(dist, req.name)
        try:
            __import__(module)
        except BaseException as e:  # noqa: B036 - an import may raise anything, SystemExit included
            result.update(status="import_error", module=module, detail=last_line(e))
    return result


def check_module(name):
    t0 = time.monotonic()
    try:
        __import__(name)
        return {"kind": "module", "module": name, "status": "ok", "ms": (time.monotonic() - t0) * 1000}
    except BaseException as e:  # noqa: B036
        return {"kind": "module", "module": name, "status": "error", "detail": last_line(e),
                "where": where(e), "ms": (time.monotonic() - t0) * 1000}


def import_app(name, timeout_s):
    import faulthandler
    emit({"kind": "import_start", "module": name})
    t0 = time.monotonic()
    faulthandler.dump_traceback_later(timeout_s, exit=True, file=sys.stderr)
    try:
        __import__(name)
        result = {"kind": "import", "module": name, "status": "ok"}
    except BaseException as e:  # noqa: B036
        result = {"kind": "import", "module": name, "status": "error", "detail": last_line(e), "where": where(e)}
    finally:
        faulthandler.cancel_dump_traceback_later()
    result["ms"] = (time.monotonic() - t0) * 1000
    emit(result)


def find(request):
    """For another interpreter: which of these distributions / modules it has."""
    import importlib.util
    dists, modules = {}, {}
    for name in request.get("dists", []):
        try:
            dists[name] = metadata.version(name)
        except Exception:
            pass
    for name in request.get("modules", []):
        try:
            if importlib.util.find_spec(name) is not None:
                modules[name] = True
        except Exception:
            pass
    emit({"kind": "found", "dists": dists, "modules": modules})


def main():
    request = json.loads(sys.stdin.read() or "{}")
    emit({"kind": "env", "python": sys.executable, "prefix": sys.prefix, "cwd": os.getcwd(),
          "version": "%d.%d.%d" % sys.version_info[:3], "packaging": HAVE_PACKAGING})
    if "find" in request:
        find(request["find"])
        return
    items, errors, seen = [], [], set()
    for path in request.get("requirement_files", []):
        read_requirements(path, seen, items, errors)
    for spec in request.get("pyprojects", []):
        read_pyproject(spec, items, errors)
    for e in errors:
        emit({"kind": "error", "detail": e})
    for item in items:
        emit(check_requirement(item, request.get("import_packages", False)))
    for name in request.get("modules", []):
        emit(check_module(name))
    for name in request.get("imports", []):
        import_app(name, request.get("import_timeout_ms", 10000) / 1000.0)
    emit({"kind": "done"})


main()
