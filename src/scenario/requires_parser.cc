#include "scenario/requires_parser.h"

#include <algorithm>
#include <filesystem>

#include "scenario/json_source.h"
#include "scenario/parser.h"

namespace wscheck {

namespace {

using json = nlohmann::json;

/// Reads one `requires` object's dependency keys, failing with file:line:col.
class DependencyReader {
 public:
  DependencyReader(const std::string& pointer, const std::function<SourceRef(const std::string&)>& at)
      : pointer_(pointer), at_(at) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw ScenarioError(at_(pointer), message);
  }

  std::string ptr(const std::string& key) const { return pointer_append(pointer_, key); }

  std::string string(const json& v, const std::string& key) const {
    if (!v.is_string() || v.get<std::string>().empty())
      fail(ptr(key), "requires." + key + " must be a non-empty string (a path relative to the scenario file)");
    return v.get<std::string>();
  }

  /// "file" or ["file", ...]
  std::vector<std::string> files(const json& v, const std::string& key) const {
    if (v.is_string()) return {string(v, key)};
    if (!v.is_array() || v.empty()) fail(ptr(key), "requires." + key + " must be a file name or a non-empty array of them");
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string() || v[i].get<std::string>().empty())
        fail(pointer_append(ptr(key), i), "requires." + key + " must contain only non-empty strings");
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }

  /// "pyproject.toml", {"file": ..., "groups": [...]}, or an array of those.
  std::vector<PyprojectRef> pyprojects(const json& v) const {
    std::vector<PyprojectRef> out;
    auto one = [&](const json& item, const std::string& pointer) {
      if (item.is_string() && !item.get<std::string>().empty()) return out.push_back({item.get<std::string>(), {}});
      if (!item.is_object())
        fail(pointer, "requires.pyproject must be a file name, {\"file\": ..., \"groups\": [...]}, or an array of those");
      for (auto it = item.begin(); it != item.end(); ++it)
        if (it.key() != "file" && it.key() != "groups")
          fail(pointer_append(pointer, it.key()), "unknown key \"" + it.key() + "\" in requires.pyproject; allowed: file, groups");
      if (!item.contains("file") || !item["file"].is_string() || item["file"].get<std::string>().empty())
        fail(pointer, "requires.pyproject needs \"file\": the path of a pyproject.toml");
      PyprojectRef ref{item["file"].get<std::string>(), {}};
      if (item.contains("groups")) {
        const json& g = item["groups"];
        if (!g.is_array()) fail(pointer_append(pointer, "groups"), "\"groups\" must be an array of group names, e.g. [\"dev\"]");
        for (size_t i = 0; i < g.size(); ++i) {
          if (!g[i].is_string()) fail(pointer_append(pointer_append(pointer, "groups"), i), "group names are strings");
          ref.groups.push_back(g[i].get<std::string>());
        }
      }
      out.push_back(ref);
    };
    if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) one(v[i], pointer_append(ptr("pyproject"), i));
    } else {
      one(v, ptr("pyproject"));
    }
    return out;
  }

  std::vector<std::string> modules(const json& v) const {
    if (!v.is_array()) fail(ptr("python_import"), "requires.python_import must be an array of module names, e.g. [\"myapp.main\"]");
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) {
      std::string p = pointer_append(ptr("python_import"), i);
      if (!v[i].is_string()) fail(p, "requires.python_import must contain only module names");
      std::string m = v[i].get<std::string>();
      bool ok = !m.empty() && m.front() != '.' && m.back() != '.';
      for (char c : m) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.');
      if (!ok) fail(p, "\"" + m + "\" is not a Python module name (dotted names like myapp.main)");
      out.push_back(m);
    }
    return out;
  }

 private:
  std::string pointer_;
  const std::function<SourceRef(const std::string&)>& at_;
};

}  // namespace

std::set<std::string> dependency_require_keys() {
  return {"python", "cwd", "python_requirements", "pyproject", "node_packages", "python_import", "import_timeout_ms",
          "import_packages"};
}

DependencyRequirements read_dependency_requires(const json& v, const std::string& pointer, const std::string& file,
                                                const std::function<SourceRef(const std::string&)>& at) {
  DependencyReader r(pointer, at);
  DependencyRequirements d;
  d.base_dir = std::filesystem::path(file).parent_path().string();
  if (v.contains("python")) d.python = r.string(v["python"], "python");
  if (v.contains("cwd")) d.cwd = r.string(v["cwd"], "cwd");
  if (v.contains("python_requirements")) d.python_requirements = r.files(v["python_requirements"], "python_requirements");
  if (v.contains("pyproject")) d.pyprojects = r.pyprojects(v["pyproject"]);
  if (v.contains("node_packages")) d.node_packages = r.files(v["node_packages"], "node_packages");
  if (v.contains("python_import")) d.python_import = r.modules(v["python_import"]);
  if (v.contains("import_timeout_ms")) {
    const json& t = v["import_timeout_ms"];
    if (!t.is_number_integer() || t.get<long long>() < 1 || t.get<long long>() > 600000)
      r.fail(r.ptr("import_timeout_ms"), "requires.import_timeout_ms must be an integer between 1 and 600000");
    d.import_timeout_ms = t.get<int>();
  }
  if (v.contains("import_packages")) {
    if (!v["import_packages"].is_boolean()) r.fail(r.ptr("import_packages"), "requires.import_packages must be true or false");
    d.import_packages = v["import_packages"].get<bool>();
  }
  return d;
}

void merge_dependency_requires(DependencyRequirements& into, const DependencyRequirements& own) {
  auto merge = [](auto& to, const auto& from) {
    for (const auto& x : from)
      if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
  };
  if (!own.python.empty()) into.python = own.python;
  if (!own.cwd.empty()) into.cwd = own.cwd;
  merge(into.python_requirements, own.python_requirements);
  merge(into.pyprojects, own.pyprojects);
  merge(into.node_packages, own.node_packages);
  merge(into.python_import, own.python_import);
  if (own.import_timeout_ms) into.import_timeout_ms = own.import_timeout_ms;
  if (own.import_packages) into.import_packages = own.import_packages;
  if (!own.base_dir.empty()) into.base_dir = own.base_dir;
}

}  // namespace wscheck
