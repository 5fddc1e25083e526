#include "scenario/suite_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "scenario/parser.h"

namespace wscheck {

namespace fs = std::filesystem;

std::vector<std::string> find_scenario_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".json") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) throw ScenarioError(SourceRef{p, {}}, "no *.json scenario files in this directory");
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      throw ScenarioError(SourceRef{p, {}}, "no such file or directory");
    }
  }
  return files;
}

namespace {

/// Moves one file's scenarios and server block into the suite, checking
/// names across files.
void merge_into(Suite& suite, Suite one, std::map<std::string, SourceRef>& names, std::vector<ScenarioError>& errors) {
  for (auto& s : one.scenarios) {
    auto [it, fresh] = names.emplace(s.name, s.where);
    if (!fresh) {
      errors.emplace_back(s.where, "duplicate scenario name \"" + s.name + "\" (first defined at " + it->second.str() + ")",
                          "scenario names select scenarios (--name) and name results: make them unique");
      continue;
    }
    suite.scenarios.push_back(std::move(s));
  }
  if (one.server) {
    if (suite.server)
      errors.emplace_back(one.server->where, "a second \"server\" block (first at " + suite.server->where.str() + ")",
                          "one run starts one managed server: keep the block in one suite file");
    suite.server = std::move(one.server);
  }
}

}  // namespace

Suite load_suite(const std::vector<std::string>& files, std::vector<ScenarioError>& errors) {
  Suite suite;
  std::map<std::string, SourceRef> names;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      errors.emplace_back(SourceRef{file, {}}, "cannot open the file for reading");
      continue;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    size_t before = errors.size();
    Suite one = parse_scenario_text(buffer.str(), file, errors);
    if (errors.size() == before) merge_into(suite, std::move(one), names, errors);
  }
  return suite;
}

}  // namespace wscheck
