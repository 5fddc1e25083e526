#include "cli/scenario_plan.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>

#include "cli/scenario_plan_walk.h"
#include "diagnose/preflight.h"
#include "report/source_excerpt.h"
#include "scenario/run_variables.h"
#include "scenario/variable_check.h"
#include "scenario/variables.h"

namespace wscheck {

namespace {

bool selected(const Scenario& s, const PlanRequest& r) {
  if (!r.tags.empty()) {
    bool any = false;
    for (const auto& t : r.tags) any = any || std::find(s.tags.begin(), s.tags.end(), t) != s.tags.end();
    if (!any) return false;
  }
  if (!r.names.empty()) {
    bool any = false;
    for (const auto& g : r.names) any = any || fnmatch(g.c_str(), s.name.c_str(), 0) == 0;
    if (!any) return false;
  }
  return true;
}

}  // namespace

int usage_error(const std::string& message) {
  std::fprintf(stderr, "wscheck: %s\n", message.c_str());
  return 2;
}

unsigned shard_of(const std::string& name, unsigned count) {
  // FNV-1a of the name: a scenario keeps its shard when others are added or removed.
  std::uint32_t h = 2166136261u;
  for (unsigned char c : name) h = (h ^ c) * 16777619u;
  return h % count;
}

namespace {

/// A scenario file's text for error excerpts ("" if unreadable); bounded like the parser's input.
std::string read_source_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text(16 * 1024 * 1024, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(in ? text.size() : static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return text;
}

}  // namespace

std::optional<int> load_plan(const PlanRequest& request, Plan& plan) {
  std::vector<std::string> paths = request.paths.empty() ? std::vector<std::string>{"scenarios"} : request.paths;
  try {
    ScenarioFileSearch search = find_scenario_files_forgiving(paths);
    plan.files = search.files;
    if (search.skipped_not_scenarios) {
      std::string examples;
      for (const auto& e : search.skipped_examples) examples += (examples.empty() ? "" : ", ") + e;
      std::fprintf(stderr, "wscheck: skipped %zu *.json file%s that %s not scenarios (no top-level \"steps\" or \"scenarios\": %s%s)\n",
                   search.skipped_not_scenarios, search.skipped_not_scenarios == 1 ? "" : "s",
                   search.skipped_not_scenarios == 1 ? "is" : "are", examples.c_str(),
                   search.skipped_not_scenarios > search.skipped_examples.size() ? ", ..." : "");
    }
  } catch (const ScenarioError& e) {
    return usage_error(e.str() + (request.paths.empty() ? " (run from the project root, or name scenario files)" : ""));
  }
  for (const auto& v : request.vars) {
    try {
      auto [name, value] = parse_var_assignment(v);
      plan.vars[name] = value;
    } catch (const std::invalid_argument& e) {
      return usage_error(e.what());
    }
  }
  std::vector<ScenarioError> errors;
  plan.suite = load_suite(plan.files, errors);
  for (const auto& s : plan.suite.scenarios)
    if (selected(s, request)) plan.chosen.push_back(&s);
  VariableScope scope(plan.vars);
  for (const Scenario* s : plan.chosen)
    for (auto& e : find_undefined_variables(*s, scope)) errors.push_back(e);
  if (plan.suite.server)
    for (auto& e : find_undefined_variables(*plan.suite.server, scope)) errors.push_back(e);
  if (!errors.empty()) {
    std::fputs(render_scenario_errors(errors, read_source_file).c_str(), stderr);
    std::fprintf(stderr, "wscheck: %zu error%s in scenario files; nothing was run\n", errors.size(),
                 errors.size() == 1 ? "" : "s");
    return 2;
  }
  if (!request.shard.empty()) {
    unsigned index = 0, count = 0;
    char slash = 0, extra = 0;
    if (std::sscanf(request.shard.c_str(), "%u%c%u%c", &index, &slash, &count, &extra) != 3 || slash != '/' ||
        count == 0 || index == 0 || index > count)
      return usage_error("--shard takes I/N with 1 <= I <= N, e.g. --shard 2/4; got \"" + request.shard + "\"");
    std::vector<const Scenario*> mine;
    for (const Scenario* s : plan.chosen)
      if (shard_of(s->name, count) == index - 1) mine.push_back(s);
    plan.chosen = mine;
    if (plan.chosen.empty()) {
      std::fprintf(stderr, "wscheck: shard %s has no scenarios (there are fewer scenarios than shards)\n", request.shard.c_str());
      plan.empty_shard = true;
      return std::nullopt;
    }
  }
  if (plan.chosen.empty()) return usage_error("no scenario matches the --tag / --name filters");
  return std::nullopt;
}

namespace {

/// A path as written in a scenario file: variables expanded, relative to that file's folder.
std::string resolve_path(const std::string& raw, const std::string& base_dir, const VariableScope& scope) {
  std::string v = raw;
  try {
    v = expand_template(raw, scope);
  } catch (const std::exception&) {
  }
  return v.empty() || v.front() == '/' || base_dir.empty() ? v : base_dir + "/" + v;
}

void add_dependencies(DependencyRequirements& all, const DependencyRequirements& d, const VariableScope& scope) {
  auto add = [](auto& into, auto x) {
    if (std::find(into.begin(), into.end(), x) == into.end()) into.push_back(std::move(x));
  };
  for (const auto& f : d.python_requirements) add(all.python_requirements, resolve_path(f, d.base_dir, scope));
  for (const auto& f : d.node_packages) add(all.node_packages, resolve_path(f, d.base_dir, scope));
  for (const auto& p : d.pyprojects) add(all.pyprojects, PyprojectRef{resolve_path(p.file, d.base_dir, scope), p.groups});
  for (const auto& m : d.python_import) add(all.python_import, m);
  // A bare command ("python3.11") is looked up on PATH; a path is relative to the scenario file.
  if (all.python.empty() && !d.python.empty())
    all.python = d.python.find('/') == std::string::npos ? d.python : resolve_path(d.python, d.base_dir, scope);
  if (all.cwd.empty() && !d.cwd.empty()) all.cwd = resolve_path(d.cwd, d.base_dir, scope);
  if (!all.import_timeout_ms) all.import_timeout_ms = d.import_timeout_ms;
  if (!all.import_packages) all.import_packages = d.import_packages;
}

}  // namespace

Requirements collect_requirements(const Plan& plan) {
  Requirements all;
  VariableScope scope(plan.vars);
  auto add = [&](std::vector<std::string>& into, const std::vector<std::string>& from) {
    for (const auto& raw : from) {
      std::string v;
      try {
        v = expand_template(raw, scope);
      } catch (const std::exception&) {
        v = raw;
      }
      if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(v);
    }
  };
  for (const Scenario* s : plan.chosen) {
    add(all.env, s->requires_.env);
    add(all.commands, s->requires_.commands);
    add(all.files, s->requires_.files);
    add(all.python_modules, s->requires_.python_modules);
    add(all.tcp, s->requires_.tcp);
    add(all.http, s->requires_.http);
    add_dependencies(all.deps, s->requires_.deps, scope);
  }
  return all;
}

namespace {

/// The first connect step that goes to `base`'s host and port, with its URL
/// resolved (variables expanded); nullptr if none does.
const ConnectStep* first_connect_to(const Plan& plan, const Url& base, Url& resolved) {
  VariableScope scope(plan.vars);
  for (const Scenario* s : plan.chosen) {
    set_run_variables(scope, s->name);  // a URL may name a per-run room
    for (const Step& step : s->steps) {
      const auto* c = std::get_if<ConnectStep>(&step.body);
      if (!c) continue;
      try {
        Url u = resolve_url(base, expand_template(c->url, scope));
        if (u.host != base.host || u.port != base.port) continue;
        resolved = u;
        return c;
      } catch (const std::exception&) {
      }
    }
  }
  return nullptr;
}

/// A connect step to the target that sets its own "tls" options decides how
/// the probe verifies the certificate too.
void apply_step_tls(const Plan& plan, const Url& base, ProbeOptions& o) {
  Url ignored;
  const ConnectStep* c = first_connect_to(plan, base, ignored);
  if (!c) return;
  if (c->tls.insecure) o.insecure = *c->tls.insecure;
  if (!c->tls.ca_file.empty()) {
    try {
      o.ca_file = expand_template(c->tls.ca_file, VariableScope(plan.vars));
    } catch (const std::exception&) {
    }
  }
}

}  // namespace

Url probe_url(const Plan& plan, const Url& base) {
  if (base.path != "/") return base;
  Url u;
  if (!first_connect_to(plan, base, u)) return base;
  return u;
}

std::vector<Check> run_preflight(const Requirements& requirements, const Plan& plan, const std::optional<Url>& target,
                                 const ProbeOptions& defaults) {
  std::vector<Check> checks = check_requirements(requirements, defaults.timeout_ms);
  if (target && !has_failure(checks)) {
    ProbeOptions o = defaults;
    apply_step_tls(plan, *target, o);
    o.url = probe_url(plan, *target);
    ProbeResult r = probe_target(o);
    for (auto& c : checks_from_lines(r.lines)) checks.push_back(std::move(c));
  }
  return checks;
}

std::optional<int> parse_resolve_flags(const std::vector<std::string>& flags, ResolveOverrides& out) {
  for (const auto& f : flags) {
    std::string error;
    auto entry = parse_resolve_override(f, error);
    if (!entry) return usage_error(error);
    out.push_back(*entry);
  }
  return std::nullopt;
}

}  // namespace wscheck
