"""Dependency preflight: requirements.txt / pyproject.toml / package.json and app
imports, checked by one interpreter process in a real virtualenv made here.

No network: "installed" distributions are written by hand into the venv's
site-packages (NAME-VERSION.dist-info/METADATA plus a module), which is all
importlib.metadata and the import system look at.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import E2ETest, run_wscheck  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"


def make_venv(path, system_site_packages=False):
    args = [SYSTEM_PYTHON, "-m", "venv", "--without-pip"]
    if system_site_packages:
        args.append("--system-site-packages")
    subprocess.run(args + [path], check=True, timeout=120)
    return os.path.join(path, "bin", "python")


def site_packages(venv):
    return glob.glob(os.path.join(venv, "lib", "python3*", "site-packages"))[0]


def install_fake(venv, name, version, module=None):
    sp = site_packages(venv)
    info = os.path.join(sp, "%s-%s.dist-info" % (name.replace("-", "_"), version))
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, "METADATA"), "w") as f:
        f.write("Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version))
    module = module or name.replace("-", "_")
    os.makedirs(os.path.join(sp, module), exist_ok=True)
    with open(os.path.join(sp, module, "__init__.py"), "w") as f:
        f.write("__version__ = %r\n" % version)
    with open(os.path.join(info, "top_level.txt"), "w") as f:
        f.write(module + "\n")


def has_system_distribution(name):
    code = "import importlib.metadata as m, sys; m.version(sys.argv[1])"
    return subprocess.run([SYSTEM_PYTHON, "-c", code, name], capture_output=True, timeout=30).returncode == 0


INCIDENT = "numpy>=1.26\npandas\nrich\n# the websocket client the app uses\nfaker>=18 ; python_version >= '3'\n" \
           "websocket-client\nfastapi>=0.110\nwebsockets>=10\n-r dev-requirements.txt\n"


class VenvTest(E2ETest):
    """One venv for the class (creating one costs about a second)."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="wscheck-venv-")
        cls.venv = os.path.join(cls._tmp.name, "venv")
        cls.python = make_venv(cls.venv)
        install_fake(cls.venv, "fastapi", "0.92.0")
        install_fake(cls.venv, "websockets", "12.0")
        # Debian's python3-packaging, pure Python, copied in: the checker evaluates
        # markers and PEP 440 specifiers with it, as it would in a real project venv.
        shutil.copytree("/usr/lib/python3/dist-packages/packaging",
                        os.path.join(site_packages(cls.venv), "packaging"))

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def doctor(self, *args, timeout=90):
        return run_wscheck("doctor", "--python", self.python, *args, cwd=self.dir.path, timeout=timeout)


class RequirementsTest(VenvTest):
    def test_every_missing_and_mismatched_requirement_in_one_run_with_one_fix(self):
        self.dir.write("requirements.txt", INCIDENT)
        self.dir.write("dev-requirements.txt", "pytest-timeout  # from an -r include\n")
        self.scenario("app", [{"sleep": {"ms": 1}}], requires={"python": os.path.relpath(self.python, self.dir.path),
                                                        "python_requirements": "requirements.txt"})
        r = run_wscheck("run", self.dir.path, cwd=self.dir.path, timeout=90)
        self.assertEqual(r.rc, 3, r)
        for line in ["numpy: not installed (required >=1.26)", "pandas: not installed", "rich: not installed",
                     "faker: not installed (required >=18)", "websocket-client: not installed",
                     "fastapi 0.92.0 installed, required >=0.110", "pytest-timeout: not installed"]:
            self.assertIn(line, r.out, r)
        self.assertIn("[requirements.txt:1]", r.out, r)
        self.assertIn("[dev-requirements.txt:1]", r.out, r)
        self.assertNotIn("websockets:", r.out, r)  # 12.0 satisfies >=10
        fix = [l for l in r.out.splitlines() if " -m pip install " in l]
        self.assertTrue(fix, r)
        for word in ["'numpy>=1.26'", "pandas", "rich", "'faker>=18'", "websocket-client", "'fastapi>=0.110'",
                     "pytest-timeout"]:
            self.assertIn(word, fix[-1], r)
        self.assertIn("no scenario was run", r.out, r)

    def test_satisfied_requirements_pass(self):
        self.dir.write("requirements.txt", "fastapi>=0.90,<1\nwebsockets>=10\npywin32 ; sys_platform == 'win32'\n")
        r = self.doctor("--requirements", "requirements.txt")
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.out, r"ok\s+python requirements\s+.*3 of 3 requirements satisfied", r)
        self.assertIn(self.python, r.out, r)  # the interpreter is named in the check line
        self.assertIn("verdict: ready", r.out, r)

    def test_pyproject_dependencies_and_a_named_group(self):
        self.dir.write("pyproject.toml", '[project]\nname = "app"\ndependencies = ["fastapi>=0.90"]\n'
                                         '[project.optional-dependencies]\ndev = ["rich>=13"]\n')
        r = self.doctor("--pyproject", "pyproject.toml")
        self.assertEqual(r.rc, 0, r)
        r = self.doctor("--pyproject", "pyproject.toml:dev")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("rich: not installed (required >=13)", r.out, r)
        r = self.doctor("--pyproject", "pyproject.toml:test")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("has no group 'test' (it has: dev)", r.out, r)

    @unittest.skipUnless(has_system_distribution("jsonschema"), "needs python3-jsonschema in /usr/bin/python3")
    def test_installed_for_another_python_is_named(self):
        self.dir.write("requirements.txt", "jsonschema\n")
        r = self.doctor("--requirements", "requirements.txt", "--python-module", "jsonschema")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("jsonschema: not installed", r.out, r)
        self.assertIn("installed for another Python: /usr/bin/python3 has", r.out, r)
        self.assertRegex(r.out, r"FAIL\s+python jsonschema .*No module named 'jsonschema'; installed for another Python", r)

    def test_doctor_without_scenarios_or_packages_file_is_clear(self):
        r = self.doctor("--requirements", "missing.txt")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("cannot read", r.out, r)
        self.assertIn("missing.txt", r.out, r)


class AppImportTest(VenvTest):
    def write_app(self, files):
        for name, text in files.items():
            path = os.path.join(self.dir.path, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)

    def test_import_error_quotes_the_traceback_line(self):
        self.write_app({"myapp/__init__.py": "", "myapp/main.py": "import os\nDB = os.environ['APP_DATABASE_URL']\n"})
        r = self.doctor("--python-import", "myapp.main")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("import of myapp.main fails: KeyError: 'APP_DATABASE_URL'", r.out, r)
        self.assertIn("raised at myapp/main.py:2", r.out, r)

    def test_import_that_hangs_is_reported_with_the_stuck_stack_within_its_deadline(self):
        self.write_app({"myapp/__init__.py": "",
                        "myapp/db.py": "import time\n\n\ndef connect():\n    time.sleep(120)\n",
                        "myapp/main.py": "from myapp import db\n\nconn = db.connect()\n"})
        r = self.doctor("--python-import", "myapp.main", "--import-timeout", "1500", timeout=60)
        self.assertEqual(r.rc, 3, r)
        self.assertIn("import of myapp.main did not finish in 1.5 s; stuck at myapp/db.py:5 in connect()", r.out, r)
        self.assertIn("myapp/main.py:3 in <module>()", r.out, r)
        self.assertLess(r.elapsed, 45, r)

    def test_app_import_that_works(self):
        self.write_app({"myapp/__init__.py": "", "myapp/main.py": "import fastapi\napp = object()\n"})
        r = self.doctor("--python-import", "myapp.main")
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.out, r"ok\s+import myapp.main", r)


class NodePackagesTest(E2ETest):
    def test_missing_and_out_of_range_dependencies(self):
        self.dir.write("package.json", json.dumps({"dependencies": {"ws": "^8.0.0", "left-pad": "~1.3.0",
                                                                    "chalk": ">=4 <6"},
                                                   "devDependencies": {"mocha": "10.x"}}))
        for name, version in [("ws", "7.5.9"), ("chalk", "5.3.0"), ("mocha", "10.2.0")]:
            os.makedirs(os.path.join(self.dir.path, "node_modules", name))
            self.dir.write(os.path.join("node_modules", name, "package.json"), {"name": name, "version": version})
        r = run_wscheck("doctor", "--node-packages", "package.json", cwd=self.dir.path)
        self.assertEqual(r.rc, 3, r)
        self.assertIn("2 of 4 dependencies missing or out of range", r.out, r)
        self.assertIn("ws 7.5.9 installed, required ^8.0.0", r.out, r)
        self.assertIn("left-pad: not installed (required ~1.3.0)", r.out, r)
        self.assertNotIn("chalk", r.out.split("hint:")[0].split("out of range")[1], r)
        self.assertIn("&& npm install", r.out, r)


if __name__ == "__main__":
    unittest.main()
