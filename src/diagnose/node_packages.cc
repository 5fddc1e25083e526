#include "diagnose/node_packages.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "diagnose/python_env.h"
#include "diagnose/semver.h"

namespace wscheck {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::optional<json> read_json(const fs::path& file, std::string& error) {
  std::ifstream in(file);
  if (!in) {
    error = "cannot read " + file.string();
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = file.string() + " is not a JSON object";
    return std::nullopt;
  }
  return j;
}

/// node_modules/NAME/package.json's version, searching up from `dir`; nullopt if absent.
std::optional<std::string> installed_version(const fs::path& dir, const std::string& name) {
  for (fs::path d = dir; !d.empty(); d = d.parent_path()) {
    fs::path manifest = d / "node_modules" / name / "package.json";
    std::error_code ec;
    if (fs::exists(manifest, ec)) {
      std::string error;
      auto j = read_json(manifest, error);
      return j && (*j).contains("version") && (*j)["version"].is_string() ? (*j)["version"].get<std::string>() : "";
    }
    if (d == d.parent_path()) break;
  }
  return std::nullopt;
}

}  // namespace

Check check_node_packages(const std::string& package_json) {
  Check c;
  c.name = "node packages";
  fs::path file = fs::absolute(package_json).lexically_normal();
  fs::path dir = file.parent_path();
  std::string error;
  auto manifest = read_json(file, error);
  if (!manifest) {
    c.status = Check::Status::kFail;
    c.cls = "requires_failed";
    c.detail = error;
    c.hint = "requires.node_packages names a package.json, relative to the scenario file";
    return c;
  }
  size_t total = 0, bad = 0;
  for (const char* section : {"dependencies", "devDependencies"}) {
    if (!manifest->contains(section) || !(*manifest)[section].is_object()) continue;
    for (auto it = (*manifest)[section].begin(); it != (*manifest)[section].end(); ++it) {
      ++total;
      std::string name = it.key();
      std::string range = it.value().is_string() ? it.value().get<std::string>() : "";
      auto version = installed_version(dir, name);
      if (!version) {
        ++bad;
        c.details.push_back(name + ": not installed (required " + range + ")");
        continue;
      }
      auto inside = range_satisfied(*version, range);
      if (inside && !*inside) {
        ++bad;
        c.details.push_back(name + " " + *version + " installed, required " + range);
      }
    }
  }
  std::string where = file.filename().string();
  if (bad == 0) {
    c.detail = std::to_string(total) + " of " + std::to_string(total) + " dependencies installed in range (" + where + ")";
    return c;
  }
  c.status = Check::Status::kFail;
  c.cls = "requires_failed";
  c.detail = std::to_string(bad) + " of " + std::to_string(total) + " dependencies missing or out of range (" + where + ")";
  c.fix = "cd " + shell_quote(dir.string()) + " && npm install";
  c.hint = "install what package.json declares (the fix below), then run again";
  return c;
}

}  // namespace wscheck
