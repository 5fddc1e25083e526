#include "diagnose/preflight.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "diagnose/classify.h"
#include "diagnose/node_packages.h"
#include "diagnose/python_env.h"
#include "engine/clock.h"

namespace wscheck {

namespace {

bool on_path(const std::string& command) {
  if (command.find('/') != std::string::npos) return access(command.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((dir + "/" + command).c_str(), X_OK) == 0) return true;
  return false;
}

Check line(Check::Status status, std::string name, double ms, std::string detail, std::string hint = "") {
  std::string cls = status == Check::Status::kFail ? "requires_failed" : "";
  return Check{status, std::move(name), ms, std::move(detail), {}, std::move(hint), "", cls};
}

/// The interpreters asked "do you have it?" when ours does not.
std::vector<std::string> other_pythons() {
  std::vector<std::string> out{"/usr/bin/python3", "python3"};
  const char* venv = std::getenv("VIRTUAL_ENV");
  if (venv && *venv) out.push_back(std::string(venv) + "/bin/python");
  return out;
}

void check_dependencies(const Requirements& req, int timeout_ms, std::vector<Check>& out) {
  const DependencyRequirements& d = req.deps;
  if (!req.python_modules.empty() || !d.python_requirements.empty() || !d.pyprojects.empty() || !d.python_import.empty()) {
    PythonCheckRequest r;
    r.python = d.python.empty() ? default_python() : d.python;
    r.cwd = d.cwd;
    r.requirement_files = d.python_requirements;
    r.pyprojects = d.pyprojects;
    r.modules = req.python_modules;
    r.imports = d.python_import;
    r.import_timeout_ms = d.import_timeout_ms.value_or(10000);
    r.import_packages = d.import_packages.value_or(false);
    r.timeout_ms = std::max(timeout_ms, 30000);
    r.other_pythons = other_pythons();
    for (auto& c : check_python(r)) out.push_back(std::move(c));
  }
  for (const auto& file : d.node_packages) out.push_back(check_node_packages(file));
}

}  // namespace

std::vector<Check> check_requirements(const Requirements& req, int timeout_ms) {
  std::vector<Check> out;
  for (const auto& name : req.env) {
    const char* v = std::getenv(name.c_str());
    if (v && *v) out.push_back(line(Check::Status::kOk, "env " + name, 0, "set"));
    else out.push_back(line(Check::Status::kFail, "env " + name, 0, name + " is not set (or empty)", "export " + name + "=... before running"));
  }
  for (const auto& cmd : req.commands) {
    if (on_path(cmd)) out.push_back(line(Check::Status::kOk, "command " + cmd, 0, "found on PATH"));
    else out.push_back(line(Check::Status::kFail, "command " + cmd, 0, cmd + " is not on PATH", "install it, or fix PATH"));
  }
  for (const auto& file : req.files) {
    struct stat st {};
    if (stat(file.c_str(), &st) == 0) out.push_back(line(Check::Status::kOk, "file " + file, 0, "exists"));
    else out.push_back(line(Check::Status::kFail, "file " + file, 0, file + " does not exist", "create it, or run from the directory the scenario expects"));
  }
  check_dependencies(req, timeout_ms, out);
  for (const auto& hostport : req.tcp) {
    std::string e;
    auto url = parse_url("tcp://" + hostport, e);
    if (!url) {
      out.push_back(line(Check::Status::kFail, "tcp " + hostport, 0, e));
      continue;
    }
    ProbeResult r = probe_target(ProbeOptions{*url, timeout_ms, false, ""});
    double ms = r.lines.empty() ? 0 : r.lines.back().ms;
    if (r.ready()) out.push_back(line(Check::Status::kOk, "tcp " + hostport, ms, "open"));
    else out.push_back(line(Check::Status::kFail, "tcp " + hostport, ms, r.failure->headline, r.failure->hint));
  }
  for (const auto& u : req.http) {
    std::string e;
    auto url = parse_url(u, e);
    if (!url) {
      out.push_back(line(Check::Status::kFail, "http " + u, 0, e));
      continue;
    }
    ProbeResult r = probe_target(ProbeOptions{*url, timeout_ms, false, ""});
    double total = 0;
    for (const auto& l : r.lines) total += l.ms;
    if (r.ready()) out.push_back(line(Check::Status::kOk, "http " + u, total, "HTTP " + http_status_text(r.http_status)));
    else out.push_back(line(Check::Status::kFail, "http " + u, total, r.failure->headline, r.failure->hint));
  }
  return out;
}

}  // namespace wscheck
