#include "cli/doctor_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/color.h"
#include "cli/scenario_plan.h"
#include "core/exit_status.h"
#include "diagnose/preflight.h"
#include "report/preflight_text.h"

namespace wscheck {

namespace {

/// The command line's dependency checks as a `requires` block.
Requirements flag_requirements(const DoctorDependencyOptions& d) {
  Requirements r;
  r.python_modules = d.python_modules;
  r.deps.python = d.python;
  r.deps.cwd = d.cwd;
  r.deps.python_requirements = d.requirements;
  r.deps.node_packages = d.node_packages;
  r.deps.python_import = d.python_import;
  if (d.import_timeout_ms > 0) r.deps.import_timeout_ms = d.import_timeout_ms;
  if (d.import_packages) r.deps.import_packages = true;
  for (const auto& p : d.pyprojects) {
    PyprojectRef ref{p.substr(0, p.find(':')), {}};
    for (size_t at = p.find(':'); at != std::string::npos;) {
      size_t next = p.find(',', at + 1);
      std::string group = p.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
      if (!group.empty()) ref.groups.push_back(group);
      at = next;
    }
    r.deps.pyprojects.push_back(ref);
  }
  return r;
}

void merge_into(Requirements& into, const Requirements& from) {
  auto add = [](auto& to, const auto& list) {
    for (const auto& x : list)
      if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
  };
  add(into.python_modules, from.python_modules);
  add(into.deps.python_requirements, from.deps.python_requirements);
  add(into.deps.pyprojects, from.deps.pyprojects);
  add(into.deps.node_packages, from.deps.node_packages);
  add(into.deps.python_import, from.deps.python_import);
  if (!from.deps.python.empty()) into.deps.python = from.deps.python;  // the command line wins
  if (!from.deps.cwd.empty()) into.deps.cwd = from.deps.cwd;
  if (from.deps.import_timeout_ms) into.deps.import_timeout_ms = from.deps.import_timeout_ms;
  if (from.deps.import_packages) into.deps.import_packages = from.deps.import_packages;
}

}  // namespace

void add_doctor_dependency_options(CLI::App& doctor, DoctorDependencyOptions& d) {
  doctor.add_option("--python", d.python, "Interpreter the app runs with (default: $VIRTUAL_ENV/bin/python, else python3)");
  doctor.add_option("--cwd", d.cwd, "Folder the app runs from (its imports start there)");
  doctor.add_option("--requirements", d.requirements, "Check a requirements.txt (repeatable)")->allow_extra_args(false);
  doctor.add_option("--pyproject", d.pyprojects, "Check a pyproject.toml: FILE or FILE:group,group (repeatable)")
      ->allow_extra_args(false);
  doctor.add_option("--node-packages", d.node_packages, "Check a package.json against node_modules (repeatable)")
      ->allow_extra_args(false);
  doctor.add_option("--python-import", d.python_import, "Import this app module, with a deadline (repeatable)")
      ->allow_extra_args(false);
  doctor.add_option("--python-module", d.python_modules, "Check that this module imports (repeatable)")->allow_extra_args(false);
  doctor.add_option("--import-timeout", d.import_timeout_ms, "Deadline of each --python-import in ms (default 10000)")
      ->check(CLI::Range(1, 600000));
  doctor.add_flag("--import-packages", d.import_packages, "Also import each installed requirement's top-level module");
}

int doctor_command(const DoctorCommandOptions& o) {
  const bool color = use_color(o.color, stdout);
  std::string url_text = o.url;
  if (url_text.empty())
    if (const char* env = std::getenv("WSCHECK_URL")) url_text = env;
  Plan plan;
  std::vector<Check> checks;
  std::error_code ec;
  // Without scenario files named or a scenarios/ folder, doctor checks what
  // it was given: the dependency flags, the --url, or both.
  const bool scenarios = !o.paths.empty() || std::filesystem::exists("scenarios", ec) ||
                         (!o.deps.any() && url_text.empty());
  Requirements requirements = flag_requirements(o.deps);
  if (scenarios) {
    if (auto code = load_plan(PlanRequest{o.paths, o.vars, o.tags, o.names, ""}, plan)) {
      std::printf("verdict: scenario files are invalid (see the errors above); nothing was checked further\n");
      return *code;
    }
    checks.push_back(Check{Check::Status::kOk, "scenarios", 0,
                           std::to_string(plan.chosen.size()) + " scenario(s) in " + std::to_string(plan.files.size()) +
                               " file(s) parse and validate; variables resolve",
                           {}, "", "", ""});
    Requirements declared = collect_requirements(plan);
    merge_into(declared, requirements);
    requirements = declared;
  } else if (!url_text.empty()) {
    checks.push_back(Check{Check::Status::kWarn, "scenarios", 0,
                           "none here (no scenarios/ folder, no files named): probing the URL only", {}, "", "", ""});
  }
  std::optional<Url> target;
  if (!url_text.empty()) {
    std::string error;
    target = parse_url(url_text, error);
    if (!target) return usage_error("--url: " + error);
  }
  ProbeOptions probe{Url{}, o.timeout_ms, o.insecure, o.ca_file, {}};
  if (auto code = parse_resolve_flags(o.resolve, probe.resolve)) return *code;
  for (auto& c : run_preflight(requirements, plan, target, probe)) checks.push_back(std::move(c));
  if (!target && scenarios)
    checks.push_back(Check{Check::Status::kWarn, "target", 0,
                           "no --url (or WSCHECK_URL): `wscheck run` would use the built-in reference server", {}, "", "", ""});
  std::printf("wscheck doctor%s\n", target ? (" → " + target->str()).c_str() : "");
  std::fputs(render_checks(checks, color).c_str(), stdout);
  if (has_failure(checks)) {
    std::fputs(render_fixes(checks).c_str(), stdout);
    std::printf("%s\n", first_failure(checks).c_str());
    std::printf("verdict: NOT READY: the environment, not the server's WebSocket behaviour, is at fault (exit 3)\n");
    return to_int(ExitStatus::kEnvironment);
  }
  std::printf("verdict: ready\n");
  return 0;
}

}  // namespace wscheck
