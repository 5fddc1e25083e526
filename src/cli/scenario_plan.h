// Shared by run and doctor: scenario files -> validated, filtered plan.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/url.h"
#include "diagnose/check.h"
#include "diagnose/probe.h"
#include "scenario/parser.h"

namespace wscheck {

struct PlanRequest {
  std::vector<std::string> paths;
  std::vector<std::string> vars;  // NAME=VALUE
  std::vector<std::string> tags;
  std::vector<std::string> names;
  std::string shard;  // "I/N", 1-based
};

struct Plan {
  std::vector<std::string> files;
  Suite suite;
  std::vector<const Scenario*> chosen;
  std::map<std::string, std::string> vars;
  bool empty_shard = false;  // this --shard has nothing to run (not an error)
};

/// Prints "wscheck: MESSAGE" to stderr; returns exit code 2 (usage).
int usage_error(const std::string& message);

/// The 0-based shard of a scenario: stable, by a hash of its name.
unsigned shard_of(const std::string& name, unsigned count);

/// Loads, validates and filters. On a problem prints `file:line:col: ...`
/// lines to stderr and returns the exit code (2); nullopt when usable.
std::optional<int> load_plan(const PlanRequest& request, Plan& plan);

/// The union of the chosen scenarios' `requires`, variables expanded.
Requirements collect_requirements(const Plan& plan);

/// The URL the probe should knock on: --url with the first connect step's path.
Url probe_url(const Plan& plan, const Url& base);

/// Preflight of `run` and `doctor`: requires checks, then (when `target`)
/// the phase probe. Returns the checks; any kFail means "not ready".
std::vector<Check> run_preflight(const Requirements& requirements, const Plan& plan, const std::optional<Url>& target,
                                 const ProbeOptions& probe_defaults);

/// Parses every --resolve flag into `out`; on a bad one prints the usage
/// error and returns exit code 2.
std::optional<int> parse_resolve_flags(const std::vector<std::string>& flags, ResolveOverrides& out);

}  // namespace wscheck
