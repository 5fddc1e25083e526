// Unit tests for the preflight's data and its rendering (src/diagnose/check.cc,
// python_stack.cc, src/report/preflight_text.cc) and the `requires` keys
// read by src/scenario/requires_parser.cc.
#include <doctest/doctest.h>

#include <string>

#include "diagnose/check.h"
#include "diagnose/python_env.h"
#include "diagnose/python_stack.h"
#include "report/preflight_text.h"
#include "scenario/parser.h"
#include "test_util.h"

using namespace wscheck;
using wscheck_test::contains;

namespace {

Check failing_requirements() {
  Check c{Check::Status::kFail, "python requirements", 120, "2 of 5 requirements missing or mismatched (requirements.txt)",
          {"numpy: not installed (required >=1.26)  [requirements.txt:1]",
           "fastapi 0.92.0 installed, required >=0.110  [requirements.txt:2]"},
          "install them", ".venv/bin/python -m pip install 'numpy>=1.26' 'fastapi>=0.110'", "requires_failed"};
  return c;
}

}  // namespace

TEST_CASE("preflight text: every problem on its own line, then one fix command") {
  std::vector<Check> checks{Check{Check::Status::kOk, "python", 40, ".venv/bin/python → 3.11.2", {}, "", "", ""},
                            failing_requirements()};
  std::string text = render_checks(checks, false);
  CHECK(contains(text, "  ok    python "));
  CHECK(contains(text, "  FAIL  python requirements "));
  CHECK(contains(text, "\n          numpy: not installed (required >=1.26)  [requirements.txt:1]\n"));
  CHECK(contains(text, "\n          fastapi 0.92.0 installed, required >=0.110"));
  CHECK(contains(text, "fix:  .venv/bin/python -m pip install 'numpy>=1.26' 'fastapi>=0.110'\n"));
  CHECK_FALSE(contains(text, "\033["));
  CHECK(contains(render_checks(checks, true), "\033[31mFAIL\033[0m"));
  std::string failure = render_preflight_failure(checks, false);
  CHECK(wscheck_test::starts_with(failure, "requires_failed: 2 of 5 requirements missing or mismatched (requirements.txt): numpy: not installed"));
  CHECK(contains(failure, "(and 1 more)"));
  CHECK(contains(failure, "to fix the dependencies, run:\n  .venv/bin/python -m pip install"));
  CHECK(contains(failure, "exit 3:"));
}

TEST_CASE("preflight text: ok checks show no hint; no failure, no fix block") {
  Check ok{Check::Status::kOk, "node packages", 1, "3 of 3 dependencies installed in range", {}, "a hint", "a fix", ""};
  std::string text = render_checks({ok}, false);
  CHECK_FALSE(contains(text, "hint:"));
  CHECK_FALSE(contains(text, "fix:"));
  CHECK(render_fixes({ok}).empty());
  CHECK_FALSE(has_failure({ok}));
  CHECK(first_failure({ok}).empty());
}

TEST_CASE("shell_quote: words a shell reads back unchanged") {
  CHECK(shell_quote("numpy") == "numpy");
  CHECK(shell_quote(".venv/bin/python") == ".venv/bin/python");
  CHECK(shell_quote("numpy>=1.26") == "'numpy>=1.26'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
}

TEST_CASE("python stack: the importing thread's frames, most recent first, without importlib's") {
  std::string dump =
      "Timeout (0:00:01)!\n"
      "Thread 0x00007f0000000001 (most recent call first):\n"
      "  File \"/usr/lib/python3.11/threading.py\", line 320 in wait\n"
      "Thread 0x00007f2ec374b040 (most recent call first):\n"
      "  File \"/srv/app/db.py\", line 14 in connect\n"
      "  File \"/srv/app/myapp/main.py\", line 3 in <module>\n"
      "  File \"<frozen importlib._bootstrap>\", line 241 in _call_with_frames_removed\n"
      "  File \"<string>\", line 259 in import_app\n"
      "  File \"<string>\", line 306 in main\n";
  auto frames = stuck_frames(dump);
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].str("/srv/app") == "db.py:14 in connect()");
  CHECK(frames[1].str("/srv/app") == "myapp/main.py:3 in <module>()");
  CHECK(frames[0].str("/elsewhere") == "/srv/app/db.py:14 in connect()");
  CHECK(stuck_frames("no dump here").empty());
}

TEST_CASE("requires: manifests, interpreter and imports are read with their positions") {
  std::string text = R"({"name": "n", "requires": {"python": ".venv/bin/python", "python_requirements": "requirements.txt",
    "pyproject": {"file": "pyproject.toml", "groups": ["dev"]}, "node_packages": ["package.json"],
    "python_import": ["myapp.main"], "import_timeout_ms": 2000}, "steps": [{"sleep": {"ms": 1}}]})";
  Suite s = parse_scenario_text(text, "dir/x.json");
  const DependencyRequirements& d = s.scenarios.at(0).requires_.deps;
  CHECK(d.python == ".venv/bin/python");
  CHECK(d.python_requirements == std::vector<std::string>{"requirements.txt"});
  REQUIRE(d.pyprojects.size() == 1);
  CHECK(d.pyprojects[0].groups == std::vector<std::string>{"dev"});
  CHECK(d.node_packages == std::vector<std::string>{"package.json"});
  CHECK(d.python_import == std::vector<std::string>{"myapp.main"});
  CHECK(d.import_timeout_ms == 2000);
  CHECK(d.base_dir == "dir");
}

TEST_CASE("requires: bad dependency keys are errors at their place") {
  auto error = [](const std::string& requires_) {
    try {
      parse_scenario_text(R"({"name": "n", "requires": )" + requires_ + R"(, "steps": [{"sleep": {"ms": 1}}]})", "x.json");
    } catch (const ScenarioError& e) {
      return e.str();
    }
    return std::string("no error");
  };
  CHECK(contains(error(R"({"python_requirements": 5})"), "requires.python_requirements must be a file name"));
  CHECK(contains(error(R"({"python_import": ["my app"]})"), "is not a Python module name"));
  CHECK(contains(error(R"({"pyproject": {"groups": ["dev"]}})"), "requires.pyproject needs \"file\""));
  CHECK(contains(error(R"({"import_timeout_ms": "soon"})"), "import_timeout_ms must be an integer"));
  CHECK(contains(error(R"({"python_requirement": "r.txt"})"), "did you mean \"python_requirements\""));
  CHECK(wscheck_test::starts_with(error(R"({"python": ""})"), "x.json:1:"));
}
