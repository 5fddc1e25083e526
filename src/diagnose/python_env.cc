#include "diagnose/python_env.h"

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "diagnose/child_process.h"
#include "diagnose/python_stack.h"
#include "python_check_script.h"

namespace wscheck {

namespace {

using json = nlohmann::json;

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    if (j.is_object()) lines.push_back(std::move(j));
  }
  return lines;
}

std::string str(const json& j, const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : ""; }

std::string last_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

ChildResult run_checker(const std::string& python, const std::string& cwd, const json& input, int timeout_ms) {
  return run_child(ChildRequest{{python, "-c", std::string(kPythonCheckScript)}, cwd, {{"PYTHONIOENCODING", "utf-8"}}, input.dump(), timeout_ms});
}

/// Asks the other interpreters on this machine which of `dists` / `modules`
/// they have: "rich: not installed for .venv/bin/python, but /usr/bin/python3 has 13.3.1".
std::map<std::string, std::string> found_elsewhere(const PythonCheckRequest& r, const std::string& our_prefix,
                                                   const std::vector<std::string>& dists, const std::vector<std::string>& modules) {
  std::map<std::string, std::string> where;  // name -> "/usr/bin/python3 has 13.3.1"
  std::set<std::string> prefixes{our_prefix};
  for (const auto& other : r.other_pythons) {
    if (other == r.python) continue;
    ChildResult c = run_checker(other, r.cwd, json{{"find", {{"dists", dists}, {"modules", modules}}}}, 5000);
    if (!c.started || c.timed_out) continue;
    std::string prefix;
    for (const json& j : json_lines(c.out)) {
      if (str(j, "kind") == "env") prefix = str(j, "prefix");
      if (str(j, "kind") != "found" || !prefixes.insert(prefix).second) continue;
      for (auto it = j["dists"].begin(); it != j["dists"].end(); ++it)
        if (!where.count(it.key())) where[it.key()] = other + " has " + it.value().get<std::string>();
      for (auto it = j["modules"].begin(); it != j["modules"].end(); ++it)
        if (!where.count(it.key())) where[it.key()] = other + " has it";
    }
  }
  return where;
}

/// "numpy: not installed (required >=1.26)" / "fastapi 0.92.0 installed, required >=0.110".
std::string problem_line(const json& j) {
  std::string name = str(j, "name"), spec = str(j, "spec"), status = str(j, "status");
  std::string text;
  if (status == "missing") text = name + ": not installed" + (spec.empty() ? "" : " (required " + spec + ")");
  else if (status == "mismatch") text = name + " " + str(j, "installed") + " installed, required " + spec;
  else if (status == "import_error") text = name + " " + str(j, "installed") + " installed, but import " + str(j, "module") + " fails: " + str(j, "detail");
  else if (status == "invalid") text = "\"" + str(j, "line") + "\": " + str(j, "detail");
  else text = (name.empty() ? str(j, "line") : name) + ": " + str(j, "detail");
  return text;
}

/// The requirement as pip takes it: name[extras]specifier, no marker.
std::string pip_word(const json& j) {
  std::string word = str(j, "name");
  if (j.contains("extras") && j["extras"].is_array() && !j["extras"].empty()) {
    word += "[";
    for (size_t i = 0; i < j["extras"].size(); ++i) word += (i ? "," : "") + j["extras"][i].get<std::string>();
    word += "]";
  }
  return word + str(j, "spec");
}

std::string short_source(const std::string& source) {
  auto slash = source.rfind('/', source.find(' '));
  return slash == std::string::npos ? source : source.substr(slash + 1);
}

Check requirements_check(const PythonCheckRequest& r, const std::vector<json>& lines, const std::string& prefix) {
  Check c;
  c.name = "python requirements";
  size_t total = 0, ok = 0;
  std::vector<const json*> bad;
  std::vector<std::string> warnings, missing_names;
  for (const json& j : lines) {
    std::string kind = str(j, "kind"), status = str(j, "status");
    if (kind == "error") c.details.push_back(str(j, "detail"));
    if (kind != "req") continue;
    ++total;
    if (status == "ok" || status == "not_applicable" || status == "skipped") ++ok;
    else if (status == "unchecked_marker") warnings.push_back(str(j, "line") + ": " + str(j, "detail"));
    else bad.push_back(&j);
    if (status == "missing") missing_names.push_back(str(j, "name"));
  }
  std::map<std::string, std::string> elsewhere;
  if (!missing_names.empty()) elsewhere = found_elsewhere(r, prefix, missing_names, {});
  std::vector<std::string> words;
  for (const json* j : bad) {
    std::string line = problem_line(*j);
    auto e = elsewhere.find(str(*j, "name"));
    if (e != elsewhere.end()) line += "; installed for another Python: " + e->second;
    c.details.push_back(line + "  [" + short_source(str(*j, "source")) + "]");
    if (str(*j, "status") != "invalid") words.push_back(shell_quote(pip_word(*j)));
  }
  for (const auto& w : warnings) c.details.push_back("not checked: " + w);
  std::string files;
  for (const auto& f : r.requirement_files) files += (files.empty() ? "" : ", ") + short_source(f);
  for (const auto& p : r.pyprojects) files += (files.empty() ? "" : ", ") + short_source(p.file);
  if (bad.empty() && c.details.empty()) {
    c.detail = std::to_string(ok) + " of " + std::to_string(total) + " requirements satisfied (" + files + ")";
    return c;
  }
  c.status = bad.empty() && warnings.size() == c.details.size() ? Check::Status::kWarn : Check::Status::kFail;
  c.cls = c.status == Check::Status::kFail ? "requires_failed" : "";
  c.detail = std::to_string(bad.size()) + " of " + std::to_string(total) + " requirements missing or mismatched (" + files + ")";
  if (!words.empty()) {
    c.fix = shell_quote(r.python) + " -m pip install";
    for (const auto& w : words) c.fix += " " + w;
  }
  c.hint = "install them into the interpreter the app runs with (the fix below), then run again";
  return c;
}

}  // namespace

std::string shell_quote(const std::string& word) {
  bool plain = !word.empty();
  for (char c : word) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || std::string("/._-+=:@,").find(c) != std::string::npos);
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string default_python() {
  const char* venv = std::getenv("VIRTUAL_ENV");
  return venv && *venv ? std::string(venv) + "/bin/python" : "python3";
}

namespace {

Check env_check(const PythonCheckRequest& r, const json& env) {
  Check c;
  c.name = "python";
  c.detail = r.python + " → " + str(env, "python") + " " + str(env, "version") + ", cwd " + str(env, "cwd");
  if (const char* pp = std::getenv("PYTHONPATH"); pp && *pp) c.detail += ", PYTHONPATH=" + std::string(pp);
  if (!env.value("packaging", false) && (!r.requirement_files.empty() || !r.pyprojects.empty())) {
    c.status = Check::Status::kWarn;
    c.details.push_back("this Python has no `packaging` module: environment markers are not evaluated and versions are "
                        "compared by their release numbers only");
    c.hint = "install it into that interpreter (Debian: apt-get install python3-packaging; a venv: pip install packaging)";
  }
  return c;
}

Check module_check(const json& j, const std::map<std::string, std::string>& elsewhere) {
  Check c;
  std::string module = str(j, "module");
  c.name = "python " + module;
  c.ms = j.value("ms", 0.0);
  if (str(j, "status") == "ok") {
    c.detail = "importable";
    return c;
  }
  c.status = Check::Status::kFail;
  c.cls = "requires_failed";
  c.detail = str(j, "detail");
  if (auto e = elsewhere.find(module); e != elsewhere.end()) c.detail += "; installed for another Python: " + e->second;
  c.hint = "install the module into the interpreter the server uses (pip install / apt-get install python3-...)";
  return c;
}

Check import_check(const PythonCheckRequest& r, const json& j, const std::string& cwd) {
  Check c;
  std::string module = str(j, "module");
  c.name = "import " + module;
  c.ms = j.value("ms", 0.0);
  if (str(j, "status") == "ok") {
    c.detail = "imports (cwd " + cwd + ")";
    return c;
  }
  c.status = Check::Status::kFail;
  c.cls = "requires_failed";
  c.detail = "import of " + module + " fails: " + str(j, "detail");
  std::string where = str(j, "where");
  if (where.rfind(cwd + "/", 0) == 0) where = where.substr(cwd.size() + 1);
  if (!where.empty()) c.details.push_back("raised at " + where);
  c.hint = "run `" + r.python + " -c 'import " + module + "'` in " + cwd + " to see the whole traceback";
  return c;
}

Check stuck_import_check(const PythonCheckRequest& r, const std::string& module, const ChildResult& child,
                         const std::string& cwd) {
  Check c;
  c.name = "import " + module;
  c.status = Check::Status::kFail;
  c.cls = "requires_failed";
  c.ms = r.import_timeout_ms;
  std::vector<PythonFrame> frames = stuck_frames(child.err);
  std::ostringstream seconds;
  seconds << static_cast<double>(r.import_timeout_ms) / 1000.0;
  c.detail = "import of " + module + " did not finish in " + seconds.str() + " s";
  if (!frames.empty()) c.detail += "; stuck at " + frames.front().str(cwd);
  for (const auto& f : frames) c.details.push_back("  " + f.str(cwd));
  c.hint = "code that runs at import time waits on something (a database, the network, a lock): move it out of the "
           "import, or make it fail fast; or raise requires.import_timeout_ms";
  return c;
}

}  // namespace

std::vector<Check> check_python(const PythonCheckRequest& r) {
  json input{{"requirement_files", r.requirement_files}, {"modules", r.modules}, {"imports", r.imports},
             {"import_timeout_ms", r.import_timeout_ms}, {"import_packages", r.import_packages}, {"pyprojects", json::array()}};
  for (const auto& p : r.pyprojects) input["pyprojects"].push_back({{"file", p.file}, {"groups", p.groups}});
  int deadline = r.timeout_ms + static_cast<int>(r.imports.size()) * (r.import_timeout_ms + 2000);
  ChildResult child = run_checker(r.python, r.cwd, input, deadline);
  std::vector<Check> out;
  if (!child.started) {
    Check c{Check::Status::kFail, "python", child.ms, child.error, {}, "", "", "requires_failed"};
    c.hint = "set requires.python to the interpreter the app runs with (e.g. .venv/bin/python), or create that venv";
    return {c};
  }
  std::vector<json> lines = json_lines(child.out);
  if (lines.empty() || str(lines.front(), "kind") != "env") {
    Check c{Check::Status::kFail, "python", child.ms, r.python + " did not run the dependency check", {}, "", "", "requires_failed"};
    if (!child.err.empty()) c.details.push_back(last_line(child.err));
    return {c};
  }
  const json& env = lines.front();
  std::string cwd = str(env, "cwd");
  out.push_back(env_check(r, env));
  out.back().ms = child.ms;
  if (!r.requirement_files.empty() || !r.pyprojects.empty()) out.push_back(requirements_check(r, lines, str(env, "prefix")));
  std::vector<std::string> failed_modules;
  for (const json& j : lines)
    if (str(j, "kind") == "module" && str(j, "status") != "ok" && str(j, "detail").find("ModuleNotFoundError") == 0)
      failed_modules.push_back(str(j, "module"));
  std::map<std::string, std::string> elsewhere;
  if (!failed_modules.empty()) elsewhere = found_elsewhere(r, str(env, "prefix"), {}, failed_modules);
  std::string pending;  // an import that started and never reported
  bool done = false;
  for (const json& j : lines) {
    std::string kind = str(j, "kind");
    if (kind == "module") out.push_back(module_check(j, elsewhere));
    if (kind == "import_start") pending = str(j, "module");
    if (kind == "import") {
      out.push_back(import_check(r, j, cwd));
      pending.clear();
    }
    done = done || kind == "done";
  }
  if (!pending.empty()) out.push_back(stuck_import_check(r, pending, child, cwd));
  else if (!done) {
    Check c{Check::Status::kFail, "python", child.ms, "the dependency check " + std::string(child.timed_out ? "did not finish in time" : "stopped early"), {}, "", "", "requires_failed"};
    if (!child.err.empty()) c.details.push_back(last_line(child.err));
    out.push_back(c);
  }
  return out;
}

}  // namespace wscheck
